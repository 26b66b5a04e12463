from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from toolkit.parsing import whole_number

if TYPE_CHECKING:  # rest_framework.views reads the settings that name this class
    from rest_framework.views import APIView


class PortalCursorPagination(CursorPagination):
    """Cursor pagination: constant cost at any depth, no full-table COUNT."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering: str | list[str] | tuple[str, ...] = "-id"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # DRF silently ignores a bad page_size; a client deserves to hear about its mistake.
        size = whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("Give a whole number from 1 to %(most)d.") % {"most": self.max_page_size}]}
            )
        return size

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # DRF's examples have a stray quote ("...%3D\""), which is not a URI: linters and clients reading
        # `format: uri` refuse them. Links look like the portal's own.
        # And `nullable` is OpenAPI 3.0's word: the schema is 3.1 (SPECTACULAR_SETTINGS), where null is a type.
        answer = super().get_paginated_response_schema(schema)
        for name, cursor in (("next", "cD00ODY%3D"), ("previous", "cj0xJnA9NDg3")):
            link = answer["properties"][name]
            del link["nullable"]
            link["type"] = ["string", "null"]
            link["example"] = f"https://portal.example.org/api/v1/referrals/?cursor={cursor}"
        return answer

    def get_schema_operation_parameters(self, view: "APIView") -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
