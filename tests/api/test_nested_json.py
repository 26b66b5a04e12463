"""A JSON body nested too deep answers 400 in the API's error shape, never 500 (RecursionError)."""

from __future__ import annotations

import pytest

from tests.cases.referral_helpers import send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


ENDPOINTS = [
    "/api/v1/search/",
    "/api/v1/referrals/",
    "/api/v1/referrals/{pk}/comments/",
    "/api/v1/referrals/{pk}/transitions/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("opening", ["[", '{"q":'])
def test_it_answers_400_to_a_body_nested_100000_deep(officer, other_agency, opening, url):
    referral = send(officer, other_agency, note="Needs shelter.")
    body = opening * 100_000
    response = client_for(officer).post(url.format(pk=referral.pk), body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert "nested" in response.json()["detail"]


def test_it_answers_400_to_a_well_formed_body_nested_past_the_limit(officer, other_agency):
    send(officer, other_agency, note="Needs shelter.")
    body = '{"q": ' + "[" * 200 + '"shelter"' + "]" * 200 + "}"
    response = client_for(officer).post("/api/v1/search/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_it_still_reads_ordinary_nesting(officer, other_agency):
    send(officer, other_agency, note="Needs shelter.")
    response = client_for(officer).post("/api/v1/search/", {"q": "shelter"}, content_type="application/json")
    assert response.status_code == 200


def test_the_guard_endpoint_of_the_pages_answers_400_too(officer):
    response = client_for(officer).post("/referrals/check-text/", "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
