"""The public pages in Chromium: the quick exit tells the neutral site nothing, and an expired form
says what to do in the page's own layout (never Django's CSRF debug text)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEUTRAL = "https://neutral.example.org/"


def test_it_leaves_for_the_neutral_site_without_a_referrer(page, settings):
    settings.MEETINGS_QUICK_EXIT_URL = NEUTRAL
    seen: list[dict[str, str]] = []

    def neutral_site(route):
        seen.append(route.request.headers)
        route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>")

    page.route(f"{NEUTRAL}**", neutral_site)
    page.goto("/public/request-training/")
    page.get_by_role("button", name="Quick exit").click()
    page.get_by_role("heading", name="Weather").wait_for()
    assert seen, "the quick exit did not leave"
    assert "referer" not in {name.lower() for name in seen[0]}


def test_it_explains_an_expired_form_on_the_public_page_and_keeps_the_quick_exit(page):
    page.goto("/public/request-training/")
    # The security cookie is gone, as after a long wait in a browser that clears cookies.
    page.context.clear_cookies()
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Please try again").wait_for()
    body = page.content()
    assert "CSRF" not in body and "Origin checking" not in body
    assert page.get_by_role("button", name="Quick exit").is_visible()
    screenshot(page, "csrf-failure-public")
