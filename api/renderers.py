"""JSON rendering with orjson: several times faster than the standard library on list pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder

_FALLBACK = JSONEncoder()


def _default(value: Any) -> Any:
    # What orjson does not know natively (lazy translations, Decimal, ...) DRF's encoder handles.
    return _FALLBACK.default(value)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        # Validation errors of list items are keyed by index (an int): NON_STR_KEYS turns them into strings.
        return orjson.dumps(data, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
