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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import User
from agencies.roles import Action
from audit.models import AuditEvent, Outcome
from audit.services import TargetRef, audit_record
from reports import csv_export, funder_export_files, pdf_export, xlsx_export
from reports.completeness import completeness_can_remind, completeness_gaps, completeness_remind
from reports.engine import FiguresChanged, canonical_json, figures_fingerprint, sha256_hex
from reports.figures import figures_compute, funder_copy
from reports.funder import funder_measure_keys, funder_template
from reports.measures import measure_keys
from reports.models import ExportFormat, ExportJob, ExportStatus, Report, ReportStatus
from reports.periods import Period, PeriodKind
from reports.releases import check_publishable, report_publish
from reports.selectors import SnapshotCorrupted, document_meta, may_read_funder_copy, report_content

logger = logging.getLogger(__name__)

_WRITERS = {ExportFormat.XLSX: xlsx_export.write_xlsx, ExportFormat.PDF: pdf_export.write_pdf}
BACKGROUND_FORMATS = tuple(_WRITERS)


# --- drafts and approval ------------------------------------------------------------------------------
def report_create(*, actor: User, period: Period, measures: list[str], template: str = "") -> Report:
    """Saves a draft: a period, measures and the award's form (template) if any. Its figures are computed
    whenever it is read. A template's measures are added to those chosen: the funder copy answers its
    items from them."""
    if not actor.can(Action.VIEW_REPORTS):
        raise PermissionDenied
    known = measure_keys()
    if (not measures and not template) or set(measures) - set(known):
        raise ValidationError({"measures": _("Choose at least one measure from the list.")})
    check_template(template=template, period=period)
    check_publishable(period)  # whole quarters, ended and settled: nothing else is ever published
    with transaction.atomic():
        report = Report.objects.create(
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            measures=_with_template_measures(measures, template),
            template=template,
            created_by=actor,
        )
        audit_record(actor=actor, event=AuditEvent.REPORT_SAVED, target=report, detail=_describe(report))
    return report


def report_template_set(*, report: Report, actor: User, template: str) -> Report:
    """Changes the award's form of a draft (and adds its measures); an approved report never changes."""
    if not actor.can(Action.VIEW_REPORTS):
        raise PermissionDenied
    if report.is_approved:
        raise ValidationError(_("This report is already approved; an approved report never changes."))
    check_template(template=template, period=report.period)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_approved:
            raise ValidationError(_("This report is already approved; an approved report never changes."))
        locked.template = template
        locked.measures = _with_template_measures(locked.measures, template)
        locked.save(update_fields=["template", "measures"])
        audit_record(actor=actor, event=AuditEvent.REPORT_SAVED, target=locked, detail=_describe(locked))
    return locked


def check_template(*, template: str, period: Period) -> None:
    """A known template ("" for none), filed for periods of this kind. ValidationError keyed "template"."""
    if not template:
        return
    try:
        chosen = funder_template(template)
    except KeyError:
        raise ValidationError({"template": _("Choose the award's form from the list.")}) from None
    if period.kind not in chosen.period_kinds:
        either = _("or")
        kinds = f" {either} ".join(str(PeriodKind(kind).label).lower() for kind in chosen.period_kinds)
        message = _("%(form)s is filed per %(kinds)s: choose such a period.") % {"form": chosen.title, "kinds": kinds}
        raise ValidationError({"template": message})


def _with_template_measures(measures: list[str], template: str) -> list[str]:
    wanted = set(measures) | (set(funder_measure_keys(template)) if template else set())
    return [key for key in measure_keys() if key in wanted]


def report_approve(*, report: Report, actor: User, reviewed: str) -> Report:
    """Freezes the draft as it is now. `reviewed` is the fingerprint of the figures the approver saw:
    if the data moved since, nothing is frozen and FiguresChanged asks for a fresh look."""
    if not actor.can(Action.APPROVE_REPORTS):
        raise PermissionDenied
    if report.is_approved:
        raise ValidationError(_("This report is already approved; an approved report never changes."))
    content = report_publish(period=report.period, measure_keys=report.measures)
    if figures_fingerprint(content) != reviewed:
        raise FiguresChanged(_("The figures changed since you opened this report. Review them again, then approve."))
    text = canonical_json(content)
    # The funder copy's exact figures, read once; the approver never sees them (reports/figures.py).
    exact = canonical_json(figures_compute(period=report.period, measure_keys=report.measures))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_approved:
            raise ValidationError(_("This report is already approved; an approved report never changes."))
        locked.status, locked.content, locked.content_hash = ReportStatus.APPROVED, text, sha256_hex(text)
        locked.figures, locked.figures_hash = exact, sha256_hex(exact)
        locked.approved_by, locked.approved_at = actor, timezone.now()
        locked.save()
        detail = {**_describe(locked), "content_hash": locked.content_hash, "figures_hash": locked.figures_hash}
        audit_record(actor=actor, event=AuditEvent.REPORT_APPROVED, target=locked, detail=detail)
    return locked


def _describe(report: Report) -> dict[str, Any]:
    """What an audit row says about a report: codes and dates, never figures."""
    return {
        "period": f"{report.period_start.isoformat()}/{report.period_end.isoformat()}",
        "measures": list(report.measures),
        "status": report.status,
        "template": report.template,
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
        raise ValidationError({"format": _("Choose XLSX or PDF.")})
    from outbox.services import outbox_enqueue  # database-first: a broker outage delays it, loses nothing

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
        _fail(job, _INTEGRITY_FAILED)
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
        _fail(job, _SOMETHING_FAILED)


# Stored in English (the job's row is read by whoever opens it); the export page translates it (views._failure).
_INTEGRITY_FAILED = gettext_noop(
    "The approved report failed its integrity check, so it was not exported. Tell a coordinator."
)
_SOMETHING_FAILED = gettext_noop("Something went wrong while preparing the file. Please try again.")


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
        with translation.override("en"):  # the files are English whoever asked (charts' words included)
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


# --- the funder copy: every view and every export audited -------------------------------------------------
def funder_copy_record(
    *, actor: User, report: Report, copy: dict[str, Any], file_format: str, request: HttpRequest | None
) -> None:
    """One audit row per view or export of exact figures: which report, form and hash; never a figure."""
    event = AuditEvent.FUNDER_COPY_VIEWED if file_format in ("html", "json") else AuditEvent.FUNDER_COPY_EXPORTED
    detail = {
        "format": file_format,
        "period": f"{copy['period']['start']}/{copy['period']['end']}",
        "template": copy["template"]["key"],
        "status": report.status,
        "figures_hash": copy["figures_hash"],
    }
    audit_record(actor=actor, event=event, target=report, request=request, detail=detail)


def funder_copy_refused(*, actor: User, report: Report, file_format: str, request: HttpRequest | None) -> None:
    audit_record(
        actor=actor,
        event=AuditEvent.FUNDER_COPY_VIEWED if file_format in ("html", "json") else AuditEvent.FUNDER_COPY_EXPORTED,
        target=report,
        request=request,
        outcome=Outcome.FAILURE,
        detail={"format": file_format, "reason": "figures_integrity"},
    )


def funder_export(
    *, report: Report, actor: User, file_format: str, request: HttpRequest | None = None
) -> tuple[bytes, str]:
    """The funder copy as an XLSX or PDF laid out like the funder's form, and its file name; audited.

    Written in memory and handed over at once, never kept in REPORT_EXPORT_DIR: a few dozen items take
    milliseconds, and exact figures are better not left on disk for a link's lifetime."""
    if not may_read_funder_copy(actor):
        raise PermissionDenied
    writers = {ExportFormat.XLSX: funder_export_files.funder_xlsx, ExportFormat.PDF: funder_export_files.funder_pdf}
    if file_format not in writers:
        raise ValidationError({"format": _("Choose XLSX or PDF.")})
    with translation.override("en"):  # the funder's filing is in English, whatever the grant manager reads
        copy = funder_copy(report=report)
        data = writers[ExportFormat(file_format)](copy)
    funder_copy_record(actor=actor, report=report, copy=copy, file_format=file_format, request=request)
    state = "approved" if report.is_approved else "draft"
    return data, f"funder-{report.template}-{report.period.slug}-{state}.{file_format}"


# --- missing figures -----------------------------------------------------------------------------------------
def gap_remind(*, actor: User, key: str, period: Period, agency_id: int, request: HttpRequest | None = None) -> int:
    """Asks one agency to fill its gap (the check's own reminder); returns how many people were asked.

    Only an agency that the check lists as missing something for the period is reminded, so a stale
    page cannot nag an agency that has caught up. ValidationError says why nothing was sent."""
    if not may_read_funder_copy(actor):
        raise PermissionDenied
    if not completeness_can_remind(key=key):
        raise ValidationError(_("These figures have no one to remind."))
    gaps = completeness_gaps(period).get(key, [])
    gap = next((gap for gap in gaps if gap.agency_id == agency_id), None)
    if gap is None:
        raise ValidationError(_("Nothing is missing there any more: no reminder was sent."))
    with transaction.atomic():
        asked = completeness_remind(key=key, period=period, agency_id=agency_id)
        detail = {"check": key, "period": f"{period.start.isoformat()}/{period.end.isoformat()}", "people": asked}
        audit_record(
            actor=actor,
            event=AuditEvent.FIGURES_REMINDER_SENT,
            target=TargetRef(model_label="agencies.agency", pk=agency_id, text=gap.agency_name),
            request=request,
            detail=detail,
        )
    return asked
