"""The one table of what a person reads about a referral's states and moves (issue 20, "Developer words").

Templates, the 409 page, the API's 409 `detail` and emails take their words from here, never from the codes
("send", "in_progress"): a status's name, each move's button, each timeline entry ("Sent by Juniper General
Hospital") and the sentence for a refused move ("This referral was already accepted, so it cannot be
declined now. You can: mark it in progress, or close it.").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cases.choices import DeclineReason, Outcome, Status


@dataclass(frozen=True)
class MoveWords:
    """Each a lazy string, read in the language active where it is shown."""

    button: str | Promise  # the button on the referral's page
    done: str | Promise  # the timeline entry, followed by " by <agency>"
    passive: str | Promise  # "so it cannot be <passive> now" (Spanish: "no se puede <infinitive>")
    offer: str | Promise  # "You can: <offer>, or <offer>."
    verb: str | Promise  # "Only the receiving agency can <verb> this referral now."


MOVES: dict[str, MoveWords] = {
    "send": MoveWords(
        button=gettext_lazy("Send"),
        done=pgettext_lazy("referral timeline", "Sent"),
        passive=pgettext_lazy("so it cannot be … now", "sent"),
        offer=gettext_lazy("send it"),
        verb=pgettext_lazy("can … this referral", "send"),
    ),
    "accept": MoveWords(
        button=gettext_lazy("Accept"),
        done=pgettext_lazy("referral timeline", "Accepted"),
        passive=pgettext_lazy("so it cannot be … now", "accepted"),
        offer=gettext_lazy("accept it"),
        verb=pgettext_lazy("can … this referral", "accept"),
    ),
    "decline": MoveWords(
        button=gettext_lazy("Decline…"),
        done=pgettext_lazy("referral timeline", "Declined"),
        passive=pgettext_lazy("so it cannot be … now", "declined"),
        offer=gettext_lazy("decline it"),
        verb=pgettext_lazy("can … this referral", "decline"),
    ),
    "start": MoveWords(
        button=gettext_lazy("Mark in progress"),
        done=pgettext_lazy("referral timeline", "Marked in progress"),
        passive=pgettext_lazy("so it cannot be … now", "marked in progress"),
        offer=gettext_lazy("mark it in progress"),
        verb=pgettext_lazy("can … this referral", "mark in progress"),
    ),
    "close": MoveWords(
        button=gettext_lazy("Close…"),
        done=pgettext_lazy("referral timeline", "Closed"),
        passive=pgettext_lazy("so it cannot be … now", "closed"),
        offer=gettext_lazy("close it"),
        verb=pgettext_lazy("can … this referral", "close"),
    ),
    "withdraw": MoveWords(
        button=gettext_lazy("Withdraw…"),
        done=pgettext_lazy("referral timeline", "Withdrawn"),
        passive=pgettext_lazy("so it cannot be … now", "withdrawn"),
        offer=gettext_lazy("withdraw it"),
        verb=pgettext_lazy("can … this referral", "withdraw"),
    ),
    "reopen": MoveWords(
        button=gettext_lazy("Reopen"),
        done=pgettext_lazy("referral timeline", "Reopened"),
        passive=pgettext_lazy("so it cannot be … now", "reopened"),
        offer=gettext_lazy("reopen it"),
        verb=pgettext_lazy("can … this referral", "reopen"),
    ),
}

# What a person reads for each status: its name, and where the referral stands (the start of a refusal).
STATUS_NAMES: dict[str, str | Promise] = {status: status.label for status in Status}
STATUS_SITUATIONS: dict[str, str | Promise] = {
    Status.SENT: gettext_lazy("This referral is still waiting for an answer"),
    Status.ACCEPTED: gettext_lazy("This referral was already accepted"),
    Status.DECLINED: gettext_lazy("This referral was declined"),
    Status.IN_PROGRESS: gettext_lazy("This referral is already in progress"),
    Status.CLOSED: gettext_lazy("This referral is closed"),
    Status.WITHDRAWN: gettext_lazy("This referral was withdrawn"),
}
# Who else could make a refused move now (transitions.IllegalMove).
OTHER_SIDE: dict[str, str | Promise] = {
    "sender": gettext_lazy("the sending agency"),
    "receiver": gettext_lazy("the receiving agency"),
}


@dataclass(frozen=True)
class Confirmation:
    """The confirmation step in the page before what cannot be undone: "You are about to <about>"."""

    about: str | Promise
    consequence: str | Promise
    button: str | Promise
    hint: str | Promise = ""  # under the move's button on the referral's page
    title: str | Promise = ""  # the page's title: "Confirm: <title>"


# Moves needing a confirmation step on the web (the API acts in one call: it is a program, not a person).
CONFIRMATIONS: dict[str, Confirmation] = {
    "close": Confirmation(
        about=gettext_lazy("close this referral"),
        consequence=gettext_lazy(
            "The sending agency sees it closed, with the outcome you choose here. "
            "This cannot be undone: the outcome stays in the referral's timeline and in the grant reports."
        ),
        button=gettext_lazy("Close the referral"),
        hint=gettext_lazy("You choose the outcome and confirm on the next page."),
        title=gettext_lazy("Close this referral"),
    ),
    "decline": Confirmation(
        about=gettext_lazy("decline this referral"),
        consequence=gettext_lazy(
            "The sending agency sees that your agency declined it, and why. "
            "This cannot be undone: only the sending agency can send it to you again."
        ),
        button=gettext_lazy("Decline the referral"),
        hint=gettext_lazy("You choose the reason and confirm on the next page."),
        title=gettext_lazy("Decline this referral"),
    ),
    "withdraw": Confirmation(
        about=gettext_lazy("withdraw this referral"),
        consequence=gettext_lazy(
            "The receiving agency sees that your agency withdrew it, with your note if you write one. "
            "This cannot be undone: to refer the person again, send a new referral."
        ),
        button=gettext_lazy("Withdraw the referral"),
        hint=gettext_lazy("You confirm on the next page."),
        title=gettext_lazy("Withdraw this referral"),
    ),
}
CONFIRMED_MOVES = frozenset(CONFIRMATIONS)
# Moves whose confirmation step asks for a reason (or an outcome): (its label, its choices).
CONFIRMATION_REASONS: dict[str, tuple[str | Promise, type[DeclineReason] | type[Outcome]]] = {
    "close": (gettext_lazy("Outcome"), Outcome),
    "decline": (gettext_lazy("Reason for declining"), DeclineReason),
}
CONSENT_WITHDRAWAL = Confirmation(
    about=gettext_lazy("record that the survivor withdrew consent for this referral"),
    consequence=gettext_lazy(
        "The receiving agency loses access to this referral at once and is told by email. "
        "This cannot be undone: if the survivor agrees again, send a new referral with a new consent."
    ),
    button=gettext_lazy("Record the withdrawal of consent"),
    title=gettext_lazy("Record that the survivor withdrew consent"),
)


def move_button(move: str) -> str:
    return str(MOVES[move].button) if move in MOVES else move


def move_buttons(moves: Iterable[str]) -> list[tuple[str, str, str]]:
    """(move, its button, the hint under it) for the moves offered on the referral's page."""
    return [(move, move_button(move), str(CONFIRMATIONS[move].hint) if move in CONFIRMATIONS else "") for move in moves]


def status_name(status: str) -> str:
    return str(STATUS_NAMES.get(status, status))


# The state of a meeting's minutes, as the search results name it beside a hit in the minutes (meetings'
# MinutesStatus codes; cases sits below meetings, so it names them here rather than importing them).
MINUTES_STATUS_NAMES: dict[str, Promise] = {
    "draft": pgettext_lazy("minutes status", "draft"),
    "circulated": pgettext_lazy("minutes status", "circulated for review"),
    "approved": pgettext_lazy("minutes status", "approved"),
}


def minutes_status_name(status: str) -> str:
    return str(MINUTES_STATUS_NAMES.get(status, status))


def _reason_label(reason: str) -> str:
    for choices in (DeclineReason, Outcome):
        if reason in choices.values:
            return str(choices(reason).label)
    return reason


def timeline_entry(*, move: str, agency_name: str, reason: str = "") -> str:
    """ "Sent by Safe Harbor", "Closed by Juniper General Hospital: services provided"."""
    words = MOVES.get(move)
    text = _("%(done)s by %(agency)s") % {"done": words.done if words else move.capitalize(), "agency": agency_name}
    if not reason:
        return text
    return _("%(entry)s: %(reason)s") % {"entry": text, "reason": _reason_label(reason).lower()}


def _either(offers: list[str]) -> str:
    if len(offers) == 1:
        return offers[0]
    return _("%(some)s, or %(last)s") % {"some": ", ".join(offers[:-1]), "last": offers[-1]}


def refusal(*, move: str, status: str, allowed: Iterable[str], other_side_may: str = "") -> str:
    """The refused move in plain words: what happened, and what can be done now, in the active language.

    `other_side_may` names the side that could make this move now ("receiver" or "sender", OTHER_SIDE), if any."""
    if move not in MOVES or move == "send":
        first = _("That is not a step a referral can take.")
    elif other_side_may:
        side = OTHER_SIDE.get(other_side_may, other_side_may)
        first = _("Only %(side)s can %(verb)s this referral now.") % {"side": side, "verb": MOVES[move].verb}
    else:
        situation = STATUS_SITUATIONS.get(status, _("This referral"))
        first = _("%(situation)s, so it cannot be %(passive)s now.") % {
            "situation": situation,
            "passive": MOVES[move].passive,
        }
    offers = [str(MOVES[m].offer) for m in allowed if m in MOVES]
    if offers:
        then = _("You can: %(offers)s.") % {"offers": _either(offers)}
    else:
        then = _("There is nothing more your agency can do with it now.")
    return f"{first} {then}"
