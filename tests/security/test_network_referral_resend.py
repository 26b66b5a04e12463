"""The rule of referrals (no referral to or from an agency without a current data-sharing agreement covering
referrals) through the one path that sends a referral again without `referral_send`: the sender's reopening
of a declined or withdrawn referral, which puts it back to "sent" at the same receiving agency.

Decision: that resend is a new send as far as the receiver is concerned (it lands in its waiting list and
starts the escalation clock), so it is refused like one. The receiver's reopening of a referral it closed
(back to "in progress", nothing new is sent) stays possible: the agreement governs new referrals, and
`agreement_end` keeps the referrals already sent.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.agreements import agreement_end
from agencies.models import Agency, DataSharingAgreement, User
from agencies.roles import Role
from cases.choices import Status
from cases.models import Referral
from cases.services import referral_transition
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(other_agency: Agency) -> User:
    return UserFactory(agency=other_agency, role=Role.REFERRAL_OFFICER)


def _end_agreements(agency: Agency, coordinator: User) -> None:
    for agreement in DataSharingAgreement.objects.filter(agency=agency):
        agreement_end(actor=coordinator, agreement=agreement)


def _declined(officer: User, receiver: User) -> Referral:
    referral = send(officer, receiver.member_agency)
    return referral_transition(referral=referral, actor=receiver, move="decline", reason="no_capacity")


def test_a_declined_referral_is_not_sent_again_to_an_agency_whose_agreement_ended(officer, receiver, coordinator):
    referral = _declined(officer, receiver)
    _end_agreements(receiver.member_agency, coordinator)

    with pytest.raises(ValidationError) as refused:
        referral_transition(referral=referral, actor=officer, move="reopen", note="They have room now.")
    assert "no current data-sharing agreement" in " ".join(refused.value.messages)
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED


def test_a_withdrawn_referral_is_not_sent_again_from_an_agency_whose_agreement_ended(officer, receiver, coordinator):
    referral = send(officer, receiver.member_agency)
    referral = referral_transition(referral=referral, actor=officer, move="withdraw")
    _end_agreements(officer.member_agency, coordinator)

    with pytest.raises(ValidationError) as refused:
        referral_transition(referral=referral, actor=officer, move="reopen", note="Sending it again.")
    assert " ".join(refused.value.messages).startswith("Your agency (Safe Harbor Test Center) has no current")
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_a_declined_referral_is_not_sent_again_to_an_agency_that_left_the_task_force(officer, receiver):
    referral = _declined(officer, receiver)
    Agency.objects.filter(pk=receiver.agency_id).update(is_active=False)

    with pytest.raises(ValidationError):
        referral_transition(referral=referral, actor=officer, move="reopen", note="They have room now.")
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED


def test_the_resend_is_refused_over_the_api_with_a_400_and_on_the_web(officer, receiver, coordinator):
    referral = _declined(officer, receiver)
    _end_agreements(receiver.member_agency, coordinator)
    client = client_for(officer)

    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    answer = client.post(url, {"move": "reopen", "note": "Room now."}, content_type="application/json")
    assert answer.status_code == 400
    assert "no current data-sharing agreement" in str(answer.json())

    page = client.post(
        reverse("cases:referral_transition", args=[referral.pk]), {"move": "reopen", "note": "Room now."}
    )
    assert page.status_code == 400
    assert "no current data-sharing agreement" in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED


def test_a_resend_between_agencies_with_agreements_still_works(officer, receiver):
    referral = _declined(officer, receiver)
    moved = referral_transition(referral=referral, actor=officer, move="reopen", note="They have room now.")
    assert moved.status == Status.SENT


def test_the_receiver_may_still_reopen_a_referral_it_closed_after_its_agreement_ended(officer, receiver, coordinator):
    referral = send(officer, receiver.member_agency)
    for move, reason in (("accept", ""), ("close", "services_provided")):
        referral = referral_transition(referral=referral, actor=receiver, move=move, reason=reason)
    _end_agreements(receiver.member_agency, coordinator)

    moved = referral_transition(referral=referral, actor=receiver, move="reopen", note="One more session.")
    assert moved.status == Status.IN_PROGRESS
