"""Two sweeps at once (two Celery workers, or beat fired twice) escalate each referral once: on PostgreSQL,
each sweep in its own thread and database connection, started together."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from cases.escalation import Escalated, referrals_escalate
from cases.models import Referral
from digests.models import Delivery
from tests.cases.referral_helpers import send
from tests.factories import UserFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True)]

REFERRALS = 30
ROUNDS = 3


def _sweeps_at_once(now_a, now_b) -> list[Escalated]:
    """Both sweeps start at the same instant; each has its own `now`, so that a referral escalated twice
    would leave two ledger rows per person (their events differ), not one swallowed by the unique key."""
    start = threading.Barrier(2)
    results: list[Escalated] = []
    errors: list[BaseException] = []

    def run(now) -> None:
        try:
            start.wait()
            results.append(referrals_escalate(now=now))
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(now,)) for now in (now_a, now_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_sweeps_at_once_tell_each_person_once_per_step(officer, outsider_officer, outsider, coordinator):
    second_admin = UserFactory(agency=outsider_officer.agency, role=Role.AGENCY_ADMIN)
    for round_number in range(ROUNDS):
        referrals = [send(officer, outsider_officer.agency, urgency="emergency") for _ in range(REFERRALS)]
        ids = sorted(referral.pk for referral in referrals)
        Referral.objects.filter(pk__in=ids).update(awaiting_since=timezone.now() - timedelta(hours=3))
        now = timezone.now()

        step1 = _sweeps_at_once(now, now + timedelta(seconds=1))
        assert sorted(pk for result in step1 for pk in result.to_admins) == ids, round_number

        Referral.objects.filter(pk__in=ids).update(escalated_to_admins_at=now - timedelta(hours=3))
        step2 = _sweeps_at_once(now + timedelta(seconds=2), now + timedelta(seconds=3))
        assert sorted(pk for result in step2 for pk in result.to_cochairs) == ids, round_number

        for pk in ids:
            admins = Delivery.objects.filter(kind="referral_escalated_admins", target_id=pk)
            assert sorted(admins.values_list("person_id", flat=True)) == sorted([outsider.pk, second_admin.pk])
            cochairs = Delivery.objects.filter(kind="referral_escalated_cochairs", target_id=pk)
            assert list(cochairs.values_list("person_id", flat=True)) == [coordinator.pk]
            steps = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_ESCALATED, target_id=str(pk))
            assert sorted(step["step"] for step in steps.values_list("detail", flat=True)) == ["admins", "cochairs"]
    sent = [message.to[0] for message in mail.outbox if "has had no answer" in message.subject]
    assert len(sent) == ROUNDS * REFERRALS * 3  # two administrators, then one co-chair, per referral
