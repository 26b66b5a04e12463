"""Demo grant reports: an approved snapshot of the last complete quarter and a draft of this one.

Idempotent: a report for a period that already has one is left alone. The figures are whatever
the demo referrals are when it first runs (a frozen snapshot does not follow later changes).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from agencies.models import Agency, User
from reports.engine import figures_fingerprint
from reports.measures import measure_keys
from reports.models import Report, ReportStatus
from reports.periods import PeriodKind, period_build
from reports.selectors import report_content
from reports.services import report_approve, report_create


def seed(*, agencies: dict[str, Agency], stdout: Any) -> None:
    grants = User.objects.filter(email="grants@demo.example.org").first()
    coordinator = User.objects.filter(email="coordinator@demo.example.org").first()
    if grants is None or coordinator is None:
        return
    today = timezone.localdate()
    this_quarter = (today.month - 1) // 3 + 1
    last = (today.replace(day=1) - timedelta(days=1)) if this_quarter == 1 else today
    last_quarter = period_build(kind=PeriodKind.QUARTER, year=last.year, part=(this_quarter - 2) % 4 + 1)
    current = period_build(kind=PeriodKind.QUARTER, year=today.year, part=this_quarter)
    made = 0
    if not _exists(last_quarter.start, last_quarter.end, ReportStatus.APPROVED):
        report = report_create(actor=grants, period=last_quarter, measures=measure_keys())
        report_approve(report=report, actor=coordinator, reviewed=figures_fingerprint(report_content(report=report)))
        made += 1
    if not _exists(current.start, current.end, ReportStatus.DRAFT):
        report_create(actor=grants, period=current, measures=measure_keys())
        made += 1
    stdout.write(f"Demo grant reports: {made} added ({last_quarter.label} approved, {current.label} draft).")


def _exists(start: Any, end: Any, status: str) -> bool:
    return Report.objects.filter(period_start=start, period_end=end, status=status).exists()
