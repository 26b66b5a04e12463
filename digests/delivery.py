"""Sending ledger rows: claim under row locks, compose at send time, send, mark sent in one transaction.

The protocol, for one batch of ledger ids (a task may run twice, or two workers may run the same batch):

1. Claim: in a short transaction, lock the batch's rows that are pending, or "sending" but claimed
   longer than DIGEST_CLAIM_TIMEOUT ago (a killed worker's), with SKIP LOCKED; mark them "sending"
   with a fresh claim id and count the attempt. Commit. A row whose attempts are spent becomes "failed".
   While it sends, the worker refreshes claimed_at of the rows it still holds every third of the
   timeout (a heartbeat), so the timeout can be short (30 s) and a dead worker's rows are picked up
   by the outbox sweep within about a minute. A live worker stuck longer than that on one message
   loses the rest of its batch to another worker, never a message twice: the row being sent is
   locked (SKIP LOCKED passes it by), and the others fail its claim check (step 2).
2. For each claimed row, one transaction: mark it "sent" if our claim is still on it (that UPDATE
   takes the row lock); check the person (active, agency active, still subscribed) and compose the
   message from what the person may see NOW; hand it to SMTP; commit. An SMTP error rolls it back.

Exactly-once: a row is sent only by the transaction that holds its lock and its claim, and the
mark "sent" commits right after the SMTP server accepted the message (250 after DATA). The one
window left is between that 250 and the COMMIT (one round trip to PostgreSQL): a worker killed
exactly there leaves the row "sending", it is reclaimed after the timeout and sent again with the
same Message-ID. SMTP offers no two-phase commit, so that window cannot be closed, only kept short.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from smtplib import SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from digests.models import DIGEST_KIND, Delivery, DeliveryStatus, Frequency, TaskForceDigestDefaults
from digests.notifications import notification_kind
from digests.rendering import UnsafeContent, digest_message, notification_message
from digests.sections import DigestWindow, digest_sections_build
from digests.selectors import effective_settings
from toolkit.mail import in_language

logger = logging.getLogger(__name__)


class TransientSendError(Exception):
    """The SMTP server or the network failed for a while: the batch is released and retried."""


@dataclass
class SendReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    lost: int = 0  # claimed by someone else meanwhile: not ours to send

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass(frozen=True)
class Skip:
    reason: str


class _Mailer:
    """One SMTP connection per batch, opened at the first message that is really sent."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        if self.connection.send_messages([message]) != 1:
            raise SMTPResponseException(451, "the message was not sent")

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError):
                self.connection.close()


def deliveries_send(*, ids: Sequence[int]) -> SendReport:
    """Send these ledger rows (idempotent). Raises TransientSendError after releasing what is left."""
    token = uuid.uuid4()
    claimed = _claim(ids=ids, token=token)
    report = SendReport()
    mailer = _Mailer()
    defaults = TaskForceDigestDefaults.current()
    # The people as they are now, after the claim: deactivated, unsubscribed or moved meanwhile, it shows.
    rows = Delivery.objects.select_related("person", "person__agency", "person__digest_preference").in_bulk(claimed)
    heartbeat = _Heartbeat(token=token)
    try:
        for index, pk in enumerate(claimed):
            heartbeat.beat(pks=claimed[index:])
            try:
                report.add(_send_one(row=rows[pk], token=token, mailer=mailer, defaults=defaults))
            except UnsafeContent:
                logger.error("Delivery %s refused: its content held a reference code", pk)
                _finish(pk=pk, token=token, status=DeliveryStatus.FAILED, detail="unsafe_content")
                report.failed += 1
            except OSError as error:  # smtplib's errors are OSErrors, like refused connections
                if _is_permanent(error):
                    _finish(pk=pk, token=token, status=DeliveryStatus.FAILED, detail=error.__class__.__name__)
                    report.failed += 1
                    continue
                _release(pks=claimed[index:], token=token)
                raise TransientSendError(error.__class__.__name__) from error
            except Exception:
                # A bug in one person's digest must not hold back the batch: retried later, counted.
                logger.exception("Delivery %s could not be composed", pk)
                _release(pks=[pk], token=token)
                report.failed += 1
    finally:
        mailer.close()
    return report


class _Heartbeat:
    """Keeps a live worker's claims fresh: every third of the claim timeout, between two messages."""

    def __init__(self, *, token: uuid.UUID) -> None:
        self.token = token
        self.last = time.monotonic()

    def beat(self, *, pks: Sequence[int]) -> None:
        if time.monotonic() - self.last < settings.DIGEST_CLAIM_TIMEOUT.total_seconds() / 3:
            return
        self.last = time.monotonic()
        Delivery.objects.filter(pk__in=list(pks), claim=self.token, status=DeliveryStatus.SENDING).update(
            claimed_at=timezone.now()
        )


def _claim(*, ids: Sequence[int], token: uuid.UUID) -> list[int]:
    now = timezone.now()
    claimable = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - settings.DIGEST_CLAIM_TIMEOUT
    )
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(claimable, pk__in=list(ids))
            .order_by("pk")
            .values_list("pk", "attempts")
        )
        spent = [pk for pk, attempts in rows if attempts >= settings.DIGEST_MAX_ATTEMPTS]
        usable = [pk for pk, attempts in rows if attempts < settings.DIGEST_MAX_ATTEMPTS]
        if spent:
            Delivery.objects.filter(pk__in=spent).update(status=DeliveryStatus.FAILED, detail="too_many_attempts")
        if usable:
            Delivery.objects.filter(pk__in=usable).update(
                status=DeliveryStatus.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
            )
    return usable


def _send_one(*, row: Delivery, token: uuid.UUID, mailer: _Mailer, defaults: TaskForceDigestDefaults) -> str:
    with transaction.atomic():
        # One statement takes the row's lock, checks that the claim is still ours, and marks it sent;
        # the mark commits only if the SMTP server accepts the message below.
        if not _mark_sent(pk=row.pk, token=token):
            return "lost"  # reclaimed by another worker after our claim timed out: theirs to send
        composed = _compose(row=row, defaults=defaults)
        if isinstance(composed, Skip):
            Delivery.objects.filter(pk=row.pk).update(
                status=DeliveryStatus.SKIPPED, sent_at=None, detail=composed.reason
            )
            return "skipped"
        mailer.send(composed)  # raises on failure: the mark is rolled back
    return "sent"


def _mark_sent(*, pk: int, token: uuid.UUID) -> bool:
    # The hot path of a fan-out: one static statement rather than a query built per message.
    with connection.cursor() as cursor:
        sent_at = Delivery._meta.get_field("sent_at").get_db_prep_value(timezone.now(), connection)
        claim = Delivery._meta.get_field("claim").get_db_prep_value(token, connection)
        cursor.execute(_MARK_SENT, [DeliveryStatus.SENT, sent_at, pk, claim, DeliveryStatus.SENDING])
        return cursor.rowcount == 1


_MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, detail = '' "  # noqa: S608 - constants only
    "WHERE id = %s AND claim = %s AND status = %s"
)


def _compose(*, row: Delivery, defaults: TaskForceDigestDefaults) -> EmailMessage | Skip:
    """The message for this row from what its person may see now, or why nothing is sent.

    Built in the person's language: the sections and notification texts of other apps are rendered here."""
    with in_language(row.person):
        return _compose_in_language(row=row, defaults=defaults)


def _compose_in_language(*, row: Delivery, defaults: TaskForceDigestDefaults) -> EmailMessage | Skip:
    person = row.person
    if not person.is_active or person.agency is None or not person.agency.is_active:
        return Skip("inactive")
    chosen = effective_settings(person=person, defaults=defaults)
    if row.kind == DIGEST_KIND:
        if chosen.frequency == Frequency.NEVER:
            return Skip("unsubscribed")
        # The planner writes both ends of the window of every digest row.
        assert row.window_start is not None and row.window_end is not None
        window = DigestWindow(start=row.window_start, end=row.window_end, now=timezone.now())
        sections = digest_sections_build(person=person, window=window)
        if not sections:
            return Skip("empty")
        frequency = row.period.split(":", 1)[0]
        return digest_message(person=person, sections=sections, window=window, frequency=frequency, delivery=row)
    try:
        kind = notification_kind(row.kind)
    except ValueError:
        return Skip("unknown_kind")
    if not getattr(chosen, kind.switch):
        return Skip("switched_off")
    # notification_fan_out writes a target on every notification row; without one there is nothing to
    # show, as when the target is gone.
    content = None if row.target_id is None else kind.build(person=person, target_id=row.target_id)
    if content is None:
        return Skip("not_visible")
    return notification_message(person=person, kind=row.kind, content=content, delivery=row)


def _is_permanent(error: OSError) -> bool:
    """A 5xx answer is final for that message; anything else (4xx, a dropped connection) may pass later."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def _finish(*, pk: int, token: uuid.UUID, status: str, detail: str) -> None:
    Delivery.objects.filter(pk=pk, claim=token).update(status=status, detail=detail[:60])


def _release(*, pks: Sequence[int], token: uuid.UUID) -> None:
    """Give rows back for a later attempt (the task's retry, or the planner's re-enqueue)."""
    Delivery.objects.filter(pk__in=list(pks), claim=token, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, claim=None, claimed_at=None, enqueued_at=timezone.now()
    )
