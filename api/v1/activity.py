"""Task-force activity figures over the API: the same selectors, service and rules as the web page.

GET lists the figures the caller may see (their agency's; every agency's for coordinators and grant
managers); POST enters or corrects figures of the caller's own agency for one quarter. The agency is
always the caller's: a client never names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from activity import selectors, services
from activity.choices import MAX_VALUE, ActivityMeasure
from activity.models import ActivityFigure
from agencies.roles import Action
from api.filters import PortalFilterSet
from api.permissions import acting_user, action_permission

# The same reference shapes as the meetings' endpoints: one AgencyRef and one PersonRef in the schema.
from api.v1.meetings import AgencyRefSerializer, PersonRefSerializer
from reports.periods import FIRST_YEAR, PeriodKind, period_build

if TYPE_CHECKING:
    pass


class ActivityFigureSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    quarter = serializers.SerializerMethodField(help_text="The calendar quarter, as 2025-q1.")
    measure_label = serializers.CharField(source="get_measure_display")
    entered_by = PersonRefSerializer()
    corrected_by = PersonRefSerializer(allow_null=True)

    class Meta:
        model = ActivityFigure
        fields = [
            "id",
            "agency",
            "quarter",
            "period_start",
            "period_end",
            "measure",
            "measure_label",
            "value",
            "entered_by",
            "entered_at",
            "corrected_by",
            "corrected_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_quarter(self, figure: ActivityFigure) -> str:
        return figure.period.slug


class FiguresInSerializer(serializers.Serializer):
    """One quarter of the caller's agency: give the figures to enter or correct; those left out stay."""

    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ActivityMeasure.choices:
            self.fields[value] = serializers.IntegerField(
                required=False, min_value=0, max_value=MAX_VALUE, help_text=str(label)
            )


class QuarterFiguresSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="The calendar quarter, as 2025-q1.")
    figures = ActivityFigureSerializer(
        many=True, help_text="Every figure of your agency in the quarter, after the change."
    )


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class IdFilter(filters.NumberFilter):
    """An id: a whole number the database can hold (a larger one is a 400, not a crash)."""

    field_class = IdField  # type: ignore[assignment]  # an integer field, not NumberFilter's decimal


class ActivityFigureFilter(PortalFilterSet):
    agency = IdFilter(field_name="agency_id", label="Agency id")
    quarter_start = filters.DateFilter(field_name="period_start", label="First day of the quarter")
    measure = filters.ChoiceFilter(choices=ActivityMeasure.choices)

    class Meta:
        model = ActivityFigure
        fields = ["agency", "quarter_start", "measure"]


@extend_schema_view(
    list=extend_schema(
        summary="Activity figures: your agency's, or every agency's for coordinators and grant managers"
    ),
)
class ActivityFigureViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ActivityFigureSerializer
    filterset_class = ActivityFigureFilter

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "create":
            return [*super().get_permissions(), action_permission(Action.ENTER_ACTIVITY_FIGURES)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[ActivityFigure]:
        return selectors.figures_for(user=self.request.user)

    @extend_schema(
        request=FiguresInSerializer,
        responses={200: QuarterFiguresSerializer},
        filters=False,
        summary="Enter or correct your agency's figures of one quarter (all of them or none)",
    )
    def create(self, request: Request) -> Response:
        data = FiguresInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        period = period_build(kind=PeriodKind.QUARTER, year=given.pop("year"), part=given.pop("quarter"))
        actor = acting_user(request)  # ENTER_ACTIVITY_FIGURES holds only for a person of an agency
        figures = services.activity_figures_enter(agency=actor.member_agency, period=period, values=given, actor=actor)
        return Response(QuarterFiguresSerializer({"quarter": period.slug, "figures": figures}).data)


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("activity-figures", ActivityFigureViewSet, basename="activity-figure")
