"""The service directory over the API: the same selectors, services and rules as the web pages.

- `GET /service-profiles/` every member: the directory, filtered as the page (need, language, county,
  capacity). `GET /service-profiles/{agency_id}/` one agency's profile (404 when it keeps none).
- `PATCH /service-profiles/{agency_id}/` and `POST .../confirm-capacity/`: the agency's administrators
  and coordinators; another agency's answers 404 to an agency administrator.
- `GET /referral-suggestions/?needs=shelter&needs=legal&language=es&...`: referral officers; the
  agencies that can help with these coded facts, best first, and why (cases.suggestions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from agencies.roles import Action
from api.errors import pk_from_url
from api.pagination import PortalCursorPagination
from api.permissions import acting_user, action_permission

# The same reference shape as the other endpoints: one AgencyRef in the schema.
from api.v1.meetings import AgencyRefSerializer
from cases import choices
from cases.suggestions import ReferralFacts, suggest_receivers
from directory import selectors, services
from directory.models import AfterHours, Capacity, ServiceProfile

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name


# The referral's own vocabularies, so that the schema has one enum per vocabulary; the service refuses
# the codes a profile cannot hold ("unknown", "prefers not to say") with a 400 naming the codes it takes.
_VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "needs": choices.Need,
    "languages": choices.Language,
    "age_bands": choices.AgeBand,
    "genders": choices.Gender,
    "trafficking_types": choices.TraffickingType,
    "citizenship": choices.Citizenship,
}


def _codes(field: str, help_text: str) -> serializers.ListField:
    child = serializers.ChoiceField(choices=_VOCABULARIES[field].choices)
    return serializers.ListField(child=child, help_text=help_text)


class HoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=1, max_value=7, help_text="1 Monday to 7 Sunday.")
    opens = serializers.RegexField(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", help_text="HH:MM, local time.")
    closes = serializers.RegexField(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", help_text="HH:MM, after `opens`.")


class ServiceProfileSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    needs = _codes("needs", "The referral's need codes the agency serves.")
    languages = _codes("languages", "Languages staff speak with clients.")
    age_bands = _codes("age_bands", "Ages served; empty: every age.")
    genders = _codes("genders", "Genders served; empty: everyone.")
    trafficking_types = _codes("trafficking_types", "Types of trafficking served; empty: any.")
    citizenship = _codes("citizenship", "Citizenship categories served; empty: everyone.")
    counties = serializers.ListField(child=serializers.CharField(), help_text="Counties served; empty: every county.")
    hours = HoursSerializer(many=True, help_text="Office hours, at most one opening per weekday.")
    capacity_label = serializers.CharField(source="get_capacity_display")
    capacity_stale = serializers.BooleanField(help_text="Not confirmed within the configured number of days.")

    class Meta:
        model = ServiceProfile
        fields = [
            "agency",
            "description",
            "website",
            "needs",
            "languages",
            "interpretation_available",
            "age_bands",
            "genders",
            "trafficking_types",
            "citizenship",
            "counties",
            "hours",
            "after_hours",
            "intake_role",
            "intake_phone",
            "intake_email",
            "after_hours_phone",
            "contacts_internal",
            "requires_release",
            "capacity",
            "capacity_label",
            "capacity_confirmed_at",
            "capacity_stale",
            "public",
            "updated_at",
        ]
        read_only_fields = fields


class ServiceProfileInSerializer(serializers.Serializer):
    """The fields to change; those left out stay. A changed capacity counts as confirmed now."""

    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200)
    needs = _codes("needs", "The referral's need codes the agency serves.")
    languages = _codes("languages", "Languages staff speak with clients.")
    interpretation_available = serializers.BooleanField(required=False)
    age_bands = _codes("age_bands", "Ages served; empty: every age.")
    genders = _codes("genders", "Genders served; empty: everyone.")
    trafficking_types = _codes("trafficking_types", "Types of trafficking served; empty: any.")
    citizenship = _codes("citizenship", "Citizenship categories served; empty: everyone.")
    counties = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Counties served; empty: every county."
    )
    hours = HoursSerializer(many=True, required=False)
    after_hours = serializers.ChoiceField(choices=AfterHours.choices, required=False)
    intake_role = serializers.CharField(required=False, allow_blank=True, max_length=120)
    intake_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    intake_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    after_hours_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    contacts_internal = serializers.BooleanField(required=False)
    requires_release = serializers.BooleanField(required=False)
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False)
    public = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("needs", "languages", "age_bands", "genders", "trafficking_types", "citizenship"):
            self.fields[name].required = False


class CapacityInSerializer(serializers.Serializer):
    capacity = serializers.ChoiceField(
        choices=Capacity.choices, required=False, help_text="The status now; left out: the current one is confirmed."
    )


class DirectoryQuerySerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=choices.Need.choices, required=False)
    language = serializers.ChoiceField(choices=choices.Language.choices, required=False)
    county = serializers.RegexField(r"^[A-Za-z][A-Za-z .'\-]*$", max_length=60, required=False)
    capacity = serializers.ChoiceField(choices=Capacity.choices, required=False)


class ByAgencyPagination(PortalCursorPagination):
    ordering = ("agency_id",)


@extend_schema_view(
    list=extend_schema(
        summary="The service directory: every member agency's profile",
        parameters=[DirectoryQuerySerializer],
    ),
    retrieve=extend_schema(summary="One agency's service profile (404 when it keeps none)"),
    partial_update=extend_schema(
        request=ServiceProfileInSerializer,
        summary="Change your agency's service profile (coordinators: any agency's); the fields left out stay",
    ),
)
class ServiceProfileViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ServiceProfileSerializer
    pagination_class = ByAgencyPagination
    filter_backends: Sequence[Any] = ()
    lookup_url_kwarg = "agency_id"

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action in {"partial_update", "confirm_capacity"}:
            return [*super().get_permissions(), action_permission(Action.EDIT_SERVICE_PROFILE)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[ServiceProfile]:
        query = DirectoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.DirectoryFilters(**query.validated_data)
        return selectors.profiles_for(user=acting_user(self.request), filters=filters)

    def retrieve(self, request: Request, agency_id: str) -> Response:
        _, profile = selectors.profile_of(user=acting_user(request), agency_pk=pk_from_url(agency_id))
        if profile is None:
            raise Http404
        return Response(ServiceProfileSerializer(profile).data)

    def partial_update(self, request: Request, agency_id: str) -> Response:
        actor = acting_user(request)
        agency = selectors.editable_agency_get(user=actor, agency_pk=pk_from_url(agency_id))
        data = ServiceProfileInSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = services.service_profile_update(agency=agency, actor=actor, values=data.validated_data)
        return Response(ServiceProfileSerializer(profile).data)

    @extend_schema(
        request=CapacityInSerializer,
        responses=ServiceProfileSerializer,
        summary='"Capacity is still accurate": confirm (or change) your agency\'s capacity status as of now',
    )
    @action(detail=True, methods=["post"], url_path="confirm-capacity")
    def confirm_capacity(self, request: Request, agency_id: str) -> Response:
        actor = acting_user(request)
        agency = selectors.editable_agency_get(user=actor, agency_pk=pk_from_url(agency_id))
        data = CapacityInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        capacity = data.validated_data.get("capacity")
        return Response(
            ServiceProfileSerializer(services.capacity_confirm(agency=agency, actor=actor, capacity=capacity)).data
        )


class SuggestionsQuerySerializer(serializers.Serializer):
    """The referral's coded facts (never free text). A fact left out matches anything."""

    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.Need.choices),
        min_length=1,
        max_length=len(choices.Need.values),
        help_text="Repeat the parameter for each need: ?needs=shelter&needs=legal.",
    )
    language = serializers.ChoiceField(choices=choices.Language.choices, required=False)
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    age_band = serializers.ChoiceField(choices=choices.AgeBand.choices, required=False)
    gender = serializers.ChoiceField(choices=choices.Gender.choices, required=False)
    trafficking_type = serializers.ChoiceField(choices=choices.TraffickingType.choices, required=False)
    citizenship = serializers.ChoiceField(choices=choices.Citizenship.choices, required=False)
    county = serializers.RegexField(r"^[A-Za-z][A-Za-z .'\-]*$", max_length=60, required=False)
    urgency = serializers.ChoiceField(choices=choices.Urgency.choices, required=False)


class SuggestionSerializer(serializers.Serializer):
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField()
    sector = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text='"Offers shelter or housing", ...')
    gaps = serializers.ListField(child=serializers.CharField(), help_text='"Does not list Spanish", ...')
    release_needed = serializers.BooleanField(help_text="A signed, time-limited release is needed to send there.")
    capacity = serializers.CharField(help_text="accepting, waitlist or not_accepting.")
    capacity_label = serializers.CharField()
    capacity_stale = serializers.BooleanField()
    full_match = serializers.BooleanField(help_text="Every need covered and the language spoken.")
    score = serializers.FloatField(help_text="Higher is better; the list is already in this order.")


class ReferralSuggestionsView(APIView):
    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        return [*super().get_permissions(), action_permission(Action.HANDLE_REFERRALS)()]

    @extend_schema(
        parameters=[SuggestionsQuerySerializer],
        responses=SuggestionSerializer(many=True),
        summary="The agencies that can help with a referral's coded facts, best first, and why",
        description=(
            'What the referral form lists under "Suggested agencies": agencies covering at least one need and '
            "meeting their own eligibility rules, best first (needs covered, language, capacity, after-hours "
            "access for an emergency, a fresh capacity status). Sending to an agency not listed stays possible."
        ),
    )
    def get(self, request: Request) -> Response:
        query = SuggestionsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        facts = ReferralFacts(**{**query.validated_data, "needs": tuple(query.validated_data["needs"])})
        found = suggest_receivers(sender=acting_user(request).member_agency, facts=facts)
        return Response(SuggestionSerializer(found, many=True).data)


urlpatterns = [
    path("referral-suggestions/", ReferralSuggestionsView.as_view(), name="referral-suggestions"),
]


def register(router: SimpleRouter) -> None:
    """Adds this area's viewsets to the v1 router."""
    router.register("service-profiles", ServiceProfileViewSet, basename="service-profile")
