"""The activity figures form, from Chromium, under the production security settings
(activity/templates/activity/figures.html). Forms, by test:

test_it_enters_corrects_and_explains_a_quarters_figures_also_on_a_phone
  - "Show this quarter" (the quarter picker)
  - "Save figures": refused with the errors announced, then saved, then corrected
"""

from __future__ import annotations

import pytest

from activity.choices import HOLDERS, ActivityMeasure, Holder
from activity.models import ActivityFigure
from activity.quarters import recent_quarters
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sheriff_admin() -> object:
    sheriff = AgencyFactory(name="Juniper County Sheriff's Office", sector="law_enforcement")
    return UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN, first_name="Morgan", last_name="Ashdown")


def test_it_enters_corrects_and_explains_a_quarters_figures_also_on_a_phone(
    page, live_server, sheriff_admin, failed_responses
):
    quarter = recent_quarters(8)[3]
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, sheriff_admin)
    page.goto("/activity/")
    page.get_by_role("heading", name="Activity figures").wait_for()
    page.get_by_label("Quarter").select_option(quarter.slug)
    page.get_by_role("button", name="Show this quarter").click()
    page.get_by_role("heading", name=quarter.label).wait_for()
    group = page.get_by_role("group", name="Investigations and arrests")
    assert group.get_by_label("Arrests: sex trafficking").is_visible()
    assert page.get_by_label("Convictions: sex trafficking").count() == 0  # the prosecutor's figure
    # Nothing sticks out sideways on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # One box left empty: the page says so, in an alert, by the box, and saves nothing.
    for measure in HOLDERS[Holder.LAW_ENFORCEMENT]:
        page.get_by_label(str(measure.label)).fill("2")
    page.get_by_label("Arrests: labor trafficking").fill("")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Save figures").click()
    assert refused.value.status == 400
    alert = page.get_by_role("alert").filter(has_text="Nothing was saved.")
    assert alert.is_visible()
    box = page.get_by_label("Arrests: labor trafficking")
    assert box.get_attribute("aria-invalid") == "true"
    assert (
        "Give a number; enter 0 if there were none."
        in page.locator(f"#{box.get_attribute('aria-describedby').split()[0]}").inner_text()
    )
    assert not ActivityFigure.objects.exists()
    screenshot(page, "activity-figures-errors-390px")

    box.fill("0")
    submit(page, page.get_by_role("button", name="Save figures"))
    page.get_by_text(f"The figures of {quarter.label} are saved.").wait_for()
    assert page.get_by_text("Entered by Morgan Ashdown").count() == len(HOLDERS[Holder.LAW_ENFORCEMENT])
    assert ActivityFigure.objects.filter(period_start=quarter.start).count() == 4

    # A correction: saved, said on the page, and kept in the audit trail with the old value.
    page.get_by_label("Arrests: sex trafficking").fill("3")
    submit(page, page.get_by_role("button", name="Save figures"))
    page.get_by_text("Last corrected by Morgan Ashdown").wait_for()
    assert ActivityFigure.objects.get(measure=ActivityMeasure.ARRESTS_SEX).value == 3
    row = AuditEntry.objects.get(event=AuditEvent.ACTIVITY_FIGURE_CORRECTED)
    assert (row.detail["old"], row.detail["new"]) == (2, 3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert failed_responses == ["400 POST /activity/"]
