"""A confirmation step in the page before what cannot be undone (issue 20): Close, Decline and Withdraw consent
on a referral, Approve and freeze on a report. The first POST shows "You are about to ...", the one with
`confirmed=yes` acts; the API acts in one call."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from cases.choices import Outcome, Status
from reports.models import ReportStatus
from tests.cases.referral_helpers import referral_in, send, stored_counts
from tests.conftest import client_for
from tests.reports.conftest import draft

pytestmark = pytest.mark.django_db


def _move(client, referral, **data: str):
    return client.post(reverse("cases:referral_transition", args=[referral.pk]), data)


def test_it_asks_before_closing_with_no_outcome_preselected(officer, outsider_officer):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    client = client_for(outsider_officer)
    detail = client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert 'name="reason"' not in detail  # the outcome is chosen on the confirmation step only
    before = stored_counts()

    asked = _move(client, referral, move="close")

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "You are about to close this referral" in page and "This cannot be undone." in page
    assert '<option value="" selected>Choose one</option>' in page
    assert page.count(" selected") == 1  # only the empty "Choose one"
    assert "Go back" in page and "confirm(" not in page
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS and stored_counts() == before

    done = _move(client, referral, move="close", reason=Outcome.REFERRED_ELSEWHERE, note="", confirmed="yes")
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, Outcome.REFERRED_ELSEWHERE)


def test_it_keeps_the_confirmation_step_when_the_outcome_is_missing(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    client = client_for(outsider_officer)
    before = stored_counts()
    refused = _move(client, referral, move="close", reason="", note="", confirmed="yes")
    assert refused.status_code == 400
    assert "You are about to close this referral" in refused.content.decode()
    assert 'role="alert"' in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and stored_counts() == before


def test_it_asks_before_declining_and_the_reason_is_chosen_there(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    client = client_for(outsider_officer)
    asked = _move(client, referral, move="decline")
    assert asked.status_code == 200 and "You are about to decline this referral" in asked.content.decode()
    assert "Reason for declining" in asked.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    _move(client, referral, move="decline", reason="no_capacity", confirmed="yes")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "no_capacity")


def test_it_does_not_ask_for_a_move_that_can_be_undone(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    assert _move(client_for(outsider_officer), referral, move="accept").status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_it_refuses_a_move_not_possible_now_without_asking_first(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    refused = _move(client_for(outsider_officer), referral, move="close")
    assert refused.status_code == 409
    assert "still waiting for an answer, so it cannot be closed now" in refused.content.decode()


def test_it_asks_before_recording_a_withdrawal_of_consent(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    client = client_for(officer)
    url = reverse("cases:consent_revoke", args=[referral.pk])
    asked = client.post(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "You are about to record that the survivor withdrew consent" in page
    assert "This cannot be undone." in page and 'name="confirmed" value="yes"' in page
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is None
    assert not AuditEntry.objects.filter(event=AuditEvent.CONSENT_REVOKED).exists()

    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is not None


def test_the_api_withdraws_consent_and_closes_in_one_call(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    closed = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/",
        {"move": "close", "reason": "services_provided"},
        content_type="application/json",
    )
    assert closed.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED


def test_it_asks_before_approving_and_freezing_a_report(coordinator, grant_manager):
    report = draft(grant_manager, ["trafficking_type"])
    client = client_for(coordinator)
    reviewed = client.get(reverse("reports:detail", args=[report.pk])).context["fingerprint"]
    asked = client.post(reverse("reports:approve"), {"report": report.pk, "reviewed": reviewed})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "You are about to approve and freeze" in page and "This cannot be undone." in page
    assert f'value="{reviewed}"' in page and "Go back" in page
    report.refresh_from_db()
    assert report.status != ReportStatus.APPROVED

    done = client.post(reverse("reports:approve"), {"report": report.pk, "reviewed": reviewed, "confirmed": "yes"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
