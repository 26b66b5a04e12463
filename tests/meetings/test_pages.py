"""The web pages: they render for the people who use them, say so when they are empty, and list with a
constant number of queries (the same for 1 and 50 rows)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.choices import MeetingKind
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import schedule
from tests.meetings.factories import CommitteeFactory, MeetingFactory, TrainingFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/calendar/",
    "/calendar/list/",
    "/action-items/",
    "/trainings/",
    "/trainings/requests/",
    "/meetings/committees/",
    "/public/trainings/",
]


def _rows(coordinator, member, n: int) -> None:
    host = AgencyFactory()
    soon = timezone.now() + timedelta(hours=2)
    for _ in range(n):
        meeting = MeetingFactory(host_agency=host, created_by=coordinator, starts_at=soon)
        services.action_item_create(
            actor=coordinator,
            meeting=meeting,
            title="Follow up",
            owner_agency=member.agency,
            owner_person=member,
            due_on=timezone.localdate(),
        )
        TrainingFactory(host_agency=host, created_by=coordinator, is_public=True, starts_at=soon)
        services.training_request_submit(
            organization="Org", contact_email="a@b.example.org", topic="T", preferred_dates="May"
        )
        CommitteeFactory(people=[UserFactory(agency=host)], member_agencies=[host])


def _count(client, url: str) -> int:
    client.get(url)  # the first request of a session writes the session: measure the second
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", LISTS)
def test_it_lists_with_a_constant_number_of_queries(url, coordinator, member, as_coordinator):
    from tests.conftest import client_for

    client = client_for(member) if url == "/action-items/" else as_coordinator
    _rows(coordinator, member, 1)
    one = _count(client, url)
    _rows(coordinator, member, 49)
    assert _count(client, url) == one, url


@pytest.mark.parametrize("url", LISTS)
def test_it_says_so_when_a_list_is_empty(url, as_coordinator):
    page = as_coordinator.get(url).content.decode()
    assert 'class="empty"' in page


def test_it_shows_the_month_with_meetings_and_trainings(coordinator, as_member):
    schedule(coordinator, title="Spring task force", kind=MeetingKind.FULL)
    TrainingFactory(title="Hotel staff training")
    month = (timezone.localdate() + timedelta(days=7)).strftime("%Y-%m")
    page = as_member.get(f"/calendar/?month={month}").content.decode()
    assert "Spring task force" in page
    assert as_member.get("/calendar/?month=not-a-month").status_code == 200
    assert as_member.get("/calendar/?kind=training&agency=abc").status_code == 200


def test_it_renders_every_organizer_page(coordinator, as_coordinator):
    meeting = schedule(coordinator)
    for name in (
        "meeting_detail",
        "meeting_edit",
        "agenda_edit",
        "minutes_edit",
        "attendance_edit",
        "action_item_create",
    ):
        assert as_coordinator.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 200, name
    for url in ("/meetings/new/", "/trainings/new/", "/meetings/committees/new/", "/calendar/feed/"):
        assert as_coordinator.get(url).status_code == 200, url
