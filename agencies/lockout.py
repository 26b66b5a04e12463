"""Which login an authentication attempt was for, for django-axes.

Axes locks the pair (login, client IP): repeated failures from one place lock that
place out for that login, while the person can still sign in from their own desk.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    for key in ("login", "username", "email"):
        value = request.POST.get(key) if request.method == "POST" else None
        if value:
            return value.strip().lower()
    return None
