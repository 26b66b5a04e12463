from __future__ import annotations

from agencies.roles import Role
from digests.rendering import unsubscribe_token
from tests.authz.registry import Spec
from tests.authz.world import World


def _unsubscribe(world: World) -> dict[str, str]:
    return {"token": unsubscribe_token(person_id=world.people[Role.MEMBER].pk, stream="digest")}


ROUTES: dict[str, Spec] = {
    # One's own email settings and digest: every member has them, and sees only their own.
    "digests:preferences": Spec(),
    "digests:preview": Spec(),
    "digests:defaults": Spec(roles=frozenset({Role.COORDINATOR})),
    # Public: the signed link in an email works without signing in (RFC 8058 one-click).
    "digests:unsubscribe": Spec(public=True, kwargs=_unsubscribe),
}
