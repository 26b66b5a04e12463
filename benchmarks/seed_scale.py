"""Build the benchmarks' scale dataset: a deterministic task force, county or statewide, in minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_county .venv/bin/python -m benchmarks.seed_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_state .venv/bin/python -m benchmarks.seed_scale --size state
    .venv/bin/python -m benchmarks.seed_scale --help      # --agencies, --people, --referrals, ... override the size

Sizes (benchmarks/scale/sizes.py): county (the default) 50 agencies, 5,000 people, 200,000 referrals over
2 years, 2,000 meetings, 500 trainings; state ten times each (500 agencies, 50,000 people, 2,000,000
referrals) over 5 years. Every referral has needs, a timeline, audit rows, some a consent and a comment;
meetings have minutes, attendance and action items; trainings registrations. Most referrals are old and
ended, a few weeks' worth still waiting or in progress. Referrals and their history go in by COPY on
PostgreSQL. It builds on an empty, migrated database only and prints the time it took.
`benchmarks/run.py --setup` calls it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import fields, replace

from benchmarks.scale.sizes import SIZES, Size

_COUNTS = ("agencies", "people", "referrals", "meetings", "trainings")


def seed_scale(
    *,
    size: str | Size = "county",
    divisor: int = 1,
    seed: int = 7,
    **counts: int | None,
) -> float:
    """Build the dataset with Django already set up; progress lines go to stdout. `counts` (agencies,
    people, referrals, meetings, trainings, years) override the size's. Returns the seconds it took."""
    # Imported here, not at the top: `python -m` loads this module before django.setup() in main().
    from django.db import connection

    from agencies.models import Agency
    from benchmarks.scale import agencies as agency_scale
    from benchmarks.scale import cases as case_scale
    from benchmarks.scale import meetings as meeting_scale

    plan = size_plan(size, divisor=divisor, **counts)
    if Agency.objects.exists():
        raise SystemExit("The database is not empty: seed_scale builds on an empty database only.")
    rng = random.Random(seed)  # noqa: S311 - deterministic benchmark data
    started = time.monotonic()

    def say(text: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {text}", flush=True)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")  # this session only: a crash means seeding again
    agency_scale.build(agencies=plan.agencies, people=plan.people, counties=plan.counties, rng=rng)
    say(f"{plan.agencies:,} agencies and {plan.people:,} people")
    case_scale.build(
        referrals=plan.referrals,
        years=plan.years,
        rng=rng,
        progress=lambda done: say(f"referrals {done:,}/{plan.referrals:,} with their history"),
    )
    meeting_scale.build(meetings=plan.meetings, trainings=plan.trainings, years=plan.years, rng=rng, progress=say)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say("analyzed")
    seconds = time.monotonic() - started
    say(f"done in {seconds / 60:.1f} min ({plan})")
    return seconds


def size_plan(size: str | Size, *, divisor: int = 1, **counts: int | None) -> Size:
    """The size named (or given), divided, then with the explicit counts that were given."""
    base = SIZES[size] if isinstance(size, str) else size
    given = {name: value for name, value in counts.items() if value is not None}
    unknown = set(given) - {f.name for f in fields(Size)}
    if unknown:
        raise TypeError(f"Unknown counts: {', '.join(sorted(unknown))}")
    return replace(base.divided(divisor), **given)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="county", help="default county")
    for name in (*_COUNTS, "years"):
        parser.add_argument(f"--{name}", type=int, help="overrides the size's")
    parser.add_argument("--divisor", type=int, default=1, help="divide every count of the size (quick checks)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    # The settings manage.py uses; DATABASE_URL says which database (benchmarks/run.py sets its own).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings.dev")
    import django

    django.setup()
    seed_scale(**vars(args))


if __name__ == "__main__":
    main(sys.argv[1:])
