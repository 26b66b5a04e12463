"""The check before submit over the API (cases/text_check.py): the de-identification guard asked about text a
client has not sent yet. It answers kinds, labels and positions (UTF-16 code units) per field, never the text;
nothing is stored, audited or logged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import BaseThrottle

from agencies.roles import Action
from api.permissions import action_permission
from api.throttling import UserRateThrottle
from cases import text_check

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' protocol, no runtime name


class TextCheckRateThrottle(UserRateThrottle):
    """Per person, as the pages' check (cases/text_check.py RATE), on top of the API's own rate."""

    scope = "text_check"

    def get_rate(self) -> str:
        return text_check.RATE

    def get_cache_key(self, request: Request, view: object) -> str | None:
        """The pages' window (cases/text_check.py rate_key): one count per person, web and API together."""
        if not request.user or not request.user.is_authenticated:
            return None
        return text_check.rate_key(request.user.pk)


class TextCheckSerializer(serializers.Serializer):
    # The JSON key is "fields", the name of a Serializer attribute too: DRF moves declared fields aside, so
    # this works; the stubs only see the name.
    # Any JSON value here: text_check.text_fields checks names and values with messages that never repeat what
    # was sent (DRF's CharField reported a bad value under its key, so it echoed a key holding a name).
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(allow_null=True),
        allow_empty=False,
        help_text='The texts to check, by field name: {"note": "the text"}.',
    )

    def validate_fields(self, value: dict[str, str]) -> dict[str, str]:
        try:
            return text_check.text_fields({"fields": value})
        except text_check.TextCheckRefused as refused:
            raise serializers.ValidationError(str(refused)) from None


class TextFindingSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of identifier, a code (phone, email, person_name...).")
    label = serializers.CharField(help_text="The kind in plain words, in the request's language.")  # type: ignore[assignment]
    start = serializers.IntegerField(help_text="Where it starts, 0-based, in UTF-16 code units (as JavaScript).")
    end = serializers.IntegerField(help_text="Where it ends (exclusive), in UTF-16 code units.")
    message = serializers.CharField(help_text="One sentence for the person, in the request's language.")


class TextCheckResultSerializer(serializers.Serializer):
    fields = serializers.DictField(child=TextFindingSerializer(many=True))  # type: ignore[assignment]


class TextCheckViewSet(viewsets.ViewSet):
    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        return [*super().get_permissions(), action_permission(Action.VIEW_TASKFORCE_CONTENT)()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), TextCheckRateThrottle()]

    @extend_schema(
        request=TextCheckSerializer,
        responses={
            200: TextCheckResultSerializer,
            400: OpenApiResponse(description="The body is not fields of text"),
            429: OpenApiResponse(description="Too many checks"),
        },
        summary="Check free text with the de-identification guard before sending it",
        description=(
            "Runs the same guard as every write of free text, and answers per field what it finds: the kind, "
            "its label, and its position in UTF-16 code units (as JavaScript counts), never the text. Nothing "
            "is stored. An empty list: the guard accepts that field. The write itself is still checked."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TextCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"fields": text_check.text_check_report(fields=body.validated_data["fields"])})


def register(router: SimpleRouter) -> None:
    router.register("text-check", TextCheckViewSet, basename="text-check")
