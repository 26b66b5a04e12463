"""The scale dataset's referrals, with their needs, consent, timelines and comments (bulk inserts)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from cases import choices
from cases.models import Comment, Consent, ReferenceSequence, Referral, ReferralNeed, TimelineEvent

BATCH = 5000
# Per referral: when it was sent, its final status, an officer of the receiver and one of the sender.
_Moves = tuple[datetime, str, User, User]
_NOTES = [
    "",
    "",
    "Needs shelter this week.",
    "Prefers afternoon calls; Spanish speaking advocate.",
    "Asked about legal help with wages owed.",
    "Follow up after the clinic visit.",
]
_FINAL = [
    choices.Status.SENT,
    choices.Status.ACCEPTED,
    choices.Status.IN_PROGRESS,
    choices.Status.CLOSED,
    choices.Status.CLOSED,
    choices.Status.DECLINED,
    choices.Status.WITHDRAWN,
]


def build(*, referrals: int, rng: random.Random, progress: Callable[[int], None]) -> None:
    officers: dict[int, list[User]] = {}
    for user in User.objects.filter(role=Role.REFERRAL_OFFICER).only("id", "agency_id"):
        officers.setdefault(user.agency_id, []).append(user)
    agencies = list(Agency.objects.filter(pk__in=officers).order_by("pk"))
    start = timezone.now() - timedelta(days=730)
    sequence: dict[str, int] = {}
    for offset in range(0, referrals, BATCH):
        with transaction.atomic():
            _batch(offset, min(BATCH, referrals - offset), agencies, officers, start, sequence, rng)
        progress(offset + min(BATCH, referrals - offset))
    ReferenceSequence.objects.bulk_create(
        [
            ReferenceSequence(prefix=key.split(":")[0], year=int(key.split(":")[1]), last=last)
            for key, last in sequence.items()
        ]
    )


def _batch(
    offset: int,
    size: int,
    agencies: list[Agency],
    officers: dict[int, list[User]],
    start: datetime,
    sequence: dict[str, int],
    rng: random.Random,
) -> None:
    rows: list[Referral] = []
    consents: list[Consent] = []
    moves: list[_Moves] = []
    for index in range(offset, offset + size):
        sender, receiver = rng.sample(agencies, 2)
        created = start + timedelta(minutes=index * 5 + rng.randint(0, 4))
        key = f"{sender.referral_prefix}:{created.year}"
        sequence[key] = sequence.get(key, 0) + 1
        status = rng.choice(_FINAL)
        consent = None
        if sender.is_confidential_provider:
            consent = Consent(
                sending_agency=sender,
                receiving_agency=receiver,
                method="written",
                given_on=created.date(),
                scope="facts",
                expires_on=created.date() + timedelta(days=365),
                recorded_by=officers[sender.pk][0],
            )
            consents.append(consent)
        referral = Referral(
            reference_code=f"{sender.referral_prefix}-{created.year}-{sequence[key]:05d}",
            created_at=created,
            sending_agency=sender,
            receiving_agency=receiver,
            sent_by=rng.choice(officers[sender.pk]),
            consent=consent,
            status=status,
            trafficking_type=rng.choice(choices.TraffickingType.values),
            victim_status=rng.choice(choices.VictimStatus.values),
            age_band=rng.choice(choices.AgeBand.values),
            gender=rng.choice(choices.Gender.values),
            citizenship=rng.choice(choices.Citizenship.values),
            county=sender.county,
            language=rng.choice(["en", "es", "vi", "quc", "ar"]),
            interpreter_needed=rng.random() < 0.3,
            source_type=rng.choice(choices.SourceType.values),
            urgency=rng.choice(choices.Urgency.values),
            note=rng.choice(_NOTES),
            decline_reason=rng.choice(choices.DeclineReason.values) if status == "declined" else "",
            outcome=rng.choice(choices.Outcome.values) if status == "closed" else "",
            accepted_at=created + timedelta(days=rng.randint(0, 5))
            if status in ("accepted", "in_progress", "closed")
            else None,
            closed_at=created + timedelta(days=rng.randint(6, 60)) if status == "closed" else None,
        )
        rows.append(referral)
        moves.append((created, status, rng.choice(officers[receiver.pk]), rng.choice(officers[sender.pk])))
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    for referral in rows:
        referral.consent_id = referral.consent.pk if referral.consent else None
    Referral.objects.bulk_create(rows, batch_size=BATCH)
    _children(rows, moves, rng)


def _children(rows: list[Referral], moves: list[_Moves], rng: random.Random) -> None:
    needs: list[ReferralNeed] = []
    events: list[TimelineEvent] = []
    comments: list[Comment] = []
    for referral, (created, status, receiver_officer, sender_officer) in zip(rows, moves, strict=True):
        for need in rng.sample(choices.Need.values, k=rng.randint(1, 3)):
            needs.append(ReferralNeed(referral=referral, need=need))
        events.append(
            TimelineEvent(
                referral=referral,
                actor=sender_officer,
                agency_id=referral.sending_agency_id,
                move="send",
                to_status="sent",
                created_at=created,
            )
        )
        if status != "sent":
            events.append(
                TimelineEvent(
                    referral=referral,
                    actor=receiver_officer,
                    agency_id=referral.receiving_agency_id,
                    move="accept",
                    from_status="sent",
                    to_status=status,
                    created_at=created + timedelta(days=1),
                )
            )
        if rng.random() < 0.3:
            comments.append(
                Comment(
                    referral=referral,
                    author=receiver_officer,
                    agency_id=referral.receiving_agency_id,
                    body="Hand-off call made; services arranged.",
                    created_at=created + timedelta(days=2),
                )
            )
    ReferralNeed.objects.bulk_create(needs, batch_size=BATCH)
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    Comment.objects.bulk_create(comments, batch_size=BATCH)
