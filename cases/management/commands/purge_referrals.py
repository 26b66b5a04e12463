"""Delete closed and withdrawn referrals past the retention period; `--dry-run` says what would go.

    python manage.py purge_referrals --dry-run
    python manage.py purge_referrals

Beat runs the same purge daily (cases.tasks.referrals_purge_task). Counts only are printed:
a reference code is a case identifier and does not belong in a terminal or a log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cases.retention import PurgeCounts, referrals_purge, retention_cutoff


class Command(BaseCommand):
    help = "Delete closed and withdrawn referrals with no activity for REFERRAL_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        counts = referrals_purge(before=retention_cutoff(), dry_run=dry_run)
        self.stdout.write(_describe(counts, dry_run=dry_run))


def _describe(counts: PurgeCounts, *, dry_run: bool) -> str:
    verb = "Would delete" if dry_run else "Deleted"
    lines = [
        f"Retention: {settings.REFERRAL_RETENTION_DAYS} days; last activity before {counts.before:%Y-%m-%d}.",
        f"{verb} {counts.referrals} referrals, {counts.needs} needs, {counts.timeline_events} timeline events, "
        f"{counts.comments} comments and {counts.consents} consent records.",
    ]
    lines += [f"  {group}: {number}" for group, number in counts.by_status_and_year.items()]
    return "\n".join(lines)
