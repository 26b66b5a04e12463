"""Decisions in a meeting, from Chromium under the production security settings. Forms, by test:

test_a_motion_voted_in_a_meeting_shows_in_the_minutes_and_the_decision_log
  - "Record the motion and its vote" (meetings/templates/meetings/motion_form.html): refused, then recorded
test_cancelling_a_meeting_asks_first
  - "Yes, cancel the meeting" (meetings/templates/meetings/meeting_cancel.html)
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from agencies.roles import Role
from meetings import services
from meetings.choices import MotionResult
from meetings.models import Motion
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import move_to, schedule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chair() -> object:
    center = AgencyFactory(name="Juniper Survivor Center", is_cochair=True)
    return UserFactory(agency=center, role=Role.COORDINATOR, first_name="Rae", last_name="Lindqvist")


def test_a_motion_voted_in_a_meeting_shows_in_the_minutes_and_the_decision_log(
    page, live_server, chair, failed_responses
):
    sheriff = AgencyFactory(name="Juniper County Sheriff's Office")
    first = schedule(chair, title="Full task force", frequency="monthly", count=3)
    move_to(first, starts_in=-timedelta(minutes=30), length=timedelta(hours=2))
    for agency in (chair.agency, sheriff):
        services.attendance_record(actor=chair, meeting=first, agency=agency)

    sign_in_as(page, live_server, chair)
    page.goto(f"/meetings/{first.pk}/")
    page.get_by_role("link", name="Record a motion").click()
    page.get_by_role("heading", name="Record a motion").wait_for()
    assert page.get_by_text("Abstentions count for neither side").is_visible()

    # The same agency cannot move and second: said by the field, nothing stored.
    page.get_by_label("The motion").fill("Adopt the 2027 outreach plan.")
    page.get_by_label("Moved by (agency)").select_option(label="Juniper Survivor Center")
    page.get_by_label("Seconded by (agency)").select_option(label="Juniper Survivor Center")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Record the motion and its vote").click()
    assert refused.value.status == 400
    page.get_by_role("alert").filter(has_text="Another agency than the mover").wait_for()
    assert not Motion.objects.exists()

    page.get_by_label("Seconded by (agency)").select_option(label="Juniper County Sheriff's Office")
    page.get_by_role("group", name="Juniper Survivor Center", exact=True).get_by_label("Yes").check()
    page.get_by_role("group", name="Juniper County Sheriff's Office", exact=True).get_by_label("Abstain").check()
    submit(page, page.get_by_role("button", name="Record the motion and its vote"))
    page.get_by_text("Motion recorded: carried.").wait_for()
    decisions = page.get_by_role("region", name="Decisions")
    assert decisions.get_by_text("Adopt the 2027 outreach plan.").is_visible()
    assert Motion.objects.get().result == MotionResult.CARRIED

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Decision log of the series").click()
    page.get_by_role("heading", name="Decision log: Full task force").wait_for()
    assert page.get_by_text("Adopt the 2027 outreach plan.").is_visible()
    assert page.get_by_text(
        "Moved by Juniper Survivor Center, seconded by Juniper County Sheriff's Office"
    ).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "meeting-decision-log-390px")
    assert failed_responses == [f"400 POST /meetings/{first.pk}/motions/new/"]


def test_cancelling_a_meeting_asks_first(page, live_server, chair, failed_responses):
    meeting = schedule(chair, title="Quarterly meeting")
    sign_in_as(page, live_server, chair)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Cancel the meeting").click()
    page.get_by_role("heading", name="Cancel this meeting?").wait_for()
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    submit(page, page.get_by_role("button", name="Yes, cancel the meeting"))
    page.get_by_text("The meeting is cancelled.").wait_for()
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert failed_responses == []
