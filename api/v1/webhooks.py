"""Webhook endpoints over the API: the same selectors, services and rules as the web pages.

For agency administrators, their own agency's endpoints only (another agency's answers 404, as a
missing one). The signing secret is in the answer to creating an endpoint and to `rotate-secret/`,
and never again. Delivery logs hold no payloads: those carry a referral's coded facts, which an
agency administrator does not read in the portal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agencies.roles import Action
from api.errors import pk_from_url
from api.pagination import PortalCursorPagination
from api.permissions import acting_user, action_permission
from api.v1.meetings import PersonRefSerializer
from webhooks import selectors, services
from webhooks.addresses import URL_MAX_LENGTH
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

urlpatterns: list[Any] = []

_EVENTS_HELP = (
    "Events to send: referral.received and referral.consent_withdrawn are about referrals sent to your "
    "agency; referral.accepted, referral.declined and referral.closed about referrals your agency sent."
)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), help_text=_EVENTS_HELP)
    secret_hint = serializers.CharField(
        source="masked_secret", help_text="The end of the signing secret, to tell secrets apart."
    )
    previous_secret_expires_at = serializers.DateTimeField(
        allow_null=True, help_text="After a rotation, the old secret also signs until then."
    )
    created_by = PersonRefSerializer()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "secret_hint",
            "secret_changed_at",
            "previous_secret_expires_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (Standard Webhooks, whsec_...). Shown in this answer only: keep it now."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointInSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=URL_MAX_LENGTH, help_text="An HTTPS address reachable from the internet (no private network)."
    )
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH, required=False, default="")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False, help_text=_EVENTS_HELP
    )


class WebhookEndpointChangeSerializer(serializers.Serializer):
    """Give what changes; the address never does (add another endpoint instead)."""

    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False, required=False
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(help_text="A referral event, or webhook.test for a test event.")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    next_attempt_at = serializers.SerializerMethodField(help_text="When it is tried again (failed deliveries).")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "message_id",
            "status",
            "attempts",
            "last_attempt_at",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_next_attempt_at(self, delivery: WebhookDelivery) -> str | None:
        if delivery.status != DeliveryStatus.FAILED or delivery.next_attempt_at is None:
            return None
        return serializers.DateTimeField().to_representation(delivery.next_attempt_at)


class DeliveryPagination(PortalCursorPagination):
    page_size = 25


@extend_schema_view(
    list=extend_schema(summary="Your agency's webhook endpoints (agency administrators)"),
    retrieve=extend_schema(summary="One webhook endpoint of your agency; another agency's, 404"),
    destroy=extend_schema(summary="Delete an endpoint and its delivery log"),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = WebhookEndpointSerializer
    pagination_class = None  # an agency has a few endpoints (WEBHOOK_MAX_ENDPOINTS_PER_AGENCY)
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_permissions(self) -> Sequence[Any]:
        return [*super().get_permissions(), action_permission(Action.MANAGE_WEBHOOKS)()]

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no one signed in
            return WebhookEndpoint.objects.none()
        return selectors.endpoints_for(user=acting_user(self.request))

    def get_object(self) -> WebhookEndpoint:
        return selectors.endpoint_get(user=acting_user(self.request), pk=pk_from_url(self.kwargs["pk"]))

    def _shown(self, endpoint: WebhookEndpoint, *, with_secret: bool = False, status: int = 200) -> Response:
        fresh = selectors.endpoint_get(user=acting_user(self.request), pk=endpoint.pk)
        serializer = WebhookEndpointWithSecretSerializer if with_secret else WebhookEndpointSerializer
        response = Response(serializer(fresh).data, status=status)
        if with_secret:
            response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request=WebhookEndpointInSerializer,
        responses={201: WebhookEndpointWithSecretSerializer},
        summary="Add an endpoint; the answer holds its signing secret, this once",
    )
    def create(self, request: Request) -> Response:
        data = WebhookEndpointInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.webhook_endpoint_create(actor=acting_user(request), **data.validated_data)
        return self._shown(endpoint, with_secret=True, status=201)

    @extend_schema(
        request=WebhookEndpointChangeSerializer,
        responses={200: WebhookEndpointSerializer},
        summary="Change an endpoint's events or description",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        data = WebhookEndpointChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.webhook_endpoint_update(actor=acting_user(request), endpoint=endpoint, **data.validated_data)
        return self._shown(endpoint)

    def destroy(self, request: Request, pk: str) -> Response:
        services.webhook_endpoint_delete(actor=acting_user(request), endpoint=self.get_object())
        return Response(status=204)

    @extend_schema(
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer},
        summary="Replace the signing secret; the answer holds the new one, this once (the old one signs a day more)",
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        endpoint = services.webhook_secret_rotate(actor=acting_user(request), endpoint=self.get_object())
        return self._shown(endpoint, with_secret=True)

    @extend_schema(
        request=None,
        responses={200: WebhookEndpointSerializer},
        summary="Turn an endpoint the portal turned off back on (already on: nothing changes)",
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str) -> Response:
        endpoint = services.webhook_endpoint_enable(actor=acting_user(request), endpoint=self.get_object())
        return self._shown(endpoint)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        summary="Send a signed test event (webhook.test); its result shows in the delivery log",
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        delivery = services.webhook_test_send(actor=acting_user(request), endpoint=self.get_object())
        delivery.refresh_from_db()  # sent on commit (in-process without a broker): its result, if any
        return Response(WebhookDeliverySerializer(delivery).data, status=202)

    @extend_schema(
        request=None,
        responses={200: WebhookDeliverySerializer(many=True)},
        summary="The endpoint's delivery log, newest first",
    )
    @action(detail=True, methods=["get"], pagination_class=DeliveryPagination)
    def deliveries(self, request: Request, pk: str) -> Response:
        rows = selectors.deliveries_of(endpoint=self.get_object())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


def register(router: SimpleRouter) -> None:
    """Adds this area's viewsets to the v1 router."""
    router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
