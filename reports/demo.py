"""Demo grant reports: an approved snapshot of the quarter before the last published one, and a draft of
the last published one (only whole, published quarters can be reported: reports/releases.py).

Idempotent: a report for a period that already has one is left alone. The figures are whatever
the demo referrals are when it first runs (a frozen snapshot does not follow later changes).
"""

from __future__ import annotations

from typing import Any

from agencies.models import Agency, User
from reports.engine import figures_fingerprint
from reports.measures import measure_keys
from reports.models import Report, ReportStatus
from reports.releases import latest_published_quarter, quarters_before
from reports.selectors import report_content
from reports.services import report_approve, report_create

DEMO_TEMPLATE = "ovc_pmt"


def seed(*, agencies: dict[str, Agency], stdout: Any) -> None:
    grants = User.objects.filter(email="grants@demo.example.org").first()
    coordinator = User.objects.filter(email="coordinator@demo.example.org").first()
    if grants is None or coordinator is None:
        return
    current = latest_published_quarter()
    last_quarter = quarters_before(current, 1)
    made = 0
    if not _exists(last_quarter.start, last_quarter.end, ReportStatus.APPROVED):
        # Filed with OVC's PMT (quarterly): its funder copy holds the exact figures for the grant manager.
        report = report_create(actor=grants, period=last_quarter, measures=measure_keys(), template=DEMO_TEMPLATE)
        report_approve(report=report, actor=coordinator, reviewed=figures_fingerprint(report_content(report=report)))
        made += 1
    if not _exists(current.start, current.end, ReportStatus.DRAFT):
        report_create(actor=grants, period=current, measures=measure_keys())
        made += 1
    stdout.write(f"Demo grant reports: {made} added ({last_quarter.label} approved, {current.label} draft).")


def _exists(start: Any, end: Any, status: str) -> bool:
    return Report.objects.filter(period_start=start, period_end=end, status=status).exists()
