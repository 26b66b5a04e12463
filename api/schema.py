"""OpenAPI post-processing: document the error answers every endpoint can give."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for general errors; one list of messages per field for validation errors.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

_ERRORS = {
    "400": "The request was not valid; the body says which field and why.",
    "401": "Not signed in, or the token is unknown, expired or revoked.",
    "403": "Your role does not allow this, or two-factor authentication is not set up yet.",
    "404": "Not found, or not shared with your agency.",
    "405": "This method is not allowed here.",
    "429": "Too many requests; retry later.",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in _ERRORS.items():
                responses.setdefault(status, {"description": description, "content": _ERROR_CONTENT})
    return result
