"""Limits on failed sign-ins: per account and address, never per address alone, and the client address
read the same way by allauth and axes, behind the proxies the portal is told to trust.

Real requests through the test client to allauth's sign-in and its authenticator-code step; the limits
live in the cache (LocMemCache in tests, emptied before each test).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from tests.factories import TEST_TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
OFFICE = "192.0.2.10"  # one address for a whole office, or the proxy in front of the portal
PROXY = "10.0.0.2"


def _codes() -> set[str]:
    counter = int(timezone.now().timestamp()) // 30
    return {format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter + offset)) for offset in (-1, 0, 1)}


def _right_code() -> str:
    counter = int(timezone.now().timestamp()) // 30
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))


def _wrong_code() -> str:
    valid = _codes()
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 7919)) if code not in valid)


class Browser:
    """One person's browser, reaching the portal from `address`, directly or through a proxy."""

    def __init__(self, address: str, *, via_proxy: bool = False, forwarded_for: str | None = None) -> None:
        self.client = Client()
        if via_proxy:
            chain = f"{forwarded_for}, {address}" if forwarded_for else address
            self.headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}
        else:
            self.headers = {"REMOTE_ADDR": address}

    def password(self, person: User, password: str = PASSWORD):
        return self.client.post(reverse("account_login"), {"login": person.email, "password": password}, **self.headers)

    def code(self, code: str):
        return self.client.post(reverse("mfa_authenticate"), {"code": code}, **self.headers)

    def signed_in(self) -> bool:
        return self.client.get(reverse("home"), **self.headers).status_code == 200

    def sign_in(self, person: User) -> bool:
        response = self.password(person)
        if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
            response = self.code(_right_code())
        return response.status_code == 302 and self.signed_in()


@pytest.fixture
def alice(agency) -> User:
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, email="alice@agency.example.org")


@pytest.fixture
def bob(agency) -> User:
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, email="bob@agency.example.org")


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _refused_for_too_many(response) -> bool:
    return response.status_code in (200, 429) and b"too many" in response.content.lower()


# --- one person's failures do not lock out the others at the same address --------------------------


def test_it_lets_bob_sign_in_after_60_wrong_codes_for_alice_from_the_same_address(alice, bob):
    at_alices_desk = Browser(OFFICE)
    assert at_alices_desk.password(alice)["Location"] == reverse("mfa_authenticate")
    for _ in range(60):
        at_alices_desk.code(_wrong_code())
    assert Browser(OFFICE).sign_in(bob)


def test_it_lets_bob_sign_in_after_40_wrong_passwords_for_alice_from_the_same_address(alice, bob):
    at_alices_desk = Browser(OFFICE)
    for _ in range(40):
        at_alices_desk.password(alice, password="not-her-password")
    assert Browser(OFFICE).sign_in(bob)


def test_it_still_limits_alices_codes_from_that_address(alice):
    at_alices_desk = Browser(OFFICE)
    at_alices_desk.password(alice)
    limit = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    for _ in range(limit):
        assert not _refused_for_too_many(at_alices_desk.code(_wrong_code()))
    refused = at_alices_desk.code(_right_code())  # even the right code, once the limit is reached
    assert _refused_for_too_many(refused) and not at_alices_desk.signed_in()
    assert Browser("198.51.100.20").sign_in(alice)  # from her own desk elsewhere, she still gets in


def test_it_stops_wrong_codes_for_one_account_from_many_addresses_at_a_ceiling(alice, bob):
    per_pair = settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    ceiling = settings.SIGN_IN_FAILURES_PER_ACCOUNT
    assert ceiling > 2 * per_pair  # generous: one address alone cannot reach it
    addresses = [f"203.0.113.{n}" for n in range(1, ceiling // per_pair + 1)]
    for address in addresses:
        browser = Browser(address)
        assert browser.password(alice)["Location"] == reverse("mfa_authenticate")
        for _ in range(per_pair):
            browser.code(_wrong_code())
    elsewhere = Browser("198.51.100.99")
    elsewhere.password(alice)
    assert _refused_for_too_many(elsewhere.code(_right_code())) and not elsewhere.signed_in()
    assert Browser(addresses[0]).sign_in(bob)  # the others are not touched


@pytest.mark.parametrize("kind", ["password", "code"])
def test_one_address_cannot_lock_an_account_out_however_long_it_keeps_trying(alice, kind):
    """From one address, failures every 10 minutes for two hours: at every point Alice's right password
    from her desk is taken. (With a 10-minute window for the address, one address sent 60 an hour,
    past the account's ceiling of 50, and locked her out after 50 minutes.)"""
    start = datetime(2030, 1, 6, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        attacker = Browser("203.0.113.66")
        for window in range(12):
            for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
                if kind == "password":
                    attacker.password(alice, password="not-her-password")
                else:
                    attacker.password(alice)
                    attacker.code(_wrong_code())
            clock.shift(timedelta(minutes=10, seconds=1))
            at_her_desk = Browser("198.51.100.20").password(alice)
            assert not _refused_for_too_many(at_her_desk), f"locked out after {window + 1} rounds"
            assert at_her_desk["Location"] == reverse("mfa_authenticate")


def test_it_keeps_axes_locking_the_login_and_address_pair(alice, bob):
    attacker = Browser("203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.password(alice, password="wrong-password")
    assert attacker.password(alice).status_code == 429  # locked, even with the right password
    assert AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT).exists()
    assert Browser("203.0.113.9").sign_in(bob)
    assert Browser("198.51.100.20").sign_in(alice)


# --- the client address behind trusted proxies ----------------------------------------------------


def test_it_tells_two_clients_behind_the_proxy_apart(behind_one_proxy, alice):
    mallory = Browser("203.0.113.66", via_proxy=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        mallory.password(alice, password="wrong-password")
    assert mallory.password(alice).status_code == 429  # axes locked (alice, 203.0.113.66)
    mallory.client = Client()
    assert mallory.password(alice).status_code == 429
    at_her_desk = Browser("198.51.100.20", via_proxy=True)
    assert at_her_desk.sign_in(alice)
    assert UserSession.objects.get(user=alice).ip == "198.51.100.20"  # what allauth saw
    entry = AuditEntry.objects.filter(event=AuditEvent.LOCKED_OUT).latest("pk")
    assert entry.ip_address == "203.0.113.66"  # what axes saw


def test_it_limits_codes_per_client_behind_the_proxy(behind_one_proxy, alice, bob):
    at_alices_desk = Browser("198.51.100.20", via_proxy=True)
    at_alices_desk.password(alice)
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS + 5):
        at_alices_desk.code(_wrong_code())
    assert not at_alices_desk.signed_in()
    assert Browser("198.51.100.21", via_proxy=True).sign_in(alice)
    assert Browser("198.51.100.20", via_proxy=True).sign_in(bob)


def test_it_ignores_what_a_client_writes_before_the_trusted_proxys_entry(behind_one_proxy, alice):
    for spoofed in range(settings.AXES_FAILURE_LIMIT + 1):
        Browser("203.0.113.66", via_proxy=True, forwarded_for=f"198.51.100.{spoofed}").password(alice, "wrong")
    again = Browser("203.0.113.66", via_proxy=True, forwarded_for="198.51.100.200")
    assert again.password(alice).status_code == 429


def test_it_ignores_forwarded_for_when_no_proxy_is_trusted(alice):
    for spoofed in range(settings.AXES_FAILURE_LIMIT + 1):
        Client().post(
            reverse("account_login"),
            {"login": alice.email, "password": "wrong"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{spoofed}",
        )
    again = Client().post(
        reverse("account_login"),
        {"login": alice.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert again.status_code == 429


@pytest.mark.parametrize("forwarded_for", ["", ",", "not-an-address", "198.51.100.1:abc, ", "\x00", "1" * 5000])
def test_it_falls_back_to_the_peer_address_on_a_malformed_header(behind_one_proxy, alice, forwarded_for):
    response = Client().post(
        reverse("account_login"),
        {"login": alice.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("count", "remote", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        (1, "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "10.0.0.3", "198.51.100.1", "10.0.0.3"),  # shorter than the proxies: not through them
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        (1, "10.0.0.2", " 198.51.100.1:8080 ", "198.51.100.1"),
        (1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_it_reads_the_client_address(rf, settings, count, remote, forwarded_for, expected):
    from agencies.lockout import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(rf.get("/", **headers)) == expected
