"""The home page's "what needs you" and the announcements, over the API: the same selectors, services and
rules as the pages (home/views.py).

- `GET /api/v1/home/`: the items of the home page (every item that applies to the caller's role,
  zeros included; the page shows those that are not zero).
- `/api/v1/announcements/`: list (coordinators: all; others: those addressed to them), create
  (coordinators; `preview/` first answers "N people at M agencies" without sending, as the page's
  confirmation step does), retrieve (outside the audience: 404), `acknowledge/` (POST),
  `acknowledgements/` (coordinators: every agency; agency administrators: their own; others: 404).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from agencies.models import Sector
from agencies.roles import Action
from api.errors import pk_from_url
from api.filters import PortalFilterSet, StrictBooleanFilter
from api.permissions import acting_user, action_permission
from api.v1.meetings import AgencyRefSerializer, PersonRefSerializer
from home import selectors, services
from home.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Announcement, Audience

# --- what needs you ----------------------------------------------------------------------------------


class NeedEntrySerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="Absolute link to the page.")
    starts_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(help_text='For a meeting, your answer: "Your answer: attending", "Not answered yet".')


class NeedItemSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=[
            selectors.Key.REFERRALS_WAITING,
            selectors.Key.REFERRALS_ESCALATED,
            selectors.Key.REFERRALS_ESCALATED_TO_YOU,
            selectors.Key.ACTION_ITEMS_OVERDUE,
            selectors.Key.MEETINGS_THIS_WEEK,
            selectors.Key.CAPACITY_STALE,
            selectors.Key.ANNOUNCEMENTS,
        ]
    )
    count = serializers.IntegerField(min_value=0)
    # A field named "label", as the home page's item has it (Field.label is the serializer's own caption).
    label = serializers.CharField(help_text="A sentence with the count, as the home page says it.")  # type: ignore[assignment]
    url = serializers.CharField(help_text='Absolute link to where to act; "" when that page does not exist.')
    detail = serializers.CharField(help_text='A second sentence, or "".')
    entries = NeedEntrySerializer(many=True, help_text="The meetings of the week; empty for the other items.")


class NeedsSerializer(serializers.Serializer):
    items = NeedItemSerializer(many=True)


def _absolute(request: Request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


class HomeView(APIView):
    @extend_schema(
        responses=NeedsSerializer,
        summary="What needs you: the items of the home page that apply to your role, each a count and a link",
    )
    def get(self, request: Request) -> Response:
        items = selectors.needs_you(acting_user(request))
        answer = [
            {
                "key": item.key,
                "count": item.count,
                "label": item.label,
                "url": _absolute(request, item.url),
                "detail": item.detail,
                "entries": [{**vars(entry), "url": _absolute(request, entry.url)} for entry in item.entries],
            }
            for item in items
        ]
        return Response(NeedsSerializer({"items": answer}).data)


# --- announcements -----------------------------------------------------------------------------------


class AnnouncementSerializer(serializers.ModelSerializer):
    agencies = serializers.SerializerMethodField(help_text="The chosen agencies (for a chosen-agencies audience).")
    sent_by = PersonRefSerializer()
    # Empty unless the audience is a sector: declared so that the schema allows "" beside the sectors.
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, read_only=True)
    acknowledged_at = serializers.DateTimeField(
        source="my_acknowledged_at", allow_null=True, help_text="When you acknowledged it; null if you have not."
    )
    acknowledged_count = serializers.SerializerMethodField(
        help_text="How many people acknowledged it (coordinators); null for others."
    )

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "body",
            "audience",
            "audience_label",
            "sector",
            "agencies",
            "sent_by",
            "sent_at",
            "acknowledged_at",
            "acknowledged_count",
        ]
        read_only_fields = fields

    @extend_schema_field(AgencyRefSerializer(many=True))
    def get_agencies(self, announcement: Announcement) -> list[dict[str, Any]]:
        # Who else was warned is the coordinators' to know (the page says "chosen agencies"): a recipient
        # sees its own agency only. Filtered in Python, to keep the list's prefetch.
        user = self.context["request"].user
        everyone = user.can(Action.SEND_ANNOUNCEMENTS)
        return [
            {"id": agency.pk, "name": agency.name}
            for agency in announcement.agencies.all()
            if everyone or agency.pk == user.agency_id
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_acknowledged_count(self, announcement: Announcement) -> int | None:
        user = self.context["request"].user
        # An annotation of home.selectors.announcements_for, which every queryset of this endpoint comes from.
        count: int = getattr(announcement, "acknowledged_count")  # noqa: B009
        return count if user.can(Action.SEND_ANNOUNCEMENTS) else None


class AnnouncementInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)
    audience = serializers.ChoiceField(choices=Audience.choices)
    sector = serializers.ChoiceField(
        choices=Sector.choices, required=False, allow_blank=True, help_text="For a sector audience."
    )
    agencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="Agency ids, for a chosen-agencies audience.",
    )

    def draft(self) -> services.AnnouncementDraft:
        data = self.validated_data
        return services.AnnouncementDraft(
            title=data["title"],
            body=data["body"],
            audience=data["audience"],
            sector=data.get("sector", ""),
            agency_ids=tuple(data.get("agencies", ())),
        )


class AudienceSizeSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="Active people of the audience, you excepted.")
    agencies = serializers.IntegerField(help_text="Active agencies of the audience.")


class AcknowledgedSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    acknowledged_at = serializers.DateTimeField()


class AgencyAcknowledgementsSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    acknowledged = AcknowledgedSerializer(many=True)
    not_yet = PersonRefSerializer(many=True, help_text="Active people of the agency who have not acknowledged it.")


class AcknowledgementReportSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    agencies = AgencyAcknowledgementsSerializer(many=True)


class AnnouncementFilter(PortalFilterSet):
    unacknowledged = StrictBooleanFilter(
        method="filter_unacknowledged", label="true: only those addressed to you that you have not acknowledged"
    )

    class Meta:
        model = Announcement
        fields = ["unacknowledged"]

    def filter_unacknowledged(
        self, queryset: QuerySet[Announcement], name: str, value: bool | None
    ) -> QuerySet[Announcement]:
        if not value:
            return queryset
        assert self.request is not None  # the filter backend always hands the view's request to the filter set
        pending = selectors.announcements_unacknowledged(user=acting_user(self.request))
        return queryset.filter(pk__in=pending.values("pk"))


@extend_schema_view(
    list=extend_schema(summary="Announcements: every one for coordinators, those sent to your agency for others"),
    retrieve=extend_schema(summary="One announcement; outside its audience, 404"),
)
class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AnnouncementSerializer
    filterset_class = AnnouncementFilter

    def get_permissions(self) -> Sequence[Any]:
        if self.action in ("create", "preview"):
            return [*super().get_permissions(), action_permission(Action.SEND_ANNOUNCEMENTS)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Announcement]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return Announcement.objects.none()
        return selectors.announcements_for(user=acting_user(self.request)).prefetch_related("agencies")

    def get_object(self) -> Announcement:
        return selectors.announcement_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    def _shown(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(
        request=AnnouncementInSerializer,
        responses={201: AnnouncementSerializer},
        summary="Send an announcement to all partners, a sector or chosen agencies (coordinators)",
    )
    def create(self, request: Request) -> Response:
        data = AnnouncementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        announcement = services.announcement_send(actor=acting_user(request), draft=data.draft())
        return Response(self._shown(announcement.pk), status=201)

    @extend_schema(
        request=AnnouncementInSerializer,
        responses={200: AudienceSizeSerializer},
        filters=False,
        summary="Check an announcement without sending it: how many people at how many agencies it reaches",
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        data = AnnouncementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, size = services.announcement_check(actor=acting_user(request), draft=data.draft())
        return Response(AudienceSizeSerializer(size).data)

    @extend_schema(
        request=None,
        responses={200: AnnouncementSerializer},
        summary="Acknowledge it: it leaves your home page (only yours). Twice changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        announcement = self.get_object()
        services.announcement_acknowledge(actor=acting_user(request), announcement=announcement)
        return Response(self._shown(announcement.pk))

    @extend_schema(
        responses={200: AcknowledgementReportSerializer},
        filters=False,
        summary="Who acknowledged it and who has not, by agency (coordinators; agency administrators: their own)",
    )
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        announcement = self.get_object()
        report = selectors.acknowledgement_report(user=user, announcement=announcement)
        if report is None:
            raise Http404  # as for an announcement the person cannot see: nothing to say either way
        answer = {
            "people": report.people,
            "acknowledged": report.acknowledged,
            "agencies": [
                {"agency": row.agency, "acknowledged": row.acknowledged, "not_yet": row.not_yet}
                for row in report.agencies
            ],
        }
        return Response(AcknowledgementReportSerializer(answer).data)


urlpatterns: list[Any] = [
    path("home/", HomeView.as_view(), name="home"),
]


def register(router: SimpleRouter) -> None:
    """Adds this area's viewsets to the v1 router."""
    router.register("announcements", AnnouncementViewSet, basename="announcement")
