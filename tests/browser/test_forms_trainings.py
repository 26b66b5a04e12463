"""Every training form, from Chromium, under the production security settings
(meetings/templates/meetings/). Forms, by test:

test_it_offers_changes_and_cancels_a_training
  - "Offer the training" and "Save changes" (training_form.html)
  - "Cancel the training" (training_detail.html)
test_it_registers_waitlists_and_moves_the_waiting_list_up_on_a_cancellation
  - "Register", "Join the waiting list", "Cancel my registration" (training_detail.html)
test_it_records_the_people_trained_after_a_training
  - "Record" people trained (people_trained_form.html)
test_it_takes_a_public_training_request_that_a_coordinator_routes_and_the_host_schedules
  - "Send the request", as an anonymous visitor (public_training_request.html)
  - "Assign" and "Update" of the request (training_request_detail.html)
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.roles import Role
from meetings.choices import RegistrationStatus, RequestStatus, TrainingSector
from meetings.models import PeopleTrained, Training, TrainingRegistration, TrainingRequest
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.factories import TrainingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def hospital() -> object:
    return AgencyFactory(name="Juniper General Hospital", sector="health")


@pytest.fixture
def hospital_admin(hospital) -> object:
    """An agency administrator: offers and hosts their agency's trainings."""
    return UserFactory(agency=hospital, role=Role.AGENCY_ADMIN, first_name="Dana", last_name="Okafor")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_offers_changes_and_cancels_a_training(page, live_server, hospital_admin, failed_responses):
    starts = (timezone.now() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)

    sign_in_as(page, live_server, hospital_admin)
    page.goto("/trainings/new/")
    page.get_by_label("Title").fill("Recognizing trafficking in the emergency room")
    page.get_by_label("Description").fill("Signs to look for, and how to make a warm referral.")
    page.get_by_role("group", name="Audience sectors").get_by_label("Health care").check()
    page.get_by_role("group", name="Audience sectors").get_by_label("Law enforcement").check()
    page.get_by_label("Starts").fill(_local(starts))
    page.get_by_label("Ends").fill(_local(starts + timedelta(hours=2)))
    page.get_by_label("Place").fill("Juniper General Hospital, room 3")
    page.get_by_label("Capacity").fill("25")
    page.get_by_label("Public: show it on the public training page and feed").check()
    submit(page, page.get_by_role("button", name="Offer the training"))
    page.get_by_text("Recognizing trafficking in the emergency room is on the training calendar.").wait_for()
    page.get_by_role("heading", name="Recognizing trafficking in the emergency room").wait_for()
    training = Training.objects.get()
    assert (training.host_agency, training.capacity, training.is_public) == (hospital_admin.agency, 25, True)
    assert training.starts_at == starts
    assert set(training.audiences.values_list("sector", flat=True)) == {"health_care", "law_enforcement"}

    page.get_by_role("link", name="Change the training").click()
    page.get_by_label("Capacity").fill("40")
    page.get_by_label("Place").fill("Juniper General Hospital, auditorium")
    submit(page, page.get_by_role("button", name="Save changes"))
    page.get_by_text("The training is updated.").wait_for()
    assert page.get_by_text("0 of 40 taken").is_visible()

    submit(page, page.get_by_role("button", name="Cancel the training"))
    page.get_by_text("The training is cancelled.").first.wait_for()
    training.refresh_from_db()
    assert (training.capacity, training.location) == (40, "Juniper General Hospital, auditorium")
    assert training.is_cancelled
    assert page.get_by_text("This training is cancelled.").is_visible()
    assert failed_responses == []


def test_it_registers_waitlists_and_moves_the_waiting_list_up_on_a_cancellation(
    page, live_server, hospital, failed_responses
):
    training = TrainingFactory(title="Labor trafficking basics", capacity=1, host_agency=hospital)
    first = UserFactory(agency=AgencyFactory(name="Juniper Valley School District"), role=Role.MEMBER)
    second = UserFactory(agency=AgencyFactory(name="Juniper Inn"), role=Role.MEMBER)

    sign_in_as(page, live_server, first)
    page.goto(f"/trainings/{training.pk}/")
    submit(page, page.get_by_role("button", name="Register"))
    page.get_by_text("You are registered.").first.wait_for()

    sign_in_as(page, live_server, second)
    page.goto(f"/trainings/{training.pk}/")
    submit(page, page.get_by_role("button", name="Join the waiting list"))
    page.get_by_text("You are on the waiting list.").first.wait_for()
    screenshot(page, "training-waiting-list")

    sign_in_as(page, live_server, first)
    page.goto(f"/trainings/{training.pk}/")
    submit(page, page.get_by_role("button", name="Cancel my registration"))
    page.get_by_text("Your registration is cancelled; your seat goes to the waiting list.").wait_for()
    # The seat went to the waiting list: the training is full again.
    page.get_by_role("button", name="Join the waiting list").wait_for()
    statuses = dict(TrainingRegistration.objects.filter(training=training).values_list("person", "status"))
    assert statuses == {first.pk: RegistrationStatus.CANCELLED, second.pk: RegistrationStatus.REGISTERED}
    assert failed_responses == []


def test_it_records_the_people_trained_after_a_training(page, live_server, hospital_admin, failed_responses):
    training = TrainingFactory(
        title="Hotel staff training",
        host_agency=hospital_admin.agency,
        starts_at=timezone.now() - timedelta(days=2),
        sectors=[TrainingSector.HOSPITALITY],
    )
    sign_in_as(page, live_server, hospital_admin)
    page.goto(f"/trainings/{training.pk}/")
    page.get_by_role("link", name="Record people trained").click()
    page.get_by_label("Hospitality").fill("18")
    page.get_by_label("Law enforcement").fill("2")
    submit(page, page.get_by_role("button", name="Record"))
    page.get_by_text("People trained are recorded for the grant report.").wait_for()
    assert page.get_by_text("Hospitality: 18").is_visible()
    counts = dict(PeopleTrained.objects.filter(training=training, count__gt=0).values_list("sector", "count"))
    assert counts == {"hospitality": 18, "law_enforcement": 2}
    assert failed_responses == []


def test_it_takes_a_public_training_request_that_a_coordinator_routes_and_the_host_schedules(
    page, live_server, settings, hospital_admin, failed_responses
):
    # Until the public pages stopped sending `Referrer-Policy: no-referrer`, Chromium posted this
    # form with `Origin: null` and CSRF checking answered 403 ("Origin checking failed - null").
    settings.MEETINGS_TRAINING_REQUEST_MIN_SECONDS = 1  # a person's pace, kept short for the test
    coordinator = UserFactory(agency=AgencyFactory(name="Safe Harbor", is_cochair=True), role=Role.COORDINATOR)
    training = TrainingFactory(title="Hotel staff training", host_agency=hospital_admin.agency)

    page.goto("/public/request-training/")
    shown = time.monotonic()
    page.get_by_label("Organization name").fill("Juniper Inn")
    page.get_by_label("Contact email").fill("frontdesk@juniper-inn.example.org")
    page.get_by_label("Topic").fill("Recognizing trafficking in hotels")
    page.get_by_label("Preferred dates").fill("Any weekday morning in May")
    # The honeypot stays empty: it is hidden from people (and from the accessibility tree).
    assert not page.get_by_role("textbox", name="Leave this field empty").count()
    time.sleep(max(0.0, 1.1 - (time.monotonic() - shown)))
    submit(page, page.get_by_role("button", name="Send the request"))
    page.get_by_role("heading", name="Thank you: your request is on its way").wait_for()
    request = TrainingRequest.objects.get()
    assert (request.organization, request.status) == ("Juniper Inn", RequestStatus.NEW)

    sign_in_as(page, live_server, coordinator)
    page.goto("/trainings/requests/")
    page.get_by_role("link", name="Juniper Inn").click()
    routing = page.get_by_role("group", name="Route to a host agency")
    routing.get_by_label("Host agency").select_option(label=hospital_admin.agency.name)
    submit(page, routing.get_by_role("button", name="Assign"))
    page.get_by_text(f"Routed to {hospital_admin.agency.name}.").wait_for()

    sign_in_as(page, live_server, hospital_admin)
    page.goto(f"/trainings/requests/{request.pk}/")
    tracking = page.get_by_role("group", name="Track the request")
    tracking.get_by_label("Status").select_option(label="Scheduled")
    tracking.get_by_label("The training (optional)").select_option(label=training.title)
    submit(page, tracking.get_by_role("button", name="Update"))
    page.get_by_text("The request is updated.").wait_for()
    request.refresh_from_db()
    assert (request.status, request.assigned_agency, request.training) == (
        RequestStatus.SCHEDULED,
        hospital_admin.agency,
        training,
    )
    assert failed_responses == []
