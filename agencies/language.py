"""The language switcher: the header's form on every page, signed in or not.

It sets Django's language cookie (what LocaleMiddleware reads on the public pages) and, for a signed-in
person, saves the choice on their account, so that their pages on any device and their emails follow it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def save_language(*, person: object, language: str) -> None:
    """Keeps a person's language (the web switcher and the API's PATCH /me/ both come here)."""
    if getattr(person, "language", None) != language:
        person.language = language  # type: ignore[attr-defined]
        person.save(update_fields=["language"])  # type: ignore[attr-defined]


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in LANGUAGE_CODES:
        return HttpResponseBadRequest(_("Choose English or Spanish."), content_type="text/plain; charset=utf-8")
    target = request.POST.get("next") or "/"
    host = {request.get_host()}
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts=host, require_https=request.is_secure())
    if not allowed:
        target = "/"
    if request.user.is_authenticated:
        save_language(person=request.user, language=language)
    translation.activate(language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" (settings/base.py)
    )
    return response
