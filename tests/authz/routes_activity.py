"""Routes of task-force activity figures.

The home agency of the world is a co-chair: its administrator and coordinator enter the co-chairs'
figures on the page; the other roles are refused. The API list answers every role (each sees its own
agency's figures, coordinators and grant managers every agency's). There is no route to one figure,
so no object of another agency to probe: the list is scoped instead (tests/activity/test_api.py).
"""

from __future__ import annotations

from agencies.roles import Role
from tests.authz.registry import EVERY_ROLE, Spec

ENTERERS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})

ROUTES: dict[str, Spec] = {
    "activity:figures": Spec(roles=ENTERERS),
    "api:v1:activity-figure-list": Spec(roles=EVERY_ROLE),
}
