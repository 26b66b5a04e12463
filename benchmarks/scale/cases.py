"""The scale dataset's referrals and consents, spread over the years of the size, in bulk (COPY).

History as a task force's looks after some years: referrals arrive at a steady rate; the older a referral,
the likelier it is closed, declined or withdrawn (`_BANDS`), so most of the table is old and ended and a
few weeks' worth is still waiting or in progress. Their needs, timelines, comments and audit rows are
benchmarks/scale/history.py's.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from audit.models import AuditEntry
from benchmarks.scale import history
from benchmarks.scale.bulk import IdBlock, rows_copy, sequences_reset
from cases import choices
from cases.models import Comment, Consent, ReferenceSequence, Referral, ReferralNeed, TimelineEvent

BATCH = 20_000
_NOTES = [
    "",
    "",
    "Needs shelter this week.",
    "Prefers afternoon calls; Spanish speaking advocate.",
    "Asked about legal help with wages owed.",
    "Follow up after the clinic visit.",
]
# Share of each final status by the referral's age (days, up to the bound); the last band has no bound.
_BANDS: list[tuple[float, dict[str, float]]] = [
    (14, {"sent": 35, "accepted": 25, "in_progress": 25, "closed": 5, "declined": 7, "withdrawn": 3}),
    (90, {"sent": 8, "accepted": 10, "in_progress": 32, "closed": 35, "declined": 10, "withdrawn": 5}),
    (365, {"sent": 2, "accepted": 2, "in_progress": 10, "closed": 64, "declined": 14, "withdrawn": 8}),
    (float("inf"), {"sent": 0.5, "accepted": 0.5, "in_progress": 2, "closed": 74, "declined": 15, "withdrawn": 8}),
]
_PICK = 200  # statuses per band, drawn with one random number
_BAND_PICKS = [
    (bound, [s for s, w in weights.items() for _ in range(round(w * _PICK / sum(weights.values())))])
    for bound, weights in _BANDS
]
_CHOICES = {
    name: list(values)
    for name, values in {
        "trafficking_type": choices.TraffickingType.values,
        "victim_status": choices.VictimStatus.values,
        "age_band": choices.AgeBand.values,
        "gender": choices.Gender.values,
        "citizenship": choices.Citizenship.values,
        "source_type": choices.SourceType.values,
        "urgency": choices.Urgency.values,
        "decline_reason": choices.DeclineReason.values,
        "outcome": choices.Outcome.values,
    }.items()
}
_LANGUAGES = ["en", "es", "vi", "quc", "ar"]
_REFERRAL_COLUMNS = [
    "id",
    "reference_code",
    "sending_agency",
    "receiving_agency",
    "sent_by",
    "consent",
    "status",
    "trafficking_type",
    "victim_status",
    "age_band",
    "gender",
    "citizenship",
    "county",
    "language",
    "interpreter_needed",
    "source_type",
    "urgency",
    "note",
    "decline_reason",
    "outcome",
    "created_at",
    "updated_at",
    "accepted_at",
    "closed_at",
    "awaiting_since",
    "receiver_contact",
]
_CONSENT_COLUMNS = [
    "id",
    "sending_agency",
    "receiving_agency",
    "method",
    "given_on",
    "scope",
    "expires_on",
    "recorded_by",
    "recorded_at",
]


@dataclass(frozen=True)
class Side:
    """An agency and the people who handle its referrals (id, email), as the builders need them."""

    id: int
    name: str
    prefix: str
    county: str
    confidential: bool
    officers: list[tuple[int, str]]


@dataclass(frozen=True)
class Case:
    """One referral as history.py needs it: who, when, and how it ended (or where it stands)."""

    id: int
    code: str
    sender: Side
    receiver: Side
    sender_officer: tuple[int, str]
    receiver_officer: tuple[int, str]
    status: str
    created: datetime
    decided: datetime | None  # accepted, declined or withdrawn
    closed: datetime | None


@dataclass
class Clock:
    now: datetime
    start: datetime
    step: float  # seconds between two referrals


def build(*, referrals: int, years: int, rng: random.Random, progress: Callable[[int], None]) -> None:
    sides = _sides()
    now = timezone.now()
    span = timedelta(days=365 * years)
    clock = Clock(now=now, start=now - span, step=span.total_seconds() / max(1, referrals))
    tables: tuple[type[Model], ...] = (Referral, Consent, ReferralNeed, TimelineEvent, Comment, AuditEntry)
    ids: dict[type, IdBlock] = {model: IdBlock(model) for model in tables}
    sequence: dict[tuple[str, int], int] = {}
    for offset in range(0, referrals, BATCH):
        size = min(BATCH, referrals - offset)
        with transaction.atomic():
            cases = _batch(offset, size, sides, clock, ids, sequence, rng)
            history.write(cases, now=now, ids=ids, rng=rng)
        progress(offset + size)
    ReferenceSequence.objects.bulk_create(
        [ReferenceSequence(prefix=prefix, year=year, last=last) for (prefix, year), last in sequence.items()]
    )
    sequences_reset(list(ids))


def _sides() -> list[Side]:
    officers: dict[int, list[tuple[int, str]]] = {}
    for pk, agency_id, email in (
        User.objects.filter(role=Role.REFERRAL_OFFICER).order_by("pk").values_list("pk", "agency_id", "email")
    ):
        officers.setdefault(agency_id, []).append((pk, email))
    return [
        Side(a.pk, a.name, a.referral_prefix, a.county, a.is_confidential_provider, officers[a.pk])
        for a in Agency.objects.filter(pk__in=officers).order_by("pk")
    ]


def _batch(
    offset: int,
    size: int,
    sides: list[Side],
    clock: Clock,
    ids: dict[type, IdBlock],
    sequence: dict[tuple[str, int], int],
    rng: random.Random,
) -> list[Case]:
    referrals: list[tuple[object, ...]] = []
    consents: list[tuple[object, ...]] = []
    cases: list[Case] = []
    for index in range(offset, offset + size):
        sender, receiver = rng.sample(sides, 2)
        created = clock.start + timedelta(seconds=(index + rng.random()) * clock.step)
        key = (sender.prefix, created.year)
        sequence[key] = sequence.get(key, 0) + 1
        case = _case(
            ids[Referral].take(),
            f"{sender.prefix}-{created.year}-{sequence[key]:05d}",
            sender,
            receiver,
            created,
            clock.now,
            rng,
        )
        consent_id = None
        if sender.confidential:
            consent_id = ids[Consent].take()
            day = created.date()
            consents.append(
                (
                    consent_id,
                    sender.id,
                    receiver.id,
                    "written",
                    day,
                    "facts",
                    day + timedelta(days=365),
                    case.sender_officer[0],
                    created,
                )
            )
        referrals.append(_referral_row(case, consent_id, rng))
        cases.append(case)
    rows_copy(Consent, _CONSENT_COLUMNS, consents)
    rows_copy(Referral, _REFERRAL_COLUMNS, referrals)
    return cases


def _case(
    pk: int, code: str, sender: Side, receiver: Side, created: datetime, now: datetime, rng: random.Random
) -> Case:
    age = (now - created).days
    status = next(picks for bound, picks in _BAND_PICKS if age <= bound)[int(rng.random() * _PICK) % _PICK]
    decided = closed = None
    if status != "sent":
        decided = min(now, created + timedelta(hours=rng.uniform(2, 120 if status != "withdrawn" else 240)))
    if status == "closed" and decided is not None:
        closed = min(now, decided + timedelta(days=rng.uniform(5, 120)))
    return Case(
        pk,
        code,
        sender,
        receiver,
        rng.choice(sender.officers),
        rng.choice(receiver.officers),
        status,
        created,
        decided,
        closed,
    )


def _referral_row(case: Case, consent_id: int | None, rng: random.Random) -> tuple[object, ...]:
    c = _CHOICES
    accepted = case.decided if case.status in ("accepted", "in_progress", "closed") else None
    return (
        case.id, case.code, case.sender.id, case.receiver.id, case.sender_officer[0], consent_id, case.status,
        rng.choice(c["trafficking_type"]), rng.choice(c["victim_status"]), rng.choice(c["age_band"]),
        rng.choice(c["gender"]), rng.choice(c["citizenship"]), case.sender.county, rng.choice(_LANGUAGES),
        rng.random() < 0.3, rng.choice(c["source_type"]), rng.choice(c["urgency"]), rng.choice(_NOTES),
        rng.choice(c["decline_reason"]) if case.status == "declined" else "",
        rng.choice(c["outcome"]) if case.status == "closed" else "",
        case.created, case.closed or case.decided or case.created, accepted, case.closed, case.created,
        case.receiver_officer[0] if accepted else None,
    )  # fmt: skip
