"""Grant reports over the API: compute a report for a period and measures; list and fetch approved
snapshots. Figures only, protected by the same suppression as every other output; each answer
carrying figures is audited as an export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies.roles import Action
from api.errors import pk_from_url
from api.permissions import action_permission
from api.throttling import UserRateThrottle
from reports import selectors, services
from reports.engine import FiguresChanged
from reports.measures import all_measures, measure_keys
from reports.models import Report
from reports.periods import PeriodKind, period_build
from reports.releases import ReleaseCorrupted, report_publish

CELL_STATUSES = ["shown", "small", "withheld", "empty"]


class CellSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="The figure when shown; null when suppressed or empty.")
    display = serializers.CharField(help_text="As printed: “12”, “<11”, “withheld”, or empty.")
    status = serializers.ChoiceField(choices=CELL_STATUSES)


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField(help_text="item, subtotal or total")
    cells = CellSerializer(many=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


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
    label = serializers.CharField()
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
        self.fields["measures"].child.choices = measure_keys()


class ComputeRateThrottle(UserRateThrottle):
    """Computing reports, per person: REPORT_COMPUTE_RATE (a few dozen an hour is plenty for a person;
    a script probing periods is stopped and leaves audit rows)."""

    scope = "report_compute"

    def get_rate(self) -> str:
        return settings.REPORT_COMPUTE_RATE


class FiguresMoved(APIException):
    status_code = 503
    default_detail = "The figures changed while they were being computed. Try again."
    default_code = "figures_changed"


class SnapshotBroken(APIException):
    status_code = 409
    default_detail = "This approved report failed its integrity check and is not handed out. Tell a coordinator."
    default_code = "snapshot_integrity"


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

    def get_permissions(self) -> list[Any]:
        needed = Action.VIEW_REPORTS if self.action in ("list", "measures") else Action.EXPORT_REPORTS
        return [*super().get_permissions(), action_permission(needed)()]

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.approved_reports_for(user=self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_queryset().filter(pk=pk_from_url(kwargs["pk"])).first()
        if report is None:
            raise NotFound
        try:
            content = selectors.snapshot_content(report=report)
        except selectors.SnapshotCorrupted:
            services.export_refused(actor=request.user, report=report, file_format="json", request=request._request)
            raise SnapshotBroken from None
        services.export_record(
            actor=request.user, report=report, file_format="json", content=content, request=request._request
        )
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
        try:
            content = report_publish(period=period, measure_keys=data["measures"])
        except FiguresChanged:
            raise FiguresMoved from None
        except ReleaseCorrupted:
            raise SnapshotBroken from None
        services.export_record(
            actor=request.user, report=None, file_format="json", content=content, request=request._request
        )
        return Response(content)

    def _within_rate(self, request: Request, period: Any, measures: list[str]) -> None:
        """Counted after validation, so that a typo costs nothing; a refusal is audited, then answered 429."""
        throttle = ComputeRateThrottle()
        if not throttle.allow_request(request, self):
            services.compute_refused(
                actor=request.user, period=period, measures=measures, reason="rate_limited", request=request._request
            )
            self.throttled(request, throttle.wait())

    @extend_schema(responses=MeasureSerializer(many=True), summary="The measures a report can hold")
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def measures(self, request: Request) -> Response:
        rows = [
            {"key": m.key, "group": m.group.value, "title": m.title, "definition": m.definition} for m in all_measures()
        ]
        return Response(MeasureSerializer(rows, many=True).data)


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("reports", ReportViewSet, basename="report")
