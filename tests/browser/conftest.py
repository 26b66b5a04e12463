"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium() -> str | None:
    return os.environ.get("PLAYWRIGHT_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    # Generous: CI machines are shared and a report export runs a Celery task in-process.
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_as(page: object, live_server: object, user: object) -> None:
    """Puts a signed-in session for `user` into the browser (the sign-in form itself is tested apart)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


# --- Production security settings, as far as they work over the live server's plain http ------------
#
# taskforce/settings/production.py adds these to base.py (which already sends Referrer-Policy
# "same-origin", Cross-Origin-Opener-Policy "same-origin", X-Frame-Options DENY, nosniff and the strict
# Content-Security-Policy of django-csp, in every environment).
# Left out: SECURE_SSL_REDIRECT (it would send Chromium to https://, which the live server does not
# speak), SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE (Secure cookies are meant for https only).
# SecurityMiddleware reads its HSTS settings once, when the live server starts, and sends HSTS on
# https requests only: they are set for completeness. CSRF_COOKIE_HTTPONLY is read on each response,
# so the forms (and portal.js, which takes the token from the page, not the cookie) are tested with it.
PRODUCTION_SETTINGS_OVER_HTTP: dict[str, object] = {
    "DEBUG": False,
    "CSRF_COOKIE_HTTPONLY": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


@pytest.fixture
def production_security(settings: object) -> None:
    """The production security settings that work over http (see PRODUCTION_SETTINGS_OVER_HTTP)."""
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert settings.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    for name, value in PRODUCTION_SETTINGS_OVER_HTTP.items():
        setattr(settings, name, value)


@pytest.fixture
def failed_responses(page: object) -> list[str]:
    """Every response of 400 or more that the tab receives, as "STATUS METHOD /path", in order.

    Tests assert it is empty (or holds exactly the refusals they expect): a 403 from CSRF checking or
    a 500 would otherwise hide behind a page that happens to contain the text a test waits for.
    """
    from urllib.parse import urlsplit

    seen: list[str] = []

    def record(response: object) -> None:
        if response.status >= 400:
            seen.append(f"{response.status} {response.request.method} {urlsplit(response.url).path}")

    page.on("response", record)
    return seen


def submit(page: object, button: object) -> object:
    """Clicks a form's submit button and fails at once, with the status, if the POST is refused.

    (Otherwise a refusal such as CSRF's 403 only shows as a timeout while waiting for the next page.)
    """

    def is_the_post(response: object) -> bool:
        return response.request.method == "POST" and response.request.is_navigation_request()

    with page.expect_response(is_the_post) as posted:
        button.click()
    response = posted.value
    assert response.status < 400, f"POST {response.url} answered {response.status}"
    return response
