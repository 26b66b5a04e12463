"""Trainings: offered by member agencies, registration with a waiting list, people trained by sector."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import RegistrationStatus, TrainingSector
from meetings.models import PeopleTrained, Training, TrainingRegistration
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.meetings.factories import TrainingFactory

pytestmark = pytest.mark.django_db


def _data(agency, **overrides):
    start = timezone.now() + timedelta(days=20)
    values = {
        "title": "Recognizing trafficking in hotels",
        "description": "For front-desk and housekeeping staff.",
        "host_agency": agency,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 2,
        "is_public": True,
        "sectors": [TrainingSector.HOSPITALITY],
        "location": "Juniper Inn, ballroom",
    }
    values.update(overrides)
    return services.TrainingInput(**values)


def test_it_lets_an_agency_administrator_offer_trainings_of_their_own_agency_only(agency_admin, other_agency):
    training = services.training_offer(actor=agency_admin, data=_data(agency_admin.agency))
    assert list(training.audiences.values_list("sector", flat=True)) == ["hospitality"]
    with pytest.raises(ValidationError) as refused:
        services.training_offer(actor=agency_admin, data=_data(other_agency))
    assert "host_agency" in refused.value.message_dict
    assert AuditEntry.objects.filter(event=AuditEvent.TRAINING_CHANGED).count() == 1


def test_it_lets_coordinators_offer_for_any_agency_and_refuses_members(coordinator, member, other_agency):
    services.training_offer(actor=coordinator, data=_data(other_agency))
    with pytest.raises(PermissionDenied):
        services.training_offer(actor=member, data=_data(member.agency))


def test_it_refuses_a_training_without_an_audience_or_a_place(coordinator):
    with pytest.raises(ValidationError) as refused:
        services.training_offer(actor=coordinator, data=_data(coordinator.agency, sectors=[], location=""))
    assert {"sectors", "location"} <= set(refused.value.message_dict)
    assert not Training.objects.exists()


def test_it_fills_seats_then_the_waiting_list_and_promotes_in_order(coordinator, agency):
    training = services.training_offer(actor=coordinator, data=_data(agency))
    people = [UserFactory(agency=agency) for _ in range(4)]
    statuses = [services.training_register(actor=p, training=training).status for p in people]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    assert services.training_register(actor=people[0], training=training).status == "registered"  # harmless again
    services.training_unregister(actor=people[1], training=training)
    status = dict(TrainingRegistration.objects.values_list("person_id", "status"))
    assert (
        status[people[2].pk] == RegistrationStatus.REGISTERED and status[people[3].pk] == RegistrationStatus.WAITLISTED
    )


def test_it_promotes_the_waiting_list_when_capacity_grows(coordinator, agency):
    training = services.training_offer(actor=coordinator, data=_data(agency, capacity=1))
    waiting = [UserFactory(agency=agency) for _ in range(2)]
    for person in waiting:
        services.training_register(actor=person, training=training)
    services.training_update(actor=coordinator, training=training, data=_data(agency, capacity=2))
    assert TrainingRegistration.objects.filter(status=RegistrationStatus.REGISTERED).count() == 2


def test_it_closes_registration_when_the_training_starts_or_is_cancelled(coordinator, member):
    started = TrainingFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="closed"):
        services.training_register(actor=member, training=started)
    cancelled = services.training_cancel(actor=coordinator, training=TrainingFactory())
    with pytest.raises(ValidationError, match="cancelled"):
        services.training_register(actor=member, training=cancelled)


def test_it_records_people_trained_by_sector_after_the_training(coordinator, agency):
    training = TrainingFactory(host_agency=agency)
    with pytest.raises(ValidationError, match="ended"):
        services.people_trained_record(actor=coordinator, training=training, counts={"health_care": 12})
    training.starts_at, training.ends_at = timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1)
    training.save()
    services.people_trained_record(actor=coordinator, training=training, counts={"health_care": 12, "community": 0})
    services.people_trained_record(actor=coordinator, training=training, counts={"health_care": 14, "schools": 3})
    assert dict(PeopleTrained.objects.values_list("sector", "count")) == {"health_care": 14, "schools": 3}
    assert AuditEntry.objects.filter(event=AuditEvent.TRAINING_PEOPLE_TRAINED).count() == 2


def test_it_answers_404_to_another_agencys_administrator_for_host_pages(agency, outsider):
    training = TrainingFactory(host_agency=agency)
    client = client_for(outsider)
    assert client.get(reverse("meetings:training_detail", args=[training.pk])).status_code == 200
    for name in ("training_edit", "training_people_trained"):
        assert client.get(reverse(f"meetings:{name}", args=[training.pk])).status_code == 404


def test_it_registers_from_the_training_page(member, as_member):
    training = TrainingFactory(capacity=1)
    page = as_member.post(reverse("meetings:training_register", args=[training.pk])).content.decode()
    assert "You are registered." in page and "Cancel my registration" in page


def test_it_offers_a_training_through_the_web_form(agency_admin, as_admin):
    response = as_admin.post(
        reverse("meetings:training_create"),
        {
            "title": "Signs of exploitation",
            "description": "For counselors.",
            "sectors": ["schools", "community"],
            "host_agency": agency_admin.agency_id,
            "starts_at": "2031-05-06T13:00",
            "ends_at": "2031-05-06T15:00",
            "capacity": "30",
            "location": "District office",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert not training.is_public and training.starts_at.isoformat() == "2031-05-06T18:00:00+00:00"


def test_it_shows_only_public_trainings_on_the_public_pages(as_member):
    public, private = TrainingFactory(is_public=True), TrainingFactory(is_public=False)
    page = Client().get(reverse("meetings:public_training_list")).content.decode()
    assert public.title in page and private.title not in page
    assert Client().get(reverse("meetings:public_training_detail", args=[private.pk])).status_code == 404
    # The public page shows public trainings only, even to a signed-in member.
    assert as_member.get(reverse("meetings:public_training_detail", args=[private.pk])).status_code == 404
