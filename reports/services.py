"""Writes of grant reports: drafts, approval (freezing), exports. Each writes its audit row."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import User
from agencies.roles import Action
from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from reports import csv_export, pdf_export, xlsx_export
from reports.engine import FiguresChanged, canonical_json, figures_fingerprint, sha256_hex
from reports.measures import measure_keys
from reports.models import ExportFormat, ExportJob, ExportStatus, Report, ReportStatus
from reports.periods import Period
from reports.releases import check_publishable, report_publish
from reports.selectors import SnapshotCorrupted, document_meta, report_content

logger = logging.getLogger(__name__)

_WRITERS = {ExportFormat.XLSX: xlsx_export.write_xlsx, ExportFormat.PDF: pdf_export.write_pdf}
BACKGROUND_FORMATS = tuple(_WRITERS)


# --- drafts and approval ------------------------------------------------------------------------------
def report_create(*, actor: User, period: Period, measures: list[str]) -> Report:
    """Saves a draft: a period and measures only. Its figures are computed whenever it is read."""
    if not actor.can(Action.VIEW_REPORTS):
        raise PermissionDenied
    known = measure_keys()
    if not measures or set(measures) - set(known):
        raise ValidationError({"measures": "Choose at least one measure from the list."})
    check_publishable(period)  # whole quarters, ended and settled: nothing else is ever published
    ordered = [key for key in known if key in set(measures)]
    with transaction.atomic():
        report = Report.objects.create(
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            measures=ordered,
            created_by=actor,
        )
        audit_record(actor=actor, event=AuditEvent.REPORT_SAVED, target=report, detail=_describe(report))
    return report


def report_approve(*, report: Report, actor: User, reviewed: str) -> Report:
    """Freezes the draft as it is now. `reviewed` is the fingerprint of the figures the approver saw:
    if the data moved since, nothing is frozen and FiguresChanged asks for a fresh look."""
    if not actor.can(Action.APPROVE_REPORTS):
        raise PermissionDenied
    if report.is_approved:
        raise ValidationError("This report is already approved; an approved report never changes.")
    content = report_publish(period=report.period, measure_keys=report.measures)
    if figures_fingerprint(content) != reviewed:
        raise FiguresChanged("The figures changed since you opened this report. Review them again, then approve.")
    text = canonical_json(content)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_approved:
            raise ValidationError("This report is already approved; an approved report never changes.")
        locked.status, locked.content, locked.content_hash = ReportStatus.APPROVED, text, sha256_hex(text)
        locked.approved_by, locked.approved_at = actor, timezone.now()
        locked.save()
        detail = {**_describe(locked), "content_hash": locked.content_hash}
        audit_record(actor=actor, event=AuditEvent.REPORT_APPROVED, target=locked, detail=detail)
    return locked


def _describe(report: Report) -> dict[str, Any]:
    """What an audit row says about a report: codes and dates, never figures."""
    return {
        "period": f"{report.period_start.isoformat()}/{report.period_end.isoformat()}",
        "measures": list(report.measures),
        "status": report.status,
    }


# --- exports: who, what, when -----------------------------------------------------------------------------
def export_record(
    *, actor: User, report: Report | None, file_format: str, content: dict[str, Any], request: HttpRequest | None
) -> None:
    """One audit row per delivery of figures out of the portal (download, API answer)."""
    detail = {
        "format": file_format,
        "period": f"{content['period']['start']}/{content['period']['end']}",
        "measures": [measure["key"] for measure in content["measures"]],
        "status": report.status if report is not None else "unsaved",
        "content_hash": sha256_hex(canonical_json(content)),
    }
    audit_record(actor=actor, event=AuditEvent.EXPORTED, target=report, request=request, detail=detail)


def compute_refused(
    *, actor: User, period: Period, measures: list[str], reason: str, request: HttpRequest | None
) -> None:
    """A refused request for figures (rate limit) leaves a trace too: someone tried."""
    detail = {
        "format": "json",
        "period": f"{period.start.isoformat()}/{period.end.isoformat()}",
        "measures": measures,
        "reason": reason,
    }
    audit_record(actor=actor, event=AuditEvent.EXPORTED, outcome=Outcome.FAILURE, request=request, detail=detail)


def export_refused(*, actor: User, report: Report, file_format: str, request: HttpRequest | None) -> None:
    audit_record(
        actor=actor,
        event=AuditEvent.EXPORTED,
        target=report,
        request=request,
        outcome=Outcome.FAILURE,
        detail={"format": file_format, "reason": "snapshot_integrity"},
    )


def export_csv(*, report: Report, actor: User, request: HttpRequest | None = None) -> Iterator[str]:
    """Audits the export, then returns the CSV lines to stream (the figures are computed first)."""
    if not actor.can(Action.EXPORT_REPORTS):
        raise PermissionDenied
    content = report_content(report=report)
    export_record(actor=actor, report=report, file_format=ExportFormat.CSV, content=content, request=request)
    return csv_export.lines(content)


def export_request(*, report: Report, actor: User, file_format: str) -> ExportJob:
    """Queues an XLSX or PDF; the task runs once the row is committed (in-process on the embedded default)."""
    if not actor.can(Action.EXPORT_REPORTS):
        raise PermissionDenied
    if file_format not in BACKGROUND_FORMATS:
        raise ValidationError({"format": "Choose XLSX or PDF."})
    from digests.outbox import outbox_enqueue  # database-first: a broker outage delays it, loses nothing

    with transaction.atomic():
        job = ExportJob.objects.create(report=report, requested_by=actor, format=file_format)
        outbox_enqueue(task="reports.tasks.export_prepare_task", args=[str(job.id)])
    return job


def export_prepare(*, job_id: UUID) -> None:
    """Writes the file of one job. Safe to run twice: a finished job is left alone, and the file
    appears under its final name only once complete."""
    job = ExportJob.objects.select_related("report").filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=5)

    def computing(done: int, total: int) -> None:
        progress_note(job_id=job.pk, progress=5 + 55 * done // total)

    try:
        content = report_content(report=job.report, on_progress=computing)
    except SnapshotCorrupted:
        logger.error("export %s refused: report %s failed its integrity check", job.pk, job.report_id)
        _fail(job, "The approved report failed its integrity check, so it was not exported. Tell a coordinator.")
        return
    ExportJob.objects.filter(pk=job.pk).update(progress=60)
    _write(job, content)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        finished_at=now,
        expires_at=now + settings.REPORT_EXPORT_LINK_LIFETIME,
        content_hash=sha256_hex(canonical_json(content)),
    )


def export_fail(*, job_id: UUID) -> None:
    """The task gave up (after its retries): say so instead of leaving a spinner."""
    job = ExportJob.objects.filter(pk=job_id).exclude(status=ExportStatus.DONE).first()
    if job is not None:
        _fail(job, "Something went wrong while preparing the file. Please try again.")


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, failure=message, finished_at=timezone.now())


def _write(job: ExportJob, content: dict[str, Any]) -> None:
    folder = export_folder()
    final = folder / job.file_name
    partial = folder / f".{job.file_name}.{os.getpid()}.partial"

    def writing(done: int, total: int) -> None:
        progress_note(job_id=job.pk, progress=60 + 39 * done // total)

    try:
        meta = document_meta(report=job.report, content=content)
        _WRITERS[ExportFormat(job.format)](content, meta, partial, on_progress=writing)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def export_folder() -> Path:
    folder = Path(settings.REPORT_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def export_open(*, job: ExportJob, actor: User, request: HttpRequest | None = None) -> IO[bytes]:
    """The prepared file, audited as an export. ValueError when it is not ready or has expired."""
    if job.status != ExportStatus.DONE or job.expires_at is None:
        raise ValueError("not ready")
    path = export_folder() / job.file_name
    if job.expires_at <= timezone.now() or not path.exists():
        path.unlink(missing_ok=True)
        raise ValueError("expired")
    handle = path.open("rb")
    detail = {
        "format": job.format,
        "report": job.report_id,
        "status": job.report.status,
        "content_hash": job.content_hash,
    }
    audit_record(actor=actor, event=AuditEvent.EXPORTED, target=job.report, request=request, detail=detail)
    return handle


def exports_purge_expired() -> int:
    """Deletes expired export files, and stray partial files older than a link's lifetime."""
    folder, now, removed = export_folder(), timezone.now(), 0
    expired = ExportJob.objects.filter(expires_at__lte=now).values_list("id", "format")
    for job_id, file_format in expired.iterator():
        path = folder / f"{job_id}.{file_format}"
        if path.exists():
            path.unlink(missing_ok=True)
            removed += 1
    cutoff = (now - settings.REPORT_EXPORT_LINK_LIFETIME - timedelta(hours=1)).timestamp()
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- progress -----------------------------------------------------------------------------------------------
def _progress_key(job_id: UUID) -> str:
    return f"reports:export-progress:{job_id}"


def progress_note(*, job_id: UUID, progress: int) -> None:
    """Progress inside the figures' read-only transaction cannot go to the database: the cache holds it."""
    cache.set(_progress_key(job_id), progress, timeout=int(settings.REPORT_EXPORT_LINK_LIFETIME.total_seconds()))


def export_progress(*, job: ExportJob) -> int:
    if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return 100
    noted = cache.get(_progress_key(job.pk)) or 0
    return min(99, max(job.progress, int(noted)))
