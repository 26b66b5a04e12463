"""Numbers typed into URLs: anything but ASCII digits is a clean 404 or 400, never a 500.

"²" and "٣" pass `str.isdigit()`; `int()` refuses the first. A number beyond any primary key is
simply not found."""

from __future__ import annotations

import pytest
from django.test import Client

from agencies.models import User
from api.services import api_token_create
from toolkit.parsing import whole_number

pytestmark = pytest.mark.django_db

ODD = ["%C2%B2", "%D9%A3", "-1", "1.0", "%201", str(10**30)]
DETAILS = ["referrals", "meetings", "action-items", "trainings", "training-requests", "reports"]


def test_whole_numbers_are_ascii_digits_only():
    assert whole_number("42") == 42 and whole_number(7) == 7
    assert whole_number(str(2**63 - 1)) == 2**63 - 1
    assert [whole_number(text) for text in ("²", "٣", "-1", "1.0", " 1", "", "4a", str(2**63))] == [None] * 8


def api(user: User) -> Client:
    _, raw = api_token_create(user=user, name="numbers")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


@pytest.mark.parametrize("route", DETAILS)
@pytest.mark.parametrize("odd", ODD)
def test_an_odd_primary_key_is_not_found(officer, coordinator, route, odd):
    person = coordinator if route in ("training-requests", "reports") else officer
    response = api(person).get(f"/api/v1/{route}/{odd}/")
    assert response.status_code == 404, response.content


@pytest.mark.parametrize("odd", ODD)
def test_an_odd_page_size_is_a_clear_400(officer, odd):
    response = api(officer).get(f"/api/v1/referrals/?page_size={odd}")
    assert response.status_code == 400
    assert response.json()["page_size"] == ["Give a whole number from 1 to 200."]


@pytest.mark.parametrize("page", ["/calendar/", "/calendar/list/", "/trainings/"])
@pytest.mark.parametrize("odd", ODD)
def test_an_odd_agency_filter_is_ignored(as_member, page, odd):
    assert as_member.get(f"{page}?agency={odd}").status_code == 200
