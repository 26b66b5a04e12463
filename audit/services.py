from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from audit.models import AuditEntry, AuditEvent, Outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from agencies.models import User


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    event: AuditEvent,
    target: models.Model | None = None,
    target_label: str = "",
    outcome: Outcome = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the trail. Call it inside the transaction of the change it records.

    `detail` must never hold free text a person typed: only codes, ids and counts.
    """
    person = actor if actor is not None and actor.is_authenticated else None
    agency = person.agency if person is not None else None
    return AuditEntry.objects.create(
        actor=person,
        actor_email=person.email if person is not None else "",
        agency=agency,
        agency_name=agency.name if agency is not None else "",
        event=event,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or str(target))[:200] if target is not None else target_label[:200],
        ip_address=_client_ip(request),
        detail=detail or {},
    )


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Axes already resolved the client address with the configured proxy count.
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None
