"""Full-text search of referral notes and meeting minutes, within what the person may see."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.services import audit_record
from cases.selectors import referrals_matching
from meetings.selectors import minutes_matching

LIMIT = 20


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=200)


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


class SearchView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="Words to find (2-200 characters).")],
        responses=SearchResultSerializer,
        summary="Search referral notes (referral officers) and circulated or approved minutes you may see",
    )
    def get(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = query.validated_data["q"]
        referrals = referrals_matching(user=request.user, text=text, limit=LIMIT)
        minutes = [
            {
                "id": row["id"],
                "meeting": row["meeting_id"],
                "meeting_title": row["meeting__title"],
                "version": row["version"],
                "status": row["status"],
            }
            for row in minutes_matching(user=request.user, text=text).values(
                "id", "meeting_id", "meeting__title", "version", "status"
            )[:LIMIT]
        ]
        if referrals:
            # The words searched for are not kept: they may be what the guard would refuse.
            audit_record(
                actor=request.user,
                event=AuditEvent.REFERRAL_LISTED,
                request=request._request,
                detail={"via": "search", "results": len(referrals)},
            )
        return Response({"referrals": referrals, "minutes": minutes})
