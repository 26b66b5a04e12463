"""The grant manager's workflow (issue 17) from Chromium, under the production security settings, at a
phone's width: pick the award's form and period, remind an agency (after confirming), build the report,
and once a coordinator approved it, download the funder copy as XLSX and PDF
(reports/templates/reports/funder_*.html)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from openpyxl import load_workbook

from activity import services as activity_services
from activity.choices import ActivityMeasure
from agencies.models import Agency
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from reports.models import Report
from reports.periods import PeriodKind, period_build
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory
from tests.reports.conftest import approve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _download(page, name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    return download.value.path().read_bytes()


def test_it_lets_a_grant_manager_remind_an_agency_build_and_download_the_funder_copy(
    page, live_server, failed_responses
):
    center = AgencyFactory(name="Safe Harbor", is_cochair=True)
    sheriff = AgencyFactory(name="Juniper County Sheriff", sector="law_enforcement")
    Agency.objects.update(created_at=datetime(2024, 6, 1, tzinfo=ZoneInfo("America/Chicago")))
    sheriff_admin = UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN, email="admin@sheriff.example.org")
    coordinator = UserFactory(agency=center, role=Role.COORDINATOR)
    grant_manager = UserFactory(agency=center, role=Role.GRANT_MANAGER)
    q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
    activity_services.activity_figures_enter(
        agency=sheriff, period=q1, values={ActivityMeasure.ARRESTS_SEX: 2}, actor=sheriff_admin
    )

    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, grant_manager)
    page.goto("/reports/")
    page.get_by_role("link", name="File with a funder").click()
    page.get_by_role("heading", name="File with a funder").wait_for()
    page.get_by_label("Award's form").select_option(
        label="BJA Performance Measurement Tool (PMT), enhanced collaborative model task force"
    )
    page.get_by_label("Period").select_option(label="2025 Q1 (January-March 2025)")
    page.get_by_role("button", name="Show what is missing").click()
    page.get_by_role("heading", name="Missing figures for 2025 Q1 (January-March 2025)").wait_for()
    row = page.get_by_role("row", name="Juniper County Sheriff")
    assert "has not entered 3 activity figures" in row.inner_text()
    assert _fits(page)
    screenshot(page, "funder-workflow-missing-figures-390")

    row.get_by_role("button", name="Remind Juniper County Sheriff").click()
    page.get_by_role("heading", name="Send a reminder?").wait_for()
    assert not AuditEntry.objects.filter(event=AuditEvent.FIGURES_REMINDER_SENT).exists()  # nothing before confirming
    submit(page, page.get_by_role("button", name="Send the reminder"))
    page.get_by_text("Reminder sent by email to 1 person who enters that agency's figures.").wait_for()
    assert AuditEntry.objects.filter(event=AuditEvent.FIGURES_REMINDER_SENT, actor=grant_manager).count() == 1
    assert [message.to for message in mail.outbox] == [[sheriff_admin.email]]

    submit(page, page.get_by_role("button", name="Build the report for this form"))
    page.get_by_role("heading", name="Funder copy, 2025 Q1 (January-March 2025)").wait_for()
    items = page.get_by_role("table", name="BJA Performance Measurement Tool")
    assert items.get_by_role("row", name="LE-arrests-sex").get_by_role("cell").last.inner_text() == "2"
    assert _fits(page)

    approve(Report.objects.get(), coordinator)  # a coordinator approves, on the report's own page
    page.reload()
    page.get_by_text("The figures were frozen at approval and never change.").wait_for()
    screenshot(page, "funder-copy-approved-390")
    workbook = load_workbook(io.BytesIO(_download(page, "Download the funder copy (XLSX)")), read_only=True)
    rows = workbook["Funder form"].iter_rows(values_only=True)
    answers = {row[0]: row[2] for row in rows if len(row) > 2 and row[0]}
    assert answers["LE-arrests-sex"] == 2
    assert _download(page, "Download the funder copy (PDF)").startswith(b"%PDF")
    assert failed_responses == []
