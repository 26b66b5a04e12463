"""The language a person reads (issue 20): the switcher, the saved choice, the browser's language on public
pages, the API's PATCH /me/, emails per person, and the one style of dates in each language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agencies.templatetags.times import (
    format_clock,
    format_day,
    format_day_long,
    format_exact,
    format_moment,
    format_moment_long,
    format_month_year,
)
from api.services import api_token_create
from tests.factories import UserFactory
from toolkit.mail import by_language, in_language, language_of

pytestmark = pytest.mark.django_db

PUBLIC_PAGE = "/public/trainings/"


def test_the_switcher_saves_the_persons_choice_and_keeps_the_page(client: Client, member) -> None:
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/referrals/?status=sent"})
    assert response.status_code == 302 and response["Location"] == "/referrals/?status=sent"
    member.refresh_from_db()
    assert member.language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("home"))
    assert '<html lang="es">' in page.content.decode()
    # The switcher then offers English, named in English.
    assert 'lang="en"' in page.content.decode() and ">English</button>" in page.content.decode()


def test_a_saved_choice_follows_the_person_to_another_device_and_wins_over_the_browser(member) -> None:
    member.language = "es"
    member.save(update_fields=["language"])
    device = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    device.force_login(member)
    page = device.get(reverse("home"))
    assert '<html lang="es">' in page.content.decode()
    assert "Cerrar sesión" in page.content.decode()


def test_public_pages_follow_the_browsers_language_and_say_they_vary_by_it() -> None:
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5").get(PUBLIC_PAGE)
    assert spanish.status_code == 200
    assert '<html lang="es">' in spanish.content.decode()
    assert "Accept-Language" in spanish["Vary"]
    assert spanish["Content-Language"] == "es"
    english = Client(HTTP_ACCEPT_LANGUAGE="en-US").get(PUBLIC_PAGE)
    assert '<html lang="en">' in english.content.decode()
    # No preference at all: the portal's default.
    assert '<html lang="en">' in Client().get(PUBLIC_PAGE).content.decode()


def test_an_anonymous_choice_is_kept_in_the_cookie() -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    browser.post(reverse("set_language"), {"language": "es", "next": PUBLIC_PAGE})
    assert '<html lang="es">' in browser.get(PUBLIC_PAGE).content.decode()


@pytest.mark.parametrize(
    ("posted", "status"),
    [({"language": "fr"}, 400), ({}, 400), ({"language": "es", "next": "https://evil.example/"}, 302)],
)
def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(member, posted, status) -> None:
    client = Client()
    client.force_login(member)
    response = client.post(reverse("set_language"), posted)
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/"
    else:
        member.refresh_from_db()
        assert member.language == "en"


def test_the_switcher_takes_posts_only(client: Client) -> None:
    assert client.get(reverse("set_language")).status_code == 405


def test_the_api_reads_and_changes_the_language(member) -> None:
    _token, raw = api_token_create(user=member, name="sync")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").json()["language"] == "en"
    changed = api.patch("/api/v1/me/", {"language": "es"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["language"] == "es"
    member.refresh_from_db()
    assert member.language == "es"
    refused = api.patch("/api/v1/me/", {"language": "xx"}, content_type="application/json")
    assert refused.status_code == 400 and "language" in refused.json().get("errors", refused.json())
    # Nothing else about the person can be changed here.
    api.patch("/api/v1/me/", {"email": "other@example.org", "role": "coordinator"}, content_type="application/json")
    member.refresh_from_db()
    assert member.email == "member@test.example.org" and member.role == "member"


def test_emails_are_grouped_and_rendered_in_each_persons_language(agency) -> None:
    english = UserFactory(agency=agency)
    spanish = UserFactory(agency=agency, language="es")
    unknown = UserFactory(agency=agency, language="fr")  # not offered: the default
    assert language_of(unknown) == settings.LANGUAGE_CODE
    groups = dict(by_language([spanish, english, unknown]))
    assert groups == {"en": [english, unknown], "es": [spanish]}
    with in_language(spanish):
        assert translation.get_language() == "es"
        assert format_day(date(2026, 12, 7)) == "7 dic 2026"
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_one_date_style_per_language() -> None:
    moment = datetime(2026, 12, 7, 14, 30, 5, tzinfo=ZoneInfo("America/Chicago"))
    with translation.override("en"):
        assert format_day(moment) == "Dec 7, 2026"
        assert format_day_long(moment) == "Monday, December 7, 2026"
        assert format_moment(moment) == "Dec 7, 2026, 2:30 PM"
        assert format_moment_long(moment) == "Monday, December 7, 2026, 2:30 PM CST"
        assert format_clock(moment) == "2:30 PM"
        assert format_month_year(moment) == "December 2026"
        assert format_exact(moment) == "Dec 7, 2026, 2:30:05 PM CST"
        # A morning time never ends in "a.m." (which gave "11:53 a.m.." at the end of a sentence).
        assert format_clock(moment.replace(hour=11, minute=53)) == "11:53 AM"
    with translation.override("es"):
        assert format_day(moment) == "7 dic 2026"
        assert format_day_long(moment) == "lunes, 7 de diciembre de 2026"
        assert format_moment(moment) == "7 dic 2026, 14:30"
        assert format_clock(moment) == "14:30"
        assert format_month_year(moment) == "diciembre de 2026"
    assert format_day(None) == "" and format_day("not a date") == ""


def _portal_forms() -> list[type]:
    import importlib
    import inspect

    from django import forms

    from toolkit.i18n import BASE_DIR

    found = []
    for module_path in sorted(BASE_DIR.glob("*/forms.py")):
        module = importlib.import_module(f"{module_path.parent.name}.forms")
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
        ]
    return found


def test_date_and_time_inputs_keep_the_browsers_format_in_every_language() -> None:
    """A browser's date input takes only 2026-12-07 (and a time input 14:30), whatever the page's language: a
    value written in Spanish style (07/12/2026) is dropped and the box shows empty, as the consent dates of a
    referral were for a Spanish reader (user's walk). Every such widget names its format."""
    wire = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime-local": "%Y-%m-%dT%H:%M"}
    wrong = []
    forms_seen = _portal_forms()
    for form_class in forms_seen:
        for name, field in form_class.base_fields.items():
            kind = field.widget.attrs.get("type")
            if kind in wire and getattr(field.widget, "format", None) != wire[kind]:
                wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert len(forms_seen) > 20
    assert not wrong, f"date or time inputs without their wire format: {wrong}"


def test_the_referral_forms_consent_dates_show_in_spanish(agency) -> None:
    from django.utils import timezone

    from cases.forms import ReferralForm

    officer = UserFactory(agency=agency, role="referral_officer")
    with translation.override("es"):
        rendered = str(ReferralForm(actor=officer)["consent_given_on"])
    assert f'value="{timezone.localdate().isoformat()}"' in rendered
