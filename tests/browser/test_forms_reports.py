"""Grant reports: the forms test_reports_flow.py does not submit, from Chromium, under the production
security settings (reports/templates/reports/). Forms, by test:

test_it_lets_a_coordinator_approve_a_report_and_prepare_its_pdf_again_after_the_link_expired
  - "Build the report", as a coordinator (report_form.html)
  - "Approve and freeze…" and its confirmation step, "Prepare PDF" (report_detail.html)
  - "Prepare it again" once the download link has expired (export.html)

A grant manager building a report and preparing its XLSX is in test_reports_flow.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.roles import Role
from reports.models import ExportJob, Report
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


def _download(page, tmp_path) -> bytes:
    link = page.get_by_role("link", name="Download the PDF")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path.read_bytes()


def test_it_lets_a_coordinator_approve_a_report_and_prepare_its_pdf_again_after_the_link_expired(
    page, live_server, settings, tmp_path, failed_responses
):
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    coordinator = UserFactory(agency=AgencyFactory(name="Safe Harbor", is_cochair=True), role=Role.COORDINATOR)
    sign_in_as(page, live_server, coordinator)
    page.goto("/reports/new/")
    page.get_by_label("Calendar quarter").check()
    page.get_by_label("Year", exact=True).select_option("2025")
    page.get_by_label("Quarter", exact=True).select_option(label="Q1: January-March")
    page.get_by_label("Trafficking type", exact=True).check()
    submit(page, page.get_by_role("button", name="Build the report"))
    page.get_by_text("Draft saved. These are its figures as of now.").wait_for()

    submit(page, page.get_by_role("button", name="Approve and freeze…"))
    page.get_by_text("This cannot be undone.").wait_for()
    submit(page, page.get_by_role("button", name="Approve and freeze the report"))
    page.get_by_text("Approved. The report is now frozen: its figures will not change.").wait_for()
    report = Report.objects.get()
    assert report.is_approved and report.approved_by == coordinator

    submit(page, page.get_by_role("button", name="Prepare PDF"))
    page.get_by_role("heading", name="PDF of the grant report, 2025 Q1 (January-March 2025)").wait_for()
    assert _download(page, tmp_path).startswith(b"%PDF")

    # An hour later the link has expired: the page offers to prepare the file again.
    ExportJob.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page.reload()
    page.get_by_text("This download link has expired").wait_for()
    submit(page, page.get_by_role("button", name="Prepare it again"))
    assert _download(page, tmp_path).startswith(b"%PDF")
    assert ExportJob.objects.count() == 2
    screenshot(page, "report-pdf-prepared-again")
    assert failed_responses == []
