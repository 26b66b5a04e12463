from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from audit.services import audit_record

_STARTED = "portal_session_started"
_LAST_SEEN = "portal_last_seen"


class SessionLifetimeMiddleware:
    """Ends a session after 30 minutes idle or 12 hours in all, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._expired(request):
            user = request.user
            logout(request)
            audit_record(actor=user, event=AuditEvent.SESSION_EXPIRED, request=request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Your session has ended. Sign in again."}, status=401)
            messages.info(request, "Your session ended after a period without activity. Please sign in again.")
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> bool:
        now = timezone.now()
        session = request.session
        started = _read(session.get(_STARTED)) or now
        last_seen = _read(session.get(_LAST_SEEN)) or now
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return True
        session.setdefault(_STARTED, now.isoformat())
        # Minute precision is enough for a 30-minute limit, and spares a session write per request.
        if now - last_seen >= timedelta(minutes=1) or _LAST_SEEN not in session:
            session[_LAST_SEEN] = now.isoformat()
        return False


def _read(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# Paths a person who must enrol an authenticator can still reach.
_MFA_SETUP_PREFIXES = ("/accounts/", "/static/", "/healthz", "/favicon.ico")


class MFARequiredMiddleware:
    """People whose role can see case data reach nothing until they have an authenticator."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_MFA_SETUP_PREFIXES) and user.lacks_required_mfa():
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Set up two-factor authentication in the portal first."}, status=403)
            messages.warning(request, "Your role gives access to case data: set up an authenticator app to continue.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PersonLanguageMiddleware:
    """A signed-in person reads the portal in the language they chose (User.language, set by the switcher).

    It runs after Django's LocaleMiddleware (the cookie, then the browser's Accept-Language: what the public
    pages and the sign-in page follow) and AuthenticationMiddleware, and wins over both, so that a person's
    choice follows them to every device. The API follows Accept-Language: its clients say what they want.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        chosen = getattr(user, "language", "") if user.is_authenticated else ""
        if chosen and not request.path.startswith("/api/") and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
