"""Report pages and services: drafts, approval and frozen snapshots, audit, who may reach what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from audit.models import Outcome as AuditOutcome
from cases.models import Referral
from reports.engine import FiguresChanged, figures_fingerprint
from reports.models import Report, ReportStatus, SnapshotImmutable
from reports.selectors import report_content, snapshot_content
from reports.services import report_approve
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.reports.conftest import ALL_MEASURES, approve, draft

pytestmark = pytest.mark.django_db


def test_it_shows_a_grant_manager_the_dashboard_with_a_chart_and_a_table_beside_it(as_grant_manager, quarter):
    page = as_grant_manager.get(reverse("reports:dashboard")).content.decode()
    assert 'alt="Column chart of the number of referrals sent each month' in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "<caption" in page and "Referrals by month" in page
    assert "How to read the figures" in page
    assert "No report has been approved yet" in page


def test_it_shows_a_coordinator_the_drafts_awaiting_approval(coordinator, grant_manager):
    report = draft(grant_manager)
    page = client_for(coordinator).get(reverse("reports:dashboard")).content.decode()
    assert "Drafts awaiting your approval" in page and reverse("reports:detail", args=[report.pk]) in page


def test_it_builds_a_draft_from_the_form_and_audits_it(as_grant_manager, grant_manager, quarter):
    data = {"kind": "quarter", "year": "2025", "quarter": "1", "measures": ["trafficking_type", "gender"]}
    response = as_grant_manager.post(reverse("reports:new"), data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == ("2025-01-01", "2025-03-31")
    assert report.measures == ["trafficking_type", "gender"] and report.status == ReportStatus.DRAFT
    row = AuditEntry.objects.get(event=AuditEvent.REPORT_SAVED)
    assert row.actor == grant_manager and row.detail["measures"] == ["trafficking_type", "gender"]
    page = as_grant_manager.get(response["Location"]).content.decode()
    assert "Grant report, 2025 Q1 (January-March 2025)" in page and "&lt;11" in page
    assert "Approve and freeze" not in page  # grant managers do not approve


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "custom", "start": "2025-03-01", "end": "2025-02-01"}, "The last day must be on or after the first"),
        ({"kind": "quarter", "year": "2025", "quarter": ""}, "Choose the quarter"),
        ({"kind": "custom", "start": "not a date", "end": "2025-02-01"}, "Enter a valid date"),
        ({"kind": "quarter", "year": "2025", "quarter": "1", "measures": []}, "Choose at least one measure"),
        ({"kind": "quarter", "year": "2025", "quarter": "1", "measures": ["names_of_people"]}, "Select a valid choice"),
        ({"year": "2025"}, "This field is required"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_saves_nothing(as_grant_manager, data, message):
    data = {"measures": ["gender"], **data}
    response = as_grant_manager.post(reverse("reports:new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists() and not AuditEntry.objects.filter(event=AuditEvent.REPORT_SAVED).exists()


def test_it_lets_a_coordinator_approve_exactly_the_figures_reviewed(coordinator, grant_manager, quarter):
    report = draft(grant_manager, ["trafficking_type"])
    client = client_for(coordinator)
    page = client.get(reverse("reports:detail", args=[report.pk])).context
    reviewed = page["fingerprint"]
    response = client.post(reverse("reports:approve"), {"report": report.pk, "reviewed": reviewed, "confirmed": "yes"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == coordinator
    assert len(report.content_hash) == 64 and '"<11"' in report.content
    row = AuditEntry.objects.get(event=AuditEvent.REPORT_APPROVED)
    assert row.detail["content_hash"] == report.content_hash


def test_it_approves_the_published_figures_although_the_data_moved_since_they_were_reviewed(
    coordinator, grant_manager, quarter, settings
):
    # Changed with issue 15: a quarter is published once and frozen (reports/releases.py), so data that
    # moves after publication changes nothing the approver saw; a different fingerprint is still refused.
    settings.REPORT_SUPPRESSION_THRESHOLD = 3  # so that a change would show in the published figures
    report = draft(grant_manager, ["trafficking_type"])
    client = client_for(coordinator)
    reviewed = client.get(reverse("reports:detail", args=[report.pk])).context["fingerprint"]
    with pytest.raises(FiguresChanged):
        report_approve(report=report, actor=coordinator, reviewed="0" * 64)
    Referral.objects.filter(pk=quarter[0].pk).update(trafficking_type="labor")  # the data moves meanwhile
    response = client.post(
        reverse("reports:approve"), {"report": report.pk, "reviewed": reviewed, "confirmed": "yes"}, follow=True
    )
    assert "Approved. The report is now frozen" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and figures_fingerprint(snapshot_content(report=report)) == reviewed


def test_it_lets_only_coordinators_approve(grant_manager, quarter):
    report = draft(grant_manager, ["gender"])
    with pytest.raises(PermissionDenied):
        report_approve(report=report, actor=grant_manager, reviewed="x")
    response = client_for(grant_manager).post(reverse("reports:approve"), {"report": report.pk, "reviewed": "x" * 64})
    assert response.status_code == 403


def test_it_never_changes_or_deletes_an_approved_report(coordinator, grant_manager, quarter):
    report = approve(draft(grant_manager), coordinator)
    with pytest.raises(SnapshotImmutable):
        report.measures = ["gender"]
        report.save()
    with pytest.raises(SnapshotImmutable):
        Report.objects.filter(pk=report.pk).update(content="{}")
    with pytest.raises(SnapshotImmutable):
        Report.objects.filter(pk=report.pk).delete()
    with pytest.raises(SnapshotImmutable):
        Report.objects.get(pk=report.pk).delete()
    with pytest.raises(ValidationError):
        approve(Report.objects.get(pk=report.pk), coordinator)
    assert Report.objects.get(pk=report.pk).content_hash == report.content_hash


def test_it_keeps_an_approved_report_unchanged_after_the_data_changes_and_is_purged(
    coordinator, grant_manager, quarter, officer, outsider_officer, as_grant_manager
):
    report = approve(draft(grant_manager), coordinator)
    before = report_content(report=report)
    csv_before = b"".join(as_grant_manager.get(reverse("reports:csv", args=[report.pk])).streaming_content)
    for _ in range(12):
        send(officer, outsider_officer.agency)
    Referral.objects.all().delete()  # purged
    assert report_content(report=Report.objects.get(pk=report.pk)) == before
    csv_after = b"".join(as_grant_manager.get(reverse("reports:csv", args=[report.pk])).streaming_content)
    assert csv_after == csv_before
    page = as_grant_manager.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Approved" in page and report.content_hash in page


def test_it_refuses_to_show_or_export_a_snapshot_that_no_longer_matches_its_hash(
    coordinator, grant_manager, quarter, as_grant_manager
):
    report = approve(draft(grant_manager, ["gender"]), coordinator)
    with connection.cursor() as cursor:  # tampering behind the application's back
        cursor.execute(
            "UPDATE reports_report SET content = %s WHERE id = %s", [report.content.replace("<11", "3"), report.pk]
        )
    for name in ("reports:detail", "reports:csv"):
        response = as_grant_manager.get(reverse(name, args=[report.pk]))
        assert response.status_code == 409
        assert "failed its integrity check" in response.content.decode()
    refused = AuditEntry.objects.filter(event=AuditEvent.EXPORTED, outcome=AuditOutcome.FAILURE)
    assert refused.count() == 2


def test_it_never_lets_a_grant_manager_reach_a_referral(as_grant_manager, quarter):
    referral = quarter[0]
    assert as_grant_manager.get(reverse("cases:referral_list")).status_code == 403
    assert as_grant_manager.get(reverse("cases:referral_detail", args=[referral.pk])).status_code == 404
    assert as_grant_manager.get("/api/v1/referrals/").status_code == 403
    assert as_grant_manager.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_it_shows_no_reference_code_note_or_free_text_in_a_report(as_grant_manager, grant_manager, quarter, officer):
    marker = "Prefers afternoon calls at the library"
    noted = send(officer, quarter[0].receiving_agency, note=marker)
    report = draft(grant_manager, ALL_MEASURES)
    page = as_grant_manager.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for referral in [*quarter, noted]:
        assert referral.reference_code not in page
    assert marker not in page and "library" not in page
