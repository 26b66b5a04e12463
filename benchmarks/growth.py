"""`benchmarks/run.py --growth`: the same benchmarks on the county and the state dataset (issue 21), one
run each (a child `run.py` per database, since Django reads its database once), then per figure the
county value, the state value and the ratio state / county, with the load average at each run's
start and end, as JSON (benchmarks/results/growth-*.json) and as a Markdown table for the README.

A ratio near 1 means the cost follows the page, not the history; the aims are issue 21's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SIZES = ("county", "state")


@dataclass(frozen=True)
class Figure:
    """One number read from a run's record; `lower` when less is better (times, memory)."""

    benchmark: str
    name: str
    read: Callable[[dict], float | None]
    lower: bool = True
    aim_state: Callable[[float], bool] | None = None  # the aim on the state figure
    aim_ratio: float | None = None  # the aim on state / county (a cost: at most)
    aim: str = ""


def _get(*keys: str | int) -> Callable[[dict], float | None]:
    def read(record: dict) -> float | None:
        value: object = record
        for key in keys:
            if (isinstance(value, dict) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value)
            ):
                value = value[key]  # type: ignore[index]  # a list's key is an int, checked above
            else:
                return None
        return float(value) if isinstance(value, (int, float)) else None

    return read


def _per_request_ms(*keys: str) -> Callable[[dict], float | None]:
    """Time per request from throughput at the run's concurrency (a cost, so that growth is state / county)."""

    def read(record: dict) -> float | None:
        rps = _get("http", *keys, "rps")(record)
        connections = record.get("settings", {}).get("connections", 2)
        return None if not rps else 1000 * connections / rps

    return read


FIGURES = [
    Figure("1", "list: time per request (ms, 2 conn.)", _per_request_ms("lists", "list"), aim_ratio=1.1,
           aim="growth <= 1.1"),
    Figure("1", "list p95 (ms)", _get("http", "lists", "list", "p95_ms")),
    Figure("1", "list / ceiling (throughput)", _get("http", "lists", "list_vs_ceiling"), lower=False,
           aim_state=lambda v: v >= 0.6, aim=">= 0.6"),
    Figure("1", "list, default order (urgency, age): time per request (ms)", _per_request_ms("lists", "by_urgency")),
    Figure("1", "list, default order: p95 (ms)", _get("http", "lists", "by_urgency", "p95_ms")),
    Figure("2", "first / deepest page (throughput)", _get("http", "lists", "first_vs_deepest"), lower=False),
    Figure("8", "detail: time per request (ms, 2 conn.)", _per_request_ms("detail", "detail"), aim_ratio=1.1,
           aim="growth <= 1.1"),
    Figure("8", "detail / one-row fetch (throughput)", _get("http", "detail", "detail_vs_ceiling"), lower=False,
           aim_state=lambda v: v >= 0.55, aim=">= 0.55"),
    Figure("5", "search p95 (ms, 8 conn.)", _get("http", "search", "search", "p95_ms"),
           aim_state=lambda v: v <= 20, aim_ratio=1.2, aim="<= 20 ms, growth <= 1.2"),
    Figure("5", "one-row floor p95 (ms, 8 conn.)", _get("http", "search", "one_row_floor", "p95_ms")),
    Figure("4", "CSV export (rows/s)", _get("http", "csv", "export", "rows_per_s"), lower=False),
    Figure("4", "CSV export / COPY (rows/s)", lambda r: _csv_ratio(r), lower=False),
    Figure("4", "XLSX, last size: rows/s", _get("inprocess", "xlsx", -1, "rows_per_s"), lower=False),
    Figure("4", "XLSX, last size: memory growth (MiB)", _get("inprocess", "xlsx", -1, "rss_growth_mib")),
    Figure("6", "grant report, fiscal year (s)", _get("inprocess", "report", "engine_s"),
           aim_state=lambda v: v <= 2, aim="<= 2 s at state size"),
    Figure("6", "referrals in that year", _get("inprocess", "report", "referrals_in_period")),
    Figure("6", "one GROUP BY over the year (s)", _get("inprocess", "report", "single_aggregate_s")),
    Figure("7", "digest sections per person, median (ms)", _get("inprocess", "digest", "median_ms"),
           aim_ratio=1.2, aim="growth <= 1.2"),
    Figure("7", "digest sections per person, p95 (ms)", _get("inprocess", "digest", "p95_ms")),
    Figure("7", "digest queries per person", _get("inprocess", "digest", "queries_per_person")),
    Figure("3", "lists with equal query counts at 1 and 50 rows", lambda r: _equal_counts(r), lower=False),
]  # fmt: skip


def _csv_ratio(record: dict) -> float | None:
    export = _get("http", "csv", "export", "rows_per_s")(record)
    copy = _get("http", "csv", "copy", "rows_per_s")(record)
    return export / copy if export and copy else None


def _equal_counts(record: dict) -> float | None:
    rows = record.get("inprocess", {}).get("query_counts")
    return None if rows is None else float(sum(1 for row in rows if row["equal"]))


def growth(urls: dict[str, str], child_arguments: list[str]) -> int:
    """Run `run.py` on each size's database (seeding it first with --setup), then compare."""
    started = datetime.now(UTC)
    RESULTS.mkdir(exist_ok=True)
    records = {}
    for size in SIZES:
        path = RESULTS / f"growth-{started:%Y%m%dT%H%M%SZ}-{size}.json"
        command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), *child_arguments]
        command += ["--database-url", urls[size], "--size", size, "--record", str(path)]
        print(f"\n=== {size}: {urls[size]}", flush=True)
        subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 - this interpreter, this script
        if not path.exists():
            raise SystemExit(f"The {size} run wrote no record ({path}); see its output above.")
        records[size] = json.loads(path.read_text())
    table = compare(records)
    out = {"started": started.isoformat(timespec="seconds"), "urls": urls, "loads": _loads(records), "rows": table}
    path = RESULTS / f"growth-{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(out, indent=2))
    print("\n" + json.dumps(out, indent=2))
    print("\n" + markdown(out))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


def _loads(records: dict[str, dict]) -> dict[str, dict]:
    return {
        size: {
            "referrals": record.get("referrals"),
            "load_start": [round(x, 2) for x in record["machine"]["load_before"]],
            "load_end": [round(x, 2) for x in record["load_after"]],
        }
        for size, record in records.items()
    }


def compare(records: dict[str, dict]) -> list[dict]:
    rows = []
    for figure in FIGURES:
        county, state = (figure.read(records[size]) for size in SIZES)
        if county is None and state is None:
            continue
        ratio = state / county if county and state is not None else None
        verdicts = []
        if figure.aim_state is not None and state is not None:
            verdicts.append(figure.aim_state(state))
        if figure.aim_ratio is not None and ratio is not None:
            verdicts.append(ratio <= figure.aim_ratio)
        rows.append(
            {
                "benchmark": figure.benchmark,
                "figure": figure.name,
                "county": county,
                "state": state,
                "ratio": ratio,
                "aim": figure.aim,
                "pass": all(verdicts) if verdicts else None,
            }
        )
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def markdown(out: dict) -> str:
    loads = out["loads"]
    lines = [
        "| # | figure | county | state | state / county | aim | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in out["rows"]:
        result = {True: "pass", False: "**miss**", None: ""}[row["pass"]]
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        lines.append(
            f"| {row['benchmark']} | {row['figure']} | {_number(row['county'])} | {_number(row['state'])} "
            f"| {ratio} | {row['aim']} | {result} |"
        )
    lines.append("")
    for size, load in loads.items():
        lines.append(
            f"- {size}: {_number(load['referrals'])} referrals; load average (1, 5, 15 min) "
            f"{' '.join(map(str, load['load_start']))} at the start, {' '.join(map(str, load['load_end']))} at the end"
        )
    return "\n".join(lines)
