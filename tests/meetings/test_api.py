"""/api/v1/meetings/, /action-items/, /trainings/, /training-requests/: the web's rules, filters, constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.roles import Role
from api.services import api_token_create
from meetings import services
from meetings.choices import Audience, MeetingKind
from meetings.models import Meeting, Training
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import local, move_to, schedule
from tests.meetings.factories import MeetingFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session writes the session: measure the second
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_it_lists_the_meetings_of_the_audience_with_filters(coordinator, outsider):
    schedule(coordinator, title="Open", starts_at=local(2031, 3, 11, 10), ends_at=local(2031, 3, 11, 11))
    schedule(coordinator, title="Co-chairs", audience=Audience.COCHAIRS)
    review = schedule(
        coordinator,
        title="Review",
        kind=MeetingKind.CASE_REVIEW,
        starts_at=local(2031, 4, 2, 9),
        ends_at=local(2031, 4, 2, 10),
    )
    client = api(outsider)
    titles = [m["title"] for m in client.get("/api/v1/meetings/").json()["results"]]
    assert sorted(titles) == ["Open", "Review"]
    march = client.get("/api/v1/meetings/?date_from=2031-03-01&date_to=2031-03-31").json()["results"]
    assert [m["title"] for m in march] == ["Open"]
    reviews = client.get("/api/v1/meetings/?kind=case_review").json()["results"]
    assert [m["id"] for m in reviews] == [review.pk]
    assert client.get("/api/v1/meetings/?date_from=someday").status_code == 400
    assert client.get(f"/api/v1/meetings/?agency={coordinator.agency_id}").json()["results"]


def test_it_answers_404_for_a_meeting_outside_the_audience(coordinator, outsider):
    hidden = schedule(coordinator, audience=Audience.COCHAIRS)
    assert api(outsider).get(f"/api/v1/meetings/{hidden.pk}/").status_code == 404


def test_it_shows_the_agenda_once_published_and_no_drafts(coordinator, member):
    meeting = move_to(schedule(coordinator), starts_in=timedelta(days=5))
    services.agenda_item_add(
        actor=coordinator,
        meeting=meeting,
        data=services.AgendaItemInput(title="Welcome", presenter_agency=None, minutes=5),
    )
    body = api(member).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["agenda"] is None and body["minutes"] is None
    services.agenda_publish(actor=coordinator, meeting=meeting)
    body = api(member).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert [item["title"] for item in body["agenda"]] == ["Welcome"]


@pytest.mark.parametrize("url", ["/api/v1/meetings/", "/api/v1/action-items/", "/api/v1/trainings/"])
def test_it_lists_with_a_constant_number_of_queries(url, coordinator, member):
    def add(n: int) -> None:
        host = AgencyFactory()
        for _ in range(n):
            meeting = MeetingFactory(host_agency=host, created_by=coordinator)
            services.action_item_create(
                actor=coordinator,
                meeting=meeting,
                title="Do it",
                owner_agency=host,
                owner_person=UserFactory(agency=host),
                due_on=timezone.localdate(),
            )
            TrainingFactory(host_agency=host, created_by=coordinator)

    client = api(member)
    add(1)
    one = _queries(client, url)
    add(49)
    assert _queries(client, url) == one


def test_it_changes_an_action_item_status_for_the_owner_only(coordinator, member, agency, outsider):
    meeting = move_to(schedule(coordinator, audience=Audience.COCHAIRS), starts_in=-timedelta(hours=1))
    item = services.action_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Share the checklist",
        owner_agency=agency,
        owner_person=member,
        due_on=timezone.localdate(),
    )
    url = f"/api/v1/action-items/{item.pk}/status/"
    colleague = UserFactory(agency=agency, role=Role.GRANT_MANAGER)
    assert api(colleague).post(url, {"status": "done"}, content_type="application/json").status_code == 403
    assert api(outsider).post(url, {"status": "done"}, content_type="application/json").status_code == 404
    response = api(member).post(url, {"status": "done"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert api(member).post(url, {"status": "finished"}, content_type="application/json").status_code == 400
    mine = api(member).get("/api/v1/action-items/?mine=true&status=done").json()["results"]
    assert [row["id"] for row in mine] == [item.pk]


def test_it_registers_for_a_training_over_the_api(member, agency):
    training = TrainingFactory(capacity=1)
    client = api(member)
    assert client.post(f"/api/v1/trainings/{training.pk}/register/").json() == {"status": "registered"}
    other = api(UserFactory(agency=agency))
    assert other.post(f"/api/v1/trainings/{training.pk}/register/").json() == {"status": "waitlisted"}
    listed = client.get("/api/v1/trainings/?sector=health_care").json()["results"]
    assert listed[0]["my_registration"] == "registered" and listed[0]["seats_taken"] == 1
    assert client.get("/api/v1/trainings/?sector=astrology").status_code == 400
    started = TrainingFactory(starts_at=timezone.now() - timedelta(hours=1))
    assert client.post(f"/api/v1/trainings/{started.pk}/register/").status_code == 400


def test_it_shows_training_requests_to_coordinators_and_the_assigned_agency(coordinator, agency, member, outsider):
    request = services.training_request_submit(
        organization="Valley Soccer", contact_email="board@soccer.example.org", topic="Coaches", preferred_dates="May"
    )
    admin = UserFactory(agency=agency, role=Role.AGENCY_ADMIN)
    assert api(member).get("/api/v1/training-requests/").status_code == 403
    assert api(admin).get("/api/v1/training-requests/").json()["results"] == []
    assigned = api(coordinator).post(
        f"/api/v1/training-requests/{request.pk}/track/", {"agency": agency.pk}, content_type="application/json"
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    assert [r["id"] for r in api(admin).get("/api/v1/training-requests/").json()["results"]] == [request.pk]
    assert api(outsider).get(f"/api/v1/training-requests/{request.pk}/").status_code == 404
    refused = api(admin).post(
        f"/api/v1/training-requests/{request.pk}/track/", {"agency": agency.pk}, content_type="application/json"
    )
    assert refused.status_code == 403
    moved = api(admin).post(
        f"/api/v1/training-requests/{request.pk}/track/", {"status": "scheduled"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "scheduled"


def test_it_keeps_ownership_fields_out_of_client_hands(member):
    training = TrainingFactory()
    response = api(member).patch(
        f"/api/v1/trainings/{training.pk}/", {"host_agency": 1}, content_type="application/json"
    )
    assert response.status_code == 405
    assert Meeting.objects.count() == 0 and Training.objects.get().host_agency_id == training.host_agency_id
