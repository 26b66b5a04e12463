"""Person codes: issued at random by the portal, typed again to refer the same person, seen as referrals are."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from audit.models import AuditEntry
from cases import person_codes
from cases.deidentification import find_identifiers
from cases.imports import referrals_import_csv
from cases.models import PersonCode, Referral
from cases.person_codes import person_code_generate, person_code_normalize
from cases.services import PERSON_CODE_TYPO, PERSON_CODE_UNKNOWN, consent_revoke, person_code_issue
from digests.delivery import deliveries_send
from digests.models import DigestPlannerState
from digests.notifications import notification_fan_out
from digests.planner import digests_plan
from tests.cases.referral_helpers import send, stored_counts
from tests.conftest import client_for
from tests.digests.helpers import LONG_AGO, digest_rows, prefer, sent_to
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SHAPE = re.compile(r"PC-[0-9BCDFGHJKMNPQRSTVWXZ]{3}-[0-9BCDFGHJKMNPQRSTVWXZ]{3}-[0-9BCDFGHJKMNPQRSTVWXZ]{3}")


@pytest.fixture
def third_officer(db: None):
    """A referral officer of an agency party to none of the referrals below."""
    return UserFactory(agency=AgencyFactory(name="Third Agency Clinic", sector="health"), role=Role.REFERRAL_OFFICER)


# --- the code itself -----------------------------------------------------------------------------------


def test_it_draws_random_codes_of_the_published_shape_with_a_valid_check():
    codes = {person_code_generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(SHAPE.fullmatch(code) and person_code_normalize(code) == code for code in codes)


def test_it_reads_a_code_as_people_type_it():
    code = person_code_generate()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert person_code_normalize(typed) == code
    assert person_code_normalize(code.removeprefix("PC-")) == code


def test_it_catches_every_single_typo_and_every_swap():
    code = person_code_generate()
    body = code.replace("PC-", "").replace("-", "")
    for i in range(9):
        for other in person_codes.ALPHABET:
            if other != body[i]:
                assert person_code_normalize(body[:i] + other + body[i + 1 :]) is None
        for j in range(i + 1, 9):
            swapped = list(body)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            if swapped != list(body):
                assert person_code_normalize("".join(swapped)) is None


def test_it_issues_codes_for_the_agency_of_the_person_acting_only(officer, outsider_officer):
    issued = person_code_issue(agency=officer.agency, actor=officer)
    assert issued.issued_by == officer.agency and SHAPE.fullmatch(issued.code)
    with pytest.raises(PermissionDenied):
        person_code_issue(agency=officer.agency, actor=outsider_officer)


# --- sending: a new person, or a code typed again ----------------------------------------------------------


def test_it_issues_a_code_for_a_person_new_to_the_task_force(officer, other_agency):
    referral = send(officer, other_agency)
    assert referral.person_code.issued_by == officer.agency
    assert SHAPE.fullmatch(referral.person_code.code)


def test_it_links_a_second_referral_of_the_same_person_by_the_code_typed_again(officer, other_agency, third_officer):
    first = send(officer, other_agency)
    second = send(officer, third_officer.agency, person_code=first.person_code.code.lower())
    assert second.person_code == first.person_code
    assert PersonCode.objects.count() == 1


def test_it_lets_a_receiving_agency_refer_onward_with_the_code_it_received(officer, outsider_officer, third_officer):
    received = send(officer, outsider_officer.agency)
    onward = send(outsider_officer, third_officer.agency, consent=None, person_code=received.person_code.code)
    assert onward.person_code == received.person_code


def test_it_refuses_a_code_of_an_invisible_referral_exactly_as_a_code_that_does_not_exist(
    officer, outsider_officer, third_officer
):
    hidden = send(officer, outsider_officer.agency).person_code.code
    missing = person_code_generate()
    answers = []
    for code in (hidden, missing):
        before = stored_counts()
        with pytest.raises(ValidationError) as refused:
            send(third_officer, officer.agency, consent=None, person_code=code)
        answers.append(refused.value.message_dict)
        assert stored_counts() == before
    assert answers[0] == answers[1] == {"person_code": [PERSON_CODE_UNKNOWN]}


def test_it_refuses_the_code_to_a_receiver_once_consent_ended(officer, outsider_officer, third_officer):
    received = send(officer, outsider_officer.agency)
    consent_revoke(referral=received, actor=officer)
    with pytest.raises(ValidationError, match="No referral your agency can see"):
        send(outsider_officer, third_officer.agency, consent=None, person_code=received.person_code.code)


def test_it_refuses_a_mistyped_code_without_repeating_it(officer, other_agency):
    code = send(officer, other_agency).person_code.code
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    with pytest.raises(ValidationError) as refused:
        send(officer, other_agency, person_code=typo)
    assert refused.value.message_dict == {"person_code": [PERSON_CODE_TYPO]}
    assert typo not in PERSON_CODE_TYPO


# --- the web form --------------------------------------------------------------------------------------------


def _form(receiver_pk: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "receiving_agency": receiver_pk,
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
        "note": "",
        "consent_method": "written",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_scope": "facts",
        "consent_expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_it_shows_a_new_code_once_prominently_then_as_a_fact_of_the_referral(officer, other_agency):
    client = client_for(officer)
    response = client.post(reverse("cases:referral_create"), _form(other_agency.pk, person="new"), follow=True)
    referral = Referral.objects.get()
    page = response.content.decode()
    assert "Write it down now in your own offline records" in page and referral.person_code.code in page
    assert referral.person_code.code not in str(client.session.items())
    again = client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert "Write it down now" not in again and referral.person_code.code in again


def test_it_sends_from_the_form_with_a_code_typed_again(officer, other_agency, third_officer):
    first = send(officer, other_agency)
    client = client_for(officer)
    url = reverse("cases:referral_create")
    response = client.post(url, _form(third_officer.agency.pk, person="known", person_code=first.person_code.code))
    assert response.status_code == 302
    assert Referral.objects.latest("pk").person_code == first.person_code
    shown = client.get(response["Location"]).content.decode()
    assert "Write it down now" not in shown


def test_it_asks_for_the_code_or_the_new_person_choice_in_the_form(officer, other_agency):
    client = client_for(officer)
    url = reverse("cases:referral_create")
    no_code = client.post(url, _form(other_agency.pk, person="known"))
    assert no_code.status_code == 400 and "Type the person code from your records." in no_code.content.decode()
    both = client.post(url, _form(other_agency.pk, person="new", person_code=person_code_generate()))
    assert both.status_code == 400 and "clear the code" in both.content.decode()
    unknown = client.post(url, _form(other_agency.pk, person="known", person_code=person_code_generate()))
    assert unknown.status_code == 400 and "No referral your agency can see" in unknown.content.decode()
    assert not Referral.objects.exists()


def test_it_shows_the_code_in_the_list_to_both_agencies_and_to_nobody_else(officer, outsider_officer, third_officer):
    code = send(officer, outsider_officer.agency).person_code.code
    for person, direction in ((officer, "outgoing"), (outsider_officer, "incoming")):
        page = client_for(person).get(reverse("cases:referral_list"), {"direction": direction}).content.decode()
        assert code in page
    for direction in ("outgoing", "incoming"):
        page = client_for(third_officer).get(reverse("cases:referral_list"), {"direction": direction})
        assert code not in page.content.decode()


# --- the API ---------------------------------------------------------------------------------------------------


def _body(receiver_pk: int, **overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    body: dict[str, object] = {
        "receiving_agency": receiver_pk,
        "trafficking_type": "sex",
        "victim_status": "confirmed",
        "age_band": "12_17",
        "gender": "woman",
        "citizenship": "citizen_or_lpr",
        "county": "Juniper County",
        "language": "en",
        "source_type": "school",
        "needs": ["shelter"],
        "consent": {"method": "written", "given_on": today.isoformat(), "scope": "facts",
                    "expires_on": (today + timedelta(days=30)).isoformat()},
    }  # fmt: skip
    body.update(overrides)
    return body


def test_it_issues_and_takes_codes_through_the_api_as_through_the_form(officer, other_agency, third_officer):
    client = client_for(officer)
    created = client.post("/api/v1/referrals/", _body(other_agency.pk), content_type="application/json")
    assert created.status_code == 201
    code = created.json()["person_code"]
    assert code == Referral.objects.get(pk=created.json()["id"]).person_code.code
    again = client.post(
        "/api/v1/referrals/", _body(third_officer.agency.pk, person_code=code), content_type="application/json"
    )
    assert again.status_code == 201 and again.json()["person_code"] == code
    for typed, message in ((person_code_generate(), PERSON_CODE_UNKNOWN), ("PC-000-000-001", PERSON_CODE_TYPO)):
        refused = client.post(
            "/api/v1/referrals/", _body(other_agency.pk, person_code=typed), content_type="application/json"
        )
        assert refused.status_code == 400 and refused.json()["person_code"] == [message]


def test_it_shows_the_code_in_the_api_to_those_who_see_the_referral(officer, outsider_officer, third_officer):
    referral = send(officer, outsider_officer.agency)
    code = referral.person_code.code
    for person in (officer, outsider_officer):
        client = client_for(person)
        assert client.get(f"/api/v1/referrals/{referral.pk}/").json()["person_code"] == code
        assert [row["person_code"] for row in client.get("/api/v1/referrals/").json()["results"]] == [code]
    assert client_for(third_officer).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_it_answers_null_for_a_referral_sent_before_person_codes(officer, other_agency):
    referral = send(officer, other_agency)
    Referral.objects.filter(pk=referral.pk).update(person_code=None)
    assert client_for(officer).get(f"/api/v1/referrals/{referral.pk}/").json()["person_code"] is None


# --- the import ------------------------------------------------------------------------------------------------


HEADER = (
    "receiving_agency,urgency,trafficking_type,victim_status,age_band,gender,citizenship,county,language,"
    "interpreter_needed,source_type,needs,note,consent_method,consent_given_on,consent_scope,consent_expires_on,"
    "person_code\n"
)


def _row(agency: str, code: str) -> str:
    today = timezone.localdate()
    return (
        f"{agency},routine,labor,potential,25_59,woman,unknown,Juniper County,es,yes,hotline,shelter,,written,"
        f"{today.isoformat()},facts,{(today + timedelta(days=30)).isoformat()},{code}\n"
    )


def test_it_imports_a_person_code_column_new_people_and_known_codes(officer, other_agency, third_officer):
    known = send(officer, other_agency).person_code
    csv = HEADER + _row(third_officer.agency.name, known.code.lower()) + _row(other_agency.name, "")
    report = referrals_import_csv(actor=officer, stream=io.BytesIO(csv.encode()))
    assert report.errors == [] and len(report.created) == 2 and report.people_new == 1
    linked, new = Referral.objects.filter(reference_code__in=report.created).order_by("pk")
    assert linked.person_code == known and new.person_code not in (None, known)


def test_it_reports_an_unknown_code_by_row_without_repeating_it(officer, other_agency):
    unknown = person_code_generate()
    csv = HEADER + _row(other_agency.name, unknown)
    report = referrals_import_csv(actor=officer, stream=io.BytesIO(csv.encode()))
    assert report.errors == [f"Row 2, person_code: {PERSON_CODE_UNKNOWN}"]
    assert not Referral.objects.exists() and unknown not in " ".join(report.errors)


# --- where a code never goes -------------------------------------------------------------------------------------


def test_it_never_puts_a_code_in_a_digest_or_a_notification(officer, outsider_officer):
    DigestPlannerState.objects.create(pk=1, first_run_at=LONG_AGO, last_run_at=LONG_AGO)
    prefer(outsider_officer)
    referral = send(officer, outsider_officer.agency)
    onward = send(outsider_officer, officer.agency, consent=None, person_code=referral.person_code.code)
    digests_plan(now=timezone.now() + timedelta(days=1))
    ids = [row.pk for row in digest_rows()]
    ids += notification_fan_out(kind="referral_received", target_id=referral.pk, now=timezone.now())
    ids += notification_fan_out(kind="referral_received", target_id=onward.pk, now=timezone.now())
    deliveries_send(ids=ids)
    emails = sent_to(outsider_officer.email) + sent_to(officer.email)
    assert len(emails) >= 2
    for message in emails:
        text = message.subject + message.body + "".join(content for content, _ in message.alternatives)
        assert not SHAPE.search(text) and referral.person_code.code not in text
    assert mail.outbox


def test_it_keeps_the_code_out_of_the_audit_trail(officer, other_agency):
    client = client_for(officer)
    client.post(reverse("cases:referral_create"), _form(other_agency.pk), follow=True)
    code = Referral.objects.get().person_code.code
    client.get("/api/v1/referrals/")
    for entry in AuditEntry.objects.all():
        assert code not in f"{entry.target_label} {entry.detail} {entry.target_id}"


def test_it_exports_the_agencys_own_referrals_with_their_codes(officer, other_agency):
    code = send(officer, other_agency).person_code.code
    response = client_for(officer).get(reverse("cases:referral_export_csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].endswith(",person code") and lines[1].endswith(f",{code}")


# --- the de-identification guard ---------------------------------------------------------------------------------


def test_the_guard_refuses_a_person_code_in_free_text(officer, other_agency):
    """A note, a comment or minutes is read by people who may not see the referral that carries the code."""
    issued = PersonCode.objects.create(code=_valid("PC-4KM-7QX-T2"), issued_by=officer.agency)
    findings = find_identifiers(f"Same person as {issued.code.lower()}; needs shelter.")
    assert [finding.kind.value for finding in findings] == ["person_code"]
    assert "person code field" in findings[0].message()


def test_the_guard_answers_alike_for_issued_and_made_up_codes(officer):
    """No oracle: whether a code exists changes nothing in what the guard says about a text."""
    issued = PersonCode.objects.create(code=_valid("PC-234-567-89"), issued_by=officer.agency)
    made_up = _valid("PC-234-567-88")
    assert not PersonCode.objects.filter(code=made_up).exists()
    said = [find_identifiers(f"see {code}") for code in (issued.code, made_up)]
    assert [[(f.kind, f.start, f.end) for f in findings] for findings in said] == [
        [(f.kind, f.start, f.end) for f in said[1]]
    ] * 2
    url, as_json = reverse("cases:check_text"), "application/json"
    response = client_for(officer).post(url, {"fields": {"note": f"see {issued.code}"}}, content_type=as_json)
    other = client_for(officer).post(url, {"fields": {"note": f"see {made_up}"}}, content_type=as_json)
    assert response.status_code == other.status_code == 200 and response.json() == other.json()
    assert [f["kind"] for f in response.json()["fields"]["note"]] == ["person_code"]


def test_the_guard_never_lets_a_code_cancel_a_cue(officer):
    issued = PersonCode.objects.create(code=_valid("PC-234-567-89"), issued_by=officer.agency)
    assert find_identifiers(f"docket no. {issued.code}") != []


def _valid(prefix: str) -> str:
    """The only code completing `prefix` (eight characters) with a valid check character."""
    return next(code for ch in person_codes.ALPHABET if (code := prefix + ch) and person_code_normalize(code) == code)
