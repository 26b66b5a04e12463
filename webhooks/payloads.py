"""What a webhook message says: the reference code, the status, when, and the coded facts.

Only what the agency that receives it may already see in the portal: the coded facts and needs of
its own referral (cases.models.CODED_FIELDS), and the decline reason or outcome once there is one,
which are codes too. Never the note, a comment, the person code or anyone's name. When consent is
withdrawn the receiving agency has just lost access: that message holds the reference code only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cases.models import CODED_FIELDS, Referral
from webhooks.models import TEST_EVENT, WebhookEvent


def referral_payload(*, referral: Referral, event: WebhookEvent, at: datetime) -> dict[str, Any]:
    data: dict[str, Any] = {"reference_code": referral.reference_code, "occurred_at": _iso(at)}
    if event != WebhookEvent.CONSENT_WITHDRAWN:
        data["status"] = referral.status
        data["facts"] = {name: getattr(referral, name) for name in CODED_FIELDS}
        data["needs"] = sorted(referral.needs.values_list("need", flat=True))
        if referral.decline_reason:
            data["decline_reason"] = referral.decline_reason
        if referral.outcome:
            data["outcome"] = referral.outcome
    return {"type": event.value, "timestamp": _iso(at), "data": data}


def ping_payload(*, at: datetime) -> dict[str, Any]:
    return {
        "type": TEST_EVENT,
        "timestamp": _iso(at),
        "data": {"message": "A test event from the task force portal. No referral is involved."},
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
