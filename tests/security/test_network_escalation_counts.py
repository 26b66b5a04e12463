"""What the escalation leaves on the home page once consent ended: the receiving agency lost the referral at
once, so its administrators' count (and the co-chairs') must not keep pointing at it. The sweep and the
emails already leave such a referral alone (cases/escalation.py, cases/digest_sections.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from cases.choices import Urgency
from cases.escalation import referrals_escalate
from cases.services import consent_revoke
from home.selectors import Key, needs_you
from tests.cases.referral_helpers import send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _escalated_count(person: User) -> int:
    return next((item.count for item in needs_you(person) if item.key == Key.REFERRALS_ESCALATED_TO_YOU), 0)


@pytest.fixture
def receiver_admin(other_agency: Agency) -> User:
    return UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)


def test_a_referral_whose_consent_ended_leaves_the_escalation_counts(officer, coordinator, receiver_admin):
    referral = send(officer, receiver_admin.member_agency, urgency=Urgency.EMERGENCY)
    later = timezone.now() + timedelta(hours=5)
    referrals_escalate(now=later)
    referrals_escalate(now=later + timedelta(hours=5))
    assert (_escalated_count(receiver_admin), _escalated_count(coordinator)) == (1, 1)

    consent_revoke(referral=referral, actor=officer)

    assert (_escalated_count(receiver_admin), _escalated_count(coordinator)) == (0, 0)
