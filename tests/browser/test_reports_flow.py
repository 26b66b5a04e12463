"""A grant manager builds a quarter report, sees suppressed cells and downloads the XLSX."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from openpyxl import load_workbook

from agencies.roles import Role
from tests.browser.conftest import screenshot
from tests.cases.referral_helpers import send
from tests.factories import TEST_TOTP_SECRET, AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _quarter_of_referrals() -> None:
    """First quarter of 2025: 14 labor and 3 sex trafficking referrals, spread over the months."""
    center = AgencyFactory(name="Bridgeway Family Services", is_confidential_provider=True)
    sheriff = AgencyFactory(name="Juniper County Sheriff", sector="law_enforcement")
    advocate = UserFactory(agency=center, role=Role.REFERRAL_OFFICER)
    start = datetime(2025, 1, 6, 10, tzinfo=ZoneInfo("America/Chicago"))
    for n in range(17):
        with time_machine.travel(start + timedelta(days=5 * n), tick=False):
            send(advocate, sheriff, trafficking_type="labor" if n % 6 else "sex")


def test_it_lets_a_grant_manager_build_a_quarter_report_and_download_the_xlsx(page, settings, tmp_path):
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    _quarter_of_referrals()
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_cochair=True)
    UserFactory(agency=center, role=Role.GRANT_MANAGER, email="grants@safeharbor.example.org", first_name="Avery")

    page.goto("/")
    page.get_by_label("Email").fill("grants@safeharbor.example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()
    # Grant managers use an authenticator (issue 17: they read exact figures).
    page.get_by_label("Code").fill(format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Welcome, Avery").wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("heading", name="Grant reports", exact=True).wait_for()
    assert page.get_by_role("img", name="Column chart of the number of referrals sent each month").is_visible()
    screenshot(page, "reports-dashboard")

    page.get_by_role("link", name="Build a report").click()
    page.get_by_label("Calendar quarter").check()
    page.get_by_label("Year", exact=True).select_option("2025")
    page.get_by_label("Quarter", exact=True).select_option(label="Q1: January-March")
    assert not page.get_by_label("First day", exact=True).is_visible()  # custom-range fields only for a custom range
    for measure in ("Referrals by month", "Trafficking type", "Referrals sent and received by sector", "Gender"):
        page.get_by_label(measure, exact=True).check()
    page.get_by_role("button", name="Build the report").click()

    page.get_by_role("heading", name="Grant report, 2025 Q1 (January-March 2025)").wait_for()
    types = page.get_by_role("table", name="Trafficking type, 2025 Q1 (January-March 2025)")
    assert types.get_by_role("row", name="Sex trafficking").get_by_role("cell").inner_text() == "<11"
    assert types.get_by_role("row", name="All referrals").get_by_role("cell").inner_text() == "17"
    screenshot(page, "reports-quarter-report")

    page.get_by_role("button", name="Prepare XLSX").click()
    link = page.get_by_role("link", name="Download the XLSX")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "grant-report-2025-q1-draft.xlsx"

    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["About", "By month", "Sent and received by sector", "Trafficking type", "Gender"]
    rows = {row[0]: row[1:] for row in book["Trafficking type"].iter_rows(values_only=True) if row and row[0]}
    assert rows["Sex trafficking"][0] == "<11"
    assert rows["All referrals"][0] == 17
