"""A deterministic statewide dataset for the benchmarks (PostgreSQL; bulk inserts; minutes, not hours)."""

import random
import time
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from agencies import scale as agency_scale
from agencies.models import Agency
from cases import scale as case_scale


class Command(BaseCommand):
    help = "Build the scale dataset: 50 agencies, 5,000 people, 200,000 referrals, meetings and trainings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agencies", type=int, default=50)
        parser.add_argument("--people", type=int, default=5000)
        parser.add_argument("--referrals", type=int, default=200_000)
        parser.add_argument("--meetings", type=int, default=2000)
        parser.add_argument("--trainings", type=int, default=500)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: object, **options: int) -> None:
        if Agency.objects.exists():
            raise CommandError("The database is not empty: seed_scale builds on an empty database only.")
        rng = random.Random(options["seed"])  # noqa: S311 - deterministic benchmark data
        started = time.monotonic()
        agency_scale.build(agencies=options["agencies"], people=options["people"], rng=rng)
        self._say(started, f"{options['agencies']} agencies and {options['people']} people")
        case_scale.build(
            referrals=options["referrals"],
            rng=rng,
            progress=lambda done: self._say(started, f"referrals {done:,}/{options['referrals']:,}"),
        )
        try:
            meetings_scale = import_module("meetings.scale")
        except ModuleNotFoundError as error:
            if error.name != "meetings.scale":
                raise
        else:
            meetings_scale.build(
                meetings=options["meetings"],
                trainings=options["trainings"],
                rng=rng,
                progress=lambda text: self._say(started, text),
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._say(started, "done")

    def _say(self, started: float, text: str) -> None:
        self.stdout.write(f"[{time.monotonic() - started:6.1f} s] {text}", ending="\n")
        self.stdout.flush()
