"""The one table of what a person reads about a referral's states and moves (issue 20, "Developer words").

Templates, the 409 page, the API's 409 `detail` and emails take their words from here, never from the codes
("send", "in_progress"): a status's name, each move's button, each timeline entry ("Sent by Juniper General
Hospital") and the sentence for a refused move ("This referral was already accepted, so it cannot be
declined now. You can: mark it in progress, or close it.").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cases.choices import DeclineReason, Outcome, Status


@dataclass(frozen=True)
class MoveWords:
    button: str  # the button on the referral's page
    done: str  # the timeline entry, followed by " by <agency>"
    passive: str  # "so it cannot be <passive> now"
    offer: str  # "You can: <offer>, or <offer>."


MOVES: dict[str, MoveWords] = {
    "send": MoveWords(button="Send", done="Sent", passive="sent", offer="send it"),
    "accept": MoveWords(button="Accept", done="Accepted", passive="accepted", offer="accept it"),
    "decline": MoveWords(button="Decline…", done="Declined", passive="declined", offer="decline it"),
    "start": MoveWords(
        button="Mark in progress", done="Marked in progress", passive="marked in progress", offer="mark it in progress"
    ),
    "close": MoveWords(button="Close…", done="Closed", passive="closed", offer="close it"),
    "withdraw": MoveWords(button="Withdraw", done="Withdrawn", passive="withdrawn", offer="withdraw it"),
    "reopen": MoveWords(button="Reopen", done="Reopened", passive="reopened", offer="reopen it"),
}

# What a person reads for each status: its name, and where the referral stands (the start of a refusal).
STATUS_NAMES: dict[str, str] = {
    Status.SENT: "Sent",
    Status.ACCEPTED: "Accepted",
    Status.DECLINED: "Declined",
    Status.IN_PROGRESS: "In progress",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
}
STATUS_SITUATIONS: dict[str, str] = {
    Status.SENT: "This referral is still waiting for an answer",
    Status.ACCEPTED: "This referral was already accepted",
    Status.DECLINED: "This referral was declined",
    Status.IN_PROGRESS: "This referral is already in progress",
    Status.CLOSED: "This referral is closed",
    Status.WITHDRAWN: "This referral was withdrawn",
}


@dataclass(frozen=True)
class Confirmation:
    """The confirmation step in the page before what cannot be undone: "You are about to <about>"."""

    about: str
    consequence: str
    button: str
    hint: str = ""  # under the move's button on the referral's page


# Moves needing a confirmation step on the web (the API acts in one call: it is a program, not a person).
CONFIRMATIONS: dict[str, Confirmation] = {
    "close": Confirmation(
        about="close this referral",
        consequence="The sending agency sees it closed, with the outcome you choose here. "
        "This cannot be undone: the outcome stays in the referral's timeline and in the grant reports.",
        button="Close the referral",
        hint="You choose the outcome and confirm on the next page.",
    ),
    "decline": Confirmation(
        about="decline this referral",
        consequence="The sending agency sees that your agency declined it, and why. "
        "This cannot be undone: only the sending agency can send it to you again.",
        button="Decline the referral",
        hint="You choose the reason and confirm on the next page.",
    ),
}
CONFIRMED_MOVES = frozenset(CONFIRMATIONS)
CONSENT_WITHDRAWAL = Confirmation(
    about="record that the survivor withdrew consent for this referral",
    consequence="The receiving agency loses access to this referral at once and is told by email. "
    "This cannot be undone: if the survivor agrees again, send a new referral with a new consent.",
    button="Record the withdrawal of consent",
)


def move_button(move: str) -> str:
    return MOVES[move].button if move in MOVES else move


def move_buttons(moves: Iterable[str]) -> list[tuple[str, str, str]]:
    """(move, its button, the hint under it) for the moves offered on the referral's page."""
    return [(move, move_button(move), CONFIRMATIONS[move].hint if move in CONFIRMATIONS else "") for move in moves]


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def _reason_label(reason: str) -> str:
    for choices in (DeclineReason, Outcome):
        if reason in choices.values:
            return str(choices(reason).label)
    return reason


def timeline_entry(*, move: str, agency_name: str, reason: str = "") -> str:
    """ "Sent by Safe Harbor", "Closed by Juniper General Hospital: services provided"."""
    words = MOVES.get(move)
    text = f"{words.done if words else move.capitalize()} by {agency_name}"
    return f"{text}: {_reason_label(reason).lower()}" if reason else text


def _either(offers: list[str]) -> str:
    return offers[0] if len(offers) == 1 else f"{', '.join(offers[:-1])}, or {offers[-1]}"


def refusal(*, move: str, status: str, allowed: Iterable[str], other_side_may: str = "") -> str:
    """The refused move in plain words: what happened, and what can be done now.

    `other_side_may` names the agency that could make this move now ("the receiving agency"), if any."""
    if move not in MOVES or move == "send":
        first = "That is not a step a referral can take."
    elif other_side_may:
        first = f"Only {other_side_may} can {MOVES[move].offer.replace(' it', ' this referral')} now."
    else:
        first = f"{STATUS_SITUATIONS.get(status, 'This referral')}, so it cannot be {MOVES[move].passive} now."
    offers = [MOVES[m].offer for m in allowed if m in MOVES]
    then = f"You can: {_either(offers)}." if offers else "There is nothing more your agency can do with it now."
    return f"{first} {then}"
