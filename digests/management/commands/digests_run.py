import time

from django.core.management.base import BaseCommand, CommandParser

from digests.planner import digests_plan
from outbox.services import outbox_sweep


class Command(BaseCommand):
    help = (
        "Plan the digests that are due and enqueue them, then sweep the outbox: what Celery beat does. "
        "On the embedded default (no REDIS_URL) the tasks run in-process and mail goes to var/mail/; "
        "`make run` keeps it running with --every, in place of beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again every SECONDS until interrupted (the embedded default's stand-in for beat).",
        )

    def handle(self, *args: object, every: int, **options: object) -> None:
        while True:
            report = digests_plan()
            swept = outbox_sweep()
            self.stdout.write(
                f"Digests: {report.created} newly due, {report.superseded} superseded, {report.enqueued} enqueued; "
                f"outbox: {swept} re-dispatched."
            )
            if every <= 0:
                return
            time.sleep(every)
