"""Meetings, action items, trainings and training requests over the API: the same selectors and
services as the web, thin views, constant query counts for lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies.models import Agency, User
from agencies.roles import Action
from api.errors import pk_from_url
from api.filters import PortalFilterSet
from api.pagination import PortalCursorPagination
from api.permissions import acting_user, action_permission
from api.v1.serializers import AbsentAsNullURLField
from meetings import selectors, services
from meetings.choices import ActionStatus, MeetingKind, RegistrationStatus, RequestStatus, TrainingSector, Vote
from meetings.models import ActionItem, AgendaItem, Meeting, MeetingSeries, Motion, Training, TrainingRequest
from meetings.models.motions import MOTION_TEXT_MAX_LENGTH
from meetings.permissions import may_update_action_item

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=2**63 - 1, **kwargs)


class IdFilter(filters.NumberFilter):
    """An id: a whole number the database can hold (a larger one is a 400, not a crash)."""

    # The stubs pin NumberFilter.field_class to DecimalField; django-filter takes any form field here.
    field_class = IdField  # type: ignore[assignment]


class ByStartPagination(PortalCursorPagination):
    ordering = ("starts_at", "id")


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, person: User) -> str:
        return person.get_full_name() or person.email


# --- meetings ----------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    host_agency = AgencyRefSerializer()
    committee = serializers.CharField(source="committee.name", allow_null=True, default=None)
    cancelled = serializers.BooleanField(source="is_cancelled")
    agenda_published = serializers.SerializerMethodField()
    video_url = AbsentAsNullURLField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "audience",
            "committee",
            "host_agency",
            "starts_at",
            "ends_at",
            "location",
            "video_url",
            "series",
            "cancelled",
            "agenda_published",
        ]
        read_only_fields = fields

    def get_agenda_published(self, meeting: Meeting) -> bool:
        return meeting.agenda_published_at is not None


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter_agency = AgencyRefSerializer(allow_null=True)
    time_box_minutes = serializers.IntegerField(source="minutes")
    action_item: serializers.PrimaryKeyRelatedField[ActionItem] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "presenter_agency", "time_box_minutes", "notes", "action_item"]
        read_only_fields = fields


class MinutesOutSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField()
    body = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_at_meeting = serializers.IntegerField(source="approved_at_meeting_id", allow_null=True)


class MeetingDetailSerializer(MeetingSerializer):
    agenda = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "minutes"]
        read_only_fields = fields

    @extend_schema_field(AgendaItemSerializer(many=True, allow_null=True))
    def get_agenda(self, meeting: Meeting) -> list | None:
        items = selectors.agenda_visible(user=self.context["request"].user, meeting=meeting)
        if items is None:
            return None
        # many=True builds a ListSerializer, whose data is a list; the stubs type it as the child's.
        return AgendaItemSerializer(items, many=True).data  # type: ignore[return-value]

    @extend_schema_field(MinutesOutSerializer(allow_null=True))
    def get_minutes(self, meeting: Meeting) -> dict | None:
        versions = selectors.minutes_visible(user=self.context["request"].user, meeting=meeting)
        return MinutesOutSerializer(versions[0]).data if versions else None


class VoteSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    vote = serializers.ChoiceField(choices=Vote.choices)


class MotionSerializer(serializers.ModelSerializer):
    mover_agency = AgencyRefSerializer()
    seconder_agency = AgencyRefSerializer()
    votes = VoteSerializer(many=True)

    class Meta:
        model = Motion
        fields = [
            "id",
            "text",
            "mover_agency",
            "seconder_agency",
            "result",
            "yes",
            "no",
            "abstain",
            "agencies_present",
            "agencies_needed",
            "votes",
            "recorded_at",
        ]
        read_only_fields = fields


class DecisionSerializer(MotionSerializer):
    meeting: serializers.PrimaryKeyRelatedField[Meeting] = serializers.PrimaryKeyRelatedField(read_only=True)
    meeting_starts_at = serializers.DateTimeField(source="meeting.starts_at")

    class Meta(MotionSerializer.Meta):
        fields = [*MotionSerializer.Meta.fields, "meeting", "meeting_starts_at"]
        read_only_fields = fields


class VoteInSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    vote = serializers.ChoiceField(choices=Vote.choices)


class MotionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MOTION_TEXT_MAX_LENGTH)
    mover_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    seconder_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    votes = VoteInSerializer(many=True, help_text="One per agency present that voted; leave out those that did not.")


class MeetingFilter(PortalFilterSet):
    date_from = filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="Starts on or after (local date)"
    )
    date_to = filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="Starts on or before (local date)"
    )
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    agency = IdFilter(field_name="host_agency_id", label="Host agency id")

    class Meta:
        model = Meeting
        fields = ["date_from", "date_to", "kind", "agency"]


@extend_schema_view(
    list=extend_schema(summary="Meetings whose audience includes you"),
    retrieve=extend_schema(
        summary="One meeting with its agenda (once published) and minutes; outside its audience, 404"
    ),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    pagination_class = ByStartPagination

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return Meeting.objects.none()
        return selectors.meetings_for(user=acting_user(self.request))

    def retrieve(self, request: Request, pk: str) -> Response:
        meeting = selectors.meeting_get(user=acting_user(request), pk=pk_from_url(pk))
        return Response(MeetingDetailSerializer(meeting, context={"request": request}).data)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    @extend_schema(
        methods=["GET"], responses={200: MotionSerializer(many=True)}, summary="Motions voted in the meeting"
    )
    @extend_schema(
        methods=["POST"],
        request=MotionInSerializer,
        responses={201: MotionSerializer},
        summary="Record a motion with the vote of each agency present (organizers)",
        description=services.RULE_IN_WORDS,
    )
    @action(detail=True, methods=["get", "post"], url_path="motions", pagination_class=None, filterset_class=None)
    def motions(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        meeting = selectors.meeting_get(user=user, pk=pk_from_url(pk))
        if request.method == "GET":
            return Response(MotionSerializer(selectors.motions_of(meeting=meeting), many=True).data)
        data = MotionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        motion = services.motion_record(
            actor=user,
            meeting=meeting,
            text=values["text"],
            mover_agency=values["mover_agency"],
            seconder_agency=values["seconder_agency"],
            votes=_votes(values["votes"]),
        )
        created = next(row for row in selectors.motions_of(meeting=meeting) if row.pk == motion.pk)
        return Response(MotionSerializer(created).data, status=201)


def _votes(rows: list[dict[str, Any]]) -> dict[int, str]:
    votes: dict[int, str] = {}
    for row in rows:
        if row["agency"].pk in votes:
            raise serializers.ValidationError({"votes": _("One vote per agency.")})
        votes[row["agency"].pk] = row["vote"]
    return votes


class MeetingSeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    rule = serializers.CharField(source="rule_in_words")


@extend_schema_view(retrieve=extend_schema(summary="A meeting series one of whose meetings you may see"))
class MeetingSeriesViewSet(viewsets.GenericViewSet):
    serializer_class = MeetingSeriesSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[MeetingSeries]:
        return MeetingSeries.objects.none()  # objects are read through selectors.series_get only

    def retrieve(self, request: Request, pk: str) -> Response:
        series = selectors.series_get(user=acting_user(request), pk=pk_from_url(pk))
        return Response(MeetingSeriesSerializer(series).data)

    @extend_schema(
        responses={200: DecisionSerializer(many=True)},
        summary="The decision log: every motion of the series' meetings you may see",
    )
    @action(detail=True, methods=["get"], url_path="decisions")
    def decisions(self, request: Request, pk: str) -> Response:
        user = acting_user(request)
        series = selectors.series_get(user=user, pk=pk_from_url(pk))
        motions = selectors.decisions_of_series(user=user, series=series)
        return Response(DecisionSerializer(motions, many=True).data)


# --- action items ------------------------------------------------------------------------------------


class ActionItemSerializer(serializers.ModelSerializer):
    owner_agency = AgencyRefSerializer()
    owner_person = PersonRefSerializer(allow_null=True)
    meeting: serializers.PrimaryKeyRelatedField[Meeting] = serializers.PrimaryKeyRelatedField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        model = ActionItem
        fields = ["id", "title", "status", "due_on", "overdue", "owner_agency", "owner_person", "meeting", "closed_at"]
        read_only_fields = fields


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ActionItemFilter(PortalFilterSet):
    status = filters.ChoiceFilter(choices=ActionStatus.choices)
    agency = IdFilter(field_name="owner_agency_id", label="Owner agency id")
    meeting = IdFilter(field_name="meeting_id")
    due_from = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = filters.DateFilter(field_name="due_on", lookup_expr="lte")
    mine = filters.BooleanFilter(method="filter_mine", label="Only the items assigned to you")

    class Meta:
        model = ActionItem
        fields = ["status", "agency", "meeting", "due_from", "due_to", "mine"]

    def filter_mine(self, queryset: QuerySet[ActionItem], name: str, value: bool | None) -> QuerySet[ActionItem]:
        if not value:
            return queryset
        assert self.request is not None  # DjangoFilterBackend always hands the view's request to the filter set
        return queryset.filter(owner_person=acting_user(self.request))


@extend_schema_view(
    list=extend_schema(summary="Action items of the meetings you may see"),
    retrieve=extend_schema(summary="One action item"),
)
class ActionItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter

    def get_queryset(self) -> QuerySet[ActionItem]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return ActionItem.objects.none()
        return selectors.action_items_for(user=acting_user(self.request))

    def get_object(self) -> ActionItem:
        return selectors.action_item_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    @extend_schema(
        request=ActionStatusSerializer, responses={200: ActionItemSerializer}, summary="Mark open, done or dropped"
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        user = acting_user(request)
        if not may_update_action_item(user, item):
            raise PermissionDenied("Only the owner, their agency's administrators or the organizers can change this.")
        data = ActionStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.action_item_set_status(actor=user, item=item, status=data.validated_data["status"])
        return Response(ActionItemSerializer(selectors.action_item_get(user=user, pk=item.pk)).data)


# --- trainings ---------------------------------------------------------------------------------------


class TrainingSerializer(serializers.ModelSerializer):
    host_agency = AgencyRefSerializer()
    sectors = serializers.SerializerMethodField()
    seats_taken = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    cancelled = serializers.BooleanField(source="is_cancelled")
    my_registration = serializers.CharField(source="my_status", allow_null=True, default=None)
    video_url = AbsentAsNullURLField()

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "description",
            "sectors",
            "host_agency",
            "starts_at",
            "ends_at",
            "location",
            "video_url",
            "capacity",
            "seats_taken",
            "waitlisted",
            "is_public",
            "cancelled",
            "my_registration",
        ]
        read_only_fields = fields

    def get_sectors(self, training: Training) -> list[str]:
        return [audience.sector for audience in training.audiences.all()]


class RegistrationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RegistrationStatus.choices, allow_null=True)


class TrainingFilter(PortalFilterSet):
    date_from = filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="Starts on or after (local date)"
    )
    date_to = filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="Starts on or before (local date)"
    )
    agency = IdFilter(field_name="host_agency_id", label="Host agency id")
    sector = filters.ChoiceFilter(choices=TrainingSector.choices, method="filter_sector")

    class Meta:
        model = Training
        fields = ["date_from", "date_to", "agency", "sector", "is_public"]

    def filter_sector(self, queryset: QuerySet[Training], name: str, value: str) -> QuerySet[Training]:
        return queryset.filter(pk__in=Training.objects.filter(audiences__sector=value).values("pk"))


@extend_schema_view(
    list=extend_schema(summary="The training calendar of member agencies"),
    retrieve=extend_schema(summary="One training"),
)
class TrainingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    pagination_class = ByStartPagination

    def get_queryset(self) -> QuerySet[Training]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return Training.objects.none()
        return selectors.trainings_for(user=acting_user(self.request))

    def get_object(self) -> Training:
        return selectors.training_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    @extend_schema(request=None, responses={200: RegistrationSerializer}, summary="Register (or join the waiting list)")
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str) -> Response:
        registration = services.training_register(actor=acting_user(request), training=self.get_object())
        return Response({"status": registration.status})

    @extend_schema(request=None, responses={200: RegistrationSerializer}, summary="Cancel your registration")
    @action(detail=True, methods=["post"])
    def unregister(self, request: Request, pk: str) -> Response:
        registration = services.training_unregister(actor=acting_user(request), training=self.get_object())
        return Response({"status": registration.status if registration else None})


# --- training requests -------------------------------------------------------------------------------


class TrainingRequestSerializer(serializers.ModelSerializer):
    assigned_agency = AgencyRefSerializer(allow_null=True)
    training: serializers.PrimaryKeyRelatedField[Training] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = TrainingRequest
        fields = [
            "id",
            "organization",
            "contact_email",
            "topic",
            "preferred_dates",
            "status",
            "assigned_agency",
            "training",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields


class TrackSerializer(serializers.Serializer):
    """Route a request (coordinators: `agency`) and move it along (`status`: scheduled, done or declined)."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True), required=False)
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    training = serializers.PrimaryKeyRelatedField(queryset=Training.objects.all(), required=False, allow_null=True)

    def validate(self, data: dict) -> dict:
        if "agency" not in data and "status" not in data:
            raise serializers.ValidationError(_("Give an agency to route the request to, a status, or both."))
        return data


class TrainingRequestFilter(PortalFilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    agency = IdFilter(field_name="assigned_agency_id", label="Assigned agency id")
    received_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    received_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = TrainingRequest
        fields = ["status", "agency", "received_from", "received_to"]


@extend_schema_view(
    list=extend_schema(
        summary="Training requests: all for coordinators, those routed to your agency for its administrators"
    ),
    retrieve=extend_schema(summary="One training request"),
)
class TrainingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrainingRequestSerializer
    filterset_class = TrainingRequestFilter

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action == "list":
            return [*super().get_permissions(), action_permission(Action.OFFER_TRAININGS)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[TrainingRequest]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return TrainingRequest.objects.none()
        return selectors.training_requests_for(user=acting_user(self.request))

    def get_object(self) -> TrainingRequest:
        return selectors.training_request_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    @extend_schema(
        request=TrackSerializer,
        responses={200: TrainingRequestSerializer},
        summary="Route to a host agency (coordinators) and track the request to done",
    )
    @action(detail=True, methods=["post"])
    def track(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        user = acting_user(request)
        data = TrackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "agency" in values:
            item = services.training_request_assign(actor=user, request=item, agency=values["agency"])
        if "status" in values:
            item = services.training_request_set_status(
                actor=user, request=item, status=values["status"], training=values.get("training")
            )
        return Response(TrainingRequestSerializer(selectors.training_request_get(user=user, pk=item.pk)).data)


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("meeting-series", MeetingSeriesViewSet, basename="meeting-series")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("action-items", ActionItemViewSet, basename="action-item")
    router.register("trainings", TrainingViewSet, basename="training")
    router.register("training-requests", TrainingRequestViewSet, basename="training-request")
