"""What happened to each referral of the scale dataset: its needs, its timeline (one row per move, as
cases.services writes them), a comment on some, and the audit rows those moves and readings leave
(sent, viewed by the receiver, each status change, each comment), all dated inside the referral's life."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from audit.models import AuditEntry
from benchmarks.scale.bulk import IdBlock, rows_copy
from cases import choices
from cases.models import Comment, ReferralNeed, TimelineEvent

if TYPE_CHECKING:
    from benchmarks.scale.cases import Case, Side

_NEEDS = list(choices.Need.values)
_COMMENT_SHARE = 0.45  # of the referrals the receiver took on
_TIMELINE_COLUMNS = ["id", "referral", "actor", "agency", "move", "from_status", "to_status", "created_at"]
_AUDIT_COLUMNS = [
    "id",
    "occurred_at",
    "actor",
    "actor_email",
    "agency",
    "agency_name",
    "event",
    "target_type",
    "target_id",
    "target_label",
    "detail",
]
_Row = tuple[object, ...]


def write(cases: list[Case], *, now: datetime, ids: dict[type, IdBlock], rng: random.Random) -> None:
    needs: list[_Row] = []
    events: list[_Row] = []
    comments: list[_Row] = []
    audit: list[_Row] = []
    for case in cases:
        for need in rng.sample(_NEEDS, k=rng.randint(1, 3)):
            needs.append((ids[ReferralNeed].take(), case.id, need))
        for actor, side, move, before, after, when in _moves(case, now):
            events.append((ids[TimelineEvent].take(), case.id, actor[0], side.id, move, before, after, when))
            if move == "send":
                audit.append(_audit(ids, case, actor, side, "referral.sent", when, {}))
            else:
                detail = {"move": move, "from": before, "to": after}
                audit.append(_audit(ids, case, actor, side, "referral.transitioned", when, detail))
        seen = min(now, case.created + timedelta(hours=rng.uniform(0.5, 20)))
        audit.append(_audit(ids, case, case.receiver_officer, case.receiver, "referral.viewed", seen, {}))
        if case.status in ("accepted", "in_progress", "closed") and rng.random() < _COMMENT_SHARE:
            assert case.decided is not None  # those statuses were decided
            when = min(now, case.decided + timedelta(days=rng.uniform(0.5, 4)))
            comments.append(
                (ids[Comment].take(), case.id, case.receiver_officer[0], case.receiver.id,
                 "Hand-off call made; services arranged.", when)
            )  # fmt: skip
            audit.append(_audit(ids, case, case.receiver_officer, case.receiver, "referral.commented", when, {}))
    rows_copy(ReferralNeed, ["id", "referral", "need"], needs)
    rows_copy(TimelineEvent, _TIMELINE_COLUMNS, events)
    rows_copy(Comment, ["id", "referral", "author", "agency", "body", "created_at"], comments)
    rows_copy(AuditEntry, _AUDIT_COLUMNS, audit)


def _moves(case: Case, now: datetime) -> list[tuple[tuple[int, str], Side, str, str, str, datetime]]:
    """(actor, agency, move, from, to, when) for each move, in order."""
    send = (case.sender_officer, case.sender, "send", "", "sent", case.created)
    if case.decided is None:
        return [send]
    receiver, officer, decided = case.receiver, case.receiver_officer, case.decided
    if case.status == "declined":
        return [send, (officer, receiver, "decline", "sent", "declined", decided)]
    if case.status == "withdrawn":
        return [send, (case.sender_officer, case.sender, "withdraw", "sent", "withdrawn", decided)]
    moves = [send, (officer, receiver, "accept", "sent", "accepted", decided)]
    if case.status in ("in_progress", "closed"):
        started = min(now, decided + timedelta(days=1), case.closed or now)
        moves.append((officer, receiver, "start", "accepted", "in_progress", started))
    if case.closed is not None:
        moves.append((officer, receiver, "close", "in_progress", "closed", case.closed))
    return moves


def _audit(
    ids: dict[type, IdBlock],
    case: Case,
    actor: tuple[int, str],
    side: Side,
    event: str,
    when: datetime,
    detail: dict[str, str],
) -> _Row:
    return (
        ids[AuditEntry].take(), when, actor[0], actor[1], side.id, side.name,
        event, "cases.referral", str(case.id), case.code, json.dumps(detail),
    )  # fmt: skip
