"""Sending: exactly once per ledger row, however often a task runs; retries; stops at send time."""

from __future__ import annotations

import smtplib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from agencies.roles import Role
from cases.services import consent_revoke
from digests.delivery import TransientSendError, deliveries_send
from digests.models import Delivery, DeliveryStatus, DigestPreference
from digests.planner import digests_plan
from digests.tasks import send_deliveries
from tests.cases.referral_helpers import send
from tests.digests.backends import CountingBackend, FlakyBackend
from tests.digests.helpers import digest_rows, prefer, sent_to
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]

SATURDAY_0730 = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)


@pytest.fixture
def due(officer, outsider_officer) -> Delivery:
    """The officer's daily digest is due, and a referral is waiting for their agency."""
    prefer(officer, hour=7)
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    (row,) = digest_rows(officer)
    return row


def _status(row: Delivery) -> tuple[str, str]:
    row.refresh_from_db()
    return row.status, row.detail


def test_it_sends_a_due_digest_once_when_the_task_runs_twice(due, officer):
    send_deliveries.delay([due.pk])
    send_deliveries.delay([due.pk])
    deliveries_send(ids=[due.pk])
    assert len(sent_to(officer.email)) == 1
    due.refresh_from_db()
    assert (due.status, due.attempts) == (DeliveryStatus.SENT, 1)
    assert due.sent_at is not None


def test_it_sends_a_batch_over_one_connection(settings, officer, outsider_officer):
    settings.EMAIL_BACKEND = "tests.digests.backends.CountingBackend"
    people = [prefer(UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER)) for _ in range(5)]
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    report = deliveries_send(ids=[row.pk for row in digest_rows()])
    assert report.sent == 5
    assert len(mail.outbox) == 5 and CountingBackend.opened == 1
    assert {message.to[0] for message in mail.outbox} == {person.email for person in people}


def test_it_opens_no_connection_when_nothing_is_sent(settings, member):
    settings.EMAIL_BACKEND = "tests.digests.backends.CountingBackend"
    prefer(member)
    digests_plan(now=SATURDAY_0730)
    report = deliveries_send(ids=[row.pk for row in digest_rows()])
    assert (report.sent, report.skipped, CountingBackend.opened) == (0, 1, 0)


def test_it_does_not_send_an_empty_digest(member):
    prefer(member)  # a member sees no referrals, and there is nothing else yet
    digests_plan(now=SATURDAY_0730)
    (row,) = digest_rows(member)
    deliveries_send(ids=[row.pk])
    assert mail.outbox == []
    assert _status(row) == (DeliveryStatus.SKIPPED, "empty")


def test_it_stops_a_pending_digest_when_the_person_is_deactivated(due, officer):
    officer.is_active = False
    officer.save()
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.SKIPPED, "inactive")


def test_it_stops_a_pending_digest_when_access_is_revoked(due, officer):
    officer.role = Role.MEMBER  # no longer handles referrals: the counts are not theirs to see
    officer.save()
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.SKIPPED, "empty")


def test_it_stops_a_pending_digest_when_consent_ends_before_it_is_sent(due, officer, outsider_officer):
    from cases.models import Referral

    consent_revoke(referral=Referral.objects.get(), actor=outsider_officer)
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.SKIPPED, "empty")


def test_it_stops_a_pending_digest_when_the_person_unsubscribed_meanwhile(due, officer):
    DigestPreference.objects.filter(person=officer).update(frequency="never")
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.SKIPPED, "unsubscribed")


def test_it_reclaims_the_row_of_a_worker_killed_mid_run(due, officer, settings):
    # A worker claimed the row, then died before sending: its claim is older than the timeout.
    stale = timezone.now() - settings.DIGEST_CLAIM_TIMEOUT - timedelta(seconds=1)
    Delivery.objects.filter(pk=due.pk).update(status="sending", claim=uuid.uuid4(), claimed_at=stale, attempts=1)
    deliveries_send(ids=[due.pk])
    assert len(sent_to(officer.email)) == 1
    due.refresh_from_db()
    assert (due.status, due.attempts) == (DeliveryStatus.SENT, 2)


def test_it_leaves_alone_a_row_that_a_live_worker_is_sending(due):
    Delivery.objects.filter(pk=due.pk).update(status="sending", claim=uuid.uuid4(), claimed_at=timezone.now())
    report = deliveries_send(ids=[due.pk])
    assert (report.sent, mail.outbox) == (0, [])
    assert _status(due)[0] == DeliveryStatus.SENDING


def test_it_does_not_send_a_row_whose_claim_was_taken_over(due, officer, monkeypatch):
    """A slow worker whose claim expired and was taken over skips the row: the new claimant sends it."""
    import digests.delivery as delivery

    real_claim = delivery._claim

    def claim_then_lose_it(**kwargs: object) -> list[int]:
        claimed = real_claim(**kwargs)
        Delivery.objects.filter(pk__in=claimed).update(claim=uuid.uuid4())
        return claimed

    monkeypatch.setattr(delivery, "_claim", claim_then_lose_it)
    report = deliveries_send(ids=[due.pk])
    assert (report.sent, report.lost, mail.outbox) == (0, 1, [])


def test_it_retries_a_temporary_smtp_failure_with_backoff_and_sends_each_digest_once(
    settings, officer, outsider_officer, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    people = [prefer(UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER)) for _ in range(3)]
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    ids = [row.pk for row in digest_rows()]
    FlakyBackend.errors = [smtplib.SMTPServerDisconnected("gone")]
    retries: list[dict] = []
    monkeypatch.setattr(send_deliveries, "retry", lambda **kwargs: retries.append(kwargs) or Retry())
    with pytest.raises(Retry):
        send_deliveries.run(ids)  # as a worker runs it: the first message meets a dropped connection
    assert retries[0]["countdown"] <= 30 and isinstance(retries[0]["exc"], TransientSendError)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    FlakyBackend.errors = [smtplib.SMTPResponseException(421, b"busy")]
    with pytest.raises(Retry):
        send_deliveries.run(ids)  # the broker delivers the retry: the server says "try again later"
    send_deliveries.run(ids)  # and again: now it goes through
    send_deliveries.run(ids)  # a duplicate delivery of the task changes nothing
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in people)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", "attempts")) == {(DeliveryStatus.SENT, 3)}


def test_it_leaves_an_in_process_failure_to_the_outbox_sweeper(settings, due):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    FlakyBackend.errors = [smtplib.SMTPServerDisconnected("gone")]
    with pytest.raises(TransientSendError):
        send_deliveries.delay([due.pk])  # eager: no broker to retry through
    assert _status(due)[0] == DeliveryStatus.PENDING


def test_it_releases_the_rest_of_the_batch_when_the_server_is_down(settings, officer, outsider_officer):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    FlakyBackend.errors = [ConnectionRefusedError(111, "refused")]
    prefer(officer)
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    (row,) = digest_rows(officer)
    with pytest.raises(TransientSendError):
        deliveries_send(ids=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.claim, row.attempts) == (DeliveryStatus.PENDING, None, 1)
    deliveries_send(ids=[row.pk])
    assert len(sent_to(officer.email)) == 1


def test_it_fails_a_refused_recipient_and_sends_the_rest(settings, officer, colleague, outsider_officer):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    FlakyBackend.refused = {colleague.email}
    prefer(officer)
    prefer(colleague)
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    report = deliveries_send(ids=[row.pk for row in digest_rows()])
    assert (report.sent, report.failed) == (1, 1)
    assert _status(digest_rows(colleague)[0]) == (DeliveryStatus.FAILED, "SMTPRecipientsRefused")
    assert len(sent_to(officer.email)) == 1


def test_it_gives_up_after_the_maximum_number_of_attempts(due, settings):
    Delivery.objects.filter(pk=due.pk).update(attempts=settings.DIGEST_MAX_ATTEMPTS)
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.FAILED, "too_many_attempts")


class _LeakySection:
    key = "leaky"
    title = "A section written carelessly"

    def build(self, *, person, window):
        from digests.sections import DigestItem, SectionContent

        return SectionContent(key=self.key, title=self.title, items=[DigestItem(text="See JUN-2026-00042")])


def test_it_refuses_to_send_a_digest_that_holds_a_reference_code(due, settings, officer):
    settings.DIGEST_SECTIONS = [*settings.DIGEST_SECTIONS, "tests.digests.test_delivery._LeakySection"]
    deliveries_send(ids=[due.pk])
    assert mail.outbox == []
    assert _status(due) == (DeliveryStatus.FAILED, "unsafe_content")


class _BrokenSection:
    key = "broken"
    title = "Broken"

    def build(self, *, person, window):
        raise RuntimeError("a bug")


def test_it_keeps_sending_the_batch_when_one_digest_cannot_be_composed(settings, officer, colleague, outsider_officer):
    prefer(officer)
    prefer(colleague)
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    settings.DIGEST_SECTIONS = [*settings.DIGEST_SECTIONS, "tests.digests.test_delivery._BrokenSection"]
    report = deliveries_send(ids=[row.pk for row in digest_rows()])
    assert (report.sent, report.failed) == (0, 2)
    assert {row.status for row in digest_rows()} == {DeliveryStatus.PENDING}  # retried later, attempts counted


def test_it_does_not_mark_a_digest_sent_when_smtp_refuses_it(due, settings):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    FlakyBackend.errors = [smtplib.SMTPDataError(554, b"rejected")]
    deliveries_send(ids=[due.pk])
    due.refresh_from_db()
    assert (due.status, due.sent_at, due.detail) == (DeliveryStatus.FAILED, None, "SMTPDataError")


def test_it_sends_a_dead_workers_claim_within_about_a_minute(due, officer):
    """A worker claimed the batch 70 s ago and was SIGKILLed: the minute's sweep gets it sent, once."""
    from digests.tasks import sweep_outbox
    from tests.digests.helpers import after_commit

    Delivery.objects.exclude(pk=due.pk).delete()  # the referral's notification: not this test's
    claimed = timezone.now() - timedelta(seconds=70)
    Delivery.objects.filter(pk=due.pk).update(
        status="sending", claim=uuid.uuid4(), claimed_at=claimed, enqueued_at=claimed, attempts=1
    )
    with after_commit():
        sweep_outbox()
    assert len(sent_to(officer.email)) == 1
    assert _status(due)[0] == DeliveryStatus.SENT
    with after_commit():
        sweep_outbox()
    assert len(sent_to(officer.email)) == 1


class _SlowBackend(mail.backends.locmem.EmailBackend):
    """Takes 0.25 s per message and notes how old the oldest claim of the batch was meanwhile."""

    ages: list[float] = []

    def send_messages(self, messages):
        import time

        claims = Delivery.objects.filter(status="sending").values_list("claimed_at", flat=True)
        if claims:  # the batch's rows not sent yet
            type(self).ages.append((timezone.now() - min(claims)).total_seconds())
        time.sleep(0.25)
        return super().send_messages(messages)


def test_it_keeps_its_claim_fresh_while_a_long_batch_is_sent(settings, officer, outsider_officer, monkeypatch):
    """A live worker's batch outlasting the claim timeout is not taken for a dead worker's."""
    settings.EMAIL_BACKEND = f"{__name__}._SlowBackend"
    settings.DIGEST_CLAIM_TIMEOUT = timedelta(seconds=0.4)
    monkeypatch.setattr(_SlowBackend, "ages", [])
    people = [prefer(UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER)) for _ in range(5)]
    send(outsider_officer, officer.agency)
    digests_plan(now=SATURDAY_0730)
    report = deliveries_send(ids=[row.pk for row in digest_rows()])
    assert report.sent == len(people)
    assert max(_SlowBackend.ages) < 0.4, _SlowBackend.ages
