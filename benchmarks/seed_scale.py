"""Build the benchmarks' scale dataset: a deterministic statewide deployment, in minutes, not hours.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench .venv/bin/python -m benchmarks.seed_scale
    .venv/bin/python -m benchmarks.seed_scale --help      # --agencies, --people, --referrals, ...

Defaults: 50 agencies, 5,000 people, 200,000 referrals with timelines and comments, 2,000 meetings
with minutes and action items, 500 trainings with registrations (about 2 minutes on PostgreSQL).
It builds on an empty, migrated database only. `benchmarks/run.py --setup` calls it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence


def seed_scale(
    *,
    agencies: int = 50,
    people: int = 5000,
    referrals: int = 200_000,
    meetings: int = 2000,
    trainings: int = 500,
    seed: int = 7,
) -> None:
    """Build the dataset with Django already set up; progress lines go to stdout."""
    # Imported here, not at the top: `python -m` loads this module before django.setup() in main().
    from django.db import connection

    from agencies.models import Agency
    from benchmarks.scale import agencies as agency_scale
    from benchmarks.scale import cases as case_scale
    from benchmarks.scale import meetings as meeting_scale

    if Agency.objects.exists():
        raise SystemExit("The database is not empty: seed_scale builds on an empty database only.")
    rng = random.Random(seed)  # noqa: S311 - deterministic benchmark data
    started = time.monotonic()

    def say(text: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {text}", flush=True)

    agency_scale.build(agencies=agencies, people=people, rng=rng)
    say(f"{agencies} agencies and {people} people")
    case_scale.build(referrals=referrals, rng=rng, progress=lambda done: say(f"referrals {done:,}/{referrals:,}"))
    meeting_scale.build(meetings=meetings, trainings=trainings, rng=rng, progress=say)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say("done")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--trainings", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    # The settings manage.py uses; DATABASE_URL says which database (benchmarks/run.py sets its own).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings.dev")
    import django

    django.setup()
    seed_scale(**vars(args))


if __name__ == "__main__":
    main(sys.argv[1:])
