from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: an agency's own system receives its referral events, signed (Standard Webhooks),
    retried with backoff through the outbox, with a delivery log per endpoint.

    It sits above `cases`: `ready()` connects to `cases.signals.referral_event`.
    """

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from webhooks import receivers  # noqa: F401  connects the referral_event receiver
