"""The API's rate limits (api.throttling) and the fixed windows they count in (toolkit.ratelimit),
on the cache of the tests (local memory); tests/integration runs them against Redis."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework.request import Request
from rest_framework.views import APIView

from agencies.roles import Role
from api.throttling import AnonRateThrottle, UserRateThrottle
from tests.factories import UserFactory
from toolkit.ratelimit import window_hit

pytestmark = pytest.mark.django_db


def test_a_window_counts_its_hits_and_the_next_window_starts_again():
    assert window_hit("k", 60, now=6000.0) == (1, 6060)
    assert window_hit("k", 60, now=6059.9) == (2, 6060)
    assert window_hit("other", 60, now=6001.0) == (1, 6060)
    assert window_hit("k", 60, now=6060.0) == (1, 6120)


def test_a_person_past_the_rate_gets_429_with_when_to_come_back(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/h"})
    client, other = Client(), Client()
    client.force_login(UserFactory(role=Role.MEMBER))
    other.force_login(UserFactory(role=Role.MEMBER))
    responses = [client.get("/api/v1/me/") for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 3600
    assert responses[-1].json()["detail"].startswith("Request was throttled")
    assert other.get("/api/v1/me/").status_code == 200  # each person has a count of their own


def test_anonymous_clients_are_counted_by_address(monkeypatch):
    """Every API endpoint wants a person (401 comes first), so this rate is checked on its own."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/h"})

    def allowed(address: str) -> bool:
        request = Request(RequestFactory().get("/api/v1/me/", REMOTE_ADDR=address))
        request.user = AnonymousUser()
        return AnonRateThrottle().allow_request(request, APIView())

    assert [allowed("198.51.100.7") for _ in range(3)] == [True, True, False]
    assert allowed("198.51.100.9")


def test_anonymous_clients_cannot_escape_their_count_with_a_forwarded_for_header(monkeypatch, settings):
    """DRF keyed the count on the raw X-Forwarded-For text, which the client writes: a new header per
    request was a new count. The address is the one axes and allauth use (agencies.lockout.client_ip)."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "2/h"})

    def allowed(forwarded_for: str, address: str = "203.0.113.5") -> bool:
        factory = RequestFactory().get("/api/v1/me/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded_for)
        request = Request(factory)
        request.user = AnonymousUser()
        return AnonRateThrottle().allow_request(request, APIView())

    settings.TRUSTED_PROXY_COUNT = 0
    assert [allowed(f"192.0.2.{n}") for n in range(3)] == [True, True, False]
    # Behind one proxy of our own: the proxy's entry counts, whatever the client wrote before it.
    settings.TRUSTED_PROXY_COUNT = 1
    assert [allowed(f"10.9.9.{n}, 198.51.100.20", address="10.0.0.1") for n in range(3)] == [True, True, False]
    assert allowed("198.51.100.21", address="10.0.0.1")


def test_the_counter_lives_in_the_default_cache(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "5/h"})
    person = UserFactory(role=Role.MEMBER)
    client = Client()
    client.force_login(person)
    client.get("/api/v1/me/")
    client.get("/api/v1/me/")
    counters = [key for key in cache._cache if f"throttle_user_{person.pk}:" in key]
    assert len(counters) == 1 and cache.get(counters[0].split(":", 2)[-1]) == 2
