"""Every API error is JSON, including Django's own 404 and 500 under /api/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from taskforce.parsing import whole_number


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # Service-level validation errors become 400s with the same shape as serializer errors.
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, (Http404, exceptions.NotFound)):
        response.data = {"detail": "Not found."}
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Something went wrong on our side. It has been logged."}, status=500)


def api_permission_denied(request: HttpRequest, exception: PermissionDenied | None = None) -> JsonResponse:
    return JsonResponse({"detail": "You do not have permission to do this."}, status=403)


def pk_from_url(value: object) -> int:
    """The primary key in an API URL; 404 for anything but ASCII digits (the router's pattern takes any
    segment, and "²" passed `str.isdigit()` only for `int()` to refuse it)."""
    pk = whole_number(value)
    if pk is None:
        raise exceptions.NotFound
    return pk
