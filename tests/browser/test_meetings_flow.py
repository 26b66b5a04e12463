"""A coordinator schedules a meeting, publishes its agenda (reordered from the keyboard), records
attendance and an action item, and approves the minutes; a member then finds it in the calendar."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from agencies.roles import Role
from meetings.choices import MinutesStatus
from meetings.models import ActionItem, Attendance, Meeting, Minutes
from tests.browser.conftest import screenshot
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import later_meeting
from tests.meetings.factories import TrainingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(browser, live_server, user):
    """A browser tab with the person's session (the sign-in itself is covered by test_sign_in_flow)."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context, context.new_page()


def test_it_runs_a_meeting_from_schedule_to_approved_minutes_and_shows_it_in_the_calendar(
    browser, live_server, settings
):
    # The agenda locks 10 minutes before the start, so that a meeting 15 minutes away is still editable.
    settings.MEETINGS_AGENDA_LOCK_BEFORE = timedelta(minutes=10)
    home = AgencyFactory(name="Safe Harbor Survivor Center", is_cochair=True)
    school = AgencyFactory(name="Juniper Valley School District", sector="education")
    coordinator = UserFactory(agency=home, role=Role.COORDINATOR, first_name="Rowan", last_name="Calloway")
    member = UserFactory(agency=school, role=Role.MEMBER, first_name="Jordan", last_name="Pellow")
    start = timezone.localtime(timezone.now() + timedelta(minutes=15)).replace(second=0, microsecond=0)

    context, page = _sign_in(browser, live_server, coordinator)
    page.goto("/calendar/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Full task force, spring")
    page.get_by_label("Kind of meeting").select_option(label="Full task force")
    page.get_by_label("All members").check()
    page.get_by_label("Host agency").select_option(label=home.name)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("County Government Center, Room 204")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_role("heading", name="Full task force, spring").wait_for()
    meeting = Meeting.objects.get()

    # The agenda: ordinary forms; reorder with the keyboard.
    page.get_by_role("link", name="Edit the agenda").click()
    add = page.get_by_role("group", name="Add an item")
    for title, minutes in (("Welcome", "5"), ("Hotel outreach update", "20"), ("Approval of the minutes", "5")):
        add = page.get_by_role("group", name="Add an item")
        add.get_by_label("Title").fill(title)
        add.get_by_label("Time box (minutes)").fill(minutes)
        add.get_by_role("button", name="Add the item").click()
        page.get_by_text(f"Added “{title}”.").wait_for()
    page.get_by_role("button", name="Move up item 3").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Moved “Approval of the minutes” up.").wait_for()
    moved = meeting.agenda_items.get(title="Approval of the minutes")
    assert page.evaluate("document.activeElement.id") == f"item-{moved.pk}"
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Welcome",
        "Approval of the minutes",
        "Hotel outreach update",
    ]
    screenshot(page, "agenda-editor")
    page.get_by_role("button", name="Publish the agenda to the audience").click()
    page.get_by_text("The agenda is published").wait_for()

    # Attendance and an action item.
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Person present").select_option(label=f"Jordan Pellow ({school.name})")
    page.get_by_role("button", name="Record as present").click()
    page.get_by_text("Recorded: Jordan Pellow present.").wait_for()
    page.get_by_role("link", name=f"← {meeting.title}").click()
    page.get_by_role("link", name="Add an action item").click()
    page.get_by_label("What is to be done").fill("Share the hotel outreach checklist")
    page.get_by_label("Owner agency").select_option(label=school.name)
    page.get_by_label("Owner (person, optional)").select_option(label=f"Jordan Pellow ({school.name})")
    page.get_by_label("Due on").fill((start + timedelta(days=21)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Add the action item").click()
    page.get_by_text("Action item added for Jordan Pellow.").wait_for()

    # The meeting takes place; then the minutes: draft, circulated, approved at the next meeting.
    # (Less than the 30-minute idle limit later, so the session is still alive.)
    # Minutes are approved at a later meeting of the same body: here one that starts a minute after.
    later = later_meeting(meeting)
    later.starts_at, later.ends_at = start + timedelta(minutes=1), start + timedelta(hours=1)
    later.title = "Full task force, extra session"
    later.save(update_fields=["starts_at", "ends_at", "title"])
    with time_machine.travel(start + timedelta(minutes=2), tick=True):
        page.get_by_role("link", name="Minutes").click()
        page.get_by_role("textbox", name="Minutes").fill(
            "Agencies shared updates. The outreach checklist goes to all hotels."
        )
        page.get_by_role("button", name="Save the minutes").click()
        page.get_by_role("button", name="Circulate for review").click()
        page.get_by_label("Approved at the meeting of").select_option(index=0)
        page.get_by_role("button", name="Record the approval").click()
        page.get_by_text("The minutes are approved.").wait_for()
        assert page.get_by_text("Quorum").count() >= 1
        screenshot(page, "meeting-page-coordinator")
        context.close()

        minutes = Minutes.objects.get()
        assert minutes.status == MinutesStatus.APPROVED and minutes.approved_at_meeting == later
        assert Attendance.objects.get().person == member
        assert ActionItem.objects.get().owner_person == member

        # A member finds it in the month view and opens it.
        context, page = _sign_in(browser, live_server, member)
        page.goto(f"/calendar/?month={start:%Y-%m}")
        link = page.get_by_role("link", name=re.compile("Full task force, spring"))
        link.wait_for()
        screenshot(page, "calendar-month-member")
        link.click()
        page.get_by_role("heading", name="Full task force, spring").wait_for()
        assert page.locator("table.agenda").get_by_text("Approval of the minutes").is_visible()
        assert page.get_by_text("The outreach checklist goes to all hotels.").is_visible()
        assert page.get_by_role("row", name=re.compile("Share the hotel outreach checklist")).is_visible()
        screenshot(page, "meeting-page-member")
        context.close()


def test_it_leaves_a_public_page_for_a_neutral_site_on_escape(page, live_server, settings):
    settings.MEETINGS_QUICK_EXIT_URL = f"{live_server.url}/healthz"
    TrainingFactory(title="Recognizing trafficking in hotels", is_public=True)
    page.goto("/public/trainings/")
    page.get_by_role("link", name="Request a training for your organization").click()
    page.get_by_label("Organization name").fill("Juniper Inn")
    screenshot(page, "public-training-request")
    assert page.get_by_role("link", name=django_settings.TASKFORCE_HOTLINE).first.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/healthz")
    # The page was replaced, not left: Back does not lead to the form.
    page.go_back()
    assert "/public/request-training/" not in page.url
