"""Sign-in through allauth: password, TOTP, lockout, session lifetime, deactivation."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from agencies.services import person_deactivate
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent, Outcome
from tests.factories import TEST_TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _code(offset: int = 0) -> str:
    counter = int(timezone.now().timestamp()) // 30 + offset
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))


def _sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_it_asks_for_the_authenticator_code_after_the_password(officer):
    client = Client()
    response = _sign_in(client, officer.email)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": _code()})
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNED_IN, actor=officer).exists()


def test_it_sends_a_person_without_an_authenticator_to_set_one_up(agency):
    person = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, with_mfa=False)
    client = Client()
    _sign_in(client, person.email)
    response = client.get(reverse("agencies:directory"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before an authenticator is added.
    reauth = client.get(reverse("mfa_activate_totp"))
    assert reauth["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content


def test_it_lets_a_member_sign_in_without_mfa(member):
    client = Client()
    assert _sign_in(client, member.email).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_never_configures_an_mfa_bypass():
    assert not getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)


def test_it_locks_out_the_attacking_address_but_not_the_person_elsewhere(member):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, member.email, password="wrong-password", ip="203.0.113.9")
    locked = _sign_in(attacker, member.email, ip="203.0.113.9")  # even the right password
    assert locked.status_code == 429
    assert AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.SIGN_IN_FAILED, outcome=Outcome.FAILURE).count() >= 5
    at_desk = Client()
    assert _sign_in(at_desk, member.email, ip="198.51.100.20").status_code == 302
    assert at_desk.get(reverse("home")).status_code == 200


def test_it_sends_the_admin_login_through_the_portal_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302 and login["Location"].startswith(reverse("account_login"))


def test_it_ends_a_session_after_30_minutes_idle(as_member):
    assert as_member.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = as_member.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert AuditEntry.objects.filter(event=AuditEvent.SESSION_EXPIRED).exists()


def test_it_ends_a_session_after_12_hours_even_when_active(as_member):
    start = timezone.now()
    as_member.get(reverse("home"))
    for minutes in range(25, 12 * 60, 25):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert as_member.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert as_member.get(reverse("home")).status_code == 302


def test_it_ends_sessions_and_tokens_when_a_person_is_deactivated(agency_admin, member):
    session_client = Client()
    _sign_in(session_client, member.email)
    assert session_client.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=member).exists()
    _, raw = api_token_create(user=member, name="sync")

    person_deactivate(actor=agency_admin, person=member)

    assert session_client.get(reverse("home")).status_code == 302
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert not UserSession.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_DEACTIVATED).exists()
