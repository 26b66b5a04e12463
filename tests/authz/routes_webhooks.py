"""Routes of webhooks: an agency's administrators manage its own endpoints; every other role is refused,
and another agency's administrator gets 404 for an endpoint of the home agency.

The endpoint of the probes is written directly (no address check, so no name lookup); a probe that
sends a test event only writes rows, as its HTTP attempt would run after a commit the test never makes.
"""

from __future__ import annotations

from django.utils import timezone

from agencies.roles import Role
from tests.authz.registry import Spec
from tests.authz.world import World
from webhooks.models import WebhookEndpoint, WebhookEvent

ADMINS = frozenset({Role.AGENCY_ADMIN})
_POST = {"method": "post"}


def _endpoint(world: World) -> dict[str, int]:
    def build() -> WebhookEndpoint:
        return WebhookEndpoint.objects.create(
            agency=world.home,
            url="https://hooks.home.example.org/portal",
            secret="whsec_" + "A" * 43 + "=",
            secret_changed_at=timezone.now(),
            events=list(WebhookEvent.values),
            created_by=world.people[Role.AGENCY_ADMIN],
        )

    return {"pk": world.once("webhook_endpoint", build).pk}


ROUTES: dict[str, Spec] = {
    "webhooks:list": Spec(roles=ADMINS),
    "webhooks:add": Spec(roles=ADMINS),
    "webhooks:detail": Spec(roles=ADMINS, kwargs=_endpoint),
    "webhooks:edit": Spec(roles=ADMINS, kwargs=_endpoint),
    "webhooks:test": Spec(roles=ADMINS, kwargs=_endpoint, **_POST),
    "webhooks:rotate": Spec(roles=ADMINS, kwargs=_endpoint),
    "webhooks:enable": Spec(roles=ADMINS, kwargs=_endpoint, **_POST),
    "webhooks:delete": Spec(roles=ADMINS, kwargs=_endpoint),
    "api:v1:webhook-endpoint-list": Spec(roles=ADMINS),
    "api:v1:webhook-endpoint-detail": Spec(roles=ADMINS, kwargs=_endpoint),
    "api:v1:webhook-endpoint-deliveries": Spec(roles=ADMINS, kwargs=_endpoint),
    "api:v1:webhook-endpoint-rotate-secret": Spec(roles=ADMINS, kwargs=_endpoint, **_POST),
    "api:v1:webhook-endpoint-enable": Spec(roles=ADMINS, kwargs=_endpoint, **_POST),
    "api:v1:webhook-endpoint-test": Spec(roles=ADMINS, kwargs=_endpoint, **_POST),
}
