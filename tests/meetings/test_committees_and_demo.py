"""Committees (the audiences of committee meetings) and the demo data."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from cases.deidentification import find_identifiers
from meetings import reporting, services
from meetings.choices import MinutesStatus, TrainingSector
from meetings.models import ActionItem, AgendaItem, Committee, Meeting, Minutes, Training, TrainingRegistration
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _save(actor, committee=None, **changes):
    values = {"name": "Labor working group", "description": "", "chair": None, "members": [], "agencies": []}
    values.update(changes)
    return services.committee_save(actor=actor, committee=committee, **values)


def test_it_lets_coordinators_create_committees_and_chairs_change_their_own(coordinator, member, agency):
    committee = _save(coordinator, chair=member, agencies=[agency])
    _save(member, committee, name="Labor trafficking working group", chair=member, members=[member])
    committee.refresh_from_db()
    assert committee.name == "Labor trafficking working group" and list(committee.members.all()) == [member]
    with pytest.raises(PermissionDenied):
        _save(member, committee, chair=UserFactory(agency=agency))  # only coordinators choose the chair
    with pytest.raises(PermissionDenied):
        _save(member)  # only coordinators create


def test_it_answers_404_to_anyone_but_the_chair_for_the_edit_page(coordinator, member, officer):
    committee = _save(coordinator, chair=member)
    url = reverse("meetings:committee_edit", args=[committee.pk])
    assert client_for(member).get(url).status_code == 200
    assert client_for(officer).get(url).status_code == 404


def test_it_refuses_a_duplicate_committee_name_with_a_message(coordinator, as_coordinator):
    _save(coordinator)
    response = as_coordinator.post(reverse("meetings:committee_create"), {"name": "Labor working group"})
    assert response.status_code == 400 and "already exists" in response.content.decode()
    assert Committee.objects.count() == 1


def test_it_seeds_a_year_of_demo_meetings_and_trainings_once():
    call_command("seed_demo", stdout=io.StringIO())
    counts = [Meeting.objects.count(), Minutes.objects.count(), ActionItem.objects.count(), Training.objects.count()]
    call_command("seed_demo", stdout=io.StringIO())
    assert [
        Meeting.objects.count(),
        Minutes.objects.count(),
        ActionItem.objects.count(),
        Training.objects.count(),
    ] == counts
    assert counts[0] == 36 and counts[3] == 10
    assert Minutes.objects.filter(status=MinutesStatus.APPROVED).exists()
    assert AgendaItem.objects.filter(action_item__isnull=False).exists()  # open items carried over
    assert TrainingRegistration.objects.exists()
    for minutes in Minutes.objects.filter(meeting__kind="case_review"):
        assert not find_identifiers(minutes.body), "demo case-review minutes must pass the guard"


def test_it_shows_the_demo_coordinator_a_full_calendar():
    call_command("seed_demo", stdout=io.StringIO())
    from agencies.models import User

    coordinator = User.objects.get(email="coordinator@demo.example.org")
    assert coordinator.role == Role.COORDINATOR
    page = client_for(coordinator).get(reverse("meetings:calendar_list")).content.decode()
    assert "Full task force meeting" in page


def test_it_gives_grant_figures_as_counts_for_a_period():
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    figures = reporting.meeting_figures(start=today - timedelta(days=200), end=today)
    assert figures.meetings_held >= 15 and figures.agencies_attending >= 5
    trained = reporting.people_trained_by_sector(start=today - timedelta(days=200), end=today)
    assert sum(trained.values()) > 0 and set(trained) <= set(TrainingSector.values)
    assert reporting.trainings_delivered(start=today - timedelta(days=200), end=today) == 4
    assert reporting.meeting_figures(start=date(2001, 1, 1), end=date(2001, 12, 31)).meetings_held == 0
