"""Every API error is JSON, including Django's own 404 and 500 under /api/, in one shape: the schema's
"Error" (api/schema.py), `{"detail": "..."}` for a general refusal and one list of messages per field
for validation errors. The services' refusals are mapped here, once, so views call services without
try/except."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cases.deidentification import DeidentificationError
from cases.transitions import IllegalMove
from reports.engine import FiguresChanged
from reports.releases import ReleaseCorrupted
from toolkit.parsing import whole_number


class MoveNotAllowed(exceptions.APIException):
    """409 with the moves allowed now (the schema's "IllegalMove"), so that a client can offer them."""

    status_code = 409
    default_code = "move_not_allowed"

    def __init__(self, error: IllegalMove) -> None:
        super().__init__({"detail": str(error), "allowed_moves": [str(move) for move in error.allowed]})


class FiguresMoved(exceptions.APIException):
    status_code = 503
    default_detail = gettext_lazy("The figures changed while they were being computed. Try again.")
    default_code = "figures_changed"


class SnapshotBroken(exceptions.APIException):
    status_code = 409
    default_detail = gettext_lazy(
        "This approved report failed its integrity check and is not handed out. Tell a coordinator."
    )
    default_code = "snapshot_integrity"


def _validation_detail(error: DjangoValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    # A refusal without a field is a general one: `detail` is a string there, as the schema says.
    return {"detail": " ".join(error.messages)}


# Domain refusals and the API exception each becomes (the first that matches wins).
_DOMAIN_ERRORS: tuple[tuple[type[Exception], Callable[[Any], exceptions.APIException]], ...] = (
    (DjangoValidationError, lambda error: exceptions.ValidationError(_validation_detail(error))),
    (IllegalMove, MoveNotAllowed),
    # Its text names kinds and positions of what was found, never the values.
    (DeidentificationError, lambda error: exceptions.ValidationError({"detail": str(error)})),
    (FiguresChanged, lambda error: FiguresMoved()),
    (ReleaseCorrupted, lambda error: SnapshotBroken()),
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON 400 like every refusal, not Django's HTML page.
    (RequestDataTooBig, lambda error: exceptions.ParseError(_("The body is too large."))),
)


def _api_exception(exc: Exception) -> Exception:
    for domain_error, api_error in _DOMAIN_ERRORS:
        if isinstance(exc, domain_error):
            return api_error(exc)
    return exc


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, (Http404, exceptions.NotFound)):
        response.data = {"detail": _("Not found.")}
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": _("Not found.")}, status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("Something went wrong on our side. It has been logged.")}, status=500)


def api_permission_denied(request: HttpRequest, exception: PermissionDenied | None = None) -> JsonResponse:
    return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)


def pk_from_url(value: object) -> int:
    """The primary key in an API URL; 404 for anything but ASCII digits (the router's pattern takes any
    segment, and "²" passed `str.isdigit()` only for `int()` to refuse it)."""
    pk = whole_number(value)
    if pk is None:
        raise exceptions.NotFound
    return pk
