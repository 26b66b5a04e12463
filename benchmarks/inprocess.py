"""Benchmarks run in this process: 4 (XLSX), 6 (the grant report against one hand-written aggregate) and 7
(a person's digest sections, whose cost should not grow with the agency's history)."""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from benchmarks.http_load import PeakSampler, rss_kib
from cases.exports import coded_rows, xlsx_workbook
from cases.models import Referral
from digests.sections import DigestWindow, digest_sections_build
from reports.engine import report_compute
from reports.measures import measure_keys
from reports.periods import PeriodKind, period_build

REPEATS = 3


def xlsx(sizes: tuple[int, ...]) -> list[dict]:
    """The XLSX code path (cases.exports.xlsx_workbook) over the first N referrals, for growing N: the rate,
    and the growth of this process's resident memory (sampled) from before to the peak."""
    return [_xlsx_once(size) for size in sizes]


def _xlsx_once(size: int) -> dict:
    last_id = Referral.objects.order_by("id").values_list("id", flat=True)[size - 1]
    referrals = Referral.objects.filter(pk__lte=last_id)
    gc.collect()
    before = rss_kib(os.getpid())
    sampler = PeakSampler(os.getpid())
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    workbook = xlsx_workbook(coded_rows(referrals, agency_id=None))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = sampler.stop()
    file_bytes = workbook.seek(0, os.SEEK_END)
    workbook.close()
    return {
        "rows": size,
        "seconds": round(seconds, 3),
        "rows_per_s": round(size / seconds),
        # This process's CPU time: less sensitive than the clock to other work on a shared machine.
        "rows_per_cpu_s": round(size / cpu),
        "file_mib": round(file_bytes / 2**20, 1),
        "rss_growth_mib": round((peak - before) / 1024, 1),
    }


def last_ended_fiscal_year(today: date) -> int:
    """Federal fiscal year N ends on 30 September of N."""
    return today.year if today.month >= 10 else today.year - 1


def grant_report(fiscal_year: int) -> dict:
    """The report engine over a federal fiscal year with every registered measure, against one
    hand-written GROUP BY over the same rows. One warm-up each, then the median of REPEATS runs."""
    period = period_build(kind=PeriodKind.FISCAL_YEAR, year=fiscal_year)
    keys = measure_keys()
    start, end = period.bounds
    engine = _median_seconds(lambda: report_compute(period=period, measure_keys=keys))
    sql = (
        "SELECT trafficking_type, count(*) FROM cases_referral "
        "WHERE created_at >= %s AND created_at < %s GROUP BY trafficking_type"
    )

    def aggregate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, end])
            cursor.fetchall()

    single = _median_seconds(aggregate)
    return {
        "period": period.label,
        "period_slug": period.slug,
        "measures": len(keys),
        "referrals_in_period": Referral.objects.filter(created_at__gte=start, created_at__lt=end).count(),
        "engine_s": round(engine, 4),
        "single_aggregate_s": round(single, 4),
        "ratio": round(engine / single, 1),
        "sql": sql,
    }


def _median_seconds(work: Callable[[], object]) -> float:
    work()
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def digest_per_person(people: list[User]) -> dict:
    """7: the sections of a daily digest (digests.sections, the same code the workers run, without
    rendering and sending), per person, for the cast and an officer of each of the first agencies.
    One warm-up pass, then the median of REPEATS passes per person; the figure is the median person."""
    now = timezone.now()
    window = DigestWindow(start=now - timedelta(days=1), end=now, now=now)
    for person in people:
        digest_sections_build(person=person, window=window)
    per_person, queries = [], []
    for person in people:
        runs = []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                digest_sections_build(person=person, window=window)
                runs.append(time.perf_counter() - started)
            queries.append(len(captured))
        per_person.append(statistics.median(runs) * 1000)
    per_person.sort()
    return {
        "people": len(people),
        "median_ms": round(statistics.median(per_person), 2),
        "p95_ms": round(per_person[min(len(per_person) - 1, int(len(per_person) * 0.95))], 2),
        "queries_per_person": max(queries),
        "window": "daily",
    }


def digest_people(cast_people: list[User], *, officers: int = 15) -> list[User]:
    """The cast, and the first referral officer of each of the first `officers` agencies (by id)."""
    chosen = {person.pk: person for person in cast_people}
    for agency_id in Agency.objects.order_by("pk").values_list("pk", flat=True)[:officers]:
        person = User.objects.filter(agency_id=agency_id, role=Role.REFERRAL_OFFICER, is_active=True).first()
        if person is not None:
            chosen.setdefault(person.pk, person)
    return list(chosen.values())
