"""The "Activity figures" page: an agency's administrators and coordinators enter its quarter's figures."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from activity.choices import HOLDERS, ActivityMeasure, Holder
from activity.models import ActivityFigure
from audit.models import AuditEntry, AuditEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
M = ActivityMeasure
URL = reverse("activity:figures")
TODAY = date(2025, 5, 10)  # in 2025 Q2: the last ended quarter is 2025 Q1


def all_of(holder: Holder, value: int = 0) -> dict[str, str]:
    return {measure.value: str(value) for measure in HOLDERS[holder]}


@time_machine.travel(TODAY, tick=False)
def test_it_shows_law_enforcement_its_own_measures_for_the_last_ended_quarter(as_detective_admin):
    page = as_detective_admin.get(URL).content.decode()
    assert "2025 Q1 (January-March 2025)" in page
    assert '<label for="id_arrests_sex">Arrests: sex trafficking' in page
    assert (
        "Investigations and arrests" in page and "id_convictions_sex" not in page and "id_awareness_events" not in page
    )
    assert page.count("Not entered yet.") == len(HOLDERS[Holder.LAW_ENFORCEMENT])
    assert 'value="2025-q2"' in page and 'value="2023-q3"' in page  # the picker: eight quarters


@time_machine.travel(TODAY, tick=False)
def test_it_saves_the_figures_and_says_who_entered_them(as_detective_admin, sheriff):
    values = all_of(Holder.LAW_ENFORCEMENT) | {M.ARRESTS_SEX: "4"}
    response = as_detective_admin.post(f"{URL}?quarter=2025-q1", values)
    assert response.status_code == 302 and response["Location"] == f"{URL}?quarter=2025-q1"
    assert ActivityFigure.objects.get(agency=sheriff, measure=M.ARRESTS_SEX).value == 4
    assert ActivityFigure.objects.filter(agency=sheriff, period_start=date(2025, 1, 1)).count() == 4
    page = as_detective_admin.get(response["Location"]).content.decode()
    assert "The figures of 2025 Q1 (January-March 2025) are saved." in page
    assert page.count("Entered by Dale") == 4 and 'value="4"' in page


@time_machine.travel(TODAY, tick=False)
def test_it_audits_a_correction_made_on_the_page(as_detective_admin):
    as_detective_admin.post(f"{URL}?quarter=2025-q1", all_of(Holder.LAW_ENFORCEMENT, 2))
    as_detective_admin.post(f"{URL}?quarter=2025-q1", all_of(Holder.LAW_ENFORCEMENT, 2) | {M.ARRESTS_LABOR: "1"})
    row = AuditEntry.objects.get(event=AuditEvent.ACTIVITY_FIGURE_CORRECTED)
    assert row.detail == {"measure": "arrests_labor", "quarter": "2025-q1", "old": 2, "new": 1}
    assert "Last corrected by Dale" in as_detective_admin.get(f"{URL}?quarter=2025-q1").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_it_says_what_is_wrong_and_saves_nothing(as_detective_admin):
    values = all_of(Holder.LAW_ENFORCEMENT) | {M.ARRESTS_SEX: "", M.ARRESTS_LABOR: "-2"}
    response = as_detective_admin.post(f"{URL}?quarter=2025-q1", values)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Nothing was saved." in page
    assert "Give a number; enter 0 if there were none." in page
    assert 'aria-describedby="id_arrests_sex_error id_arrests_sex_helptext"' in page
    assert 'aria-invalid="true"' in page
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_it_lets_a_cochair_coordinator_enter_awareness_and_assistance(as_coordinator, agency):
    page = as_coordinator.get(URL).content.decode()
    assert "Public awareness and technical assistance" in page and "id_arrests_sex" not in page
    response = as_coordinator.post(f"{URL}?quarter=2025-q2", all_of(Holder.COCHAIR, 3))
    assert response.status_code == 302
    assert ActivityFigure.objects.filter(agency=agency, period_start=date(2025, 4, 1)).count() == 4


@time_machine.travel(TODAY, tick=False)
def test_it_refuses_members_and_tells_an_agency_without_measures_so(as_member, deputy, clinic_admin):
    assert as_member.get(URL).status_code == 403
    assert client_for(deputy).post(f"{URL}?quarter=2025-q1", all_of(Holder.LAW_ENFORCEMENT)).status_code == 403
    as_clinic = client_for(clinic_admin)
    page = as_clinic.get(URL)
    assert page.status_code == 200 and "has no activity figures to enter" in page.content.decode()
    assert as_clinic.post(f"{URL}?quarter=2025-q1", all_of(Holder.LAW_ENFORCEMENT)).status_code == 403
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("quarter", ["2025-q3", "2025-Q1", "2025-q5", "1999-q4", "q1", "\uff12\uff10\uff12\uff15-q1"])
def test_it_has_no_page_for_a_malformed_quarter_or_one_not_begun(as_detective_admin, quarter):
    assert as_detective_admin.get(URL, {"quarter": quarter}).status_code == 404
    assert as_detective_admin.post(f"{URL}?quarter={quarter}", all_of(Holder.LAW_ENFORCEMENT)).status_code == 404
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_it_saves_nothing_to_a_quarter_the_form_did_not_name(as_detective_admin):
    assert as_detective_admin.post(URL, all_of(Holder.LAW_ENFORCEMENT)).status_code == 404
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_it_reaches_an_older_quarter_by_its_address(as_detective_admin):
    page = as_detective_admin.get(URL, {"quarter": "2021-q4"}).content.decode()
    assert "2021 Q4 (October-December 2021)" in page and '<option value="2021-q4" selected>' in page


def test_it_links_the_page_in_the_menu_only_for_agencies_that_enter_figures(detective_admin, clinic_admin, deputy):
    home = reverse("home")
    link = f'<a href="{URL}">Activity figures</a>'
    assert link in client_for(detective_admin).get(home).content.decode()
    assert link not in client_for(clinic_admin).get(home).content.decode()  # a clinic enters none
    assert link not in client_for(deputy).get(home).content.decode()  # a member may not enter
