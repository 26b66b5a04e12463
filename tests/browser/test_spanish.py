"""Spanish in Chromium (issue 20): a Spanish-language browser on the public pages, and a person who chose
Spanish, under the production security settings.

The Spanish words the test looks for come from the catalogs (`gettext` under Spanish), never typed here:
the test checks that each is translated (not the English) and that the page shows it. Forms, by test:

test_a_spanish_browser_reads_the_public_pages_in_spanish_and_requests_a_training
  - "Send the request" in Spanish, as an anonymous visitor (public_training_request.html)
  - the switcher's "English", as an anonymous visitor (partials/language_switch.html)
test_a_person_who_chose_spanish_works_in_spanish_and_can_switch_back
  - the switcher's "Español" and "English", signed in; the choice saved on the account
  - "Decline…" and its confirmation, in Spanish (referral_detail.html)
"""

from __future__ import annotations

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from agencies.roles import Role
from cases.choices import DeclineReason, Status
from meetings.models import TrainingRequest
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.cases.referral_helpers import send
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


def spanish(english: str, context: str | None = None) -> str:
    """The catalog's Spanish for an English string; fails if there is none (the page would show English)."""
    with translation.override("es"):
        text = pgettext(context, english) if context else gettext(english)
    assert text != english, f"no Spanish for {english!r}"
    return text


def test_a_spanish_browser_reads_the_public_pages_in_spanish_and_requests_a_training(
    browser: Browser, live_server: LiveServer, settings: object
) -> None:
    settings.MEETINGS_TRAINING_REQUEST_MIN_SECONDS = 1  # a person's pace, kept short for the test
    context = browser.new_context(base_url=live_server.url, locale="es-US", viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    page = context.new_page()
    refused: list[str] = []
    page.on("response", lambda response: refused.append(response.url) if response.status >= 400 else None)

    page.goto("/public/trainings/")
    assert page.evaluate("document.documentElement.lang") == "es"
    expect(page.get_by_role("button", name=spanish("Quick exit"))).to_be_visible()
    expect(page.get_by_role("link", name=spanish("Request a training"), exact=True)).to_be_visible()
    screenshot(page, "spanish-public-trainings-390")

    page.get_by_role("link", name=spanish("Request a training"), exact=True).click()
    shown = time.monotonic()
    page.get_by_label(spanish("Organization name")).fill("Posada Juniper")
    page.get_by_label(spanish("Contact email")).fill("recepcion@juniper-inn.example.org")
    page.get_by_label(spanish("Topic")).fill("Reconocer la trata en hoteles")
    page.get_by_label(spanish("Preferred dates")).fill("Cualquier mañana entre semana en mayo")
    time.sleep(max(0.0, 1.1 - (time.monotonic() - shown)))
    screenshot(page, "spanish-public-training-request-390")
    submit(page, page.get_by_role("button", name=spanish("Send the request")))
    page.get_by_role("heading", name=spanish("Thank you: your request is on its way")).wait_for()
    assert TrainingRequest.objects.get().organization == "Posada Juniper"

    # The switcher names English in English; the choice is kept for the next public page.
    submit(page, page.get_by_role("button", name="English"))
    assert page.evaluate("document.documentElement.lang") == "en"
    page.goto("/public/trainings/")
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    assert refused == []
    context.close()


def test_a_person_who_chose_spanish_works_in_spanish_and_can_switch_back(
    page: object, live_server: LiveServer, failed_responses: list[str]
) -> None:
    advocate = UserFactory(
        agency=AgencyFactory(name="Safe Harbor Survivor Center", is_confidential_provider=True),
        role=Role.REFERRAL_OFFICER,
    )
    nurse = UserFactory(
        agency=AgencyFactory(name="Juniper General Hospital", sector="health"), role=Role.REFERRAL_OFFICER
    )
    referral = send(advocate, nurse.agency)

    # She chooses Spanish with the switcher, on the page she is on.
    sign_in_as(page, live_server, nurse)
    page.goto("/referrals/")
    submit(page, page.get_by_role("button", name="Español"))
    assert page.url.endswith("/referrals/")
    assert page.evaluate("document.documentElement.lang") == "es"
    nurse.refresh_from_db()
    assert nurse.language == "es"
    navigation = page.get_by_role("navigation", name=spanish("Main"))
    expect(navigation.get_by_role("link", name=spanish("Referrals"))).to_be_visible()
    expect(page.get_by_role("button", name=spanish("Sign out"))).to_be_visible()
    screenshot(page, "spanish-referral-list-1280")

    # Her choice follows her to another session (another device): the account keeps it.
    page.context.clear_cookies()
    sign_in_as(page, live_server, nurse)
    page.goto(f"/referrals/{referral.pk}/")
    assert page.evaluate("document.documentElement.lang") == "es"
    with translation.override("es"):
        sent = str(Status.SENT.label)
    expect(page.locator(".lede .status")).to_have_text(sent)

    # Declining, in Spanish: the confirmation step, the reason (a coded choice, translated), the new state.
    submit(page, page.get_by_role("button", name=spanish("Decline…"), exact=True))
    with translation.override("es"):
        reason = str(DeclineReason.UNABLE_TO_CONTACT.label)
        declined = str(Status.DECLINED.label)
    assert reason != DeclineReason.UNABLE_TO_CONTACT.label
    page.get_by_label(spanish("Reason for declining")).select_option(label=reason)
    submit(page, page.get_by_role("button", name=spanish("Decline the referral")))
    # One referral's state, in the feminine singular of "la derivación" (a report's row says "Rechazadas").
    assert (sent, declined) == ("Enviada", "Rechazada")
    expect(page.locator(".lede .status")).to_have_text(declined)
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED
    screenshot(page, "spanish-referral-declined-1280")

    # And back to English.
    submit(page, page.get_by_role("button", name="English"))
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator(".lede .status")).to_have_text("Declined")
    nurse.refresh_from_db()
    assert nurse.language == "en"
    assert failed_responses == []
