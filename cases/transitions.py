"""The closed loop: which move leads from which status to which, and which side may make it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    """The move is not allowed from the current status for this side; nothing changed."""

    def __init__(self, move: str, status: Status, allowed: list[Move]) -> None:
        self.move, self.status, self.allowed = move, status, allowed
        allowed_text = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"“{move}” is not possible while the referral is {status.label.lower()}. Allowed: {allowed_text}."
        )


def allowed_moves(status: Status, sides: set[Side]) -> list[Move]:
    return [t.move for t in TRANSITIONS if status in t.source and t.side in sides]


def find_transition(move: str, status: Status, sides: set[Side]) -> Transition:
    for transition in TRANSITIONS:
        if transition.move == move and status in transition.source and transition.side in sides:
            return transition
    raise IllegalMove(move, status, allowed_moves(status, sides))
