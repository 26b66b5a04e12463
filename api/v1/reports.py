"""Grant reports over the API: compute a report for a period and measures; list and fetch approved
snapshots. Figures only, protected by the same suppression as every other output; each answer
carrying figures is audited as an export.

The funder copy of an approved report (`{id}/funder/`, and its XLSX and PDF) holds exact figures and
answers grant managers with MFA only, 404 to everyone else, each call audited; `gaps/` lists the
missing figures of a period and `gaps/remind/` reminds an agency, as the portal's page does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies.roles import Action
from api.errors import SnapshotBroken, pk_from_url
from api.permissions import acting_user, action_permission
from api.throttling import UserRateThrottle
from reports import selectors, services
from reports.completeness import completeness_can_remind, completeness_gaps
from reports.figures import FiguresCorrupted, FiguresMissing, funder_copy
from reports.measures import all_measures, measure_keys
from reports.models import ExportFormat, Report
from reports.periods import Period, PeriodKind, period_build, period_from_slug
from reports.releases import report_publish

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name

CELL_STATUSES = ["shown", "small", "withheld", "empty"]


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="The figure when shown; null when suppressed or empty.")
    display = serializers.CharField(help_text="As printed: “12”, “<11”, “withheld”, or empty.")
    status = serializers.ChoiceField(choices=CELL_STATUSES)


# A declared field named "label" shadows Field.label in the stubs; DRF's serializer metaclass takes declared
# fields out of the class attributes, so the two never meet at runtime.
class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # see the comment above RowSerializer
    kind = serializers.CharField(help_text="item, subtotal or total")
    cells = CellSerializer(many=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # see the comment above RowSerializer


class ChartSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="bars (one per category) or columns (one per month)")
    columns = serializers.ListField(child=serializers.CharField())
    alt = serializers.CharField()


class MeasureContentSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    sheet = serializers.CharField()
    group = serializers.CharField()
    definition = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    chart = ChartSerializer(allow_null=True)


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="quarter, half, fiscal_year or custom")
    label = serializers.CharField()  # type: ignore[assignment]  # see the comment above RowSerializer
    start = serializers.DateField()
    end = serializers.DateField(help_text="Included.")
    time_zone = serializers.CharField()


class ContentSerializer(serializers.Serializer):
    format = serializers.IntegerField()
    taskforce = serializers.CharField()
    period = PeriodSerializer()
    threshold = serializers.IntegerField(help_text="Counts from 1 to this minus one are suppressed.")
    computed_at = serializers.DateTimeField()
    legend = serializers.ListField(child=serializers.CharField())
    measures = MeasureContentSerializer(many=True)


class SnapshotSummarySerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "period", "measures", "approved_at", "content_hash"]
        read_only_fields = fields

    @extend_schema_field(PeriodSerializer)
    def get_period(self, report: Report) -> dict[str, str]:
        return report.period.as_dict()


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    approved_at = serializers.DateTimeField()
    content_hash = serializers.CharField(help_text="SHA-256 of the canonical JSON of `content`, checked on every read.")
    content = ContentSerializer()


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()


class ComputeQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Not for custom.")
    part = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="The quarter (1-4) or the half-year (1-2)."
    )
    start = serializers.DateField(required=False, help_text="Custom range: first day.")
    end = serializers.DateField(required=False, help_text="Custom range: last day, included.")
    measures = serializers.ListField(child=serializers.ChoiceField(choices=[]), min_length=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The registry is complete once apps are ready; read it when the serializer is built.
        measures = self.fields["measures"]
        assert isinstance(measures, serializers.ListField) and isinstance(measures.child, serializers.ChoiceField)
        measures.child.choices = measure_keys()


class FunderItemSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="The item's label on the funder's form; descriptive where the form has none."
    )
    question = serializers.CharField()
    measure = serializers.CharField(help_text="The report measure that answers it.")
    statistic = serializers.CharField(help_text="The count of that measure that answers it.")
    answer = serializers.FloatField(allow_null=True, help_text="Exact: 1 to 10 included. Null when not counted.")
    note = serializers.CharField(help_text="Why there is no answer, or empty.")


class FunderTemplateSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="ovc_tims, ovc_pmt or bja_taskforce_pmt")
    title = serializers.CharField()


class FunderCopySerializer(serializers.Serializer):
    format = serializers.IntegerField()
    taskforce = serializers.CharField()
    template = FunderTemplateSerializer()
    period = PeriodSerializer()
    status = serializers.CharField(help_text="approved")
    approved_at = serializers.DateTimeField(allow_null=True)
    computed_at = serializers.DateTimeField()
    figures_hash = serializers.CharField(help_text="SHA-256 of the frozen exact figures, checked on every read.")
    items = FunderItemSerializer(many=True)


class GapsQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text="A quarter or a half-year: 2025-q1, 2025-h2.")

    def validate_period(self, value: str) -> Period:
        period = period_from_slug(value)
        if period is None:
            raise serializers.ValidationError(_("Give a quarter or a half-year: 2025-q1, 2025-h2."))
        return period


class GapSerializer(serializers.Serializer):
    check = serializers.CharField(help_text="Which check found it (activity, referrals...).")
    agency_id = serializers.IntegerField(allow_null=True)
    agency_name = serializers.CharField()
    what = serializers.CharField(help_text="What is missing, in plain words.")
    count = serializers.IntegerField()
    can_remind = serializers.BooleanField(help_text="Whether POST gaps/remind/ can ask this agency.")


class RemindSerializer(GapsQuerySerializer):
    check = serializers.CharField()
    agency = serializers.IntegerField(min_value=1)


class RemindedSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(help_text="How many people were asked by email.")


_FILE = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
_FUNDER_ONLY = (
    "Exact figures (1 to 10 included), for the funder's system: grant managers with MFA only; 404 for everyone "
    "else. Every call is audited."
)


class ComputeRateThrottle(UserRateThrottle):
    """Computing reports, per person: REPORT_COMPUTE_RATE (a few dozen an hour is plenty for a person;
    a script probing periods is stopped and leaves audit rows)."""

    scope = "report_compute"

    def get_rate(self) -> str:
        return settings.REPORT_COMPUTE_RATE


@extend_schema_view(
    list=extend_schema(summary="Approved grant reports (frozen snapshots), newest first"),
    retrieve=extend_schema(
        summary="One approved grant report, exactly as frozen; checked against its content hash",
        responses={
            200: SnapshotSerializer,
            409: OpenApiResponse(description="The snapshot failed its integrity check"),
        },
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SnapshotSummarySerializer
    filterset_class = None

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action in _FUNDER_ACTIONS:  # 404 for anybody but a grant manager with MFA, in the handler
            return list(super().get_permissions())
        if self.action in ("gaps", "gaps_remind"):
            return [*super().get_permissions(), action_permission(Action.FILE_FUNDER_REPORTS)()]
        needed = Action.VIEW_REPORTS if self.action in ("list", "measures") else Action.EXPORT_REPORTS
        return [*super().get_permissions(), action_permission(needed)()]

    def get_queryset(self) -> QuerySet[Report]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return Report.objects.none()
        return selectors.approved_reports_for(user=acting_user(self.request))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_queryset().filter(pk=pk_from_url(kwargs["pk"])).first()
        if report is None:
            raise NotFound
        user = acting_user(request)
        try:
            content = selectors.snapshot_content(report=report)
        except selectors.SnapshotCorrupted:
            services.export_refused(actor=user, report=report, file_format="json", request=request._request)
            raise SnapshotBroken from None
        services.export_record(actor=user, report=report, file_format="json", content=content, request=request._request)
        # An approved report always has its approval time (the report_snapshot_only_when_approved constraint).
        assert report.approved_at is not None
        approved_at = serializers.DateTimeField().to_representation(report.approved_at)
        return Response(
            {"id": report.pk, "approved_at": approved_at, "content_hash": report.content_hash, "content": content}
        )

    @extend_schema(
        parameters=[ComputeQuerySerializer],
        responses={
            200: ContentSerializer,
            503: OpenApiResponse(description="The figures moved; try again"),
        },
        summary="A report for a run of whole, published quarters and measures (not saved); small counts suppressed",
        description="Partners obtain figures of whole calendar quarters only, each published once after it has "
        "ended (reports/SUPPRESSION.md): a custom range runs from the first day of a quarter to the last day of "
        "a quarter. Every call is audited, and calls are rate-limited per person.",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def compute(self, request: Request) -> Response:
        query = ComputeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        period = period_build(
            kind=data["kind"],
            year=data.get("year"),
            part=data.get("part"),
            start=data.get("start"),
            end=data.get("end"),
        )
        self._within_rate(request, period, data["measures"])
        # FiguresChanged and ReleaseCorrupted are answered by api.errors (503 and 409).
        content = report_publish(period=period, measure_keys=data["measures"])
        services.export_record(
            actor=acting_user(request), report=None, file_format="json", content=content, request=request._request
        )
        return Response(content)

    def _within_rate(self, request: Request, period: Any, measures: list[str]) -> None:
        """Counted after validation, so that a typo costs nothing; a refusal is audited, then answered 429."""
        throttle = ComputeRateThrottle()
        if not throttle.allow_request(request, self):
            services.compute_refused(
                actor=acting_user(request),
                period=period,
                measures=measures,
                reason="rate_limited",
                request=request._request,
            )
            self.throttled(request, throttle.wait())

    @extend_schema(responses=MeasureSerializer(many=True), summary="The measures a report can hold")
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def measures(self, request: Request) -> Response:
        rows = [
            {"key": m.key, "group": m.group.value, "title": m.title, "definition": m.definition} for m in all_measures()
        ]
        return Response(MeasureSerializer(rows, many=True).data)

    # --- the funder copy, and the missing figures ----------------------------------------------------------
    def _funder_report(self, request: Request, pk: str) -> Report:
        if not selectors.may_read_funder_copy(request.user):
            raise NotFound
        report = self.get_queryset().filter(pk=pk_from_url(pk)).first()
        if report is None:
            raise NotFound
        return report

    def _funder_copy(self, request: Request, report: Report, file_format: str) -> dict[str, Any]:
        try:
            return funder_copy(report=report)
        except FiguresCorrupted:
            services.funder_copy_refused(
                actor=acting_user(request), report=report, file_format=file_format, request=request._request
            )
            raise SnapshotBroken from None
        except FiguresMissing as error:
            raise NoFunderCopy(str(error)) from None

    @extend_schema(
        responses={200: FunderCopySerializer, 404: OpenApiResponse(description="Not a grant manager with MFA")},
        summary="The funder copy of an approved report: its exact figures laid out by the award's form",
        description=_FUNDER_ONLY,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def funder(self, request: Request, pk: str) -> Response:
        report = self._funder_report(request, pk)
        copy = self._funder_copy(request, report, "json")
        services.funder_copy_record(
            actor=acting_user(request), report=report, copy=copy, file_format="json", request=request._request
        )
        return Response(copy)

    def _funder_file(self, request: Request, pk: str, file_format: str) -> HttpResponse:
        report = self._funder_report(request, pk)
        try:
            data, name = services.funder_export(
                report=report, actor=acting_user(request), file_format=file_format, request=request._request
            )
        except FiguresCorrupted:
            services.funder_copy_refused(
                actor=acting_user(request), report=report, file_format=file_format, request=request._request
            )
            raise SnapshotBroken from None
        except FiguresMissing as error:
            raise NoFunderCopy(str(error)) from None
        response = HttpResponse(data, content_type=_FILE[ExportFormat(file_format)])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        responses={(200, _FILE[ExportFormat.XLSX]): OpenApiTypes.BINARY, 404: OpenApiResponse(description="Not found")},
        summary="The funder copy as an XLSX laid out like the funder's form (item, question, answer)",
        description=_FUNDER_ONLY,
    )
    @action(detail=True, methods=["get"], url_path="funder/xlsx", pagination_class=None, filterset_class=None)
    def funder_xlsx(self, request: Request, pk: str) -> HttpResponse:
        return self._funder_file(request, pk, ExportFormat.XLSX)

    @extend_schema(
        responses={(200, _FILE[ExportFormat.PDF]): OpenApiTypes.BINARY, 404: OpenApiResponse(description="Not found")},
        summary="The funder copy as a PDF laid out like the funder's form (item, question, answer)",
        description=_FUNDER_ONLY,
    )
    @action(detail=True, methods=["get"], url_path="funder/pdf", pagination_class=None, filterset_class=None)
    def funder_pdf(self, request: Request, pk: str) -> HttpResponse:
        return self._funder_file(request, pk, ExportFormat.PDF)

    @extend_schema(
        parameters=[GapsQuerySerializer],
        responses=GapSerializer(many=True),
        summary="Missing figures of a period: agencies that owe figures, records lacking what a count needs",
        description="Grant managers with MFA only, as on the portal's “File with a funder” page.",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def gaps(self, request: Request) -> Response:
        query = GapsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = [
            {**asdict(gap), "check": key, "can_remind": gap.agency_id is not None and completeness_can_remind(key=key)}
            for key, found in completeness_gaps(query.validated_data["period"]).items()
            for gap in found
        ]
        return Response(GapSerializer(rows, many=True).data)

    @extend_schema(
        request=RemindSerializer,
        responses={200: RemindedSerializer},
        summary="Remind one agency of its missing figures (an email with a link, never a figure); audited",
    )
    @action(detail=False, methods=["post"], url_path="gaps/remind", pagination_class=None, filterset_class=None)
    def gaps_remind(self, request: Request) -> Response:
        body = RemindSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        reminded = services.gap_remind(
            actor=acting_user(request),
            key=data["check"],
            period=data["period"],
            agency_id=data["agency"],
            request=request._request,
        )
        return Response({"reminded": reminded})


_FUNDER_ACTIONS = ("funder", "funder_xlsx", "funder_pdf")


class NoFunderCopy(exceptions.APIException):
    status_code = 409
    default_code = "no_funder_copy"


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("reports", ReportViewSet, basename="report")
