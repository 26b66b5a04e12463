"""The closed loop: which move leads from which status to which, and which side may make it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cases import wording
from cases.choices import Status


class Side(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


class Move(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    move: Move
    source: frozenset[Status]
    target: Status
    side: Side


TRANSITIONS: list[Transition] = [
    Transition(Move.ACCEPT, frozenset({Status.SENT}), Status.ACCEPTED, Side.RECEIVER),
    Transition(Move.DECLINE, frozenset({Status.SENT}), Status.DECLINED, Side.RECEIVER),
    Transition(Move.START, frozenset({Status.ACCEPTED}), Status.IN_PROGRESS, Side.RECEIVER),
    Transition(Move.CLOSE, frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.CLOSED, Side.RECEIVER),
    Transition(
        Move.WITHDRAW, frozenset({Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS}), Status.WITHDRAWN, Side.SENDER
    ),
    # Reopening needs a note; the sender resends a declined or withdrawn referral,
    # the receiver reopens one it closed.
    Transition(Move.REOPEN, frozenset({Status.DECLINED, Status.WITHDRAWN}), Status.SENT, Side.SENDER),
    Transition(Move.REOPEN, frozenset({Status.CLOSED}), Status.IN_PROGRESS, Side.RECEIVER),
]


class IllegalMove(Exception):
    """The move is not allowed from the current status for this side; nothing changed. Its text is the plain
    sentence of cases/wording.py (what happened, what can be done now), on the web's 409 page and the API's."""

    def __init__(self, move: str, status: Status, allowed: list[Move], other_side: Side | None = None) -> None:
        self.move, self.status, self.allowed = move, status, allowed
        other = "" if other_side is None else ("sender" if other_side == Side.SENDER else "receiver")
        super().__init__(wording.refusal(move=move, status=status, allowed=allowed, other_side_may=other))


def allowed_moves(status: Status, sides: set[Side]) -> list[Move]:
    return [t.move for t in TRANSITIONS if status in t.source and t.side in sides]


def find_transition(move: str, status: Status, sides: set[Side]) -> Transition:
    for transition in TRANSITIONS:
        if transition.move == move and status in transition.source and transition.side in sides:
            return transition
    other_side = next((t.side for t in TRANSITIONS if t.move == move and status in t.source), None)
    raise IllegalMove(move, status, allowed_moves(status, sides), other_side=other_side)
