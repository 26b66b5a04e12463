"""Routes of the service directory.

Every member reads the directory and any agency's profile (shared with the task force by design: it is
how officers choose where to send). Editing a profile and confirming its capacity is for the agency's
own administrators and for coordinators: another agency's administrator gets 404. Suggestions for a
referral are for referral officers. The Open Referral export is public.
"""

from __future__ import annotations

from typing import Any

from agencies.roles import Role
from directory.models import ServiceProfile
from tests.authz.registry import EVERY_ROLE, Spec
from tests.authz.world import World

EDITORS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})
OFFICERS = frozenset({Role.REFERRAL_OFFICER})
SHARED = "the service directory is how every member finds who can help"


def _home_profile(world: World) -> dict[str, Any]:
    """The home agency, with a profile (the API answers 404 for an agency that keeps none)."""
    world.once("service_profile", lambda: ServiceProfile.objects.create(agency=world.home, needs=["shelter"]))
    return {"agency_pk": world.home.pk}


def _home_profile_api(world: World) -> dict[str, Any]:
    return {"agency_id": _home_profile(world)["agency_pk"]}


ROUTES: dict[str, Spec] = {
    "directory:list": Spec(roles=EVERY_ROLE),
    "directory:detail": Spec(roles=EVERY_ROLE, kwargs=_home_profile, shared_with_task_force=SHARED),
    "directory:edit": Spec(roles=EDITORS, kwargs=_home_profile),
    "directory:capacity": Spec(roles=EDITORS, kwargs=_home_profile),
    "api:v1:service-profile-list": Spec(roles=EVERY_ROLE),
    # GET probes the profile (every member); PATCH is for editors (tests/directory/test_api.py).
    "api:v1:service-profile-detail": Spec(roles=EVERY_ROLE, kwargs=_home_profile_api, shared_with_task_force=SHARED),
    # A form post is 415 to the API: let in all the same (not refused); the JSON call is tested in test_api.py.
    "api:v1:service-profile-confirm-capacity": Spec(roles=EDITORS, kwargs=_home_profile_api, method="post"),
    "api:v1:referral-suggestions": Spec(roles=OFFICERS, data={"needs": "shelter"}),
    # The Open Referral export for 211 systems: the agencies that opted in, no sign-in.
    "directory_public:hsds": Spec(public=True),
}
