"""The rule of referrals: to or from an agency without a current agreement covering referrals, refused
with a clear message (cases.services.referral_send: the web form, the API and the CSV import alike);
and, to an agency whose service profile requires a signed release, refused without consent."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.agreements import agreement_end, agreement_today
from agencies.models import AgreementKind, DataSharingAgreement
from agencies.roles import Role
from cases.imports import referrals_import_csv
from cases.models import Referral
from directory.models import ServiceProfile
from tests.cases.referral_helpers import send, valid_consent
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    """A receiving agency without any agreement."""
    return AgencyFactory(name="Juniper General Hospital", sector="health", with_agreement=False)


def _agreement(agency, *, signed_on, expires_on=None, **scope):
    return DataSharingAgreement.objects.create(
        agency=agency,
        kind=AgreementKind.MOU,
        signed_on=signed_on,
        expires_on=expires_on,
        **{"covers_referrals": True, **scope},
    )


def test_it_refuses_a_referral_to_an_agency_without_an_agreement_and_says_what_to_do(officer, clinic):
    with pytest.raises(ValidationError) as refused:
        send(officer, clinic)
    message = refused.value.message_dict["receiving_agency"][0]
    assert message.startswith("Juniper General Hospital has no current data-sharing agreement with the task force")
    assert "covering referrals" in message and "coordinator records it" in message
    assert reverse("agencies:agreements") in message
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_from_an_agency_without_an_agreement(clinic, other_agency):
    nurse = UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER)
    with pytest.raises(ValidationError) as refused:
        send(nurse, other_agency, consent=False)
    message = refused.value.message_dict["receiving_agency"][0]
    assert message.startswith("Your agency (Juniper General Hospital) has no current data-sharing agreement")
    assert "Elsewhere County Sheriff" not in message


def test_it_names_both_agencies_when_neither_has_one(clinic):
    shelter = AgencyFactory(name="Bridgeway Family Services", with_agreement=False)
    advocate = UserFactory(agency=shelter, role=Role.REFERRAL_OFFICER)
    with pytest.raises(ValidationError) as refused:
        send(advocate, clinic, consent=False)
    assert refused.value.message_dict["receiving_agency"][0].startswith(
        "Juniper General Hospital and your agency (Bridgeway Family Services) have no current"
    )


@pytest.mark.parametrize(
    "kind_of_gap",
    ["expired", "not yet signed", "covers reports only", "ended as recorded in error"],
)
def test_it_refuses_an_agreement_that_does_not_hold_today(officer, clinic, coordinator, kind_of_gap):
    today = agreement_today()
    if kind_of_gap == "expired":
        _agreement(clinic, signed_on=today - timedelta(days=400), expires_on=today - timedelta(days=1))
    elif kind_of_gap == "not yet signed":
        _agreement(clinic, signed_on=today + timedelta(days=1))
    elif kind_of_gap == "covers reports only":
        _agreement(clinic, signed_on=today, covers_referrals=False, covers_reports=True)
    else:
        agreement_end(actor=coordinator, agreement=_agreement(clinic, signed_on=today))
    with pytest.raises(ValidationError) as refused:
        send(officer, clinic)
    assert "no current data-sharing agreement" in refused.value.message_dict["receiving_agency"][0]


def test_it_sends_on_the_last_day_of_the_agreement_and_refuses_the_day_after(officer, clinic):
    _agreement(clinic, signed_on=date(2025, 7, 1), expires_on=date(2026, 6, 30))
    # 23:30 on June 30 in Chicago (04:30 UTC on July 1): still the last day in force.
    with time_machine.travel(datetime(2026, 7, 1, 4, 30, tzinfo=UTC), tick=False):
        assert send(officer, clinic).receiving_agency == clinic
    with time_machine.travel(datetime(2026, 7, 1, 6, 0, tzinfo=UTC), tick=False), pytest.raises(ValidationError):
        send(officer, clinic)
    assert Referral.objects.count() == 1


def test_it_shows_the_refusal_on_the_web_form(officer, clinic):
    today = agreement_today()
    form = {
        "receiving_agency": clinic.pk,
        "urgency": "urgent",
        "trafficking_type": "labor",
        "victim_status": "potential",
        "age_band": "18_24",
        "gender": "non_binary",
        "citizenship": "unknown",
        "county": "Juniper County",
        "language": "es",
        "source_type": "hotline",
        "needs": ["shelter"],
        "consent_method": "written",
        "consent_given_on": today.isoformat(),
        "consent_scope": "facts",
        "consent_expires_on": (today + timedelta(days=60)).isoformat(),
    }
    response = client_for(officer).post(reverse("cases:referral_create"), form)
    assert response.status_code == 400
    assert "Juniper General Hospital has no current data-sharing agreement" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_refuses_through_the_api_with_a_400_on_the_receiving_agency(officer, clinic):
    consent = valid_consent()
    body = {
        "receiving_agency": clinic.pk,
        "trafficking_type": "sex",
        "victim_status": "confirmed",
        "age_band": "25_59",
        "gender": "woman",
        "citizenship": "unknown",
        "county": "Juniper County",
        "language": "en",
        "source_type": "hotline",
        "needs": ["shelter"],
        "consent": {
            "method": consent.method,
            "given_on": consent.given_on.isoformat(),
            "scope": consent.scope,
            "expires_on": consent.expires_on.isoformat(),
        },
    }
    answer = client_for(officer).post("/api/v1/referrals/", body, content_type="application/json")
    assert answer.status_code == 400
    assert "no current data-sharing agreement" in answer.json()["receiving_agency"][0]
    assert not Referral.objects.exists()


def test_it_imports_no_row_of_a_csv_when_one_receiver_lacks_an_agreement(officer, clinic, other_agency):
    today = agreement_today()
    header = (
        "receiving_agency,urgency,trafficking_type,victim_status,age_band,gender,citizenship,county,language,"
        "interpreter_needed,source_type,needs,note,consent_method,consent_given_on,consent_scope,consent_expires_on\n"
    )

    def row(name: str) -> str:
        return (
            f"{name},routine,labor,potential,25_59,man,unknown,Juniper County,es,yes,hotline,shelter,,"
            f"written,{today},facts,{today + timedelta(days=60)}\n"
        )

    stream = io.BytesIO((header + row(other_agency.name) + row(clinic.name)).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    assert report.created == []
    assert any(
        "Row 3, receiving_agency: Juniper General Hospital has no current data-sharing agreement" in problem
        for problem in report.errors
    )
    assert not Referral.objects.exists()


def test_it_refuses_without_consent_when_the_receiver_requires_a_signed_release(agency, outsider_officer):
    ServiceProfile.objects.create(agency=agency, requires_release=True)
    with pytest.raises(ValidationError) as refused:
        send(outsider_officer, agency, consent=False)
    message = refused.value.message_dict["consent"][0]
    assert message.startswith("Safe Harbor Test Center takes referrals only with the survivor's signed release")
    assert not Referral.objects.exists()
    assert send(outsider_officer, agency, consent=True).consent is not None


def test_it_needs_no_consent_from_a_non_confidential_sender_without_such_a_release(agency, outsider_officer):
    assert send(outsider_officer, agency, consent=False).consent is None  # no service profile
    ServiceProfile.objects.create(agency=agency, requires_release=False)
    agency.refresh_from_db()
    assert send(outsider_officer, agency, consent=False).consent is None
