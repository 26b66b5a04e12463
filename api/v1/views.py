from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from agencies.selectors import agencies_for
from api.filters import PortalFilterSet
from api.v1.serializers import AgencySerializer, MeSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in person, their agency and what they may do")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=MeSerializer,
        responses=MeSerializer,
        summary="Change the signed-in person's language (pages and emails), as the portal's switcher does",
    )
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


class AgencyFilter(PortalFilterSet):
    class Meta:
        model = Agency
        fields = ["sector", "county", "is_cochair", "is_confidential_provider", "is_active"]


@extend_schema_view(
    list=extend_schema(summary="The member agencies of the task force"),
    retrieve=extend_schema(summary="One member agency"),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The directory of member agencies, read-only for members."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self) -> QuerySet[Agency]:
        return agencies_for(user=self.request.user)
