"""Referrals over the API: the same services and selectors as the web, thin views."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.models import Agency
from agencies.roles import Action
from api.errors import pk_from_url
from api.filters import BoundedIsoDateTimeFilter, PortalFilterSet
from api.permissions import action_permission
from audit.models import AuditEvent
from audit.services import audit_record
from cases import choices, selectors, services
from cases.access_audit import referral_comments_record_view, referral_record_not_found
from cases.models import NOTE_MAX_LENGTH, Comment, Referral
from cases.transitions import IllegalMove, Move, Side


class ConsentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=choices.ConsentMethod.choices)
    given_on = serializers.DateField()
    scope = serializers.ChoiceField(choices=choices.ConsentScope.choices)
    expires_on = serializers.DateField()


class ConsentOutSerializer(ConsentSerializer):
    in_force = serializers.BooleanField(source="is_valid")
    revoked_at = serializers.DateTimeField(allow_null=True)


class ReferralSerializer(serializers.ModelSerializer):
    sending_agency = serializers.CharField(source="sending_agency.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    needs = serializers.SerializerMethodField()
    consent = ConsentOutSerializer(allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference_code",
            "status",
            "sending_agency",
            "receiving_agency",
            "urgency",
            "trafficking_type",
            "victim_status",
            "age_band",
            "gender",
            "citizenship",
            "county",
            "language",
            "interpreter_needed",
            "source_type",
            "needs",
            "note",
            "decline_reason",
            "outcome",
            "consent",
            "flagged_for_review_at",
            "created_at",
            "accepted_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_needs(self, referral: Referral) -> list[str]:
        return [need.need for need in referral.needs.all()]


class ReferralCreateSerializer(serializers.Serializer):
    """Input only: the client never sets the sender, the status, the code or anything of consent's state."""

    receiving_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=choices.Urgency.choices, default=choices.Urgency.ROUTINE)
    trafficking_type = serializers.ChoiceField(choices=choices.TraffickingType.choices)
    victim_status = serializers.ChoiceField(choices=choices.VictimStatus.choices)
    age_band = serializers.ChoiceField(choices=choices.AgeBand.choices)
    gender = serializers.ChoiceField(choices=choices.Gender.choices)
    citizenship = serializers.ChoiceField(choices=choices.Citizenship.choices)
    county = serializers.CharField(max_length=60)
    language = serializers.ChoiceField(choices=choices.Language.choices)
    interpreter_needed = serializers.BooleanField(default=False)
    source_type = serializers.ChoiceField(choices=choices.SourceType.choices)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=choices.Need.choices), min_length=1)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, default="")
    consent = ConsentSerializer(required=False, allow_null=True)


class TransitionSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=[(m.value, m.value) for m in Move])
    reason = serializers.CharField(max_length=30, allow_blank=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, default="")


class CommentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)
    author = serializers.CharField(source="author.email", read_only=True)
    body = serializers.CharField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        model = Comment
        fields = ["id", "agency", "author", "body", "created_at"]
        read_only_fields = ["id", "agency", "author", "created_at"]


class IllegalMoveSerializer(serializers.Serializer):
    detail = serializers.CharField()
    allowed_moves = serializers.ListField(child=serializers.CharField())


class ReferralFilter(PortalFilterSet):
    direction = filters.ChoiceFilter(
        choices=[("incoming", "incoming"), ("outgoing", "outgoing")], method="filter_direction"
    )
    created_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    # The view reads "direction" itself (see _direction) to pick an index-friendly query.
    validated_by_view = ("direction",)

    class Meta:
        model = Referral
        fields = ["status", "urgency", "trafficking_type"]

    def filter_direction(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        # The view already narrowed the queryset through the selector (an index-friendly query);
        # the filter is declared so that the parameter is validated and documented.
        return queryset


DIRECTIONS = ("", "incoming", "outgoing")


def _direction(request: Request) -> str:
    direction = request.query_params.get("direction", "")
    if direction not in DIRECTIONS:
        raise serializers.ValidationError({"direction": ["Give incoming or outgoing, or leave this parameter out."]})
    return direction


def _list_row(row: dict, today: date) -> dict:
    consent = None
    if row["consent_id"] is not None:
        consent = {
            "method": row["consent_method"],
            "given_on": row["consent_given_on"],
            "scope": row["consent_scope"],
            "expires_on": row["consent_expires_on"],
            "revoked_at": row["consent_revoked_at"],
            "in_force": row["consent_revoked_at"] is None and row["consent_expires_on"] >= today,
        }
    fields = {name: row[name] for name in selectors.LIST_FIELDS if name != "consent_id"}
    return {
        **fields,
        "sending_agency": row["sending_agency_name"],
        "receiving_agency": row["receiving_agency_name"],
        "needs": row["needs"],
        "consent": consent,
    }


def _fresh(request: Request, referral: Referral) -> Referral:
    """The referral read again after a change, with what its representation shows."""
    return selectors.referral_get(user=request.user, pk=referral.pk, with_history=False)


def _validation(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


@extend_schema_view(
    list=extend_schema(summary="Referrals sent by or to your agency (referral officers only)"),
    retrieve=extend_schema(summary="One referral; another agency's, or one whose consent ended, answers 404"),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def get_permissions(self) -> list[object]:
        # Listing and sending need the referral role (403 otherwise); a single referral answers 404
        # to everyone who cannot see it, the role included, because its existence is information.
        if self.action in ("list", "create"):
            return [*super().get_permissions(), action_permission(Action.HANDLE_REFERRALS)()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referrals_for(user=self.request.user, direction=_direction(self.request))

    def _pk(self) -> int:
        try:
            return pk_from_url(self.kwargs["pk"])
        except NotFound:
            self._record_not_found(None)
            raise

    def _record_not_found(self, pk: int | None) -> None:
        # 404 for missing and forbidden alike; the trail still shows who tried which ids.
        referral_record_not_found(pk=pk, actor=self.request.user, request=self.request._request)

    def get_object(self) -> Referral:
        pk = self._pk()
        try:
            return selectors.referral_get(user=self.request.user, pk=pk)
        except Http404:
            self._record_not_found(pk)
            raise

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        # The hot list: plain values (with the needs: in the same query on PostgreSQL), no model instances
        # or serializer fields; the rows have the shape of ReferralSerializer (the schema says so).
        direction = _direction(request)
        rows = self.paginate_queryset(
            self.filter_queryset(selectors.referral_rows(user=request.user, direction=direction))
        )
        audit_record(
            actor=request.user,
            event=AuditEvent.REFERRAL_LISTED,
            request=request._request,
            detail={"direction": direction or "all", "via": "api"},
        )
        today = timezone.localdate()
        return self.get_paginated_response([_list_row(row, today) for row in selectors.with_needs(rows)])

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        # The list's plain-values row (the same representation), read in one query with its needs.
        pk = self._pk()
        try:
            row = selectors.referral_row_get(user=request.user, pk=pk)
        except Http404:
            self._record_not_found(pk)
            raise
        viewed = Referral(pk=row["id"], reference_code=row["reference_code"])  # what the audit row names
        services.referral_record_view(referral=viewed, actor=request.user, request=request._request)
        return Response(_list_row(row, timezone.localdate()))

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer}, summary="Send a referral")
    def create(self, request: Request) -> Response:
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        consent = fields.pop("consent", None)
        try:
            referral = services.referral_send(
                actor=request.user,
                receiving_agency=fields.pop("receiving_agency"),
                needs=fields.pop("needs"),
                facts=fields,
                consent=services.ConsentInput(**consent) if consent else None,
            )
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(ReferralSerializer(_fresh(request, referral)).data, status=201)

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
        try:
            referral = services.referral_transition(referral=referral, actor=request.user, **move.validated_data)
        except IllegalMove as error:
            body = {"detail": str(error), "allowed_moves": [str(m) for m in error.allowed]}
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(ReferralSerializer(_fresh(request, referral)).data)

    @extend_schema(methods=["get"], responses=CommentSerializer(many=True), summary="Comments between the agencies")
    @extend_schema(
        methods=["post"], request=CommentSerializer, responses={201: CommentSerializer}, summary="Add a comment"
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def comments(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        if request.method == "GET":
            referral_comments_record_view(referral=referral, actor=request.user, request=request._request)
            return Response(CommentSerializer(referral.comments.all(), many=True).data)
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comment = services.referral_comment(referral=referral, actor=request.user, body=body.validated_data["body"])
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(CommentSerializer(comment).data, status=201)

    @extend_schema(
        request=None, responses={200: ReferralSerializer}, summary="Record the survivor's withdrawal of consent"
    )
    @action(detail=True, methods=["post"], url_path="revoke-consent")
    def revoke_consent(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        if Side.SENDER not in services.sides_of(referral=referral, user=request.user):
            raise NotFound
        try:
            services.consent_revoke(referral=referral, actor=request.user)
        except DjangoValidationError as error:
            raise _validation(error) from None
        return Response(ReferralSerializer(_fresh(request, referral)).data)

    @extend_schema(request=None, responses={200: ReferralSerializer}, summary="Flag for the next case-review meeting")
    @action(detail=True, methods=["post"])
    def flag(self, request: Request, pk: str) -> Response:
        referral = services.referral_flag_for_review(referral=self.get_object(), actor=request.user)
        return Response(ReferralSerializer(referral).data)
