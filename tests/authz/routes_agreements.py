"""Routes of data-sharing agreements: coordinators only, on the web and in the API.

Coordinators keep every agency's agreement, so no coordinator is an outsider to one: the world's
"other" agency is no co-chair and has none. To probe the routes of one agreement as the meta-tests
do, the builder adds a coordinator of a second co-chair agency to the world's outsiders; being task
force-wide, the agreement answers them 200 (`shared_with_task_force`), and every other outsider role
is refused by the role map before any agreement is looked up.
"""

from __future__ import annotations

from agencies.models import DataSharingAgreement
from agencies.roles import Role
from tests.authz.registry import Spec
from tests.authz.world import World
from tests.factories import AgencyFactory, UserFactory

COORDINATORS = frozenset({Role.COORDINATOR})
_TASK_FORCE_WIDE = "coordinators keep every agency's agreement: a coordinator of another co-chair agency reaches it"


def _outside_coordinator(world: World) -> None:
    def build() -> object:
        cochair = AgencyFactory(name="Other Co-chair Coalition", is_cochair=True)
        person = UserFactory(agency=cochair, role=Role.COORDINATOR, email="coordinator@cochair.example.org")
        world.outsiders[Role.COORDINATOR] = person
        return person

    world.once("outside_coordinator", build)


def _agreement(world: World) -> dict[str, int]:
    """The home agency's agreement (the factory records one), and a coordinator outside it."""
    _outside_coordinator(world)
    agreement = world.once("agreement", lambda: DataSharingAgreement.objects.get(agency=world.home))
    return {"pk": agreement.pk}


ROUTES: dict[str, Spec] = {
    "agencies:agreements": Spec(roles=COORDINATORS),
    "agencies:agreement_create": Spec(roles=COORDINATORS),
    "agencies:agreement_end": Spec(roles=COORDINATORS, kwargs=_agreement, shared_with_task_force=_TASK_FORCE_WIDE),
    "api:v1:agreement-list": Spec(roles=COORDINATORS),
    "api:v1:agreement-gaps": Spec(roles=COORDINATORS),
    "api:v1:agreement-detail": Spec(roles=COORDINATORS, kwargs=_agreement, shared_with_task_force=_TASK_FORCE_WIDE),
    "api:v1:agreement-end": Spec(
        roles=COORDINATORS, kwargs=_agreement, shared_with_task_force=_TASK_FORCE_WIDE, method="post"
    ),
}
