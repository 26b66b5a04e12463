"""Full-text search of referral notes and meeting minutes, within what the person may see.

POST only: the words go in the body, never in the URL (see cases/search.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import acting_user
from cases.search import MAX_LENGTH, MIN_LENGTH, search_run, search_term_refusal

USE_POST = (
    'Search with POST and a JSON body {"q": "words"}. Words in a URL are written to access logs, '
    "so this endpoint does not read them."
)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=MIN_LENGTH, max_length=MAX_LENGTH, help_text="Words to find (2-200 characters)."
    )


class ReferralHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference_code = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class MinutesHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    meeting_title = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    referrals = ReferralHitSerializer(many=True)
    minutes = MinutesHitSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SearchView(APIView):
    @extend_schema(
        request=SearchQuerySerializer,
        responses=SearchResultSerializer,
        description=(
            'The words go in the JSON body ({"q": "..."}), never in the URL: URLs are written to access logs. '
            "Words that look like an identifier (a name, a phone number, an email address...) are refused with "
            "400 under `q`, and nothing is searched."
        ),
        summary="Search referral notes (referral officers) and circulated or approved minutes you may see",
    )
    def post(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        text = query.validated_data["q"]
        user = acting_user(request)
        refusal = search_term_refusal(actor=user, text=text, request=request._request)
        if refusal:
            raise serializers.ValidationError({"q": refusal})
        return Response(search_run(user=user, text=text, request=request._request))

    @extend_schema(
        request=None,
        responses={405: OpenApiResponse(DetailSerializer, description="Always: search with POST.")},
        summary="Not used: search with POST (words in a URL land in access logs)",
        deprecated=True,
    )
    def get(self, request: Request) -> Response:
        # Declared so that the refusal says what to do; the query string is never read.
        return Response({"detail": USE_POST}, status=status.HTTP_405_METHOD_NOT_ALLOWED)

    def finalize_response(self, request: Request, response: Response, *args: object, **kwargs: object) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # DRF lists every method the view defines; GET and HEAD are there only to refuse.
        response["Allow"] = "POST, OPTIONS"
        return response
