"""Data-sharing agreements over the API: the same selectors, services and rules as the web pages
(agencies/agreements.py). Coordinators only: the list, recording and the gaps answer 403 to every
other role, one agreement (and ending it) 404, as on the web.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies import agreements
from agencies.models import Agency, AgreementKind, DataSharingAgreement
from agencies.roles import Action
from api.errors import pk_from_url
from api.filters import PortalFilterSet, StrictBooleanFilter
from api.permissions import acting_user, action_permission

# The same reference shapes as the other areas' endpoints: one AgencyRef and one PersonRef in the schema.
from api.v1.meetings import AgencyRefSerializer, IdFilter, PersonRefSerializer

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name


class AgreementSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    kind_label = serializers.CharField(source="get_kind_display")
    recorded_by = PersonRefSerializer(allow_null=True)
    ended_by = PersonRefSerializer(allow_null=True)
    in_force = serializers.SerializerMethodField(
        help_text="Signed, not expired and not ended, today in the task force's time zone."
    )

    class Meta:
        model = DataSharingAgreement
        fields = [
            "id",
            "agency",
            "kind",
            "kind_label",
            "signed_on",
            "expires_on",
            "covers_referrals",
            "covers_case_review",
            "covers_reports",
            "note",
            "in_force",
            "recorded_by",
            "recorded_at",
            "ended_by",
            "ended_at",
        ]
        read_only_fields = fields

    def get_in_force(self, agreement: DataSharingAgreement) -> bool:
        return agreements.agreement_in_force(agreement)


class AgreementInSerializer(serializers.Serializer):
    """A signed agreement to record. The checks (dates, scope, the guard on the note) are the service's."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), help_text="The agency's id.")
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    signed_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The last day in force; null: no end date."
    )
    covers_referrals = serializers.BooleanField(default=False)
    covers_case_review = serializers.BooleanField(default=False)
    covers_reports = serializers.BooleanField(default=False)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=agreements.NOTE_MAX_LENGTH, trim_whitespace=True
    )


class AgencyStandingSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    standing = serializers.ChoiceField(choices=agreements.Standing.choices)
    may_refer = serializers.BooleanField(help_text="It may send and receive referrals (current or lapsing).")
    agreement = AgreementSerializer(
        allow_null=True,
        help_text="In force and covering referrals; else the last one that expired; else one in force that does "
        "not cover referrals; else null.",
    )


class AgreementGapsSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="Today in the task force's time zone.")
    lapsing_days = serializers.IntegerField(help_text="An agreement expiring within this many days is lapsing.")
    agencies = AgencyStandingSerializer(many=True, source="rows", help_text="Every active agency, by name.")


class AgreementFilter(PortalFilterSet):
    agency = IdFilter(field_name="agency_id", label="Agency id")
    kind = filters.ChoiceFilter(choices=AgreementKind.choices)
    ended = StrictBooleanFilter(field_name="ended_at", lookup_expr="isnull", exclude=True, label="Ended in error")

    class Meta:
        model = DataSharingAgreement
        fields = ["agency", "kind", "ended"]


@extend_schema_view(
    list=extend_schema(summary="Every agency's data-sharing agreements, ended ones included (coordinators)"),
    retrieve=extend_schema(summary="One data-sharing agreement (coordinators; 404 for everyone else)"),
)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action in ("list", "create", "gaps"):
            return [*super().get_permissions(), action_permission(Action.MANAGE_AGREEMENTS)()]
        return super().get_permissions()  # one agreement: 404 for anyone who does not keep them

    def get_queryset(self) -> QuerySet[DataSharingAgreement]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return DataSharingAgreement.objects.none()
        return agreements.agreements_for(user=acting_user(self.request)).order_by("-id")

    def get_object(self) -> DataSharingAgreement:
        return agreements.agreement_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    @extend_schema(
        request=AgreementInSerializer,
        responses={201: AgreementSerializer},
        filters=False,
        summary="Record an agency's signed data-sharing agreement (coordinators)",
    )
    def create(self, request: Request) -> Response:
        data = AgreementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = acting_user(request)
        agreement = agreements.agreement_record(actor=user, **data.validated_data)
        answer = AgreementSerializer(agreements.agreement_get(user=user, pk=agreement.pk)).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: AgreementSerializer},
        summary="End an agreement recorded in error (kept, never deleted; ending it again changes nothing)",
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        agreement = agreements.agreement_end(actor=user, agreement=self.get_object())
        return Response(AgreementSerializer(agreements.agreement_get(user=user, pk=agreement.pk)).data)

    @extend_schema(
        responses={200: AgreementGapsSerializer},
        filters=False,
        summary="Where every active agency stands: current, lapsing, expired or no agreement (coordinators)",
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def gaps(self, request: Request) -> Response:
        return Response(AgreementGapsSerializer(agreements.agreement_gaps(user=acting_user(request))).data)


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("agreements", AgreementViewSet, basename="agreement")
