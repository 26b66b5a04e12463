"""HTTP and data benchmarks of the portal (issue 7): every figure as a ratio of a ceiling of the same run.

    .venv/bin/python benchmarks/run.py --setup     # first time: creates, migrates and seeds scale_bench (~1 min)
    .venv/bin/python benchmarks/run.py             # every benchmark (~8 min); --only 1,2,8 for some
    .venv/bin/python benchmarks/run.py --help
    .venv/bin/python benchmarks/run.py --growth --setup   # issue 21: the county and the state datasets
        # (bench_county, bench_state: seeded once, ~1 and ~12 min), then state / county per figure

gunicorn (sync workers, as in the Procfile) on loopback with benchmarks.settings (production plus
the benchmark-only ceiling views), PostgreSQL and Redis; load from wrk in its own process. Prints a
table with pass or fail against each aim and writes the whole record to benchmarks/results/.
The dataset is benchmarks/seed_scale.py's. See benchmarks/README-http.md. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:  # imported for real only after django.setup()
    from benchmarks.people import Cast

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/scale_bench"
ALL = ("1", "2", "3", "4", "5", "6", "7", "8")
GROWTH_URLS = {
    "county": "postgres://postgres@127.0.0.1:5432/bench_county",
    "state": "postgres://postgres@127.0.0.1:5432/bench_state",
}


def main() -> int:
    args = _arguments()
    if args.growth:
        sys.path.insert(0, str(ROOT))
        from benchmarks.growth import growth

        return growth({"county": args.county_url, "state": args.state_url}, _child_arguments(sys.argv[1:]))
    env = _environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    if args.setup:
        _create_database(args.database_url)
    import django

    django.setup()
    _prepare_database(setup=args.setup, size=args.size)
    return _run(args, env)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help=f"default {DEFAULT_DATABASE}")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="cache and throttle (default db 5)")
    parser.add_argument("--setup", action="store_true", help="create the database if missing, migrate, seed_scale")
    parser.add_argument("--size", choices=("county", "state"), default="county", help="what --setup seeds")
    parser.add_argument("--record", help="write the record to this path (default benchmarks/results/http-*.json)")
    parser.add_argument("--growth", action="store_true", help="run at both sizes and compare (issue 21)")
    parser.add_argument("--county-url", default=GROWTH_URLS["county"], help="--growth: the county database")
    parser.add_argument("--state-url", default=GROWTH_URLS["state"], help="--growth: the state database")
    parser.add_argument("--digest-officers", type=int, default=15, help="7: officers of the first N agencies")
    parser.add_argument("--only", default=",".join(ALL), help="benchmarks to run, e.g. 1,2,8 (default: all)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections for 1, 2 and 8 (default 2)")
    parser.add_argument("--search-connections", type=int, default=8, help="wrk connections for 5 (default 8)")
    parser.add_argument("--warmup", type=float, default=4.0, help="seconds of warm-up before each measure")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each measure")
    parser.add_argument("--rounds", type=int, default=5, help="measures of each load, interleaved (median kept)")
    parser.add_argument("--xlsx-rows", default="20000,100000", help="XLSX sizes (rows), to show bounded memory")
    parser.add_argument("--fiscal-year", type=int, help="federal fiscal year of 6 (default: the last ended)")
    return parser.parse_args()


def _child_arguments(argv: list[str]) -> list[str]:
    """This command's arguments for one size's run: without --growth and the databases it chooses."""
    out, skip = [], False
    for argument in argv:
        name = argument.split("=", 1)[0]
        if skip:
            skip = False
        elif name in ("--county-url", "--state-url", "--database-url", "--size", "--record"):
            skip = "=" not in argument
        elif name != "--growth":
            out.append(argument)
    return out


def _environment(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL") or "https://portal.example.org",  # digest links
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlparse(url).path.lstrip("/")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def _prepare_database(*, setup: bool, size: str) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from benchmarks.scale.sizes import SIZES
    from benchmarks.seed_scale import seed_scale
    from cases.models import Referral

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending and not setup:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending)
        raise SystemExit(f"The database lacks migrations ({names}): run with --setup to apply them.")
    if setup:
        call_command("migrate", interactive=False, verbosity=0)
        if not Referral.objects.exists():
            seed_scale(size=size)
    call_command("collectstatic", interactive=False, verbosity=0)
    expected = SIZES[size].referrals
    if Referral.objects.count() < expected:
        print(
            f"warning: fewer than {expected:,} referrals; the figures are not those of the {size} dataset", flush=True
        )


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    from benchmarks.people import cast_assemble, cast_dismiss

    only = set(args.only.split(","))
    started = datetime.now(UTC)
    from cases.models import Referral

    record: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": vars(args),
        "referrals": Referral.objects.count(),
    }
    cast = cast_assemble()
    try:
        record["http"] = _http(args, env, cast, only)
        record["inprocess"] = _inprocess(args, cast, only)
    finally:
        cast_dismiss(cast)
    record["load_after"] = os.getloadavg()
    record["verdicts"] = verdicts(record)
    _print(record)
    RESULTS.mkdir(exist_ok=True)
    path = Path(args.record) if args.record else RESULTS / f"http-{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(record, indent=2, default=str))
    print(f"\nwritten: {path}")
    return 0 if all(v["pass"] is not False for v in record["verdicts"]) else 1


def _http(args: argparse.Namespace, env: dict[str, str], cast: Cast, only: set[str]) -> dict:
    from benchmarks import http_scenarios
    from benchmarks.http_load import Gunicorn, LoadSettings

    if not only & {"1", "2", "4", "5", "8"}:
        return {}
    load = LoadSettings(min(args.threads, args.connections), args.connections, args.warmup, args.duration, args.rounds)
    search_load = LoadSettings(args.threads, args.search_connections, args.warmup, args.duration, args.rounds)
    RESULTS.mkdir(exist_ok=True)
    results: dict = {}
    with Gunicorn(port=args.port, workers=args.workers, env=env, log=RESULTS / "gunicorn.log") as server:
        if only & {"1", "2"}:
            results["lists"] = http_scenarios.referral_lists(server, cast, load)
        if "8" in only:
            results["detail"] = http_scenarios.referral_detail(server, cast, load, _first_ids(cast))
        if "5" in only:
            results["search"] = http_scenarios.search(server, cast, search_load, _first_ids(cast))
        if "4" in only:
            results["csv"] = http_scenarios.csv_export(server)
    return results


def _first_ids(cast: Cast) -> list[int]:
    from cases.models import Referral

    return list(Referral.objects.incoming_for(cast.officer).order_by("-id").values_list("id", flat=True)[:50])


def _inprocess(args: argparse.Namespace, cast: Cast, only: set[str]) -> dict:
    from django.utils import timezone

    from benchmarks import inprocess
    from benchmarks.query_counts import query_counts

    results: dict = {}
    if "3" in only:
        results["query_counts"] = query_counts(cast)
    if "4" in only:
        results["xlsx"] = inprocess.xlsx(tuple(int(n) for n in args.xlsx_rows.split(",")))
    if "6" in only:
        year = args.fiscal_year or inprocess.last_ended_fiscal_year(timezone.localdate())
        results["report"] = inprocess.grant_report(year)
    if "7" in only:
        people = inprocess.digest_people(list(cast.by_name().values()), officers=args.digest_officers)
        results["digest"] = inprocess.digest_per_person(people)
    return results


# --- verdicts ------------------------------------------------------------------------------------------


def _verdict(number: str, figure: str, value: str, aim: str, ok: bool | None) -> dict:
    return {"benchmark": number, "figure": figure, "value": value, "aim": aim, "pass": ok}


def _load(run: dict) -> str:
    return f"{run['rps']:.0f} req/s, p50 {run['p50_ms']:.1f} / p95 {run['p95_ms']:.1f} / p99 {run['p99_ms']:.1f} ms"


def verdicts(record: dict) -> list[dict]:
    http, local = record.get("http", {}), record.get("inprocess", {})
    out: list[dict] = []
    if "lists" in http:
        out += _lists(http["lists"])
    if "query_counts" in local:
        out += _query_counts(local["query_counts"])
    if "csv" in http or "xlsx" in local:
        out += _exports(http.get("csv"), local.get("xlsx"))
    if "search" in http:
        run, floor = http["search"]["search"], http["search"].get("one_row_floor")
        value = f"{run['p95_ms']:.1f} ms, {run['rps']:.0f} req/s"
        if floor is not None:
            value += f" (one-row fetch, no sign-in: {floor['p95_ms']:.1f} ms, {floor['rps']:.0f} req/s)"
        out.append(_verdict("5", "search p95 at concurrency 8", value, "< 20 ms", run["p95_ms"] < 20))
        out.append(_errors("5", run))
    if "report" in local:
        report = local["report"]
        out.append(
            _verdict(
                "6",
                f"report {report['period_slug']}, {report['measures']} measures, all agencies",
                f"{report['engine_s']:.3f} s (x{report['ratio']} of one GROUP BY: "
                f"{report['single_aggregate_s'] * 1000:.1f} ms)",
                "< 2 s",
                report["engine_s"] < 2,
            )
        )
    if "digest" in local:
        digest = local["digest"]
        value = f"median {digest['median_ms']:.1f} ms, p95 {digest['p95_ms']:.1f} ms"
        value += f", {digest['queries_per_person']} queries"
        out.append(_verdict("7", f"digest sections, {digest['people']} people", value, "-", None))
    if "detail" in http:
        detail = http["detail"]["detail"]
        ratio = http["detail"]["detail_vs_ceiling"]
        out.append(_verdict("8", "detail / one-row fetch, throughput", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5))
        out.append(_errors("8", detail))
    return out


def _errors(number: str, run: dict) -> dict:
    return _verdict(number, "errors under load (non-2xx, socket)", str(run["errors"]), "0", run["errors"] == 0)


def _lists(lists: dict) -> list[dict]:
    listing, deep, checks = lists["list"], lists["deepest"], lists["checks"]
    ratio, slower = lists["list_vs_ceiling"], lists["first_vs_deepest"]
    return [
        _verdict("1", "list / values()+orjson, throughput", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5),
        _verdict(
            "1",
            "list p95",
            f"{listing['p95_ms']:.1f} ms (ceiling {lists['ceiling']['p95_ms']:.1f} ms)",
            "< 25 ms",
            listing["p95_ms"] < 25,
        ),
        _verdict(
            "1",
            "same 50 rows as the ceiling",
            str(checks["same_rows_as_ceiling"]),
            "True",
            checks["same_rows_as_ceiling"] and checks["rows"] == 50,
        ),
        _errors("1", listing),
        _verdict("2", "deepest / first page, time per request", f"{slower:.2f}", "<= 1.5", slower <= 1.5),
        _verdict(
            "2",
            "deepest page is the last, full",
            f"{checks['deepest_rows']} rows, next=null",
            "50 rows",
            checks["deepest_rows"] == 50 and checks["deepest_is_last"],
        ),
        _errors("2", deep),
    ]


def _query_counts(rows: list[dict]) -> list[dict]:
    unequal = [row["list"] for row in rows if not row["equal"]]
    thin = [row["list"] for row in rows if not row["exercised"] or not row["full_page"]]
    value = f"{len(rows) - len(unequal)}/{len(rows)} equal" + (f"; unequal: {', '.join(unequal)}" if unequal else "")
    if thin:
        value += f"; page not full at 50: {', '.join(thin)}"
    return [_verdict("3", "query counts at 1 and 50 rows", value, "all equal", not unequal)]


def _exports(csv: dict | None, xlsx: list[dict] | None) -> list[dict]:
    out = []
    if csv:
        export, copy, warm = csv["export"], csv["copy"], csv["export_warmup"]
        ratio = export["rows_per_s"] / copy["rows_per_s"]
        out += [
            _verdict(
                "4",
                "CSV export / COPY, rows per second",
                f"{ratio:.2f} ({export['rows_per_s']:,} vs {copy['rows_per_s']:,} rows/s)",
                ">= 0.5",
                ratio >= 0.5,
            ),
            _verdict(
                "4",
                "CSV worker memory growth (first export, measured)",
                f"{warm['rss_growth_mib']:.1f}, {export['rss_growth_mib']:.1f} MiB",
                "< 50 MB",
                max(warm["rss_growth_mib"], export["rss_growth_mib"]) * 2**20 < 50e6,
            ),
            _verdict(
                "4",
                "CSV first byte",
                f"{export['first_byte_ms']:.0f} ms (first row {export['first_row_ms']:.0f} ms)",
                "< 300 ms",
                export["first_byte_ms"] < 300,
            ),
            _verdict("4", "CSV bytes identical to COPY (CR aside)", str(csv["same_bytes"]), "True", csv["same_bytes"]),
        ]
    for run in xlsx or []:
        out += [
            _verdict(
                "4",
                f"XLSX {run['rows']:,} rows, rows per second",
                f"{run['rows_per_s']:,} ({run['rows_per_cpu_s']:,} per CPU second)",
                ">= 10,000",
                run["rows_per_s"] >= 10_000,
            ),
            _verdict(
                "4",
                f"XLSX {run['rows']:,} rows, memory growth",
                f"{run['rss_growth_mib']:.1f} MiB",
                "< 50 MB",
                run["rss_growth_mib"] * 2**20 < 50e6,
            ),
        ]
    return out


# --- output --------------------------------------------------------------------------------------------


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk = subprocess.run(["/usr/bin/wrk", "--version"], capture_output=True, text=True, check=False)
    packages = ("Django", "djangorestframework", "gunicorn", "psycopg", "orjson", "openpyxl", "redis")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_before": os.getloadavg(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": _redis_version(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "?",
        **{name: metadata.version(name) for name in packages},
    }


def _redis_version() -> str:
    import redis

    try:
        return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2).info()["redis_version"]
    except redis.RedisError as error:
        return f"unreachable ({error})"


def _print(record: dict) -> None:
    machine = record["machine"]
    print(
        f"\n{record['started']}  {machine['cpu']}, {machine['cores']} cores, load {machine['load_before'][0]:.1f} "
        f"-> {record['load_after'][0]:.1f}; Python {machine['python']}, Django {machine['Django']}, "
        f"PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, gunicorn {machine['gunicorn']}"
    )
    print(f"\n{'#':<2} {'figure':<46} {'value':<58} {'aim':<10} result")
    for v in record["verdicts"]:
        result = {True: "pass", False: "FAIL", None: "-"}[v["pass"]]
        print(f"{v['benchmark']:<2} {v['figure']:<46} {v['value']:<58} {v['aim']:<10} {result}")
    http = record.get("http", {})
    loads = [
        (f"{group}: {name}", run)
        for group in ("lists", "detail", "search")
        for name, run in http.get(group, {}).items()
        if isinstance(run, dict) and "rps" in run
    ]
    if loads:
        print("\nloads (after warm-up):")
        for name, run in loads:
            print(f"  {name:<20} {_load(run)}, {run['requests']} requests, errors {run['errors']}")
    for row in record.get("inprocess", {}).get("query_counts", []):
        print(f"  3: {row['list']:<44} as {row['as']:<12} rows {row['rows']}  queries {row['queries']}")


if __name__ == "__main__":
    sys.exit(main())
