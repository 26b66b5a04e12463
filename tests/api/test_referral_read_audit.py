"""Reads of referrals leave the same audit rows from the web pages and the API (cases.access_audit)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from tests.cases.referral_helpers import send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _listed() -> list[dict]:
    return [row.detail for row in AuditEntry.objects.filter(event=AuditEvent.REFERRAL_LISTED).order_by("id")]


def test_it_records_each_list_shown_with_its_direction_and_channel(officer):
    client = client_for(officer)
    assert client.get(reverse("cases:referral_list"), {"direction": "outgoing"}).status_code == 200
    assert client.get("/api/v1/referrals/").status_code == 200
    assert client.get("/api/v1/referrals/?direction=incoming").status_code == 200
    assert _listed() == [
        {"direction": "outgoing"},
        {"direction": "all", "via": "api"},
        {"direction": "incoming", "via": "api"},
    ]
    assert set(AuditEntry.objects.filter(event=AuditEvent.REFERRAL_LISTED).values_list("actor", flat=True)) == {
        officer.pk
    }


def test_it_names_a_referral_shown_by_the_api_as_the_web_page_does(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    client = client_for(officer)
    assert client.get(reverse("cases:referral_detail", args=[referral.pk])).status_code == 200
    assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    web, api = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_VIEWED).order_by("id")
    named = ("target_type", "target_id", "target_label", "actor_id", "agency_id")
    assert [getattr(api, name) for name in named] == [getattr(web, name) for name in named]
    assert (api.target_id, api.target_label) == (str(referral.pk), referral.reference_code)
