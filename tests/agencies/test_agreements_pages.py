"""The coordinators' pages of data-sharing agreements: the gaps, recording one, ending one in error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.agreements import agreement_today
from agencies.models import AgreementKind, DataSharingAgreement
from audit.models import AuditEntry, AuditEvent
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _form(agency, **overrides):
    today = agreement_today()
    data = {
        "agency": agency.pk,
        "kind": "info_sharing_protocol",
        "signed_on": (today - timedelta(days=1)).isoformat(),
        "expires_on": (today + timedelta(days=400)).isoformat(),
        "scope": ["referrals", "case_review"],
        "note": "",
    }
    data.update(overrides)
    return data


def test_it_lists_the_agencies_without_one_lapsing_and_current(as_coordinator):
    today = agreement_today()
    AgencyFactory(name="Lantern Legal Aid", with_agreement=False)
    expired = AgencyFactory(name="New Roots Immigrant Services", with_agreement=False)
    DataSharingAgreement.objects.create(
        agency=expired,
        kind=AgreementKind.MOU,
        signed_on=today - timedelta(days=800),
        expires_on=today - timedelta(days=3),
        covers_referrals=True,
    )
    lapsing = AgencyFactory(name="Bridgeway Family Services", with_agreement=False)
    DataSharingAgreement.objects.create(
        agency=lapsing,
        kind=AgreementKind.INFO_SHARING_PROTOCOL,
        signed_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=20),
        covers_referrals=True,
    )
    page = as_coordinator.get(reverse("agencies:agreements")).content.decode()
    without = page[page.index("Without a current agreement") : page.index("Lapsing within")]
    assert "Without a current agreement: no referrals (2)" in page
    assert "Lantern Legal Aid" in without and "None recorded" in without
    assert "New Roots Immigrant Services" in without and "Expired" in without
    lapsing_part = page[page.index("Lapsing within 60 days") : page.index("Current (")]
    assert "Bridgeway Family Services" in lapsing_part and "Record the renewal" in lapsing_part
    assert f"{reverse('agencies:agreement_create')}?agency={lapsing.pk}" in lapsing_part
    assert "Safe Harbor Test Center" in page[page.index("Current (") :]


def test_it_shows_the_gaps_in_the_same_number_of_queries_for_few_and_many_agencies(as_coordinator):
    as_coordinator.get(reverse("agencies:agreements"))  # the session's first request records it once
    counts = []
    for extra in (1, 25):
        for _ in range(extra):
            AgencyFactory()
        with CaptureQueriesContext(connection) as queries:
            assert as_coordinator.get(reverse("agencies:agreements")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_records_an_agreement_from_the_form_with_the_agency_preselected(as_coordinator, coordinator):
    clinic = AgencyFactory(name="Juniper General Hospital", with_agreement=False)
    url = reverse("agencies:agreement_create")
    form = as_coordinator.get(f"{url}?agency={clinic.pk}").content.decode()
    assert f'<option value="{clinic.pk}" selected>Juniper General Hospital</option>' in form
    response = as_coordinator.post(url, _form(clinic, note="Copy filed with the co-chairs."))
    assert response.status_code == 302 and response["Location"] == reverse("agencies:agreements")
    agreement = DataSharingAgreement.objects.get(agency=clinic)
    assert (agreement.covers_referrals, agreement.covers_case_review, agreement.covers_reports) == (True, True, False)
    assert agreement.recorded_by == coordinator and agreement.note == "Copy filed with the co-chairs."
    followed = as_coordinator.get(response["Location"]).content.decode()
    assert "The information-sharing protocol of Juniper General Hospital is recorded." in followed


def test_it_shows_the_errors_by_their_boxes_and_records_nothing(as_coordinator):
    clinic = AgencyFactory(with_agreement=False)
    today = agreement_today()
    response = as_coordinator.post(
        reverse("agencies:agreement_create"),
        _form(clinic, scope=[], expires_on=(today - timedelta(days=5)).isoformat(), note="Call 414-555-0137"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say what the agreement covers" in page and "Nothing was recorded." in page
    assert not DataSharingAgreement.objects.filter(agency=clinic).exists()
    # The service's refusals once the form is complete, all at once: the expiry, and the guard on the note.
    response = as_coordinator.post(
        reverse("agencies:agreement_create"),
        _form(
            clinic,
            signed_on=(today - timedelta(days=400)).isoformat(),
            expires_on=(today - timedelta(days=5)).isoformat(),
            note="Call 414-555-0137",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already expired" in page and 'id="id_expires_on_error"' in page
    assert 'aria-describedby="id_expires_on_error id_expires_on_helptext"' in page
    assert "phone number" in page and 'id="id_note_error"' in page
    assert not DataSharingAgreement.objects.filter(agency=clinic).exists()


def test_it_asks_for_confirmation_before_ending_an_agreement(as_coordinator, agency):
    agreement = DataSharingAgreement.objects.get(agency=agency)
    url = reverse("agencies:agreement_end", args=[agreement.pk])
    confirmation = as_coordinator.get(url).content.decode()
    assert "End an agreement recorded in error" in confirmation and "This cannot be undone." in confirmation
    agreement.refresh_from_db()
    assert agreement.ended_at is None
    response = as_coordinator.post(url)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ended_at is not None
    assert AuditEntry.objects.filter(event=AuditEvent.AGREEMENT_ENDED, target_id=str(agreement.pk)).exists()
    assert "already ended" in as_coordinator.get(url).content.decode()


def test_it_refuses_the_pages_to_other_roles(as_admin, as_member, agency):
    agreement = DataSharingAgreement.objects.get(agency=agency)
    for client in (as_admin, as_member):
        assert client.get(reverse("agencies:agreements")).status_code == 403
        assert client.post(reverse("agencies:agreement_create"), _form(agency)).status_code == 403
        assert client.post(reverse("agencies:agreement_end", args=[agreement.pk])).status_code == 404
    assert DataSharingAgreement.objects.filter(ended_at__isnull=True).count() == 1


def test_it_shows_the_agreement_on_the_agency_page_to_coordinators_only(as_coordinator, as_member, other_agency):
    url = reverse("agencies:detail", args=[other_agency.pk])
    coordinator_page = as_coordinator.get(url).content.decode()
    assert "Data-sharing agreement" in coordinator_page and "with no end date" in coordinator_page
    assert "Data-sharing agreement" not in as_member.get(url).content.decode()
    DataSharingAgreement.objects.filter(agency=other_agency).delete()
    assert "Referrals cannot go to or from this agency" in as_coordinator.get(url).content.decode()
