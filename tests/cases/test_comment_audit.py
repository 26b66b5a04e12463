"""Reading a referral's comments leaves an audit row; so does asking for a referral one may not see
(a missing or another agency's id: the trail shows who tried which ids)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent, Outcome
from cases.services import referral_comment
from tests.cases.referral_helpers import send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _new_rows(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id")[before:])


def test_it_audits_reading_the_comments_over_the_api(officer, other_agency):
    referral = send(officer, other_agency, note="Needs shelter.")
    referral_comment(referral=referral, actor=officer, body="Bed confirmed for tonight.")
    client = client_for(officer)  # signing in is audited: count after it
    before = AuditEntry.objects.count()
    response = client.get(f"/api/v1/referrals/{referral.pk}/comments/")
    assert response.status_code == 200
    rows = _new_rows(before)
    assert [(row.event, row.target_id, row.actor_id) for row in rows] == [
        (AuditEvent.REFERRAL_COMMENTS_VIEWED, str(referral.pk), officer.pk)
    ]
    assert rows[0].agency_id == officer.agency_id


def test_the_referral_page_that_shows_the_comments_is_audited_even_when_a_comment_is_refused(officer, other_agency):
    referral = send(officer, other_agency, note="Needs shelter.")
    referral_comment(referral=referral, actor=officer, body="Bed confirmed for tonight.")
    client = client_for(officer)
    before = AuditEntry.objects.count()
    url = reverse("cases:referral_comment", kwargs={"pk": referral.pk})
    response = client.post(url, {"body": "call 414-555-0137"})
    assert response.status_code == 400
    assert "Bed confirmed for tonight." in response.content.decode()  # the comments are shown again
    events = [row.event for row in _new_rows(before)]
    assert AuditEvent.REFERRAL_VIEWED in events


def _api_not_found(client, pk):
    return [
        client.get(f"/api/v1/referrals/{pk}/"),
        client.get(f"/api/v1/referrals/{pk}/comments/"),
        client.post(f"/api/v1/referrals/{pk}/transitions/", {"move": "accept"}, content_type="application/json"),
    ]


def _web_not_found(client, pk):
    return [
        client.get(reverse("cases:referral_detail", kwargs={"pk": pk})),
        client.post(reverse("cases:referral_comment", kwargs={"pk": pk}), {"body": "Hello."}),
        client.post(reverse("cases:referral_transition", kwargs={"pk": pk}), {"move": "accept"}),
    ]


@pytest.mark.parametrize("surface", [_api_not_found, _web_not_found], ids=["api", "web"])
def test_it_audits_a_404_for_another_agencys_referral(officer, outsider_officer, agency, surface):
    from tests.factories import AgencyFactory

    theirs = send(officer, AgencyFactory(name="Third Clinic"), note="Needs shelter.")
    client = client_for(outsider_officer)
    before = AuditEntry.objects.count()
    responses = surface(client, theirs.pk)
    assert [response.status_code for response in responses] == [404, 404, 404]
    rows = _new_rows(before)
    assert [row.event for row in rows] == [AuditEvent.REFERRAL_NOT_FOUND] * 3
    for row in rows:
        assert row.outcome == Outcome.DENIED
        assert row.actor_id == outsider_officer.pk
        assert row.agency_id == outsider_officer.agency_id
        assert str(theirs.pk) in row.target_label
        # Nothing of the referral itself: the prober's trail must not describe what exists.
        assert theirs.reference_code not in row.target_label


@pytest.mark.parametrize("surface", [_api_not_found, _web_not_found], ids=["api", "web"])
def test_it_audits_a_404_for_a_missing_id(officer, surface):
    client = client_for(officer)
    before = AuditEntry.objects.count()
    responses = surface(client, 987654)
    assert [response.status_code for response in responses] == [404, 404, 404]
    rows = _new_rows(before)
    assert [row.event for row in rows] == [AuditEvent.REFERRAL_NOT_FOUND] * 3
    assert all("987654" in row.target_label for row in rows)


@pytest.mark.parametrize("pk", ["9" * 80, "12x", "%C2%B2"])
def test_it_audits_an_odd_id_in_the_api_without_failing(officer, pk):
    client = client_for(officer)
    before = AuditEntry.objects.count()
    assert client.get(f"/api/v1/referrals/{pk}/").status_code == 404
    rows = _new_rows(before)
    assert [row.event for row in rows] == [AuditEvent.REFERRAL_NOT_FOUND]
    assert len(rows[0].target_id) <= 64 and len(rows[0].target_label) <= 200


def test_it_audits_a_huge_id_on_the_page_without_failing(officer):
    client = client_for(officer)
    before = AuditEntry.objects.count()
    assert client.get(f"/referrals/{'9' * 80}/").status_code == 404
    assert [row.event for row in _new_rows(before)] == [AuditEvent.REFERRAL_NOT_FOUND]
