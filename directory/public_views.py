"""The public Open Referral export: no sign-in, the agencies that opted in (directory/hsds/export.py)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from directory.hsds.export import hsds_document


@require_GET
def hsds_export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(hsds_document(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # Public data, refreshed by the profiles' owners: a 211 system may cache it for a few minutes.
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    # Data in English whatever the browser asks (LocaleMiddleware would otherwise name the request's language).
    response["Content-Language"] = "en"
    return response
