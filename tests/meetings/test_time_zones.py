"""Times are entered and shown in the task force's zone (America/Chicago) and stored in UTC;
a series keeps its wall-clock time across daylight-saving changes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import recurrence
from meetings.choices import Frequency
from meetings.models import Meeting
from tests.meetings.conftest import local, schedule

pytestmark = pytest.mark.django_db


def test_it_keeps_ten_oclock_on_the_second_tuesday_across_the_spring_change(coordinator):
    first = schedule(
        coordinator,
        starts_at=local(2031, 1, 14, 10),
        ends_at=local(2031, 1, 14, 11, 30),
        frequency=Frequency.MONTHLY,
        count=4,
    )
    meetings = list(first.series.meetings.order_by("starts_at"))
    assert [timezone.localtime(m.starts_at).strftime("%a %b %d %H:%M %Z") for m in meetings] == [
        "Tue Jan 14 10:00 CST",
        "Tue Feb 11 10:00 CST",
        "Tue Mar 11 10:00 CDT",
        "Tue Apr 08 10:00 CDT",
    ]
    assert [m.starts_at.isoformat() for m in meetings] == [
        "2031-01-14T16:00:00+00:00",
        "2031-02-11T16:00:00+00:00",
        "2031-03-11T15:00:00+00:00",
        "2031-04-08T15:00:00+00:00",
    ]
    assert all(m.ends_at - m.starts_at == meetings[0].ends_at - meetings[0].starts_at for m in meetings)


def test_it_keeps_the_local_time_of_a_weekly_series_across_the_fall_change(coordinator):
    first = schedule(
        coordinator,
        starts_at=local(2031, 10, 28, 9),
        ends_at=local(2031, 10, 28, 10),
        frequency=Frequency.WEEKLY,
        count=2,
    )
    before, after = first.series.meetings.order_by("starts_at")
    assert timezone.localtime(before.starts_at).hour == timezone.localtime(after.starts_at).hour == 9
    assert (after.starts_at - before.starts_at).total_seconds() == 7 * 24 * 3600 + 3600  # one hour longer week


def test_it_turns_a_fifth_weekday_into_the_last_one_of_each_month():
    starts = recurrence.occurrences(first_start=local(2031, 12, 30, 10), frequency=Frequency.MONTHLY, count=3)
    assert [timezone.localtime(s).date().isoformat() for s in starts] == ["2031-12-30", "2032-01-27", "2032-02-24"]
    assert (
        recurrence.rrule(first_start=local(2031, 12, 30, 10), frequency=Frequency.MONTHLY, count=3)["BYDAY"] == "-1TU"
    )


def test_it_reads_form_times_as_local_time(as_coordinator, coordinator):
    as_coordinator.post(
        reverse("meetings:meeting_create"),
        {
            "title": "Winter meeting",
            "kind": "full",
            "audience": "all_members",
            "host_agency": coordinator.agency_id,
            "starts_at": "2031-01-14T10:00",
            "ends_at": "2031-01-14T11:00",
            "location": "Room 204",
        },
    )
    assert Meeting.objects.get().starts_at.isoformat() == "2031-01-14T16:00:00+00:00"


def test_it_refuses_a_time_that_does_not_exist_on_the_day_clocks_spring_forward(as_coordinator, coordinator):
    response = as_coordinator.post(
        reverse("meetings:meeting_create"),
        {
            "title": "Impossible",
            "kind": "full",
            "audience": "all_members",
            "host_agency": coordinator.agency_id,
            "starts_at": "2031-03-09T02:30",
            "ends_at": "2031-03-09T04:00",
            "location": "Room 204",
        },
    )
    assert response.status_code == 400
    assert "it may be ambiguous or it may not exist" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_shows_times_in_the_task_force_zone_on_the_page(coordinator, as_member):
    meeting = schedule(coordinator, starts_at=local(2031, 3, 11, 10), ends_at=local(2031, 3, 11, 11, 30))
    page = as_member.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Tuesday, March 11, 2031, 10:00 AM" in page and "11:30 AM CDT" in page
