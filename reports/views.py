"""Grant report pages: thin views over reports/selectors.py and reports/services.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action, Role
from reports import selectors, services
from reports.charts import chart_for
from reports.completeness import completeness_can_remind, completeness_gaps
from reports.display import content_for_reader, period_days
from reports.engine import FiguresChanged, figures_fingerprint
from reports.figures import FiguresCorrupted, FiguresMissing, funder_copy
from reports.forms import (
    ApproveForm,
    ExportForm,
    FunderPickForm,
    RemindForm,
    ReportForm,
    TemplateForm,
    template_choices,
)
from reports.funder import funder_template
from reports.models import ExportFormat, ExportStatus, ReportStatus
from reports.periods import Period
from reports.selectors import SnapshotCorrupted

FILE_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}

_CORRUPTED = gettext_lazy(
    "This approved report failed its integrity check: its frozen figures no longer match their fingerprint. "
    "Nothing was shown or exported. A coordinator has been told in the audit trail; please let them know too."
)
_MOVED = gettext_lazy("The figures changed while they were being computed. Please reload the page.")


def _unpublishable(error: ValidationError) -> str:
    return _("These figures cannot be shown: %(reasons)s") % {"reasons": " ".join(error.messages)}


def _measures(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The measures of content already put in the reader's language (reports/display.py), with their charts."""
    label = content["period"]["label"]
    return [{"data": measure, "chart": chart_for(measure, label)} for measure in content["measures"]]


@requires(Action.VIEW_REPORTS)
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    reports = selectors.reports_for(user=request.user)
    try:
        overview = selectors.dashboard_overview()
    except (FiguresChanged, SnapshotCorrupted):
        overview = None
    shown = content_for_reader(overview) if overview else None
    context = {
        "overview": shown,
        "overview_measures": _measures(shown) if shown else [],
        "approved": reports.filter(status=ReportStatus.APPROVED)[:25],
        "drafts": reports.filter(status=ReportStatus.DRAFT)[:25],
        "is_coordinator": request.user.has_role(Role.COORDINATOR),
        "can_file": selectors.may_read_funder_copy(request.user),
    }
    return render(request, "reports/dashboard.html", context)


@requires(Action.VIEW_REPORTS)
def report_new(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user,
                period=form.period,
                measures=form.cleaned_data["measures"],
                template=form.cleaned_data.get("template") or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved. These are its figures as of now."))
            return redirect("reports:detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/report_form.html", {"form": form}, status=status)


@requires(Action.VIEW_REPORTS)
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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


def _detail_context(
    request: AuthenticatedRequest, report: Any, content: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    shown = content_for_reader(content)
    return {
        "report": report,
        "content": shown,
        "days": period_days(content["period"]),
        "measures": _measures(shown),
        "fingerprint": figures_fingerprint(content),  # of the published content, as approval recomputes it
        "computed_at": datetime.fromisoformat(content["computed_at"]),
        "can_approve": not report.is_approved and request.user.can(Action.APPROVE_REPORTS),
        "can_export": request.user.can(Action.EXPORT_REPORTS),
        "can_read_funder_copy": selectors.may_read_funder_copy(request.user),
        "template": funder_template(report.template) if report.template else None,
        "formats": [ExportFormat.XLSX, ExportFormat.PDF],
        **extra,
    }


@require_POST
@requires(Action.APPROVE_REPORTS)
def report_approve(request: AuthenticatedRequest) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That approval could not be read; nothing was approved."))
        return redirect("reports:dashboard")
    pk = form.cleaned_data["report"]
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.is_approved and request.POST.get("confirmed") != "yes":
        # The confirmation step in the page (issue 20): approving freezes the figures for good.
        context = {"report": report, "reviewed": form.cleaned_data["reviewed"]}
        return render(request, "reports/approve_confirm.html", context)
    try:
        services.report_approve(report=report, actor=request.user, reviewed=form.cleaned_data["reviewed"])
    except FiguresChanged as error:
        messages.warning(request, str(error))
        return redirect("reports:detail", pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:detail", pk=pk)
    messages.success(request, _("Approved. The report is now frozen: its figures will not change."))
    return redirect("reports:detail", pk=pk)


@requires(Action.EXPORT_REPORTS)
def report_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
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
def export_request(request: AuthenticatedRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a report and XLSX or PDF; nothing was prepared."))
        return redirect("reports:dashboard")
    report = selectors.report_get(user=request.user, pk=form.cleaned_data["report"])
    job = services.export_request(report=report, actor=request.user, file_format=form.cleaned_data["format"])
    return redirect("reports:export", pk=job.pk)


@requires(Action.EXPORT_REPORTS, hide=True)
def export_page(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    return render(request, "reports/export.html", _export_context(job))


@requires(Action.EXPORT_REPORTS, hide=True)
def export_status(request: AuthenticatedRequest, pk: UUID) -> JsonResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    state = _state(job)
    body = {
        "status": state,
        "progress": services.export_progress(job=job),
        "message": _failure(job) if state == "failed" else str(job.get_status_display()),
        "download_url": reverse("reports:export_download", args=[job.pk]) if state == "ready" else None,
        "expires_at": job.expires_at.isoformat() if job.expires_at and state == "ready" else None,
    }
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


def _failure(job: Any) -> str:
    """A job's failure is stored in English (services._fail); the reader gets it in their language."""
    return _(job.failure) if job.failure else ""


def _export_context(job: Any) -> dict[str, Any]:
    return {"job": job, "progress": services.export_progress(job=job), "state": _state(job), "failure": _failure(job)}


def _state(job: Any) -> str:
    if job.status == ExportStatus.DONE:
        return "expired" if job.expires_at is None or job.expires_at <= timezone.now() else "ready"
    return {ExportStatus.FAILED: "failed", ExportStatus.RUNNING: "running"}.get(job.status, "queued")


@requires(Action.EXPORT_REPORTS, hide=True)
def export_download(request: AuthenticatedRequest, pk: UUID) -> HttpResponse | FileResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    try:
        handle = services.export_open(job=job, actor=request.user, request=request)
    except ValueError:
        return render(
            request, "reports/export.html", _export_context(job), status=410 if _state(job) == "expired" else 409
        )
    content_type = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}.get(
        job.format, "application/pdf"
    )
    return FileResponse(handle, as_attachment=True, filename=job.download_name, content_type=content_type)


# --- the funder copy and the grant manager's workflow (exact figures: grant managers with MFA only) ---------
def _may_file(request: AuthenticatedRequest) -> None:
    """MFA is required of grant managers (the middleware asks first); here again, where exact figures are read."""
    if not selectors.may_read_funder_copy(request.user):
        raise Http404


def _workflow_url(template: str, period: Period) -> str:
    return f"{reverse('reports:funder_workflow')}?{urlencode({'template': template, 'period': period.slug})}"


@requires(Action.FILE_FUNDER_REPORTS)
def funder_workflow(request: AuthenticatedRequest) -> HttpResponse:
    """Pick the award's form and period, see what is missing, remind, then build and download."""
    _may_file(request)
    form = FunderPickForm(request.GET if "template" in request.GET else None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        period, template = form.chosen_period, form.cleaned_data["template"]
        gaps = [
            {"check": key, "gap": gap, "can_remind": gap.agency_id is not None and completeness_can_remind(key=key)}
            for key, found in completeness_gaps(period).items()
            for gap in found
        ]
        context |= {
            "period": period,
            "template": funder_template(template),
            "gaps": gaps,
            "reports": selectors.reports_of(user=request.user, template=template, period=period),
        }
    return render(request, "reports/funder_workflow.html", context, status=400 if form.errors else 200)


@require_POST
@requires(Action.FILE_FUNDER_REPORTS)
def funder_create(request: AuthenticatedRequest) -> HttpResponse:
    _may_file(request)
    form = FunderPickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the award's form and a period from the lists; nothing was built."))
        return redirect("reports:funder_workflow")
    template, period = form.cleaned_data["template"], form.chosen_period
    try:
        report = services.report_create(actor=request.user, period=period, measures=[], template=template)
    except ValidationError as error:
        messages.error(request, _("The report could not be built: %(reasons)s") % {"reasons": " ".join(error.messages)})
        return redirect(_workflow_url(template, period))
    messages.success(request, _("Draft saved with the form's measures. A coordinator approves it to freeze it."))
    return redirect("reports:funder_copy", pk=report.pk)


@require_http_methods(["GET", "POST"])
@requires(Action.FILE_FUNDER_REPORTS)
def funder_remind(request: AuthenticatedRequest) -> HttpResponse:
    """GET asks to confirm (who, what is missing); POST sends the reminder through the check's own channel."""
    _may_file(request)
    form = RemindForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        raise Http404
    key, agency_id, period = form.cleaned_data["check"], form.cleaned_data["agency"], form.cleaned_data["period"]
    back = _workflow_url(form.cleaned_data["template"], period)
    if request.method == "GET":
        gap = next((g for g in completeness_gaps(period).get(key, []) if g.agency_id == agency_id), None)
        context = {"gap": gap, "period": period, "back": back, "form": form}
        return render(request, "reports/funder_remind.html", context)
    try:
        asked = services.gap_remind(actor=request.user, key=key, period=period, agency_id=agency_id, request=request)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return redirect(back)
    if asked:
        sent = ngettext(
            "Reminder sent by email to %(count)s person who enters that agency's figures.",
            "Reminder sent by email to %(count)s people who enter that agency's figures.",
            asked,
        )
        messages.success(request, sent % {"count": asked})
    else:
        messages.warning(
            request, _("Nobody at that agency can enter these figures yet, so no reminder was sent. Ask a coordinator.")
        )
    return redirect(back)


@requires(Action.FILE_FUNDER_REPORTS, hide=True)
def funder_copy_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = selectors.funder_report_get(user=request.user, pk=pk)
    context: dict[str, Any] = {"report": report, "templates": template_choices()}
    try:
        copy = funder_copy(report=report)
    except FiguresCorrupted:
        services.funder_copy_refused(actor=request.user, report=report, file_format="html", request=request)
        return render(request, "reports/problem.html", {"report": report, "message": _CORRUPTED}, status=409)
    except FiguresMissing as error:
        return render(request, "reports/funder_copy.html", {**context, "missing": str(error)})
    services.funder_copy_record(actor=request.user, report=report, copy=copy, file_format="html", request=request)
    context |= {
        "copy": copy,
        "days": period_days(copy["period"]),
        "workflow": _workflow_url(report.template, report.period),
    }
    response = render(request, "reports/funder_copy.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _funder_file(request: AuthenticatedRequest, pk: int, file_format: str) -> HttpResponse:
    report = selectors.funder_report_get(user=request.user, pk=pk)
    try:
        data, name = services.funder_export(report=report, actor=request.user, file_format=file_format, request=request)
    except FiguresCorrupted:
        services.funder_copy_refused(actor=request.user, report=report, file_format=file_format, request=request)
        return render(request, "reports/problem.html", {"report": report, "message": _CORRUPTED}, status=409)
    except FiguresMissing as error:
        return render(request, "reports/problem.html", {"report": report, "message": str(error)}, status=409)
    response = HttpResponse(data, content_type=FILE_TYPES[ExportFormat(file_format)])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Action.FILE_FUNDER_REPORTS, hide=True)
def funder_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _funder_file(request, pk, ExportFormat.XLSX)


@requires(Action.FILE_FUNDER_REPORTS, hide=True)
def funder_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _funder_file(request, pk, ExportFormat.PDF)


@require_POST
@requires(Action.VIEW_REPORTS)
def report_template(request: AuthenticatedRequest) -> HttpResponse:
    """Changes the award's form of a draft."""
    form = TemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the award's form from the list; nothing was changed."))
        return redirect("reports:dashboard")
    report = selectors.report_get(user=request.user, pk=form.cleaned_data["report"])
    try:
        services.report_template_set(report=report, actor=request.user, template=form.cleaned_data["template"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The award's form is changed; its measures are in the report."))
    if selectors.may_read_funder_copy(request.user):
        return redirect("reports:funder_copy", pk=report.pk)
    return redirect("reports:detail", pk=report.pk)
