"""Routes of the home page and of announcements.

The announcement of the probes is sent by the home agency's coordinator to chosen agencies: the home
agency only. Every home role is in its audience; outsiders (the other agency) get 404 on it. Sending
is the coordinators'; who acknowledged it, the coordinators' and (for their own agency) the agency
administrators'.
"""

from __future__ import annotations

from agencies.roles import Role
from home.models import Announcement, Audience
from tests.authz.registry import Spec
from tests.authz.world import World

COORDINATORS = frozenset({Role.COORDINATOR})
ACK_READERS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})


def _announcement(world: World) -> dict[str, int]:
    def build() -> Announcement:
        announcement = Announcement.objects.create(
            title="Shelters: expect referrals this weekend",
            body="An operation is planned; keep beds free if you can.",
            audience=Audience.AGENCIES,
            sent_by=world.people[Role.COORDINATOR],
        )
        announcement.agencies.set([world.home])
        return announcement

    return {"pk": world.once("announcement", build).pk}


ROUTES: dict[str, Spec] = {
    "home": Spec(),
    "home:announcement_list": Spec(),
    "home:announcement_create": Spec(roles=COORDINATORS),
    "home:announcement_detail": Spec(kwargs=_announcement),
    "home:announcement_acknowledge": Spec(kwargs=_announcement, method="post"),
    "api:v1:home": Spec(),
    "api:v1:announcement-list": Spec(),
    "api:v1:announcement-preview": Spec(roles=COORDINATORS, method="post"),
    "api:v1:announcement-detail": Spec(kwargs=_announcement),
    "api:v1:announcement-acknowledge": Spec(kwargs=_announcement, method="post"),
    "api:v1:announcement-acknowledgements": Spec(roles=ACK_READERS, kwargs=_announcement),
}
