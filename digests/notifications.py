"""Immediate notifications: a registry of kinds (settings.DIGEST_NOTIFICATIONS) and the hook.

An app calls `notification_schedule(kind=..., target_id=...)` inside the transaction of the event:
it writes one ledger row per recipient there, and the task that sends them runs after commit
(through the outbox). The rows are in PostgreSQL before anything is queued, so a broker that loses
its queue loses no notification: the planner enqueues pending rows again.
Whether a person still gets it is decided at send time: switched off, deactivated, or no longer
allowed to see the object, and nothing goes out.

A kind is a class (instantiated once) with `key`, `switch`, `label`, `recipients()` and `build()`
(see NotificationKind), registered by appending its dotted path to DIGEST_NOTIFICATIONS. The
"invitation" notification belongs to meetings: a kind with switch "notify_invitations", whose
service calls `notification_schedule(kind=..., target_id=invitation.pk)` in its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from digests.models import NOTIFICATION_SWITCHES, Delivery
from digests.rendering import NotificationContent
from outbox.services import outbox_enqueue_many

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from agencies.models import User

NOTIFY_TASK = "digests.tasks.notify"  # older outbox rows: fan out and send in the worker
SEND_TASK = "digests.tasks.send_deliveries"


@runtime_checkable
class NotificationKind(Protocol):
    key: str  # "referral_received": the ledger's kind and the unsubscribe stream
    switch: str  # the preference field that turns it off, one of models.NOTIFICATION_SWITCHES

    @property
    def label(self) -> StrOrPromise:
        """Completes "You will no longer receive ...": "notifications of new referrals"."""

    def recipients(self, *, target_id: int) -> Iterable[User]:
        """Who may be told, as the event happens (active people only); rechecked by `build` at send time."""

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        """The content-free message for `person`, or None if they may no longer be told."""


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> dict[str, NotificationKind]:
    kinds: dict[str, NotificationKind] = {}
    for path in paths:
        kind = import_string(path)()
        if not isinstance(kind, NotificationKind) or kind.switch not in NOTIFICATION_SWITCHES:
            raise TypeError(f"{path} is not a digests.notifications.NotificationKind with a known switch")
        if kind.key in kinds or kind.key == "digest":
            raise ValueError(f"Notification kind {kind.key!r} is registered twice or reserved")
        kinds[kind.key] = kind
    return kinds


def registered_notifications() -> dict[str, NotificationKind]:
    return _load(tuple(settings.DIGEST_NOTIFICATIONS))


def notification_kind(key: str) -> NotificationKind:
    try:
        return registered_notifications()[key]
    except KeyError:
        raise ValueError(f"Unknown notification kind {key!r}") from None


def notification_schedule(*, kind: str, target_id: int) -> None:
    """The hook: call it inside the event's transaction. The ledger rows and the outbox row commit
    with the event and are enqueued on commit (by id only); a rolled-back event notifies nobody."""
    ids = notification_fan_out(kind=kind, target_id=int(target_id), now=timezone.now())
    size = settings.DIGEST_BATCH_SIZE
    outbox_enqueue_many(tasks=[(SEND_TASK, [ids[start : start + size]]) for start in range(0, len(ids), size)])


def notification_fan_out(*, kind: str, target_id: int, now: datetime) -> list[int]:
    """One ledger row per recipient (idempotent: a second run adds nothing); returns the rows to send."""
    spec = notification_kind(kind)
    period = f"{kind}:{target_id}"
    rows = [
        Delivery(person_id=person.pk, kind=kind, period=period, target_id=target_id, scheduled_for=now, enqueued_at=now)
        for person in spec.recipients(target_id=target_id)
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Delivery.objects.filter(kind=kind, period=period).values_list("pk", flat=True))
