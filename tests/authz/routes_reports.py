from __future__ import annotations

from django.utils import timezone

from agencies.roles import Role
from reports.engine import canonical_json, report_compute, sha256_hex
from reports.figures import figures_compute
from reports.models import ExportFormat, ExportJob, Report, ReportStatus
from reports.periods import PeriodKind, period_build
from tests.authz.registry import Spec
from tests.authz.world import World

REPORTERS = frozenset({Role.GRANT_MANAGER, Role.COORDINATOR})
COORDINATORS = frozenset({Role.COORDINATOR})
# A prepared file belongs to the one person who asked for it: everybody else gets 404.
REQUESTER = frozenset({Role.GRANT_MANAGER})
# The funder copy holds exact figures: grant managers (with MFA, as every person of the world has) only;
# everybody else gets 404 (coordinators too), and the workflow page is theirs alone.
FILERS = frozenset({Role.GRANT_MANAGER})
REMIND = {"check": "activity", "agency": 1, "period": "2025-q1", "template": "ovc_pmt"}
_SHARED = "grant reports are task-force aggregates, shared by every grant manager and coordinator"


def _approved_report(world: World) -> Report:
    def build() -> Report:
        period = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
        text = canonical_json(report_compute(period=period, measure_keys=["trafficking_type"]))
        figures = canonical_json(figures_compute(period=period, measure_keys=["trafficking_type"]))
        return Report.objects.create(
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            measures=["trafficking_type"],
            created_by=world.people[Role.GRANT_MANAGER],
            status=ReportStatus.APPROVED,
            approved_by=world.people[Role.COORDINATOR],
            approved_at=timezone.now(),
            content=text,
            content_hash=sha256_hex(text),
            template="ovc_pmt",
            figures=figures,
            figures_hash=sha256_hex(figures),
        )

    return world.once("approved_report", build)


def _report(world: World) -> dict[str, int]:
    return {"pk": _approved_report(world).pk}


def _export_job(world: World) -> dict[str, object]:
    job = world.once(
        "export_job",
        lambda: ExportJob.objects.create(
            report=_approved_report(world), requested_by=world.people[Role.GRANT_MANAGER], format=ExportFormat.XLSX
        ),
    )
    return {"pk": job.pk}


ROUTES: dict[str, Spec] = {
    "reports:dashboard": Spec(roles=REPORTERS),
    "reports:new": Spec(roles=REPORTERS),
    "reports:detail": Spec(roles=REPORTERS, kwargs=_report, shared_with_task_force=_SHARED),
    "reports:csv": Spec(roles=REPORTERS, kwargs=_report, shared_with_task_force=_SHARED),
    "reports:approve": Spec(roles=COORDINATORS, method="post"),
    "reports:export_request": Spec(roles=REPORTERS, method="post"),
    "reports:template": Spec(roles=REPORTERS, method="post"),
    "reports:funder_workflow": Spec(roles=FILERS),
    "reports:funder_create": Spec(roles=FILERS, method="post"),
    "reports:funder_remind": Spec(roles=FILERS, data=REMIND),
    "reports:funder_copy": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "reports:funder_xlsx": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "reports:funder_pdf": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "reports:export": Spec(roles=REQUESTER, kwargs=_export_job),
    "reports:export_status": Spec(roles=REQUESTER, kwargs=_export_job),
    "reports:export_download": Spec(roles=REQUESTER, kwargs=_export_job),
    "api:v1:report-list": Spec(roles=REPORTERS),
    "api:v1:report-detail": Spec(roles=REPORTERS, kwargs=_report, shared_with_task_force=_SHARED),
    "api:v1:report-compute": Spec(roles=REPORTERS),
    "api:v1:report-measures": Spec(roles=REPORTERS),
    "api:v1:report-funder": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "api:v1:report-funder-xlsx": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "api:v1:report-funder-pdf": Spec(roles=FILERS, kwargs=_report, shared_with_task_force=_SHARED),
    "api:v1:report-gaps": Spec(roles=FILERS, data={"period": "2025-q1"}),
    "api:v1:report-gaps-remind": Spec(roles=FILERS, method="post"),
}
