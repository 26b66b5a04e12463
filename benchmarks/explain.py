"""Where one piece of work spends its time in PostgreSQL: runs it once to warm up, once with every query
captured and timed, then prints the slowest statements with EXPLAIN (ANALYZE, BUFFERS) of each.

    .venv/bin/python benchmarks/explain.py report --database-url postgres://postgres@127.0.0.1:5432/bench_state
    .venv/bin/python benchmarks/explain.py digest             # the cast's officer's daily digest sections
    .venv/bin/python benchmarks/explain.py search --q "legal help"
    .venv/bin/python benchmarks/explain.py url "/api/v1/referrals/?direction=incoming"

Same settings and cast as run.py. Read-only, except the cast's API tokens (revoked at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=("report", "digest", "search", "url"))
    parser.add_argument("url", nargs="?", default="/api/v1/referrals/?direction=incoming")
    parser.add_argument("--q", default="legal help", help="search: the words")
    parser.add_argument("--as", dest="person", default="officer")
    parser.add_argument("--top", type=int, default=3, help="statements to explain (the slowest)")
    parser.add_argument("--fiscal-year", type=int)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_state")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import _environment

    os.environ.update(_environment(args))
    import django

    django.setup()
    from benchmarks.people import cast_assemble, cast_dismiss

    cast = cast_assemble()
    try:
        work = _work(args, cast)
        work()
        _explain(work, top=args.top)
    finally:
        cast_dismiss(cast)
    return 0


def _work(args: argparse.Namespace, cast: object) -> Callable[[], object]:
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from benchmarks import inprocess
    from digests.sections import DigestWindow, digest_sections_build
    from reports.engine import report_compute
    from reports.measures import measure_keys
    from reports.periods import PeriodKind, period_build

    person = cast.by_name()[args.person]  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {cast.tokens[args.person]}"}  # type: ignore[attr-defined]
    if args.target == "report":
        year = args.fiscal_year or inprocess.last_ended_fiscal_year(timezone.localdate())
        period = period_build(kind=PeriodKind.FISCAL_YEAR, year=year)
        return lambda: report_compute(period=period, measure_keys=measure_keys())
    if args.target == "digest":
        now = timezone.now()
        window = DigestWindow(start=now - timedelta(days=1), end=now, now=now)
        return lambda: digest_sections_build(person=person, window=window)
    client = Client()
    if args.target == "search":
        body = json.dumps({"q": args.q})
        return lambda: client.post("/api/v1/search/", body, content_type="application/json", headers=headers)
    return lambda: client.get(args.url, headers=headers)


def _explain(work: Callable[[], object], *, top: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        work()
    total = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    spent = sum(float(q["time"]) for q in queries)
    print(f"{total * 1000:.1f} ms in all, {len(queries)} queries taking {spent * 1000:.1f} ms")
    for query in queries[:top]:
        print(f"\n--- {float(query['time']) * 1000:.1f} ms\n{query['sql'][:1500]}")
        if query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    sys.exit(main())
