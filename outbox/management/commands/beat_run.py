"""The embedded default's stand-in for Celery beat (`make run`, Procfile.dev): no Redis, so no beat.

Each entry of CELERY_BEAT_SCHEDULE runs in this process when its interval has passed since it last
ran here (the first pass runs every entry once): the digest planner, the outbox sweep, the escalation of
unanswered referrals, the webhook retries, the purges. Tasks are named by dotted path, as beat names
them, so this command imports no app. Production runs `celery beat` (Procfile).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string


def interval_seconds(schedule: object) -> float:
    """A beat entry's schedule as seconds: a number or a timedelta (the forms this project uses)."""
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    raise TypeError(f"beat_run knows intervals only, not {schedule!r}")


class Command(BaseCommand):
    help = "Run the Celery beat schedule in-process (the embedded default has no broker). --every: loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Wake every SECONDS and run the entries that are due, until interrupted.",
        )

    def handle(self, *args: object, every: int, **options: object) -> None:
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
                due = name not in last_run or now - last_run[name] >= interval_seconds(entry["schedule"])
                if not due:
                    continue
                last_run[name] = now
                try:
                    import_string(entry["task"])()
                except Exception as error:  # one failing entry must not stop the others, nor the loop
                    self.stderr.write(f"{name}: {type(error).__name__}: {error}")
                else:
                    self.stdout.write(f"{name}: done")
            if every <= 0:
                return
            time.sleep(every)
