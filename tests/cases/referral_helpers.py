"""Helpers for tests about referrals: valid coded facts, valid consent, sending and moving a referral.

Everything goes through the services, so a referral built here is one the portal could have built.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from agencies.models import Agency, User
from audit.models import AuditEntry, AuditEvent
from cases import choices
from cases.choices import Status
from cases.models import Comment, Consent, ReferenceSequence, Referral, ReferralNeed, TimelineEvent
from cases.services import ConsentInput, referral_send, referral_transition
from cases.transitions import TRANSITIONS, Move, Side

DEFAULT_NEEDS = [choices.Need.SHELTER, choices.Need.LEGAL]
CLEAN_NOTE = "Needs a Spanish-speaking advocate; prefers afternoon calls."
PHONE_NOTE = "call 414-555-0137"  # the phone number sits at characters 6-17 (1-based, inclusive)
PHONE_DIGITS = ("414-555-0137", "555-0137", "4145550137")


def facts(**overrides: Any) -> dict[str, Any]:
    """Valid coded facts of a referral; pass keyword arguments to change any of them."""
    values: dict[str, Any] = {
        "trafficking_type": choices.TraffickingType.LABOR,
        "victim_status": choices.VictimStatus.POTENTIAL,
        "age_band": choices.AgeBand.AGE_25_59,
        "gender": choices.Gender.PREFERS_NOT_TO_SAY,
        "citizenship": choices.Citizenship.FOREIGN_NATIONAL,
        "county": "Juniper County",
        "language": choices.Language.SPANISH,
        "interpreter_needed": True,
        "source_type": choices.SourceType.HOTLINE,
        "urgency": choices.Urgency.URGENT,
        "note": "",
    }
    values.update(overrides)
    return values


def valid_consent(*, given_days_ago: int = 0, valid_days: int = 90, **overrides: Any) -> ConsentInput:
    """Written consent given today (or `given_days_ago`), expiring `valid_days` after it was given."""
    given_on = timezone.localdate() - timedelta(days=given_days_ago)
    values: dict[str, Any] = {
        "method": choices.ConsentMethod.WRITTEN,
        "given_on": given_on,
        "scope": choices.ConsentScope.FACTS_AND_HANDOFF,
        "expires_on": given_on + timedelta(days=valid_days),
    }
    values.update(overrides)
    return ConsentInput(**values)


def send(
    actor: User,
    receiving_agency: Agency,
    consent: bool | ConsentInput | None = True,
    needs: list[str] | None = None,
    person_code: str | None = None,
    **overrides: Any,
) -> Referral:
    """Sends a referral through `referral_send`. `consent=True` records `valid_consent()`, False/None none.
    `person_code` None: a person new to the task force (the portal issues a code); else the code typed."""
    if consent is True:
        consent_input: ConsentInput | None = valid_consent()
    elif consent is False or consent is None:
        consent_input = None
    else:
        consent_input = consent
    return referral_send(
        actor=actor,
        receiving_agency=receiving_agency,
        facts=facts(**overrides),
        needs=list(DEFAULT_NEEDS) if needs is None else needs,
        consent=consent_input,
        person_code=person_code,
    )


def move_arguments(move: str) -> dict[str, str]:
    """The reason and note a move needs to pass its checks (decline and close need a reason, reopen a note)."""
    if move == Move.DECLINE:
        return {"reason": choices.DeclineReason.NO_CAPACITY}
    if move == Move.CLOSE:
        return {"reason": choices.Outcome.SERVICES_PROVIDED}
    if move == Move.REOPEN:
        return {"note": "The survivor asked to try again."}
    return {}


# How to reach each status from "sent": (move, side) steps.
_PATHS: dict[Status, list[tuple[Move, Side]]] = {
    Status.SENT: [],
    Status.ACCEPTED: [(Move.ACCEPT, Side.RECEIVER)],
    Status.DECLINED: [(Move.DECLINE, Side.RECEIVER)],
    Status.IN_PROGRESS: [(Move.ACCEPT, Side.RECEIVER), (Move.START, Side.RECEIVER)],
    Status.CLOSED: [(Move.ACCEPT, Side.RECEIVER), (Move.CLOSE, Side.RECEIVER)],
    Status.WITHDRAWN: [(Move.WITHDRAW, Side.SENDER)],
}


def referral_in(status: Status, *, sender: User, receiver: User, **overrides: Any) -> Referral:
    """A referral sent by `sender` to `receiver`'s agency and moved (through the services) to `status`."""
    referral = send(sender, receiver.agency, **overrides)
    for move, side in _PATHS[Status(status)]:
        actor = sender if side == Side.SENDER else receiver
        referral = referral_transition(referral=referral, actor=actor, move=move, **move_arguments(move))
    assert referral.status == status
    return referral


def legal_moves() -> list[tuple[Move, Status, Status, Side]]:
    """Every (move, from, to, side) the TRANSITIONS table allows, in a stable order."""
    rows = [(t.move, source, t.target, t.side) for t in TRANSITIONS for source in t.source]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def stored_counts() -> dict[str, int]:
    """How many case rows exist, to show that a refusal left nothing half-written."""
    models = (Referral, Consent, ReferralNeed, TimelineEvent, Comment)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["ReferenceSequence.last"] = sum(ReferenceSequence.objects.values_list("last", flat=True))
    return counts


def audit_rows(event: AuditEvent, target: Referral | None = None) -> list[AuditEntry]:
    """Audit rows of one event (about one referral if given), oldest first."""
    rows = AuditEntry.objects.filter(event=event)
    if target is not None:
        rows = rows.filter(target_type="cases.referral", target_id=str(target.pk))
    return list(rows.order_by("id"))
