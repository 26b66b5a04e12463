"""People and data for the report tests: a hand-counted first quarter of 2025."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from agencies.models import Agency, User
from agencies.roles import Role
from cases.choices import Status
from cases.models import Referral
from cases.services import referral_transition
from cases.transitions import Move
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def _private_export_folder(settings, tmp_path):
    """Prepared files go to a folder of the test, never to the project's var/."""
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    settings.REPORT_SUPPRESSION_THRESHOLD = 11


@pytest.fixture
def as_grant_manager(grant_manager: User) -> Client:
    return client_for(grant_manager)


@pytest.fixture
def clinic(db: None) -> Agency:
    return AgencyFactory(name="Juniper Test Clinic", sector="health")


@pytest.fixture
def clinic_officer(clinic: Agency) -> User:
    return UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, email="clinic-officer@test.example.org")


@pytest.fixture
def legal_aid(db: None) -> Agency:
    """A member agency that neither sends nor receives anything in the quarter."""
    return AgencyFactory(name="Quiet Legal Aid", sector="legal_aid")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


@dataclass(frozen=True)
class Spec:
    """One referral of the hand-counted quarter: when it was sent, by whom, its facts and its fate."""

    sent: datetime
    sender: str
    receiver: str
    facts: dict
    needs: list[str]
    ends: str = Status.SENT
    accepted_after: timedelta | None = None
    closed_after: timedelta | None = None
    reason: str = ""


def day(n: float) -> timedelta:
    return timedelta(days=n)


def _facts(trafficking: str, status: str, age: str, gender: str, citizenship: str, source: str) -> dict:
    return {
        "trafficking_type": trafficking,
        "victim_status": status,
        "age_band": age,
        "gender": gender,
        "citizenship": citizenship,
        "source_type": source,
    }


# A = Safe Harbor Test Center (victim services), B = Elsewhere County Sheriff (law enforcement),
# C = Juniper Test Clinic (health). Read the expected counts in test_measures.py against this list.
QUARTER = [
    Spec(local(2025, 1, 5, 10), "A", "B", _facts("sex", "potential", "12_17", "woman", "citizen_or_lpr", "hotline"),
         ["shelter", "legal"], Status.CLOSED, day(2), day(10), "services_provided"),
    Spec(local(2025, 1, 20, 9), "A", "B", _facts("labor", "confirmed", "25_59", "man", "foreign_national",
         "law_enforcement"), ["immigration", "legal"], Status.IN_PROGRESS, day(1)),
    Spec(local(2025, 2, 2, 14), "B", "A", _facts("sex", "potential", "under_12", "woman", "unknown", "child_welfare"),
         ["shelter", "medical", "safety_planning"], Status.DECLINED, reason="no_capacity"),
    Spec(local(2025, 2, 14, 8), "B", "C", _facts("both", "confirmed", "18_24", "non_binary", "citizen_or_lpr",
         "law_enforcement"), ["medical"], Status.CLOSED, day(3), day(5), "referred_elsewhere"),
    Spec(local(2025, 2, 28, 16), "C", "A", _facts("unknown", "potential", "unknown", "prefers_not_to_say", "unknown",
         "self"), ["mental_health"]),
    Spec(local(2025, 3, 3, 11), "A", "C", _facts("labor", "potential", "60_plus", "woman", "foreign_national",
         "hotline"), ["interpreter", "legal"], Status.WITHDRAWN),
    Spec(local(2025, 3, 10, 12), "C", "B", _facts("sex", "confirmed", "25_59", "transgender_woman", "citizen_or_lpr",
         "health"), ["shelter"], Status.DECLINED, reason="not_eligible"),
    # 23:30 on 31 March in Chicago is already 1 April in UTC: it counts in the first quarter.
    Spec(local(2025, 3, 31, 23, 30), "A", "B", _facts("labor", "potential", "18_24", "man", "foreign_national",
         "hotline"), ["employment"], Status.CLOSED, day(4), day(6), "client_declined"),
]  # fmt: skip
OUTSIDE = [
    # One minute before the quarter, and its first minute after: neither counts.
    Spec(local(2024, 12, 31, 23, 59), "A", "B", _facts("sex", "confirmed", "12_17", "woman", "unknown", "hotline"),
         ["shelter"]),
    Spec(local(2025, 4, 1, 0, 0), "A", "B", _facts("sex", "confirmed", "12_17", "woman", "unknown", "hotline"),
         ["shelter"]),
]  # fmt: skip


def make(spec: Spec, people: dict[str, User]) -> Referral:
    sender, receiver = people[spec.sender], people[spec.receiver]
    with time_machine.travel(spec.sent, tick=False):
        referral = send(sender, receiver.agency, needs=spec.needs, **spec.facts)
    if spec.ends == Status.DECLINED:
        with time_machine.travel(spec.sent + day(1), tick=False):
            return referral_transition(referral=referral, actor=receiver, move=Move.DECLINE, reason=spec.reason)
    if spec.ends == Status.WITHDRAWN:
        with time_machine.travel(spec.sent + day(1), tick=False):
            return referral_transition(referral=referral, actor=sender, move=Move.WITHDRAW)
    if spec.accepted_after is not None:
        with time_machine.travel(spec.sent + spec.accepted_after, tick=False):
            referral = referral_transition(referral=referral, actor=receiver, move=Move.ACCEPT)
            if spec.ends == Status.IN_PROGRESS:
                referral = referral_transition(referral=referral, actor=receiver, move=Move.START)
    if spec.closed_after is not None:
        with time_machine.travel(spec.sent + spec.closed_after, tick=False):
            referral = referral_transition(referral=referral, actor=receiver, move=Move.CLOSE, reason=spec.reason)
    assert referral.status == spec.ends
    return referral


@pytest.fixture
def quarter(officer, outsider_officer, clinic_officer, legal_aid) -> list[Referral]:
    """The hand-counted first quarter of 2025, plus one referral just before and one just after it."""
    people = {"A": officer, "B": outsider_officer, "C": clinic_officer}
    Agency.objects.update(created_at=local(2024, 6, 1))  # members well before the quarter
    return [make(spec, people) for spec in QUARTER + OUTSIDE]


Q1_2025 = {"kind": "quarter", "year": 2025, "part": 1}
ALL_MEASURES = [
    "referrals_by_month",
    "sent_received_by_sector",
    "trafficking_type",
    "victim_status",
    "age",
    "gender",
    "citizenship",
    "source_type",
    "needs",
    "outcomes",
    "median_days",
    "active_agencies",
]


def draft(actor: User, measures: list[str] | None = None):
    from reports.periods import period_build
    from reports.services import report_create

    return report_create(actor=actor, period=period_build(**Q1_2025), measures=measures or ALL_MEASURES)


def approve(report, coordinator: User):
    from reports.engine import figures_fingerprint
    from reports.selectors import report_content
    from reports.services import report_approve

    reviewed = figures_fingerprint(report_content(report=report))
    return report_approve(report=report, actor=coordinator, reviewed=reviewed)
