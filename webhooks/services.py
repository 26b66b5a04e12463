"""Writes of webhooks: an agency administrator's endpoints, and the deliveries of referral events.

Deliveries are rows written in the transaction of the referral change (through the receiver of
cases.signals.referral_event), each with an outbox row naming DELIVER_TASK: the HTTP attempt runs
after commit, in a worker (webhooks/delivery.py). A failed attempt is retried by the sweep
(`webhook_deliveries_enqueue_due`, run by beat), after the delays of WEBHOOK_RETRY_SCHEDULE.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from cases.choices import Status
from cases.deidentification import IdentifierKind
from cases.services import guard_free_text
from outbox.services import outbox_enqueue_many
from webhooks.addresses import url_check_form, url_resolve
from webhooks.models import OPEN_STATUSES, TEST_EVENT, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.payloads import ping_payload, referral_payload

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import Referral

DELIVER_TASK = "webhooks.tasks.deliver_webhook"
DESCRIPTION_MAX_LENGTH = 200

# cases.signals.REFERRAL_EVENTS that an agency's system hears of: the webhook event, and whose
# endpoints get it (the agency on that side of the referral).
REFERRAL_EVENT_ROUTES: dict[str, tuple[WebhookEvent, str]] = {
    "sent": (WebhookEvent.RECEIVED, "receiving_agency_id"),
    "accept": (WebhookEvent.ACCEPTED, "sending_agency_id"),
    "decline": (WebhookEvent.DECLINED, "sending_agency_id"),
    "close": (WebhookEvent.CLOSED, "sending_agency_id"),
    "consent_revoked": (WebhookEvent.CONSENT_WITHDRAWN, "receiving_agency_id"),
}


# --- endpoints, by an agency administrator ------------------------------------------------------


def webhook_endpoint_create(*, actor: User, url: str, description: str, events: Sequence[str]) -> WebhookEndpoint:
    """Registers an endpoint of the actor's agency with a new secret (on the returned row: show it once).

    Refusals: PermissionDenied for a role that does not manage webhooks; ValidationError keyed by
    "url", "description" or "events" (an address that is not HTTPS, or leads into a private network).
    """
    _check_may_manage(actor)
    agency = actor.member_agency
    clean_events = _clean_events(events)
    description = _clean_description(description)
    url = _url_field(url_check_form, url)  # its form first: a clearer refusal than the guard's
    guard_free_text(
        actor=actor,
        fields={"url": url, "description": description},
        allow_in={"url": frozenset({IdentifierKind.URL, IdentifierKind.IP_ADDRESS})},
    )
    _url_field(url_resolve, url)
    with transaction.atomic():
        # The agency's row locked: two additions at once cannot both pass the limit.
        Agency.objects.select_for_update().get(pk=agency.pk)
        if WebhookEndpoint.objects.filter(agency=agency).count() >= settings.WEBHOOK_MAX_ENDPOINTS_PER_AGENCY:
            limit = settings.WEBHOOK_MAX_ENDPOINTS_PER_AGENCY
            raise ValidationError(
                _("Your agency already has %(limit)d endpoints, the most it may have. Delete one first.")
                % {"limit": limit}
            )
        endpoint = WebhookEndpoint.objects.create(
            agency=agency,
            url=url,
            description=description,
            events=clean_events,
            secret=_new_secret(),
            secret_changed_at=timezone.now(),
            created_by=actor,
        )
        audit_record(actor=actor, event=AuditEvent.WEBHOOK_ADDED, target=endpoint, detail={"events": clean_events})
    return endpoint


def webhook_endpoint_update(
    *, actor: User, endpoint: WebhookEndpoint, events: Sequence[str] | None = None, description: str | None = None
) -> WebhookEndpoint:
    """Changes what the endpoint subscribes to and its description (its address stays: add another)."""
    _check_may_manage(actor, endpoint)
    changes: dict[str, Any] = {}
    if events is not None:
        changes["events"] = _clean_events(events)
    if description is not None:
        changes["description"] = _clean_description(description)
        guard_free_text(actor=actor, fields={"description": changes["description"]})
    with transaction.atomic():
        locked = _locked(endpoint)
        changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                event=AuditEvent.WEBHOOK_CHANGED,
                target=locked,
                detail={"fields": sorted(changed), "events": locked.events},
            )
    return locked


def webhook_endpoint_delete(*, actor: User, endpoint: WebhookEndpoint) -> None:
    """Deletes the endpoint and its delivery log; nothing more is sent to it."""
    _check_may_manage(actor, endpoint)
    with transaction.atomic():
        locked = _locked(endpoint)
        audit_record(actor=actor, event=AuditEvent.WEBHOOK_DELETED, target=locked, detail={"events": locked.events})
        locked.delete()


def webhook_secret_rotate(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret signs from now on (on the returned row: show it once). The old one also signs for
    WEBHOOK_SECRET_ROTATION_GRACE, so that the agency's system keeps verifying while it switches over."""
    _check_may_manage(actor, endpoint)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(endpoint)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = now + settings.WEBHOOK_SECRET_ROTATION_GRACE
        locked.secret, locked.secret_changed_at = _new_secret(), now
        locked.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "secret_changed_at", "updated_at"]
        )
        audit_record(actor=actor, event=AuditEvent.WEBHOOK_SECRET_ROTATED, target=locked)
    return locked


def webhook_endpoint_enable(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Turns a disabled endpoint back on, with its count of failures at zero. Events that happened
    while it was off are not sent again."""
    _check_may_manage(actor, endpoint)
    with transaction.atomic():
        locked = _locked(endpoint)
        if not locked.is_active:
            locked.is_active, locked.disabled_at, locked.disabled_reason = True, None, ""
            locked.consecutive_failures = 0
            locked.save(
                update_fields=["is_active", "disabled_at", "disabled_reason", "consecutive_failures", "updated_at"]
            )
            audit_record(actor=actor, event=AuditEvent.WEBHOOK_ENABLED, target=locked)
    return locked


def webhook_test_send(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queues a signed test event to the endpoint; it shows in the delivery log like any other."""
    _check_may_manage(actor, endpoint)
    with transaction.atomic():
        locked = _locked(endpoint)
        if not locked.is_active:
            raise ValidationError(_("This endpoint is turned off. Turn it back on first, then send a test event."))
        [delivery] = _deliveries_create([locked], event=TEST_EVENT, payload=ping_payload(at=timezone.now()))
        audit_record(actor=actor, event=AuditEvent.WEBHOOK_TEST_SENT, target=locked)
    return delivery


def _check_may_manage(actor: User, endpoint: WebhookEndpoint | None = None) -> None:
    if not actor.can(Action.MANAGE_WEBHOOKS) or actor.agency_id is None:
        raise PermissionDenied(_("Your agency's administrators manage its webhooks."))
    if endpoint is not None and endpoint.agency_id != actor.agency_id:
        raise PermissionDenied(_("You manage your own agency's webhooks only."))


def _url_field(check: Callable[[str], object], url: str) -> str:
    """Runs a check of webhooks/addresses.py, its refusal keyed by the "url" field."""
    try:
        check(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    return url.strip()


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = set(events)
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event to receive.")})
    if chosen - set(WebhookEvent.values):
        raise ValidationError({"events": _("The events are: %(events)s.") % {"events": ", ".join(WebhookEvent.values)}})
    return [event for event in WebhookEvent.values if event in chosen]


def _clean_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {"description": _("Keep the description to %(limit)d characters.") % {"limit": DESCRIPTION_MAX_LENGTH}}
        )
    return description


def _new_secret() -> str:
    """Standard Webhooks' format: "whsec_" and the base64 of 32 random bytes (a 256-bit HMAC key)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


# --- deliveries ----------------------------------------------------------------------------------


def webhook_referral_event_record(*, referral: Referral, event: str) -> list[WebhookDelivery]:
    """Call inside the transaction of the referral change: a delivery row per subscribed endpoint of the
    agency on the event's side, and its outbox row, committed (or rolled back) with the change."""
    if event == "reopen" and referral.status == Status.SENT:
        event = "sent"  # the sender resent it: for the receiver's system it arrives again, like a new one
    route = REFERRAL_EVENT_ROUTES.get(event)
    if route is None:
        return []
    webhook_event, side = route
    agency_id = getattr(referral, side)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(agency_id=agency_id, is_active=True)
        # Filtered here, not in SQL: JSON "contains" is not portable, and an agency has a few endpoints.
        if webhook_event.value in endpoint.events
    ]
    if not endpoints:
        return []
    payload = referral_payload(referral=referral, event=webhook_event, at=timezone.now())
    return _deliveries_create(endpoints, event=webhook_event.value, payload=payload, referral=referral)


def _deliveries_create(
    endpoints: Sequence[WebhookEndpoint], *, event: str, payload: dict[str, Any], referral: Referral | None = None
) -> list[WebhookDelivery]:
    rows = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint, event=event, message_id=_new_message_id(), referral=referral, payload=payload
            )
            for endpoint in endpoints
        ]
    )
    outbox_enqueue_many(tasks=[(DELIVER_TASK, [row.pk]) for row in rows])
    return rows


def _new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def webhook_deliveries_forget(*, now: datetime | None = None) -> int:
    """Deletes the log rows of deliveries finished longer ago than WEBHOOK_LOG_KEEP; returns how many."""
    cutoff = (now or timezone.now()) - settings.WEBHOOK_LOG_KEEP
    deleted, _by_model = WebhookDelivery.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


def webhook_deliveries_enqueue_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: queues every delivery whose retry (or abandoned attempt's lease) is due; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so that two sweeps (two beats by mistake) do not queue the same delivery twice.
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status__in=OPEN_STATUSES, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            # Null: queued. The attempt takes it only while it is queued or due (webhooks/delivery.py).
            WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=None)
            outbox_enqueue_many(tasks=[(DELIVER_TASK, [pk]) for pk in ids])
    return len(ids)
