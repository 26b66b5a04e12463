"""The error summary of a refused form, in Chromium (issue 20): it takes the focus when the page comes back, and
each of its links takes the focus to its field. In English, and in Spanish for a person who reads Spanish.
Forms, by test (each in both languages):

test_the_summary_takes_the_focus_and_its_link_leads_to_the_field
  - "Save" on a new committee (meetings/committee_form.html): a text box
  - "Confirm capacity" (directory/capacity_confirm.html): a group of radio buttons, linked by its first one
  - "Build the report" (reports/report_form.html): a group of checkboxes, linked by its first one
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from agencies.models import User
from agencies.roles import Role
from tests.browser.conftest import sign_in_as
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]

FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
SUMMARY_FOCUSED = "() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')"


@dataclass(frozen=True)
class Case:
    role: str
    url: str  # "{agency}" stands for the person's agency
    button: str  # English; translated for a Spanish reader
    field_id: str  # where the summary's first link leads


CASES = {
    "meetings": Case(Role.COORDINATOR, reverse("meetings:committee_create"), "Save", "id_name"),
    "directory": Case(Role.AGENCY_ADMIN, "/directory/{agency}/capacity/", "Confirm capacity", "id_capacity_0"),
    "reports": Case(Role.GRANT_MANAGER, reverse("reports:new"), "Build the report", "id_measures_0_0"),
}


def _person(role: str, language: str) -> User:
    agency = AgencyFactory(name="Casa Segura Shelter", sector="victim_services", is_cochair=True)
    return UserFactory(agency=agency, role=role, language=language, first_name="Rosa")


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_summary_takes_the_focus_and_its_link_leads_to_the_field(
    page, live_server, failed_responses, case: Case, language: str
):
    person = _person(case.role, language)
    sign_in_as(page, live_server, person)
    page.goto(case.url.format(agency=person.agency_id))
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name=_in(language, case.button)).click()
    assert refused.value.status == 400

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    heading = _in(language, "There is a problem")
    if language == "es":
        assert heading != "There is a problem"  # the catalog has it
    expect(summary.get_by_role("heading", level=2)).to_have_text(heading)
    expect(summary).to_be_focused()
    assert page.evaluate(SUMMARY_FOCUSED)
    # The summary is the page's one alert; the field's own error is not announced a second time.
    expect(page.get_by_role("alert")).to_have_count(1)

    link = summary.get_by_role("link").first
    assert link.get_attribute("href") == f"#{case.field_id}"
    link.click()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{case.field_id}'")
    assert page.evaluate(FOCUSED_ID) == case.field_id
    assert failed_responses == [f"400 POST {case.url.format(agency=person.agency_id)}"]
