"""Referrals through the web pages and the API: the same rules, 404s, 409s and the guard."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from cases.models import Referral
from cases.services import consent_revoke
from tests.cases.referral_helpers import PHONE_DIGITS, PHONE_NOTE, send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _form(receiver_pk: int, **overrides: str) -> dict[str, object]:
    data = {
        "receiving_agency": receiver_pk,
        "urgency": "urgent",
        "trafficking_type": "labor",
        "victim_status": "potential",
        "age_band": "18_24",
        "gender": "non_binary",
        "citizenship": "unknown",
        "county": "Juniper County",
        "language": "es",
        "interpreter_needed": "on",
        "source_type": "hotline",
        "needs": ["shelter", "legal"],
        "note": "Prefers afternoon calls.",
        "consent_method": "written",
        "consent_given_on": "2026-11-20",
        "consent_scope": "facts",
        "consent_expires_on": "2027-01-20",
    }
    data.update(overrides)
    return data


def test_it_sends_a_referral_from_the_web_form_with_consent(officer, other_agency):
    response = client_for(officer).post(reverse("cases:referral_create"), _form(other_agency.pk))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:referral_detail", args=[referral.pk])
    assert referral.consent.receiving_agency == other_agency
    assert sorted(n.need for n in referral.needs.all()) == ["legal", "shelter"]


def test_it_refuses_an_open_ended_consent_in_the_form(officer, other_agency):
    response = client_for(officer).post(
        reverse("cases:referral_create"), _form(other_agency.pk, consent_expires_on="2030-01-01")
    )
    assert response.status_code == 400
    assert "time-limited" in response.content.decode()
    assert not Referral.objects.exists()


def test_it_proposes_a_default_consent_expiry(officer):
    page = client_for(officer).get(reverse("cases:referral_create")).content.decode()
    assert 'name="consent_expires_on"' in page and 'value="20' in page


def test_it_refuses_an_identifier_in_the_note_without_echoing_it(officer, other_agency):
    response = client_for(officer).post(reverse("cases:referral_create"), _form(other_agency.pk, note=PHONE_NOTE))
    page = response.content.decode()
    assert response.status_code == 400
    assert "a phone number" in page and "characters 6-17" in page
    assert not any(digits in page for digits in PHONE_DIGITS)
    assert not Referral.objects.exists()
    refused = AuditEntry.objects.get(event=AuditEvent.DEIDENTIFICATION_REFUSED)
    assert refused.detail == {"field": "note", "kinds": ["phone"]}


def test_it_warns_before_submit_through_the_check_endpoint(officer):
    client = client_for(officer)
    url = reverse("cases:check_text")
    found = client.post(url, {"fields": {"note": "Reach her at rosa@example.org"}}, content_type="application/json")
    [finding] = found.json()["fields"]["note"]
    assert finding["kind"] == "email" and finding["label"] == "an email address"
    assert "rosa@" not in found.content.decode()
    clean = client.post(url, {"fields": {"note": "Age 17, needs shelter"}}, content_type="application/json")
    assert clean.json() == {"fields": {"note": []}}
    assert client.post(url, "not json", content_type="application/json").status_code == 400


def test_it_answers_409_with_the_allowed_moves_on_the_web_and_the_api(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    web = client_for(officer).post(reverse("cases:referral_transition", args=[referral.pk]), {"move": "accept"})
    sentence = "Only the receiving agency can accept this referral now. You can: withdraw it."
    assert web.status_code == 409 and sentence in web.content.decode()
    api = client_for(officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/", {"move": "accept"}, content_type="application/json"
    )
    assert api.status_code == 409
    assert api.json() == {"detail": sentence, "allowed_moves": ["withdraw"]}
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_it_moves_a_referral_through_the_api(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    receiver = client_for(outsider_officer)
    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    assert receiver.post(url, {"move": "accept"}, content_type="application/json").json()["status"] == "accepted"
    closed = receiver.post(url, {"move": "close", "reason": "services_provided"}, content_type="application/json")
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "services_provided"
    missing_reason = receiver.post(url, {"move": "reopen"}, content_type="application/json")
    assert missing_reason.status_code == 400 and "note" in missing_reason.json()


def test_it_sends_through_the_api_and_refuses_identifiers_there_too(officer, other_agency):
    client = client_for(officer)
    body = {
        "receiving_agency": other_agency.pk,
        "trafficking_type": "sex",
        "victim_status": "confirmed",
        "age_band": "12_17",
        "gender": "woman",
        "citizenship": "citizen_or_lpr",
        "county": "Juniper County",
        "language": "en",
        "source_type": "school",
        "needs": ["shelter"],
        "note": PHONE_NOTE,
        "consent": {"method": "written", "given_on": "2026-11-20", "scope": "facts", "expires_on": "2027-01-01"},
    }
    refused = client.post("/api/v1/referrals/", body, content_type="application/json")
    assert refused.status_code == 400 and "a phone number" in refused.json()["note"][0]
    assert not any(digits in refused.content.decode() for digits in PHONE_DIGITS)
    created = client.post("/api/v1/referrals/", {**body, "note": "Needs shelter."}, content_type="application/json")
    assert created.status_code == 201 and created.json()["reference_code"].startswith("JUN-")
    no_consent = client.post(
        "/api/v1/referrals/", {**body, "note": "", "consent": None}, content_type="application/json"
    )
    assert no_consent.status_code == 400 and "consent" in no_consent.json()


def test_it_answers_404_to_coordinators_and_grant_managers_on_a_referral(
    officer, other_agency, coordinator, grant_manager
):
    referral = send(officer, other_agency)
    for person in (coordinator, grant_manager):
        assert client_for(person).get(reverse("cases:referral_detail", args=[referral.pk])).status_code == 404
        assert client_for(person).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_it_tells_the_receiver_when_consent_ends_without_details(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency, note="Prefers afternoon calls.")
    receiver = client_for(outsider_officer)
    assert receiver.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    consent_revoke(referral=referral, actor=officer)
    assert receiver.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    assert receiver.get("/api/v1/referrals/").json()["results"] == []
    page = receiver.get(reverse("cases:referral_list")).content.decode()
    assert "1 referral sent to your agency is no longer available" in page
    assert referral.reference_code not in page and "afternoon" not in page


def test_it_shows_the_sender_who_viewed_its_referral(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk]))
    sender_page = client_for(officer).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert "Who viewed or changed this referral" in sender_page and outsider_officer.email in sender_page
    receiver_page = (
        client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    )
    assert "Who viewed or changed this referral" not in receiver_page


def test_it_lists_referrals_with_a_constant_number_of_queries(officer, other_agency):
    client = client_for(officer)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    send(officer, other_agency)
    for url in ("/api/v1/referrals/", reverse("cases:referral_list") + "?direction=outgoing"):
        count(url)
        one = count(url)
        for _ in range(12):
            send(officer, other_agency)
        assert count(url) == one, url


def test_it_imports_a_csv_all_or_nothing_through_the_guard(officer, other_agency, tmp_path):
    header = (
        "receiving_agency,urgency,trafficking_type,victim_status,age_band,gender,citizenship,county,language,"
        "interpreter_needed,source_type,needs,note,consent_method,consent_given_on,consent_scope,consent_expires_on\n"
    )
    good = (
        f"{other_agency.name},routine,labor,potential,25_59,man,unknown,Juniper County,es,yes,hotline,"
        "shelter;legal,,written,2026-11-20,facts,2027-01-20\n"
    )
    leaky = good.replace(",,written", ",call 414-555-0137,written")
    path = tmp_path / "referrals.csv"
    path.write_text(header + good + leaky)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_referrals", str(path), "--as", officer.email, stderr=errors)
    assert "Row 3, note: This text looks like it contains a phone number" in errors.getvalue()
    assert "555" not in errors.getvalue()
    assert not Referral.objects.exists()

    path.write_text(header + good + good)
    out = io.StringIO()
    call_command("import_referrals", str(path), "--as", officer.email, stdout=out)
    assert Referral.objects.count() == 2 and "Imported 2 referral(s)" in out.getvalue()


def test_it_exports_coded_fields_only_as_csv_and_xlsx(officer, outsider_officer, other_agency):
    import csv as csv_module

    from openpyxl import load_workbook

    from tests.factories import AgencyFactory

    mine = send(officer, other_agency, note="Prefers afternoon calls.")
    send(outsider_officer, AgencyFactory(name="Unrelated Clinic"), consent=None)  # not ours: not exported
    client = client_for(officer)
    response = client.get(reverse("cases:referral_export_csv"))
    text = b"".join(response.streaming_content).decode()
    rows = list(csv_module.reader(io.StringIO(text)))
    assert rows[0][:3] == ["sent (date)", "direction", "status"]
    assert len(rows) == 2 and rows[1][1] == "sent"
    assert mine.reference_code not in text and "afternoon" not in text
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("cases:referral_export_xlsx")).streaming_content)))
    sheet = workbook["Referrals"]
    assert sheet.max_row == 2 and sheet.cell(2, 2).value == "sent"
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORTED, actor=officer).count() == 2


def test_the_api_detail_is_the_list_row_of_the_same_referral(officer, outsider_officer):
    sent = send(officer, outsider_officer.agency, note="Prefers afternoon calls.")
    client = client_for(outsider_officer)
    listed = client.get("/api/v1/referrals/?direction=incoming").json()["results"]
    detail = client.get(f"/api/v1/referrals/{sent.pk}/").json()
    assert listed == [detail]
    assert detail["reference_code"] == sent.reference_code and detail["consent"]["in_force"] is True
    assert detail["needs"] and detail["note"] == "Prefers afternoon calls."
    viewed = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_VIEWED).get()
    assert viewed.target_id == str(sent.pk) and viewed.target_label == sent.reference_code
    assert viewed.target_type == "cases.referral" and viewed.actor_id == outsider_officer.pk
