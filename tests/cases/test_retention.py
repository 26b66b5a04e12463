"""Retention: ended referrals go after REFERRAL_RETENTION_DAYS; everything else stays (cases/retention.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from agencies.models import Agency, User
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from cases.choices import Status
from cases.models import Consent, Referral
from cases.retention import referrals_purge, retention_cutoff
from cases.services import referral_comment, referral_transition
from cases.tasks import referrals_purge_task
from cases.transitions import Move
from reports.models import Report, ReportRelease
from tests.cases.referral_helpers import referral_in, stored_counts
from tests.factories import UserFactory

CHICAGO = ZoneInfo("America/Chicago")
LONG_AGO = datetime(2025, 2, 10, 10, tzinfo=CHICAGO)  # in Q1 2025, more than a year before "now"
NOW = datetime(2026, 12, 4, 12, tzinfo=CHICAGO)
LAST_MONTH = datetime(2026, 11, 4, 12, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def _one_year(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.REFERRAL_RETENTION_DAYS = 365
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def receiver(other_agency: Agency) -> User:
    return UserFactory(agency=other_agency, role=Role.REFERRAL_OFFICER, email="receiver@test.example.org")


def made_at(when: datetime, status: Status, *, sender: User, receiver: User) -> Referral:
    with time_machine.travel(when, tick=False):
        return referral_in(status, sender=sender, receiver=receiver)


def purge(*, dry_run: bool = False):
    return referrals_purge(before=retention_cutoff(), dry_run=dry_run)


def test_it_purges_ended_referrals_with_their_timeline_comments_needs_and_consent(
    officer: User, receiver: User
) -> None:
    closed = made_at(LONG_AGO, Status.CLOSED, sender=officer, receiver=receiver)
    withdrawn = made_at(LONG_AGO, Status.WITHDRAWN, sender=officer, receiver=receiver)
    with time_machine.travel(LONG_AGO, tick=False):
        referral_comment(referral=closed, actor=receiver, body="Placed in shelter.")
    consent_ids = [closed.consent_id, withdrawn.consent_id]
    before = stored_counts()

    counts = purge()

    assert not Referral.objects.filter(pk__in=[closed.pk, withdrawn.pk]).exists()
    assert not Consent.objects.filter(pk__in=consent_ids).exists()
    after = stored_counts()
    assert {name: before[name] - after[name] for name in after if name != "ReferenceSequence.last"} == {
        "Referral": 2,
        "Consent": 2,
        "ReferralNeed": 4,
        "TimelineEvent": 5,  # send, accept, close; send, withdraw
        "Comment": 1,
    }
    assert (counts.referrals, counts.needs, counts.timeline_events, counts.comments, counts.consents) == (2, 4, 5, 1, 2)
    assert counts.by_status_and_year == {"closed 2025": 1, "withdrawn 2025": 1}


def test_it_keeps_open_declined_and_recently_active_referrals(officer: User, receiver: User) -> None:
    kept = [
        made_at(LONG_AGO, Status.SENT, sender=officer, receiver=receiver),
        made_at(LONG_AGO, Status.IN_PROGRESS, sender=officer, receiver=receiver),
        made_at(LONG_AGO, Status.DECLINED, sender=officer, receiver=receiver),  # the sender may still reopen it
        made_at(LAST_MONTH, Status.CLOSED, sender=officer, receiver=receiver),
        made_at(LAST_MONTH, Status.WITHDRAWN, sender=officer, receiver=receiver),
    ]
    commented = made_at(LONG_AGO, Status.CLOSED, sender=officer, receiver=receiver)
    with time_machine.travel(LAST_MONTH, tick=False):
        referral_comment(referral=commented, actor=officer, body="Follow-up call went well.")
    reopened = made_at(LONG_AGO, Status.WITHDRAWN, sender=officer, receiver=receiver)
    with time_machine.travel(LAST_MONTH, tick=False):
        reopened = referral_transition(referral=reopened, actor=officer, move=Move.REOPEN, note="Asked again.")
    before = stored_counts()

    counts = purge()

    assert counts.referrals == 0
    assert stored_counts() == before
    assert Referral.objects.filter(pk__in=[r.pk for r in [*kept, commented, reopened]]).count() == 7


def test_it_changes_nothing_in_a_dry_run(officer: User, receiver: User) -> None:
    made_at(LONG_AGO, Status.CLOSED, sender=officer, receiver=receiver)
    before, trail = stored_counts(), AuditEntry.objects.count()

    counts = purge(dry_run=True)

    assert counts.referrals == 1
    assert counts.timeline_events == 3
    assert stored_counts() == before
    assert AuditEntry.objects.count() == trail


def test_it_leaves_one_audit_row_with_counts_only(officer: User, receiver: User) -> None:
    old = [made_at(LONG_AGO, Status.CLOSED, sender=officer, receiver=receiver) for _ in range(2)]

    purge()
    purge()  # nothing left: no second row

    rows = list(AuditEntry.objects.filter(event=AuditEvent.REFERRALS_PURGED))
    assert len(rows) == 1
    row = rows[0]
    assert row.actor is None
    assert (row.target_type, row.target_id, row.target_label) == ("", "", "")
    assert row.detail == {
        "before": "2025-12-04",
        "retention_days": 365,
        "referrals": 2,
        "needs": 4,
        "timeline_events": 6,
        "comments": 0,
        "consents": 2,
        "by_status_and_year": {"closed 2025": 2},
    }
    text = json.dumps(row.detail)
    for referral in old:
        assert referral.reference_code not in text


def test_it_leaves_approved_reports_and_published_quarters_untouched(
    officer: User, receiver: User, coordinator: User
) -> None:
    from reports.engine import figures_fingerprint
    from reports.periods import period_build
    from reports.selectors import report_content
    from reports.services import report_approve, report_create

    for status in (Status.CLOSED, Status.WITHDRAWN, Status.CLOSED):
        made_at(LONG_AGO, status, sender=officer, receiver=receiver)
    draft = report_create(
        actor=coordinator, period=period_build(kind="quarter", year=2025, part=1), measures=["referrals_by_month"]
    )
    report = report_approve(report=draft, actor=coordinator, reviewed=figures_fingerprint(report_content(report=draft)))
    frozen = list(Report.objects.values_list("id", "content", "content_hash"))
    releases = list(ReportRelease.objects.values_list("id", "content", "content_hash"))
    assert releases

    assert purge().referrals == 3

    assert list(Report.objects.values_list("id", "content", "content_hash")) == frozen
    assert list(ReportRelease.objects.values_list("id", "content", "content_hash")) == releases
    assert report_content(report=Report.objects.get(pk=report.pk)) == json.loads(report.content)


def test_the_command_dry_run_lists_counts_per_status_and_year_never_codes(officer: User, receiver: User) -> None:
    old = made_at(LONG_AGO, Status.WITHDRAWN, sender=officer, receiver=receiver)
    out = StringIO()

    call_command("purge_referrals", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Would delete 1 referrals, 2 needs, 2 timeline events, 0 comments and 1 consent records." in text
    assert "withdrawn 2025: 1" in text
    assert old.reference_code not in text
    assert Referral.objects.filter(pk=old.pk).exists()


def test_the_daily_beat_task_purges(officer: User, receiver: User) -> None:
    old = made_at(LONG_AGO, Status.CLOSED, sender=officer, receiver=receiver)
    entry = settings.CELERY_BEAT_SCHEDULE["cases-purge-ended-referrals"]
    assert entry["task"] == referrals_purge_task.name

    assert referrals_purge_task.delay().get() == 1
    assert not Referral.objects.filter(pk=old.pk).exists()
