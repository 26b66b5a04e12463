from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from audit.models import AuditEntry, AuditEvent, Outcome

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest


class _Agency(Protocol):
    pk: Any
    name: str


class Actor(Protocol):
    """What the trail keeps of a person who acted: agencies.models.User has it. Stated here rather than
    imported, because every app writes to the trail and so the trail imports none of them."""

    pk: Any
    email: str

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def agency(self) -> _Agency | None: ...


@dataclass(frozen=True)
class TargetRef:
    """A target named without loading it (a plain-values row, or an id that matched nothing): the
    model's label ("cases.referral"), its id and the text the trail shows."""

    model_label: str
    pk: Any
    text: str

    @classmethod
    def of(cls, model: type[models.Model], *, pk: Any, text: str) -> TargetRef:
        return cls(model_label=model._meta.label_lower, pk=pk, text=text)


def audit_record(
    *,
    actor: Actor | AnonymousUser | None,
    event: AuditEvent,
    target: models.Model | TargetRef | None = None,
    target_label: str = "",
    outcome: Outcome = Outcome.SUCCESS,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the trail. Call it inside the transaction of the change it records.

    `detail` must never hold free text a person typed: only codes, ids and counts.
    """
    target_type, target_id, target_text = _target_fields(target)
    person = actor if actor is not None and actor.is_authenticated else None
    agency = person.agency if person is not None else None
    # By id: the foreign keys name the project's user and agency models, which this app does not import.
    return AuditEntry.objects.create(
        actor_id=person.pk if person is not None else None,
        actor_email=person.email if person is not None else "",
        agency_id=agency.pk if agency is not None else None,
        agency_name=agency.name if agency is not None else "",
        event=event,
        outcome=outcome,
        target_type=target_type,
        target_id=target_id,
        target_label=(target_label or target_text)[:200],
        ip_address=_client_ip(request),
        detail=detail or {},
    )


def _target_fields(target: models.Model | TargetRef | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, TargetRef):
        return target.model_label, str(target.pk), target.text
    return target._meta.label_lower, str(target.pk), str(target)


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Axes already resolved the client address with the configured proxy count.
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None
