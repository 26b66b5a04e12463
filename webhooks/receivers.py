"""The receiver of cases.signals.referral_event, connected by WebhooksConfig.ready().

It runs inside the transaction of the referral change and only writes rows (the deliveries and
their outbox rows): the HTTP attempts run after commit, in a worker.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cases.models import Referral
from cases.signals import referral_event
from webhooks.services import webhook_referral_event_record


@receiver(referral_event, dispatch_uid="webhooks.record_referral_event")
def record_referral_event(sender: Any, *, referral: Referral, event: str, **kwargs: Any) -> None:
    webhook_referral_event_record(referral=referral, event=event)
