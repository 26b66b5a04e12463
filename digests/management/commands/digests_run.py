from django.core.management.base import BaseCommand

from digests.outbox import outbox_sweep
from digests.planner import digests_plan


class Command(BaseCommand):
    help = (
        "Plan the digests that are due and enqueue them, then sweep the outbox: what Celery beat does. "
        "On the embedded default (no REDIS_URL) the tasks run in-process and mail goes to var/mail/; "
        "run it from cron there if you want digests without beat."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = digests_plan()
        swept = outbox_sweep()
        self.stdout.write(
            f"Digests: {report.created} newly due, {report.superseded} superseded, {report.enqueued} enqueued; "
            f"outbox: {swept} re-dispatched."
        )
