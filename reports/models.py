from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.roles import Action
from reports.periods import Period, PeriodKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class SnapshotImmutable(RuntimeError):
    """An approved report is a frozen snapshot: it is never changed or deleted."""


class ReportQuerySet(models.QuerySet["Report"]):
    def for_user(self, user: User | AnonymousUser) -> ReportQuerySet:
        """Grant reports are task-force aggregates: every grant manager and coordinator sees them all."""
        if not user.is_authenticated or not user.can(Action.VIEW_REPORTS):
            return self.none()
        return self.all()

    def approved(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.APPROVED)

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=ReportStatus.APPROVED).exists():
            raise SnapshotImmutable("An approved report cannot be changed.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=ReportStatus.APPROVED).exists():
            raise SnapshotImmutable("An approved report cannot be deleted.")
        return super().delete()


class Report(models.Model):
    """A grant report: a period and a choice of measures. No free text anywhere, on purpose.

    A draft is computed afresh whenever it is read. Approval freezes it: `content` then holds
    the published figures as canonical JSON (suppressed counts already replaced by their
    markers, never raw values) and `content_hash` its SHA-256, checked on every download.

    Two copies of one report (issue 17): `content` is the partner copy. Approval also freezes
    `figures`, the exact counts of every chosen measure read once in one consistent read (canonical
    JSON, `figures_hash` its SHA-256); the funder copy lays them out by the items of `template`
    (reports/funder.py) and only grant managers with MFA ever read it (reports/figures.py).
    """

    period_kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    measures = models.JSONField(help_text="Measure keys, in the registry's order.")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    content = models.TextField(blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A reports.funder.FunderTemplate key ("" for none): the funder's form the funder copy follows.
    template = models.CharField(max_length=40, blank=True, default="")
    figures = models.TextField(blank=True, editable=False)
    figures_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT, content="", content_hash="", approved_at__isnull=True)
                | Q(status=ReportStatus.APPROVED, approved_at__isnull=False) & ~Q(content="") & ~Q(content_hash=""),
                name="report_snapshot_only_when_approved",
            ),
            # Reports approved before issue 17 have no exact figures: `figures` may be empty when approved.
            models.CheckConstraint(
                condition=Q(status=ReportStatus.APPROVED) | Q(figures="", figures_hash=""),
                name="report_figures_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Grant report, %(period)s") % {"period": self.period.label})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Report.objects.filter(pk=self.pk, status=ReportStatus.APPROVED).exists():
            raise SnapshotImmutable("An approved report cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if Report.objects.filter(pk=self.pk, status=ReportStatus.APPROVED).exists():
            raise SnapshotImmutable("An approved report cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start, self.period_end)

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    PDF = "pdf", _("Printable report (PDF)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJobQuerySet(models.QuerySet["ExportJob"]):
    def for_user(self, user: User | AnonymousUser) -> ExportJobQuerySet:
        """A prepared file belongs to the person who asked for it, and only while they may export."""
        if not user.is_authenticated or not user.can(Action.EXPORT_REPORTS):
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """An XLSX or PDF prepared in the background; the file lives in REPORT_EXPORT_DIR until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.report}"

    @property
    def file_name(self) -> str:
        """On disk: derived from the id only, never from anything a person typed."""
        return f"{self.id}.{self.format}"

    @property
    def download_name(self) -> str:
        state = "approved" if self.report.is_approved else "draft"
        return f"grant-report-{self.report.period.slug}-{state}.{self.format}"


class ReportReleaseQuerySet(models.QuerySet["ReportRelease"]):
    def update(self, **kwargs: Any) -> int:
        raise SnapshotImmutable("A published quarter cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SnapshotImmutable("A published quarter cannot be deleted.")


class ReportRelease(models.Model):
    """The published figures of one calendar quarter, every measure protected together, frozen once.

    Every figure a partner can obtain (dashboard, drafts, approved reports, API, exports) is read
    from these rows or summed from them (reports/releases.py, reports/SUPPRESSION.md): a quarter is
    published once, so two requests can never disagree and be differenced. `content` holds the
    published figures only (canonical JSON, markers in place of small counts), never raw counts.
    """

    period_start = models.DateField(unique=True)
    period_end = models.DateField()
    content = models.TextField(editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["period_start"]

    def __str__(self) -> str:
        return f"Published figures, {self.period_start.isoformat()} to {self.period_end.isoformat()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise SnapshotImmutable("A published quarter cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise SnapshotImmutable("A published quarter cannot be deleted.")
