"""Every meeting form that test_meetings_flow.py does not submit, from Chromium, under the production
security settings (meetings/templates/meetings/). Forms, by test:

test_it_takes_rsvps_and_lets_the_coordinator_change_the_agenda_handouts_and_meeting
  - RSVP "Send my answer", twice (meeting_detail.html)
  - agenda item "Save" and "Remove" (agenda_edit.html)
  - "Upload the handout" and the handout's "Remove" (meeting_detail.html)
  - "Save changes" of "Change the meeting" (meeting_form.html)
  - "Yes, cancel the meeting" (meeting_cancel.html, after the link "Cancel the meeting")
test_it_checks_a_member_in_removes_attendance_updates_action_items_and_corrects_minutes
  - "Check in: I am here" (meeting_detail.html)
  - action item status "Update", on "My action items" and on the meeting page (action_items_table.html)
  - attendance "Remove" (attendance_edit.html)
  - "Start a correction" of approved minutes (minutes_edit.html)
test_it_creates_and_changes_a_committee
  - committee "Save", new and changed (committee_form.html)
test_it_makes_a_calendar_feed_link_that_serves_the_calendar_and_turns_it_off
  - "Make my feed link" and "Turn my feed off" (calendar_feed.html)

Scheduling a meeting, adding, moving and publishing agenda items, recording attendance, adding an
action item and saving, circulating and approving minutes are in test_meetings_flow.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.roles import Role
from meetings import services
from meetings.choices import ActionStatus, AttendanceSource, MinutesStatus, RsvpResponse
from meetings.models import ActionItem, Attachment, Attendance, CalendarFeed, Committee, Meeting, Rsvp
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import CANCELLED_NOTICE, later_meeting
from tests.meetings.factories import MeetingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def home() -> object:
    return AgencyFactory(name="Safe Harbor Survivor Center", is_cochair=True)


@pytest.fixture
def school() -> object:
    return AgencyFactory(name="Juniper Valley School District", sector="education")


@pytest.fixture
def coordinator(home) -> object:
    return UserFactory(agency=home, role=Role.COORDINATOR, first_name="Rowan", last_name="Calloway")


@pytest.fixture
def member(school) -> object:
    return UserFactory(agency=school, role=Role.MEMBER, first_name="Jordan", last_name="Pellow")


def _meeting(coordinator, **fields) -> Meeting:
    return MeetingFactory(host_agency=coordinator.agency, created_by=coordinator, **fields)


def test_it_takes_rsvps_and_lets_the_coordinator_change_the_agenda_handouts_and_meeting(
    page, live_server, coordinator, member, failed_responses, settings
):
    if CANCELLED_NOTICE not in settings.DIGEST_NOTIFICATIONS:  # until taskforce/settings lists it
        settings.DIGEST_NOTIFICATIONS = [*settings.DIGEST_NOTIFICATIONS, CANCELLED_NOTICE]
    meeting = _meeting(coordinator, title="Full task force, summer")
    services.agenda_item_add(
        actor=coordinator,
        meeting=meeting,
        data=services.AgendaItemInput(title="Welcome", presenter_agency=None, minutes=5),
    )
    services.agenda_item_add(
        actor=coordinator,
        meeting=meeting,
        data=services.AgendaItemInput(title="Hotel outreach", presenter_agency=None, minutes=20),
    )

    # A member answers, then changes the answer.
    sign_in_as(page, live_server, member)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("group", name="Will you attend?").get_by_label("Attending", exact=True).check()
    submit(page, page.get_by_role("button", name="Send my answer"))
    page.get_by_text("Thank you. Your answer: attending.").wait_for()
    page.get_by_role("group", name="Will you attend?").get_by_label("Maybe").check()
    submit(page, page.get_by_role("button", name="Send my answer"))
    page.get_by_text("Thank you. Your answer: maybe.").wait_for()
    assert page.get_by_text("Answers so far: 0 attending, 1 maybe, 0 not attending.").is_visible()
    assert Rsvp.objects.get(meeting=meeting).response == RsvpResponse.MAYBE

    # The coordinator edits one agenda item and removes the other.
    sign_in_as(page, live_server, coordinator)
    page.goto(f"/meetings/{meeting.pk}/agenda/")
    first = page.get_by_role("group", name="Item 1: Welcome")
    first.get_by_label("Title").fill("Welcome and introductions")
    first.get_by_label("Time box (minutes)").fill("10")
    submit(page, first.get_by_role("button", name="Save item 1"))
    page.get_by_text("Saved “Welcome and introductions”.").wait_for()
    submit(page, page.get_by_role("button", name="Remove item 2"))
    page.get_by_text("Removed “Hotel outreach”.").wait_for()
    assert list(meeting.agenda_items.values_list("title", "minutes")) == [("Welcome and introductions", 10)]

    # A handout: uploaded, then removed.
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_label("Handout").set_input_files(
        files=[{"name": "outreach-checklist.txt", "mimeType": "text/plain", "buffer": b"Ask the front desk.\n"}]
    )
    submit(page, page.get_by_role("button", name="Upload the handout"))
    page.get_by_text("Added the handout outreach-checklist.txt.").wait_for()
    assert page.get_by_role("link", name="outreach-checklist.txt").is_visible()
    assert Attachment.objects.get(meeting=meeting).size == len(b"Ask the front desk.\n")
    submit(page, page.get_by_role("button", name="Remove outreach-checklist.txt"))
    page.get_by_text("Removed the handout outreach-checklist.txt.").wait_for()
    assert not Attachment.objects.filter(meeting=meeting).exists()

    # The meeting itself: changed, then cancelled.
    page.get_by_role("link", name="Change the meeting").click()
    page.get_by_role("heading", name="Change the meeting").wait_for()
    page.get_by_label("Title").fill("Full task force, summer (moved)")
    page.get_by_label("Place").fill("Juniper Public Library, meeting room B")
    submit(page, page.get_by_role("button", name="Save changes"))
    page.get_by_text("The meeting is updated. Calendar feeds show the change.").wait_for()
    page.get_by_role("heading", name="Full task force, summer (moved)").wait_for()
    page.get_by_role("link", name="Cancel the meeting").click()  # a confirmation step first
    submit(page, page.get_by_role("button", name="Yes, cancel the meeting"))
    page.get_by_text("The meeting is cancelled. The people invited are told by email").wait_for()
    assert page.get_by_role("heading", name=re.compile("Cancelled")).is_visible()
    meeting.refresh_from_db()
    assert meeting.location == "Juniper Public Library, meeting room B"
    assert meeting.is_cancelled
    screenshot(page, "meeting-cancelled")
    assert failed_responses == []


def test_it_checks_a_member_in_removes_attendance_updates_action_items_and_corrects_minutes(
    page, live_server, coordinator, member, failed_responses
):
    # The meeting began ten minutes ago: check-in is open and the minutes can be approved at it.
    meeting = _meeting(
        coordinator, title="Labor trafficking working group", starts_at=timezone.now() - timedelta(minutes=10)
    )
    due = timezone.localdate() + timedelta(days=14)
    mine = services.action_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Send the farm outreach flyer",
        owner_agency=member.agency,
        owner_person=member,
        due_on=due,
    )
    theirs = services.action_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Book the training room",
        owner_agency=coordinator.agency,
        owner_person=None,
        due_on=due,
    )
    minutes = services.minutes_save(actor=coordinator, meeting=meeting, body="Agencies shared updates.")
    services.minutes_circulate(actor=coordinator, minutes=minutes)
    services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=later_meeting(meeting))

    # The member checks in and closes their action item from "My action items".
    sign_in_as(page, live_server, member)
    page.goto(f"/meetings/{meeting.pk}/")
    submit(page, page.get_by_role("button", name="Check in: I am here"))
    page.get_by_text("You are checked in.").first.wait_for()
    assert Attendance.objects.get(meeting=meeting).source == AttendanceSource.SELF
    page.goto("/action-items/")
    page.get_by_label("Status of “Send the farm outreach flyer”").select_option(label="Done")
    submit(page, page.get_by_role("button", name="Update “Send the farm outreach flyer”"))
    page.get_by_text("“Send the farm outreach flyer” is now done.").wait_for()
    page.get_by_role("heading", name="My action items").wait_for()
    mine.refresh_from_db()
    assert mine.status == ActionStatus.DONE and mine.closed_at is not None

    # The coordinator drops an item from the meeting page (it comes back to the meeting page).
    sign_in_as(page, live_server, coordinator)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_label("Status of “Book the training room”").select_option(label="Dropped")
    submit(page, page.get_by_role("button", name="Update “Book the training room”"))
    page.get_by_text("“Book the training room” is now dropped.").wait_for()
    page.get_by_role("heading", name="Labor trafficking working group").wait_for()
    assert ActionItem.objects.get(pk=theirs.pk).status == ActionStatus.DROPPED

    # Removes the member's check-in from the attendance.
    page.get_by_role("link", name="Record attendance").click()
    submit(page, page.get_by_role("button", name="Remove Jordan Pellow"))
    page.get_by_text("Removed Jordan Pellow from the attendance.").wait_for()
    assert not Attendance.objects.filter(meeting=meeting).exists()

    # And starts a correction of the approved minutes.
    page.get_by_role("link", name="← Labor trafficking working group").click()
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_label("What does the correction fix?").fill("The date of the next meeting was wrong.")
    submit(page, page.get_by_role("button", name="Start a correction"))
    page.get_by_text("Version 2 is a draft correction. The approved text stays on record.").wait_for()
    versions = list(meeting.minutes_versions.order_by("version").values_list("version", "status"))
    assert versions == [(1, MinutesStatus.APPROVED), (2, MinutesStatus.DRAFT)]
    assert failed_responses == []


def test_it_creates_and_changes_a_committee(page, live_server, coordinator, member, failed_responses):
    sign_in_as(page, live_server, coordinator)
    page.goto("/meetings/committees/")
    page.get_by_role("link", name="New committee").click()
    page.get_by_label("Name").fill("Labor trafficking working group")
    page.get_by_label("Description").fill("Farms, restaurants and construction sites.")
    page.get_by_label("Chair").select_option(label=f"Jordan Pellow ({member.agency.name})")
    page.get_by_role("group", name="Agencies (all their people)").get_by_label(coordinator.agency.name).check()
    page.get_by_role("group", name="People").get_by_label(f"Jordan Pellow ({member.agency.name})").check()
    submit(page, page.get_by_role("button", name="Save"))
    page.get_by_text("Labor trafficking working group is saved.").wait_for()
    page.get_by_role("heading", name="Committees and working groups").wait_for()
    committee = Committee.objects.get()
    assert committee.chair == member
    assert list(committee.agencies.all()) == [coordinator.agency]
    assert list(committee.members.all()) == [member]

    page.get_by_role("link", name="Change Labor trafficking working group").click()
    page.get_by_label("Description").fill("Farms, restaurants, construction sites and nail salons.")
    submit(page, page.get_by_role("button", name="Save"))
    page.get_by_text("Labor trafficking working group is saved.").wait_for()
    assert page.get_by_text("Farms, restaurants, construction sites and nail salons.").is_visible()
    committee.refresh_from_db()
    assert committee.description == "Farms, restaurants, construction sites and nail salons."
    assert failed_responses == []


def test_it_makes_a_calendar_feed_link_that_serves_the_calendar_and_turns_it_off(
    page, live_server, coordinator, member, failed_responses
):
    # Until the page stopped sending `Referrer-Policy: no-referrer`, Chromium posted these two forms
    # with `Origin: null` and CSRF checking answered 403 ("Origin checking failed - null").
    _meeting(coordinator, title="Full task force in the autumn")
    sign_in_as(page, live_server, member)
    page.goto("/calendar/feed/")
    page.get_by_text("You have no feed link yet.").wait_for()
    submit(page, page.get_by_role("button", name="Make my feed link"))
    page.get_by_role("heading", name="Your new feed link").wait_for()
    url = page.get_by_label("Feed address (https)").input_value()
    assert re.fullmatch(r"https?://[^/]+/calendar/feed/[^/]+\.ics", url)
    feed = CalendarFeed.objects.get(user=member)
    assert feed.revoked_at is None

    # The link serves the person's calendar without a session.
    served = page.context.request.get(url.replace(url.split("/calendar/")[0], live_server.url))
    assert served.status == 200
    assert "SUMMARY:Full task force in the autumn" in served.text().replace("\r\n ", "")  # lines unfolded

    submit(page, page.get_by_role("button", name="Turn my feed off"))
    page.get_by_text("Your calendar feed link no longer works.").wait_for()
    page.get_by_text("You have no feed link yet.").wait_for()
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert failed_responses == []
