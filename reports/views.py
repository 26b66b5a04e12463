"""Grant report pages: thin views over reports/selectors.py and reports/services.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agencies.access import requires
from agencies.roles import Action, Role
from reports import selectors, services
from reports.charts import chart_for
from reports.engine import FiguresChanged, figures_fingerprint
from reports.forms import ApproveForm, ExportForm, ReportForm
from reports.models import ExportFormat, ExportStatus, ReportStatus
from reports.selectors import SnapshotCorrupted

_CORRUPTED = (
    "This approved report failed its integrity check: its frozen figures no longer match their fingerprint. "
    "Nothing was shown or exported. A coordinator has been told in the audit trail; please let them know too."
)
_MOVED = "The figures changed while they were being computed. Please reload the page."


def _unpublishable(error: ValidationError) -> str:
    return "These figures cannot be shown: " + " ".join(error.messages)


def _measures(content: dict[str, Any]) -> list[dict[str, Any]]:
    label = content["period"]["label"]
    return [{"data": measure, "chart": chart_for(measure, label)} for measure in content["measures"]]


@requires(Action.VIEW_REPORTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    reports = selectors.reports_for(user=request.user)
    try:
        overview = selectors.dashboard_overview()
    except (FiguresChanged, SnapshotCorrupted):
        overview = None
    context = {
        "overview": overview,
        "overview_measures": _measures(overview) if overview else [],
        "approved": reports.filter(status=ReportStatus.APPROVED)[:25],
        "drafts": reports.filter(status=ReportStatus.DRAFT)[:25],
        "is_coordinator": request.user.has_role(Role.COORDINATOR),
    }
    return render(request, "reports/dashboard.html", context)


@requires(Action.VIEW_REPORTS)
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user, period=form.period, measures=form.cleaned_data["measures"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved. These are its figures as of now.")
            return redirect("reports:detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/report_form.html", {"form": form}, status=status)


@requires(Action.VIEW_REPORTS)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    try:
        content = selectors.report_content(report=report)
    except SnapshotCorrupted:
        services.export_refused(actor=request.user, report=report, file_format="html", request=request)
        return render(request, "reports/problem.html", {"report": report, "message": _CORRUPTED}, status=409)
    except FiguresChanged:
        return render(request, "reports/problem.html", {"report": report, "message": _MOVED}, status=503)
    except ValidationError as error:  # a draft saved before only whole, published quarters were allowed
        return render(request, "reports/problem.html", {"report": report, "message": _unpublishable(error)}, status=409)
    return render(request, "reports/report_detail.html", _detail_context(request, report, content))


def _detail_context(request: HttpRequest, report: Any, content: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "report": report,
        "content": content,
        "measures": _measures(content),
        "fingerprint": figures_fingerprint(content),
        "computed_at": datetime.fromisoformat(content["computed_at"]),
        "can_approve": not report.is_approved and request.user.can(Action.APPROVE_REPORTS),
        "can_export": request.user.can(Action.EXPORT_REPORTS),
        "formats": [ExportFormat.XLSX, ExportFormat.PDF],
        **extra,
    }


@require_POST
@requires(Action.APPROVE_REPORTS)
def report_approve(request: HttpRequest) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That approval could not be read; nothing was approved.")
        return redirect("reports:dashboard")
    pk = form.cleaned_data["report"]
    report = selectors.report_get(user=request.user, pk=pk)
    try:
        services.report_approve(report=report, actor=request.user, reviewed=form.cleaned_data["reviewed"])
    except FiguresChanged as error:
        messages.warning(request, str(error))
        return redirect("reports:detail", pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:detail", pk=pk)
    messages.success(request, "Approved. The report is now frozen: its figures will not change.")
    return redirect("reports:detail", pk=pk)


@requires(Action.EXPORT_REPORTS)
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    try:
        lines = services.export_csv(report=report, actor=request.user, request=request)
    except SnapshotCorrupted:
        services.export_refused(actor=request.user, report=report, file_format="csv", request=request)
        return render(request, "reports/problem.html", {"report": report, "message": _CORRUPTED}, status=409)
    except FiguresChanged:
        return render(request, "reports/problem.html", {"report": report, "message": _MOVED}, status=503)
    except ValidationError as error:
        return render(request, "reports/problem.html", {"report": report, "message": _unpublishable(error)}, status=409)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    state = "approved" if report.is_approved else "draft"
    response["Content-Disposition"] = f'attachment; filename="grant-report-{report.period.slug}-{state}.csv"'
    return response


@require_POST
@requires(Action.EXPORT_REPORTS)
def export_request(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a report and XLSX or PDF; nothing was prepared.")
        return redirect("reports:dashboard")
    report = selectors.report_get(user=request.user, pk=form.cleaned_data["report"])
    job = services.export_request(report=report, actor=request.user, file_format=form.cleaned_data["format"])
    return redirect("reports:export", pk=job.pk)


@requires(Action.EXPORT_REPORTS, hide=True)
def export_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    context = {"job": job, "progress": services.export_progress(job=job), "state": _state(job)}
    return render(request, "reports/export.html", context)


@requires(Action.EXPORT_REPORTS, hide=True)
def export_status(request: HttpRequest, pk: UUID) -> JsonResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    state = _state(job)
    body = {
        "status": state,
        "progress": services.export_progress(job=job),
        "message": job.failure if state == "failed" else job.get_status_display(),
        "download_url": reverse("reports:export_download", args=[job.pk]) if state == "ready" else None,
        "expires_at": job.expires_at.isoformat() if job.expires_at and state == "ready" else None,
    }
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


def _state(job: Any) -> str:
    if job.status == ExportStatus.DONE:
        return "expired" if job.expires_at is None or job.expires_at <= timezone.now() else "ready"
    return {ExportStatus.FAILED: "failed", ExportStatus.RUNNING: "running"}.get(job.status, "queued")


@requires(Action.EXPORT_REPORTS, hide=True)
def export_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    try:
        handle = services.export_open(job=job, actor=request.user, request=request)
    except ValueError:
        context = {"job": job, "progress": services.export_progress(job=job), "state": _state(job)}
        return render(request, "reports/export.html", context, status=410 if _state(job) == "expired" else 409)
    content_type = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}.get(
        job.format, "application/pdf"
    )
    return FileResponse(handle, as_attachment=True, filename=job.download_name, content_type=content_type)
