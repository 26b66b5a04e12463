"""The demo's approved report (its last quarter but one) as the grant manager files it: exact small figures
in the funder copy for the grant manager with MFA, 404 for everyone else, "<11" in the partner copy."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import User
from reports.models import Report, ReportStatus
from tests.conftest import client_for
from tests.reports.test_funder_copy import _cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_report() -> Report:
    call_command("seed_demo", stdout=io.StringIO())
    return Report.objects.get(status=ReportStatus.APPROVED)


def test_the_demo_funder_copy_shows_exact_small_figures_only_to_the_grant_manager(demo_report):
    grants = User.objects.get(email="grants@demo.example.org")
    assert demo_report.template == "ovc_pmt" and grants.has_totp
    small = [
        (key, cell, exact) for key, _, _, cell, exact, people in _cells(demo_report) if people and 1 <= exact <= 10
    ]
    assert small, "the demo quarter should hold small counts of people"
    for key, cell, _ in small:
        assert cell["display"] == "<11" and cell["value"] is None, key  # the partner copy
    copy = client_for(grants).get(reverse("api:v1:report-funder", args=[demo_report.pk])).json()
    answers = [item["answer"] for item in copy["items"]]
    assert any(isinstance(answer, int) and 1 <= answer <= 10 for answer in answers)
    page = client_for(grants).get(reverse("reports:funder_copy", args=[demo_report.pk]))
    assert page.status_code == 200
    for email in ("coordinator@demo.example.org", "advocate@demo.example.org", "member@demo.example.org"):
        other = User.objects.get(email=email)
        assert client_for(other).get(reverse("reports:funder_copy", args=[demo_report.pk])).status_code == 404
        assert client_for(other).get(reverse("api:v1:report-funder", args=[demo_report.pk])).status_code == 404
