"""Email settings, the coordinators' defaults, the digest preview, and one-click unsubscribe."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from digests.models import DigestPreference, TaskForceDigestDefaults
from digests.rendering import unsubscribe_token
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.digests.helpers import REFERENCE_CODE, prefer

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("digests:preferences")
DEFAULTS = reverse("digests:defaults")
PREVIEW = reverse("digests:preview")

VALID = {
    "frequency": "weekly",
    "weekday": "4",
    "hour": "16",
    "time_zone": "America/New_York",
    "notify_referral_received": "on",
    "notify_invitations": "on",
}


class _Labels(HTMLParser):
    """Collects form controls and the `for` of labels, to check that every control is labelled."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"input", "select", "textarea"} and values.get("type") not in {"hidden", "submit"}:
            self.controls.append(values.get("id") or "")
        if tag == "label" and values.get("for"):
            self.labelled.add(values["for"] or "")
        self.legends += tag == "legend"


def _unlabelled(html: str) -> list[str]:
    parser = _Labels()
    parser.feed(html)
    assert parser.legends >= 2, "groups of choices need a fieldset with a legend"
    return [control for control in parser.controls if control not in parser.labelled]


def test_it_shows_the_defaults_to_someone_who_never_chose(as_member):
    response = as_member.get(PREFERENCES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You follow the task force's defaults" in html
    assert re.search(r'value="weekly"[^>]*checked', html)
    assert _unlabelled(html) == []


def test_it_saves_a_persons_own_choice_and_audits_it(as_member, member):
    response = as_member.post(PREFERENCES, {**VALID, "action": "save"})
    assert response.status_code == 302
    preference = DigestPreference.objects.get(person=member)
    assert (preference.frequency, preference.weekday, preference.hour) == ("weekly", 4, 16)
    assert (preference.notify_referral_received, preference.notify_consent_revoked) == (True, False)
    member.refresh_from_db()
    assert member.time_zone == "America/New_York"
    entry = AuditEntry.objects.get(event=AuditEvent.DIGEST_PREFERENCES_CHANGED)
    assert entry.actor == member and entry.detail["hour"] == 16


@pytest.mark.parametrize(
    ("field", "value"),
    [("hour", "24"), ("hour", "seven"), ("weekday", "9"), ("frequency", "hourly"), ("time_zone", "Mars/Olympus")],
)
def test_it_refuses_bad_input_with_a_clear_message(as_member, member, field, value):
    response = as_member.post(PREFERENCES, {**VALID, field: value})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DigestPreference.objects.filter(person=member).exists()


def test_it_puts_a_person_back_on_the_defaults(as_member, member):
    prefer(member, frequency="never")
    response = as_member.post(PREFERENCES, {"action": "reset"})
    assert response.status_code == 302
    assert not DigestPreference.objects.filter(person=member).exists()


def test_it_lets_a_coordinator_set_the_task_force_defaults(as_coordinator, coordinator):
    assert as_coordinator.get(DEFAULTS).status_code == 200
    data = {"frequency": "daily", "weekday": "0", "hour": "6", "notify_consent_revoked": "on"}
    response = as_coordinator.post(DEFAULTS, data)
    assert response.status_code == 302
    defaults = TaskForceDigestDefaults.current()
    assert (defaults.frequency, defaults.hour, defaults.notify_referral_received) == ("daily", 6, False)
    assert defaults.updated_by == coordinator
    assert AuditEntry.objects.filter(event=AuditEvent.DIGEST_DEFAULTS_CHANGED, actor=coordinator).exists()


def test_it_refuses_bad_defaults_without_an_error_page(as_coordinator):
    response = as_coordinator.post(DEFAULTS, {"frequency": "daily", "weekday": "0", "hour": "-1"})
    assert response.status_code == 400
    assert TaskForceDigestDefaults.current().hour == 7


def test_it_previews_ones_own_next_digest_without_case_data(officer, outsider_officer):
    prefer(officer, hour=8)
    referral = send(outsider_officer, officer.agency)
    response = client_for(officer).get(PREVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 referral is waiting for your agency to answer." in html
    assert "Next digest:" in html and "8:00 AM" in html
    assert referral.reference_code not in html and not REFERENCE_CODE.search(html)


def test_it_says_so_when_the_digest_would_be_empty(as_member):
    html = as_member.get(PREVIEW).content.decode()
    assert "An empty digest is not sent." in html


def _unsubscribe_url(person, stream: str = "digest") -> str:
    return reverse("digests:unsubscribe", args=[unsubscribe_token(person_id=person.pk, stream=stream)])


def test_it_asks_before_unsubscribing_from_a_link_in_an_email(member):
    response = Client().get(_unsubscribe_url(member))
    assert response.status_code == 200
    assert "Stop receiving the task-force digest?" in response.content.decode()
    assert not DigestPreference.objects.filter(person=member).exists()


def test_it_unsubscribes_with_one_click_without_a_session_or_form_token(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _unsubscribe_url(member), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You will no longer receive the task-force digest." in html
    assert PREFERENCES in html
    assert DigestPreference.objects.get(person=member).frequency == "never"
    assert AuditEntry.objects.get(event=AuditEvent.DIGEST_UNSUBSCRIBED).detail == {"stream": "digest"}


def test_it_turns_off_only_the_notification_a_link_was_for(officer):
    Client().post(_unsubscribe_url(officer, "consent_revoked"))
    preference = DigestPreference.objects.get(person=officer)
    assert preference.notify_consent_revoked is False
    assert preference.notify_referral_received is True
    assert preference.frequency == TaskForceDigestDefaults.current().frequency


@pytest.mark.parametrize("token", ["not-a-token", "eyJwIjoxLCJzIjoiZGlnZXN0In0:1xUrdj:forged"])
def test_it_answers_404_to_a_forged_or_mangled_link(member, token):
    for method in ("get", "post"):
        response = getattr(Client(), method)(reverse("digests:unsubscribe", args=[token]))
        assert response.status_code == 404
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not DigestPreference.objects.exists()


def test_it_answers_404_to_a_link_for_a_notification_kind_that_no_longer_exists(member):
    assert Client().post(_unsubscribe_url(member, "retired_kind")).status_code == 404
