"""Referrals over the API: the same services and selectors as the web, thin views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.validators import RegexValidator
from django.db.models import Field, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies.models import Agency
from agencies.roles import Action
from api.errors import pk_from_url
from api.filters import BoundedIsoDateTimeFilter, PortalFilterSet, StrictBooleanFilter
from api.pagination import PortalCursorPagination
from api.permissions import acting_user, action_permission
from api.v1 import text_check
from cases import choices, selectors, services
from cases.access_audit import (
    referral_comments_record_view,
    referral_list_record_view,
    referral_record_not_found,
    referral_row_record_view,
)
from cases.models import CODED_FIELDS, NOTE_MAX_LENGTH, Comment, Referral, ServiceDelivery
from cases.person_codes import EXAMPLE as PERSON_CODE_EXAMPLE
from cases.transitions import Move, Side
from toolkit.parsing import whole_number

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name


class ConsentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=choices.ConsentMethod.choices)
    given_on = serializers.DateField()
    scope = serializers.ChoiceField(choices=choices.ConsentScope.choices)
    expires_on = serializers.DateField()


class ConsentOutSerializer(ConsentSerializer):
    in_force = serializers.BooleanField(source="is_valid")
    revoked_at = serializers.DateTimeField(allow_null=True)


def _consent(row: Mapping[str, Any], today: date) -> dict[str, Any] | None:
    if row["consent_id"] is None:
        return None
    revoked_at = row["consent_revoked_at"]
    return {
        "method": row["consent_method"],
        "given_on": row["consent_given_on"],
        "scope": row["consent_scope"],
        "expires_on": row["consent_expires_on"],
        # As Consent.is_valid, read from the row.
        "in_force": revoked_at is None and row["consent_expires_on"] >= today,
        "revoked_at": revoked_at,
    }


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


def _contact(row: Mapping[str, Any], side: str) -> dict[str, str] | None:
    """A hand-off contact (staff of the agency, never a survivor) from the row's "<side>_contact_*" columns."""
    email = row[f"{side}_contact_email"]
    if email is None:
        return None
    name = f"{row[f'{side}_contact_first_name']} {row[f'{side}_contact_last_name']}".strip()
    return {"name": name or email, "email": email}


def referral_representation(row: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The referral as every endpoint answers it, from one `cases.selectors.referral_rows` row (with its
    "needs"): the list, the detail and the answer to each change. The one place that decides each
    field's value; ReferralSerializer declares the same fields for the schema.

    Datetimes stay datetimes: rows are read in UTC (Django's contract with USE_TZ and no database
    TIME_ZONE) and the renderer writes a UTC datetime as "...Z" (api.renderers), at orjson's speed.
    """
    return {
        "id": row["id"],
        "reference_code": row["reference_code"],
        "person_code": row["person_code_value"],
        "status": row["status"],
        "sending_agency": row["sending_agency_name"],
        "receiving_agency": row["receiving_agency_name"],
        **{name: row[name] for name in CODED_FIELDS},
        "needs": row["needs"],
        "note": row["note"],
        # Stored as "" until given, which is none of the enum's values: absent is null in the API.
        "decline_reason": row["decline_reason"] or None,
        "outcome": row["outcome"] or None,
        "consent": _consent(row, today),
        "flagged_for_review_at": row["flagged_for_review_at"],
        "created_at": row["created_at"],
        "accepted_at": row["accepted_at"],
        "closed_at": row["closed_at"],
        "awaiting_since": row["awaiting_since"],
        "escalated_to_admins_at": row["escalated_to_admins_at"],
        "escalated_to_cochairs_at": row["escalated_to_cochairs_at"],
        "sender_contact": _contact(row, "sender"),
        "receiver_contact": _contact(row, "receiver"),
    }


# A referral row (`cases.selectors.referral_rows`), shown by `referral_representation`. The declared fields
# describe it in the OpenAPI schema (no docstring: it would become the schema's description); the list's
# fast path and every other answer use the same function (tests/api/test_referral_representation.py).
class ReferralSerializer(serializers.ModelSerializer):
    sending_agency = serializers.CharField(source="sending_agency.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    person_code = serializers.CharField(
        source="person_code.code",
        allow_null=True,
        help_text="The person's non-identifying code (null on referrals sent before person codes existed).",
    )
    needs = serializers.ListField(child=serializers.CharField(), read_only=True)
    consent = ConsentOutSerializer(allow_null=True)
    decline_reason = serializers.ChoiceField(choices=choices.DeclineReason.choices, allow_null=True, read_only=True)
    outcome = serializers.ChoiceField(choices=choices.Outcome.choices, allow_null=True, read_only=True)
    awaiting_since = serializers.DateTimeField(
        help_text='When it last became "sent": the escalation clock starts here.', read_only=True
    )
    escalated_to_admins_at = serializers.DateTimeField(
        allow_null=True,
        read_only=True,
        help_text="When the receiving agency's administrators were told it had no answer.",
    )
    escalated_to_cochairs_at = serializers.DateTimeField(
        allow_null=True, read_only=True, help_text="When the co-chairs were told it still had no answer."
    )
    sender_contact = ContactSerializer(help_text="Who sent it, for the hand-off.", read_only=True)
    receiver_contact = ContactSerializer(
        allow_null=True, read_only=True, help_text="Who handles it at the receiving agency (named on accept)."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference_code",
            "person_code",
            "status",
            "sending_agency",
            "receiving_agency",
            *CODED_FIELDS,
            "needs",
            "note",
            "decline_reason",
            "outcome",
            "consent",
            "flagged_for_review_at",
            "created_at",
            "accepted_at",
            "closed_at",
            "awaiting_since",
            "escalated_to_admins_at",
            "escalated_to_cochairs_at",
            "sender_contact",
            "receiver_contact",
        ]
        read_only_fields = fields

    def to_representation(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return referral_representation(row, today=self._today)

    @cached_property
    def _today(self) -> date:
        # Once per answer: a list serializer shares one child across its rows.
        return timezone.localdate()


class ReferralCreateSerializer(serializers.ModelSerializer):
    """Input only: the client never sets the sender, the status, the code or anything of consent's state."""

    receiving_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    needs = serializers.ListField(child=serializers.ChoiceField(choices=choices.Need.choices), min_length=1)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, default="")
    consent = ConsentSerializer(required=False, allow_null=True)
    person_code = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        max_length=40,
        help_text="Leave out (or null) for a person new to the task force: the portal issues a code, in the answer's "
        "person_code; keep it offline with the identity. Otherwise the person's code (e.g. "
        f"{PERSON_CODE_EXAMPLE}), accepted only if it is on a referral your agency can see.",
    )

    class Meta:
        model = Referral
        # The coded facts are built from the model's fields (choices, lengths, defaults), never re-listed.
        fields = ["receiving_agency", *CODED_FIELDS, "needs", "note", "consent", "person_code"]
        # The model's own validators (the county's pattern) run in referral_send, over the whole referral,
        # so that one answer names every refused field, the guarded note's included.
        extra_kwargs: dict[str, dict[str, Any]] = {name: {"validators": []} for name in CODED_FIELDS}

    def build_standard_field(self, field_name: str, model_field: Field) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if model_field.has_default():  # filled in here and documented in the schema (urgency, interpreter)
            kwargs.pop("required", None)
            kwargs["default"] = model_field.get_default()
        return field_class, kwargs


class TransitionSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=[(m.value, m.value) for m in Move])
    reason = serializers.CharField(max_length=30, allow_blank=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, default="")
    contact = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**63 - 1,
        help_text="On accept only: the id of the person of your agency who handles the referral (a referral "
        "officer); by default, you.",
    )


class ContactSetSerializer(serializers.Serializer):
    contact = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="The id of the person of your agency who handles the referral from now on (a referral officer).",
    )


class CommentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)
    author = serializers.CharField(source="author.email", read_only=True)
    body = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    created_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)  # UTC "Z", as the referral's

    class Meta:
        model = Comment
        fields = ["id", "agency", "author", "body", "created_at"]
        read_only_fields = ["id", "agency", "author", "created_at"]


class ServiceDeliverySerializer(serializers.ModelSerializer):
    recorded_at = serializers.DateTimeField(read_only=True, default_timezone=UTC)  # UTC "Z", as the referral's

    class Meta:
        model = ServiceDelivery
        fields = ["id", "service", "month", "recorded_at"]
        read_only_fields = fields


class ServiceDeliveryCreateSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=choices.Need.choices)
    month = serializers.DateField(help_text="Any day of the month the service was provided in; kept as its first day.")


class IllegalMoveSerializer(serializers.Serializer):
    detail = serializers.CharField()
    allowed_moves = serializers.ListField(child=serializers.CharField())


ORDER_URGENCY, ORDER_NEWEST = "urgency", "newest"
REFERENCE_PATTERN = "^[A-Za-z0-9-]{1,20}$"  # as cases.selectors.REFERENCE_PREFIX


class ReferralListPagination(PortalCursorPagination):
    """The list's pages. By default the web list's order (cases.selectors.URGENCY_THEN_AGE): emergency,
    urgent, routine, each oldest first, with a keyset cursor on (urgency rank, created_at, id), a unique
    place, so that every page costs the same at any depth (DRF's cursor keys on one column, and the
    rank's three values would make it count offsets). `ordering=newest` is the former order (-id)."""

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list | None:
        self.by_urgency = request.query_params.get("ordering", ORDER_URGENCY) != ORDER_NEWEST
        if not self.by_urgency:
            return super().paginate_queryset(queryset, request, view)
        self.request, self.base_url = request, request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.cursor = self.decode_cursor(request)
        back = bool(self.cursor and self.cursor.reverse)
        # The text of a place ("rank~created_at~id"); the stubs type a cursor's position as an int.
        position = self.cursor.position if self.cursor else None
        self.place: str | None = None if position is None else str(position)
        rows = queryset.alias(urgency_rank=selectors.URGENCY_RANK)
        if self.place is not None:
            rows = _beyond(rows, self.place, back=back)
        order = ("-urgency_rank", "-created_at", "-id") if back else ("urgency_rank", "created_at", "id")
        found = list(rows.order_by(*order)[: self.page_size + 1])
        more, self.page = len(found) > self.page_size, found[: self.page_size]
        if back:
            self.page.reverse()
        self.has_next, self.has_previous = (self.place is not None, more) if back else (more, self.place is not None)
        return self.page

    def get_next_link(self) -> str | None:
        if not self.by_urgency:
            return super().get_next_link()
        place = _place(self.page[-1]) if self.page else self.place
        return self.encode_cursor(_cursor(place, back=False)) if self.has_next else None

    def get_previous_link(self) -> str | None:
        if not self.by_urgency:
            return super().get_previous_link()
        place = _place(self.page[0]) if self.page else self.place
        return self.encode_cursor(_cursor(place, back=True)) if self.has_previous else None


def _cursor(place: str | None, *, back: bool) -> Cursor:
    return Cursor(offset=0, reverse=back, position=place)  # type: ignore[arg-type]  # a text, not the stubs' int


def _place(row: Mapping[str, Any]) -> str:
    """A row's place in the urgency order, as the cursor carries it: "rank~created_at~id"."""
    return f"{selectors.urgency_rank(row['urgency'])}~{row['created_at'].isoformat()}~{row['id']}"


def _beyond(rows: QuerySet, place: str, *, back: bool) -> QuerySet:
    """The rows after `place` in the urgency order (before it, `back`): one row comparison (cases.selectors)."""
    refused = NotFound(ReferralListPagination.invalid_cursor_message)
    try:
        rank_text, created_text, id_text = place.split("~")
        created_at = datetime.fromisoformat(created_text)
    except ValueError:
        raise refused from None
    rank, pk = whole_number(rank_text), whole_number(id_text)  # None beyond a primary key's range, too
    if rank is None or pk is None or created_at.tzinfo is None:
        raise refused
    return selectors.referrals_past(rows, rank=rank, created_at=created_at, pk=pk, back=back)


class ReferralFilter(PortalFilterSet):
    """The web list's filters (cases.forms.ReferralListFilterForm), through the same selectors. Unlike the web
    list, the API lists every status unless asked (`open=true`, or `status`): its clients read everything."""

    direction = filters.ChoiceFilter(
        choices=[("incoming", "incoming"), ("outgoing", "outgoing")], method="filter_direction"
    )
    status = filters.MultipleChoiceFilter(
        choices=choices.Status.choices,
        method="filter_status",
        help_text="Repeat it for several statuses (status=sent&status=accepted).",
    )
    open = StrictBooleanFilter(
        method="filter_open",
        help_text="true: only open referrals (sent, accepted or in progress); false: only the others.",
    )
    urgency = filters.ChoiceFilter(choices=choices.Urgency.choices)
    age_band = filters.ChoiceFilter(choices=choices.AgeBand.choices, help_text="The person's age band.")
    need = filters.ChoiceFilter(choices=choices.Need.choices, method="filter_need", help_text="Has this need.")
    created_after = BoundedIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Sent at or after (a date means its local midnight)."
    )
    created_before = BoundedIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text="Sent before (a date means its local midnight)."
    )
    reference = filters.CharFilter(
        method="filter_reference",
        max_length=20,
        validators=[RegexValidator(selectors.REFERENCE_PREFIX, gettext_lazy("Give letters, digits and hyphens only."))],
        help_text="A reference code, or its beginning (JC-2026), in any case.",
    )
    escalated = filters.ChoiceFilter(
        choices=[("yes", "yes")],
        method="filter_escalated",
        help_text="yes: only referrals escalated to the receiving agency's administrators.",
    )
    ordering = filters.ChoiceFilter(
        choices=[(ORDER_URGENCY, ORDER_URGENCY), (ORDER_NEWEST, ORDER_NEWEST)],
        method="filter_ordering",
        help_text=f"{ORDER_URGENCY} (default): emergency, urgent, then routine, each oldest first. "
        f"{ORDER_NEWEST}: the newest first.",
    )

    # The view reads "direction" itself (see _direction) to pick an index-friendly query.
    validated_by_view = ("direction",)

    class Meta:
        model = Referral
        fields = ["trafficking_type"]

    def filter_direction(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        # The view already narrowed the queryset through the selector (an index-friendly query);
        # the filter is declared so that the parameter is validated and documented.
        return queryset

    def filter_status(self, queryset: QuerySet[Referral], name: str, value: list[str]) -> QuerySet[Referral]:
        return queryset.filter(status__in=value)

    def filter_open(self, queryset: QuerySet[Referral], name: str, value: bool) -> QuerySet[Referral]:
        opened = Q(status__in=selectors.OPEN_STATUSES)
        return queryset.filter(opened if value else ~opened)

    def filter_need(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        return selectors.referrals_needing(queryset, value)

    def filter_reference(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        return selectors.referrals_with_reference(queryset, value)

    def filter_escalated(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        return selectors.referrals_escalated(queryset)

    def filter_ordering(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        # Declared to be validated and documented; the list's pagination orders (ReferralListPagination).
        return queryset


DIRECTIONS = ("", "incoming", "outgoing")


def _direction(request: Request) -> str:
    direction = request.query_params.get("direction", "")
    if direction not in DIRECTIONS:
        raise serializers.ValidationError({"direction": [_("Give incoming or outgoing, or leave this parameter out.")]})
    return direction


@extend_schema_view(
    list=extend_schema(
        summary="Referrals sent by or to your agency (referral officers only); the most urgent first, then the oldest",
        parameters=[
            OpenApiParameter(
                "reference",
                str,
                pattern=REFERENCE_PATTERN,
                description=ReferralFilter.base_filters["reference"].extra["help_text"],
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=[ORDER_URGENCY, ORDER_NEWEST],
                default=ORDER_URGENCY,
                description=ReferralFilter.base_filters["ordering"].extra["help_text"],
            ),
        ],
    ),
    retrieve=extend_schema(summary="One referral; another agency's, or one whose consent ended, answers 404"),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    pagination_class = ReferralListPagination

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        # Listing and sending need the referral role (403 otherwise); a single referral answers 404
        # to everyone who cannot see it, the role included, because its existence is information.
        if self.action in ("list", "create"):
            return [*super().get_permissions(), action_permission(Action.HANDLE_REFERRALS)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return Referral.objects.none()
        return selectors.referrals_for(user=acting_user(self.request), direction=_direction(self.request))

    def _pk(self) -> int:
        try:
            return pk_from_url(self.kwargs["pk"])
        except NotFound:
            self._record_not_found(None)
            raise

    def _record_not_found(self, pk: int | None) -> None:
        # 404 for missing and forbidden alike; the trail still shows who tried which ids.
        referral_record_not_found(pk=pk, actor=acting_user(self.request), request=self.request._request)

    def get_object(self) -> Referral:
        pk = self._pk()
        try:
            return selectors.referral_get(user=acting_user(self.request), pk=pk)
        except Http404:
            self._record_not_found(pk)
            raise

    def _shown(self, pk: int) -> dict[str, Any]:
        """The referral as the detail shows it, read again after a change: every answer is the same row
        shown by the same function."""
        return self.get_serializer(selectors.referral_row_get(user=acting_user(self.request), pk=pk)).data

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        # The hot list: plain values (with the needs: in the same query on PostgreSQL), no model instances
        # or serializer fields, each row shown by referral_representation.
        direction = _direction(request)
        user = acting_user(request)
        rows = self.paginate_queryset(self.filter_queryset(selectors.referral_rows(user=user, direction=direction)))
        # Never None: the list always paginates (DEFAULT_PAGINATION_CLASS, whose page size is at least 1).
        assert rows is not None
        referral_list_record_view(actor=user, direction=direction, via="api", request=request._request)
        # The function ReferralSerializer calls, without building a serializer: list and detail are hot paths.
        today = timezone.localdate()
        return self.get_paginated_response(
            [referral_representation(row, today=today) for row in selectors.with_needs(rows)]
        )

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        # The list's plain-values row (the same representation), read in one query with its needs.
        pk = self._pk()
        user = acting_user(request)
        try:
            row = selectors.referral_row_get(user=user, pk=pk)
        except Http404:
            self._record_not_found(pk)
            raise
        referral_row_record_view(
            referral_id=row["id"], reference_code=row["reference_code"], actor=user, request=request._request
        )
        return Response(referral_representation(row, today=timezone.localdate()))

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer}, summary="Send a referral")
    def create(self, request: Request) -> Response:
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        consent = fields.pop("consent", None)
        person_code = fields.pop("person_code", None)
        referral = services.referral_send(
            actor=acting_user(request),
            receiving_agency=fields.pop("receiving_agency"),
            needs=fields.pop("needs"),
            facts=fields,
            consent=services.ConsentInput(**consent) if consent else None,
            person_code=person_code,
        )
        return Response(self._shown(referral.pk), status=201)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ReferralSerializer, 409: OpenApiResponse(IllegalMoveSerializer, "The move is not allowed now")},
        summary="Move the referral along the closed loop (accept, decline, start, close, withdraw, reopen)",
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        move = TransitionSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        # An illegal move (IllegalMove) is answered 409 with the allowed moves by api.errors.
        services.referral_transition(referral=referral, actor=acting_user(request), **move.validated_data)
        return Response(self._shown(referral.pk))

    @extend_schema(methods=["get"], responses=CommentSerializer(many=True), summary="Comments between the agencies")
    @extend_schema(
        methods=["post"], request=CommentSerializer, responses={201: CommentSerializer}, summary="Add a comment"
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def comments(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        user = acting_user(request)
        if request.method == "GET":
            referral_comments_record_view(referral=referral, actor=user, request=request._request)
            return Response(CommentSerializer(referral.comments.all(), many=True).data)
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = services.referral_comment(referral=referral, actor=user, body=body.validated_data["body"])
        return Response(CommentSerializer(comment).data, status=201)

    @extend_schema(
        methods=["get"], responses=ServiceDeliverySerializer(many=True), summary="Services provided, by month"
    )
    @extend_schema(
        methods=["post"],
        request=ServiceDeliveryCreateSerializer,
        responses={201: ServiceDeliverySerializer},
        summary="Record a service provided (the receiving agency, once it accepted the referral)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def services(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        user = acting_user(request)
        if request.method == "GET":
            services.referral_record_view(referral=referral, actor=user, request=request._request)
            return Response(ServiceDeliverySerializer(referral.services.all(), many=True).data)
        body = ServiceDeliveryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # 403 for the sending agency (it sees the referral, so its existence is no secret to it).
        recorded = services.service_delivery_record(
            referral=referral,
            actor=user,
            services=[body.validated_data["service"]],
            month=body.validated_data["month"],
        )
        return Response(ServiceDeliverySerializer(recorded[0]).data, status=201)

    @extend_schema(
        request=None, responses={200: ReferralSerializer}, summary="Record the survivor's withdrawal of consent"
    )
    @action(detail=True, methods=["post"], url_path="revoke-consent")
    def revoke_consent(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        user = acting_user(request)
        if Side.SENDER not in services.sides_of(referral=referral, user=user):
            raise NotFound
        services.consent_revoke(referral=referral, actor=user)
        return Response(self._shown(referral.pk))

    @extend_schema(
        request=ContactSetSerializer,
        responses={200: ReferralSerializer},
        summary="Name who handles the referral at the receiving agency (while accepted or in progress)",
    )
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        body = ContactSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # 403 for the sending agency (it sees the referral, so its existence is no secret to it).
        services.referral_contact_set(
            referral=referral, actor=acting_user(request), contact=body.validated_data["contact"]
        )
        return Response(self._shown(referral.pk))

    @extend_schema(request=None, responses={200: ReferralSerializer}, summary="Flag for the next case-review meeting")
    @action(detail=True, methods=["post"])
    def flag(self, request: Request, pk: str) -> Response:
        referral = services.referral_flag_for_review(referral=self.get_object(), actor=acting_user(request))
        return Response(self._shown(referral.pk))


def register(router: SimpleRouter) -> None:
    """Endpoints of this area are registered here."""
    router.register("referrals", ReferralViewSet, basename="referral")
    text_check.register(router)  # the guard asked before sending a referral's (or any) free text
