"""Fictional demo referrals between the demo agencies, in every status of the closed loop."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from agencies.models import Agency, User
from cases import choices
from cases.models import Referral
from cases.services import ConsentInput, referral_comment, referral_send, referral_transition
from cases.transitions import Move

_ROUTES: list[tuple[str, str]] = [
    # (sending agency, receiving agency) among the demo agencies that have referral officers
    ("Juniper County Sheriff's Office", "Safe Harbor Survivor Center"),
    ("Juniper General Hospital", "Safe Harbor Survivor Center"),
    ("Safe Harbor Survivor Center", "Juniper General Hospital"),
    ("Safe Harbor Survivor Center", "Juniper County Sheriff's Office"),
    ("Juniper General Hospital", "Juniper County Sheriff's Office"),
]
# The moves each demo referral goes through after it is sent.
_PATHS: list[list[tuple[Move, str, str]]] = [
    [],
    [(Move.ACCEPT, "", "")],
    [(Move.ACCEPT, "", ""), (Move.START, "", "")],
    [(Move.ACCEPT, "", ""), (Move.START, "", ""), (Move.CLOSE, choices.Outcome.SERVICES_PROVIDED, "")],
    [(Move.DECLINE, choices.DeclineReason.NO_CAPACITY, "Shelter is full this week; try Bridgeway.")],
    [(Move.WITHDRAW, "", "The client chose another program.")],
]
_NOTES = [
    "Needs a safe place tonight; prefers a female advocate.",
    "Interested in legal consultation about a work visa situation.",
    "Asked for a Spanish-speaking counselor; available weekday mornings.",
    "",
]


def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    if Referral.objects.exists():
        stdout.write("Demo referrals already present.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    officers = {u.agency.name: u for u in User.objects.filter(role="referral_officer").select_related("agency")}
    count = 0
    for index in range(24):
        sender_name, receiver_name = _ROUTES[index % len(_ROUTES)]
        sender, receiver = officers.get(sender_name), officers.get(receiver_name)
        if sender is None or receiver is None:
            continue
        referral = _send(sender, agencies[receiver_name], rng)
        for move, reason, note in _PATHS[index % len(_PATHS)]:
            actor = sender if move in (Move.WITHDRAW, Move.REOPEN) else receiver
            referral = referral_transition(referral=referral, actor=actor, move=move, reason=reason, note=note)
        if index % 4 == 0:
            referral_comment(referral=referral, actor=receiver, body="We called the sender back; hand-off planned.")
        count += 1
    stdout.write(f"Demo referrals: {count}.")


def _send(sender: User, receiver: Agency, rng: random.Random) -> Referral:
    today = timezone.localdate()
    consent = None
    assert sender.agency is not None  # the demo's senders are referral officers of an agency
    if sender.agency.is_confidential_provider:
        consent = ConsentInput(
            method=choices.ConsentMethod.WRITTEN,
            given_on=today,
            scope=choices.ConsentScope.FACTS_AND_HANDOFF,
            expires_on=today + timedelta(days=90),
        )
    facts = {
        "trafficking_type": rng.choice(choices.TraffickingType.values),
        "victim_status": rng.choice(choices.VictimStatus.values),
        "age_band": rng.choice(choices.AgeBand.values),
        "gender": rng.choice(choices.Gender.values),
        "citizenship": rng.choice(choices.Citizenship.values),
        "county": "Juniper County",
        "language": rng.choice(["en", "es", "quc", "vi"]),
        "interpreter_needed": rng.random() < 0.3,
        "source_type": rng.choice(choices.SourceType.values),
        "urgency": rng.choice(choices.Urgency.values),
        "note": rng.choice(_NOTES),
    }
    needs = rng.sample(choices.Need.values, k=rng.randint(1, 3))
    return referral_send(actor=sender, receiving_agency=receiver, facts=facts, needs=needs, consent=consent)
