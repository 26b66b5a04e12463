"""Services delivered: recorded by the receiving agency by type and month, on the web and the API alike."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.choices import Need, Status
from cases.models import ServiceDelivery
from cases.services import service_delivery_record
from tests.cases.referral_helpers import audit_rows, referral_in
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.IN_PROGRESS, Status.CLOSED])
def test_it_records_services_while_in_progress_and_when_closed_with_an_audit_row_each(
    status, officer, outsider_officer
):
    referral = referral_in(status, sender=officer, receiver=outsider_officer)
    rows = service_delivery_record(
        referral=referral, actor=outsider_officer, services=[Need.SHELTER, Need.LEGAL], month=timezone.localdate()
    )
    assert {(row.service, row.month) for row in rows} == {("shelter", this_month()), ("legal", this_month())}
    trail = audit_rows(AuditEvent.SERVICE_DELIVERY_RECORDED, referral)
    assert sorted(entry.detail["service"] for entry in trail) == ["legal", "shelter"]
    assert {entry.detail["month"] for entry in trail} == {f"{this_month():%Y-%m}"}


@pytest.mark.parametrize("status", [Status.SENT, Status.DECLINED, Status.WITHDRAWN])
def test_it_refuses_services_on_a_referral_not_taken_on(status, officer, outsider_officer):
    referral = referral_in(status, sender=officer, receiver=outsider_officer)
    with pytest.raises(ValidationError, match="once the referral is accepted"):
        service_delivery_record(referral=referral, actor=outsider_officer, services=["shelter"], month=this_month())
    assert not ServiceDelivery.objects.exists()


def test_it_lets_only_the_receiving_agency_record(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    with pytest.raises(PermissionDenied):
        service_delivery_record(referral=referral, actor=officer, services=["shelter"], month=this_month())
    assert not ServiceDelivery.objects.exists()


def test_it_refuses_a_future_month_a_month_before_sending_and_the_same_service_twice(officer, outsider_officer):
    with time_machine.travel(timezone.now().replace(day=15)):
        referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
        record = {"referral": referral, "actor": outsider_officer, "services": ["medical"]}
        with pytest.raises(ValidationError, match="cannot be in the future"):
            service_delivery_record(**record, month=date(this_month().year + 1, 1, 1))
        with pytest.raises(ValidationError, match="from the one the referral was sent in"):
            service_delivery_record(**record, month=date(this_month().year - 1, 1, 1))
        service_delivery_record(**record, month=this_month())
        with pytest.raises(ValidationError, match="Already recorded for"):
            service_delivery_record(**{**record, "services": ["medical", "legal"]}, month=this_month())
    assert list(ServiceDelivery.objects.values_list("service", flat=True)) == ["medical"]


# --- the web page --------------------------------------------------------------------------------------------


def test_it_records_from_the_referrals_page_and_shows_the_services_to_both_agencies(officer, outsider_officer):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    url = reverse("cases:referral_services", args=[referral.pk])
    month = f"{this_month():%Y-%m}"
    response = client_for(outsider_officer).post(url, {"services": ["shelter", "medical"], "month": month})
    assert response.status_code == 302
    assert sorted(ServiceDelivery.objects.values_list("service", flat=True)) == ["medical", "shelter"]
    sender_page = client_for(officer).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert "Shelter or housing" in sender_page and "Record services" not in sender_page
    receiver_page = client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk]))
    assert "Record services" in receiver_page.content.decode()


def test_it_shows_the_form_again_with_the_reason_when_refused(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    url = reverse("cases:referral_services", args=[referral.pk])
    client = client_for(outsider_officer)
    assert client.post(url, {"services": ["shelter"], "month": "not a month"}).status_code == 400
    client.post(url, {"services": ["shelter"], "month": f"{this_month():%Y-%m}"})
    twice = client.post(url, {"services": ["shelter"], "month": f"{this_month():%Y-%m}"})
    assert twice.status_code == 400 and "Already recorded for" in twice.content.decode()
    assert ServiceDelivery.objects.count() == 1


def _stranger(officer):
    """A referral officer of an agency party to none of the referrals."""
    return UserFactory(agency=AgencyFactory(name="Third Agency Clinic"), role=officer.role)


def test_it_answers_404_to_another_agency_and_turns_the_sender_away(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    data = {"services": ["shelter"], "month": f"{this_month():%Y-%m}"}
    stranger = client_for(_stranger(officer))
    assert stranger.post(reverse("cases:referral_services", args=[referral.pk]), data).status_code == 404
    sender = client_for(officer).post(reverse("cases:referral_services", args=[referral.pk]), data)
    assert sender.status_code == 302 and not ServiceDelivery.objects.exists()


# --- the API ---------------------------------------------------------------------------------------------------


def test_it_lists_and_records_services_through_the_api_under_the_same_rules(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    url = f"/api/v1/referrals/{referral.pk}/services/"
    body = {"service": "legal", "month": timezone.localdate().isoformat()}
    created = client_for(outsider_officer).post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["service"] == "legal" and created.json()["month"] == this_month().isoformat()
    twice = client_for(outsider_officer).post(url, body, content_type="application/json")
    assert twice.status_code == 400 and "Already recorded for" in twice.json()["services"][0]
    assert client_for(officer).post(url, body, content_type="application/json").status_code == 403
    listed = client_for(officer).get(url).json()
    assert [(row["service"], row["month"]) for row in listed] == [("legal", this_month().isoformat())]
    assert client_for(outsider_officer).get(url).json() == listed


def test_it_answers_404_through_the_api_to_an_agency_that_cannot_see_the_referral(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    stranger = _stranger(officer)
    url = f"/api/v1/referrals/{referral.pk}/services/"
    assert client_for(stranger).get(url).status_code == 404
    body = {"service": "legal", "month": timezone.localdate().isoformat()}
    assert client_for(stranger).post(url, body, content_type="application/json").status_code == 404
