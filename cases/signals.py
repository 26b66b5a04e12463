"""Signals the referral flow sends, for apps above `cases` (docs/architecture.md, "How an app below
reaches an app above").

`referral_event` is sent inside the transaction that makes the change, after the referral, its
timeline and its audit rows are written: a receiver that writes rows (a webhook delivery, an outbox
row) commits or rolls back with the change itself, so an event is never announced for a change that
did not happen, nor lost for one that did. Receivers must not do network work here.

Arguments: `referral` (the saved Referral), `event` (one of REFERRAL_EVENTS), `actor` (the User).
"""

from __future__ import annotations

from django.dispatch import Signal

# "sent" when a referral is created; each move of cases/transitions.py by its name; "consent_revoked"
# when the sender records that the survivor withdrew consent.
REFERRAL_EVENTS = ("sent", "accept", "decline", "start", "close", "withdraw", "reopen", "consent_revoked")

referral_event = Signal()
