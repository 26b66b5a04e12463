"""Reads of grant reports. Figures come only from the engine or from a verified snapshot."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import User
from agencies.roles import Action
from reports.engine import canonical_json, sha256_hex
from reports.models import ExportJob, ExportJobQuerySet, Report, ReportQuerySet, ReportStatus
from reports.periods import Period, PeriodKind, task_force_zone
from reports.releases import ReleaseCorrupted, latest_published_quarter, quarters_before, report_publish

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

DASHBOARD_QUARTERS = 4
DASHBOARD_MEASURES = ("referrals_by_month", "sent_received_by_sector", "trainings_by_sector", "attendance_by_agency")


class SnapshotCorrupted(RuntimeError):
    """A frozen report no longer matches its content hash: it must not be handed out."""


def reports_for(*, user: User) -> ReportQuerySet:
    return Report.objects.for_user(user).select_related("created_by", "approved_by")


def report_get(*, user: User, pk: int) -> Report:
    return get_object_or_404(reports_for(user=user), pk=pk)


def may_read_funder_copy(user: User | AnonymousUser) -> bool:
    """The funder copy holds exact figures, 1 to 10 included: grant managers, with an authenticator enrolled.

    MFA is required of the role anyway (agencies.roles.MFA_REQUIRED_ROLES: the middleware and the API
    send such a person to enrol first); asking again here keeps the rule where the figures are read."""
    return user.is_authenticated and user.can(Action.FILE_FUNDER_REPORTS) and user.has_totp


def funder_report_get(*, user: User | AnonymousUser, pk: int) -> Report:
    """A report whose funder copy `user` may read; 404 for everybody else, as for a missing report."""
    if not may_read_funder_copy(user):
        raise Http404
    assert isinstance(user, User)
    return report_get(user=user, pk=pk)


def reports_of(*, user: User, template: str, period: Period) -> ReportQuerySet:
    """The reports of one award's form and period, newest first (the grant manager's workflow page)."""
    return reports_for(user=user).filter(template=template, period_start=period.start, period_end=period.end)


def approved_reports_for(*, user: User) -> ReportQuerySet:
    return reports_for(user=user).filter(status=ReportStatus.APPROVED)


def report_content(*, report: Report, on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """A draft reads its quarters' published figures; an approved report is its snapshot, checked against its
    hash. ValidationError when the draft's period may not be published (a draft saved before the rule)."""
    if report.is_approved:
        return snapshot_content(report=report)
    try:
        return report_publish(period=report.period, measure_keys=report.measures, on_progress=on_progress)
    except ReleaseCorrupted as error:
        raise SnapshotCorrupted(str(error)) from error


def snapshot_content(*, report: Report) -> dict[str, Any]:
    if not report.content or sha256_hex(report.content) != report.content_hash:
        raise SnapshotCorrupted(f"report {report.pk} does not match its content hash")
    return json.loads(report.content)


def document_meta(*, report: Report, content: dict[str, Any]) -> dict[str, Any]:
    """What a file says about the report besides its figures: status, approval time, content hash."""
    if report.is_approved and report.approved_at is not None:
        approved_at = report.approved_at.astimezone(task_force_zone()).isoformat(timespec="seconds")
        return {"status": report.status, "approved_at": approved_at, "content_hash": report.content_hash}
    return {"status": report.status, "approved_at": None, "content_hash": sha256_hex(canonical_json(content))}


def dashboard_overview() -> dict[str, Any]:
    """The last four published quarters for the dashboard's charts, read from their releases like any report."""
    last = latest_published_quarter()
    first = quarters_before(last, DASHBOARD_QUARTERS - 1)
    try:
        return report_publish(period=Period(PeriodKind.CUSTOM, first.start, last.end), measure_keys=DASHBOARD_MEASURES)
    except ReleaseCorrupted as error:
        raise SnapshotCorrupted(str(error)) from error


def export_jobs_for(*, user: User) -> ExportJobQuerySet:
    return ExportJob.objects.for_user(user).select_related("report")


def export_job_get(*, user: User, pk: UUID) -> ExportJob:
    """404 for anybody else's export, as for a missing one."""
    return get_object_or_404(export_jobs_for(user=user), pk=pk)
