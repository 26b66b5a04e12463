"""Motions voted by agency under the quorum rule, the decision log of a series, and their API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency, User
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import MotionResult
from meetings.models import Meeting, Motion
from tests.factories import AgencyFactory
from tests.meetings.conftest import move_to, schedule

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _present(meeting: Meeting, actor: User, *agencies: Agency) -> None:
    for agency in agencies:
        services.attendance_record(actor=actor, meeting=meeting, agency=agency)


def _record(meeting: Meeting, actor: User, mover: Agency, seconder: Agency, votes: dict[int, str]) -> Motion:
    return services.motion_record(
        actor=actor,
        meeting=meeting,
        text="Adopt the 2027 outreach plan.",
        mover_agency=mover,
        seconder_agency=seconder,
        votes=votes,
    )


def test_it_carries_a_motion_with_quorum_and_more_yes_than_no(past_meeting, coordinator, agency, other_agency):
    _present(past_meeting, coordinator, agency, other_agency)
    motion = _record(past_meeting, coordinator, agency, other_agency, {agency.pk: "yes", other_agency.pk: "abstain"})
    assert motion.result == MotionResult.CARRIED
    assert (motion.yes, motion.no, motion.abstain) == (1, 0, 1)
    assert motion.votes.count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.MOTION_RECORDED).count() == 1


def test_it_fails_a_motion_on_a_tie(past_meeting, coordinator, agency, other_agency):
    _present(past_meeting, coordinator, agency, other_agency)
    motion = _record(past_meeting, coordinator, agency, other_agency, {agency.pk: "yes", other_agency.pk: "no"})
    assert motion.result == MotionResult.FAILED


def test_it_records_no_quorum_when_too_few_agencies_are_present(past_meeting, coordinator, agency, other_agency):
    AgencyFactory()  # three agencies in the audience: two present are not enough (at least three needed)
    AgencyFactory()
    _present(past_meeting, coordinator, agency, other_agency)
    motion = _record(past_meeting, coordinator, agency, other_agency, {agency.pk: "yes", other_agency.pk: "yes"})
    assert motion.result == MotionResult.NO_QUORUM
    assert (motion.agencies_present, motion.agencies_needed) == (2, 3)


def test_it_refuses_a_mover_or_voter_not_present_and_the_same_seconder(past_meeting, coordinator, agency, other_agency):
    absent = AgencyFactory()
    _present(past_meeting, coordinator, agency, other_agency)
    with pytest.raises(ValidationError) as error:
        _record(past_meeting, coordinator, absent, agency, {})
    assert "mover_agency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _record(past_meeting, coordinator, agency, agency, {})
    assert "seconder_agency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _record(past_meeting, coordinator, agency, other_agency, {absent.pk: "yes"})
    assert "votes" in error.value.message_dict
    with pytest.raises(ValidationError):
        _record(past_meeting, coordinator, agency, other_agency, {agency.pk: "maybe"})
    assert Motion.objects.count() == 0


def test_it_refuses_a_motion_before_the_meeting_and_by_a_member(meeting, coordinator, member, agency, other_agency):
    with pytest.raises(ValidationError, match="started"):
        _record(meeting, coordinator, agency, other_agency, {})
    move_to(meeting, starts_in=-timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        _record(meeting, member, agency, other_agency, {})


def test_it_refuses_a_motion_naming_a_survivor_and_stores_nothing(past_meeting, coordinator, agency, other_agency):
    _present(past_meeting, coordinator, agency, other_agency)
    with pytest.raises(ValidationError) as error:
        services.motion_record(
            actor=coordinator,
            meeting=past_meeting,
            text="Pay the rent of Maria Gonzalez, phone 414-555-0182.",
            mover_agency=agency,
            seconder_agency=other_agency,
            votes={},
        )
    assert "text" in error.value.message_dict
    assert Motion.objects.count() == 0


def test_the_web_form_records_a_motion_and_the_decision_log_lists_it(
    coordinator, as_coordinator, as_member, as_outsider, agency, other_agency
):
    first = schedule(coordinator, frequency="weekly", count=3)
    move_to(first, starts_in=-timedelta(hours=1), length=timedelta(hours=2))
    _present(first, coordinator, agency, other_agency)
    url = reverse("meetings:motion_create", args=[first.pk])
    page = as_coordinator.get(url)
    assert page.status_code == 200 and b"Abstentions count for neither side" in page.content
    response = as_coordinator.post(
        url,
        {
            "text": "Adopt the outreach plan.",
            "mover_agency": agency.pk,
            "seconder_agency": other_agency.pk,
            f"vote_{agency.pk}": "yes",
            f"vote_{other_agency.pk}": "no",
        },
    )
    assert response.status_code == 302
    motion = Motion.objects.get()
    assert motion.result == MotionResult.FAILED
    detail = as_member.get(reverse("meetings:meeting_detail", args=[first.pk]))
    assert b"Adopt the outreach plan." in detail.content
    log = reverse("meetings:series_decisions", args=[first.series_id])
    assert b"Adopt the outreach plan." in as_member.get(log).content
    assert as_member.post(url, {"text": "x"}).status_code == 404


def test_the_web_form_shows_errors_without_storing(past_meeting, coordinator, as_coordinator, agency, other_agency):
    _present(past_meeting, coordinator, agency, other_agency)
    url = reverse("meetings:motion_create", args=[past_meeting.pk])
    response = as_coordinator.post(url, {"text": "", "mover_agency": agency.pk, "seconder_agency": agency.pk})
    assert response.status_code == 400
    assert Motion.objects.count() == 0


def test_the_api_lists_and_records_motions(past_meeting, coordinator, member, agency, other_agency):
    _present(past_meeting, coordinator, agency, other_agency)
    url = f"/api/v1/meetings/{past_meeting.pk}/motions/"
    body = {
        "text": "Adopt the plan.",
        "mover_agency": agency.pk,
        "seconder_agency": other_agency.pk,
        "votes": [{"agency": agency.pk, "vote": "yes"}, {"agency": other_agency.pk, "vote": "yes"}],
    }
    created = api(coordinator).post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["result"] == "carried"
    assert api(member).post(url, body, content_type="application/json").status_code == 403
    listed = api(member).get(url)
    assert [row["text"] for row in listed.json()] == ["Adopt the plan."]
    bad = api(coordinator).post(url, {**body, "seconder_agency": agency.pk}, content_type="application/json")
    assert bad.status_code == 400
    assert Motion.objects.count() == 1


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session writes the session: measure the second
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_the_decision_log_takes_the_same_queries_for_one_and_many_motions(coordinator, member, agency, other_agency):
    first = schedule(coordinator, frequency="weekly", count=2)
    move_to(first, starts_in=-timedelta(hours=1), length=timedelta(hours=2))
    _present(first, coordinator, agency, other_agency)
    client = api(member)
    url = f"/api/v1/meeting-series/{first.series_id}/decisions/"
    _record(first, coordinator, agency, other_agency, {agency.pk: "yes"})
    one = _queries(client, url)
    for _ in range(4):
        _record(first, coordinator, other_agency, agency, {agency.pk: "no", other_agency.pk: "yes"})
    assert _queries(client, url) == one
    assert len(client.get(url).json()) == 5
