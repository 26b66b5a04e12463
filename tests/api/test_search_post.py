"""Search words stay out of URLs (and so out of access logs): search is a POST, in the API and the pages,
and a search term that looks like an identifier is refused before anything is searched or audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from tests.cases.referral_helpers import send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

API = "/api/v1/search/"
IDENTIFIERS = ["503-555-0123", "123-45-6789", "jane.doe@example.com", "Maria Gonzalez"]


def _api_search(client, q: object):
    return client.post(API, {"q": q}, content_type="application/json")


def test_it_searches_by_post_in_the_api(officer, other_agency):
    mine = send(officer, other_agency, note="Needs emergency shelter tonight.")
    response = _api_search(client_for(officer), "shelter")
    assert response.status_code == 200
    assert [hit["id"] for hit in response.json()["referrals"]] == [mine.pk]


def test_it_refuses_a_search_in_the_url_with_405_and_says_to_post(officer, other_agency):
    send(officer, other_agency, note="Needs emergency shelter tonight.")
    response = client_for(officer).get(API, {"q": "shelter"})
    assert response.status_code == 405
    assert "POST" in response.json()["detail"]
    assert "POST" in response["Allow"]
    assert "GET" not in response["Allow"]


@pytest.mark.parametrize("q", [None, "", "a", "x" * 201, ["shelter"], {"q": "shelter"}, True])
def test_it_answers_400_to_a_query_it_cannot_use(as_member, q):
    response = _api_search(as_member, q)
    assert response.status_code == 400
    assert "q" in response.json()


@pytest.mark.parametrize("q", IDENTIFIERS)
def test_it_refuses_an_identifier_as_a_search_term_and_neither_searches_nor_keeps_it(officer, other_agency, q):
    send(officer, other_agency, note="Needs emergency shelter tonight.")
    client = client_for(officer)  # signing in is audited: count after it
    before = AuditEntry.objects.count()
    response = _api_search(client, q)
    assert response.status_code == 400
    assert "identif" in str(response.json()["q"]).lower() or "remove it" in str(response.json()["q"]).lower()
    assert q not in response.content.decode()
    new_rows = list(AuditEntry.objects.order_by("id")[before:])
    # The refusal is audited by kind only; no search was run, so no "listed" row.
    assert [row.event for row in new_rows] == [AuditEvent.DEIDENTIFICATION_REFUSED]
    assert q not in str(new_rows[0].detail) and q not in new_rows[0].target_label


def test_the_schema_documents_search_as_post_and_the_405(as_member):
    schema = as_member.get("/api/v1/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/search/"]
    assert "q" in str(operations["post"]["requestBody"])
    assert "405" in operations["get"]["responses"]
    assert "parameters" not in operations["get"] or not any(p["name"] == "q" for p in operations["get"]["parameters"])


# --- The page ---------------------------------------------------------------------------------------

PAGE = "cases:search"


def test_the_page_shows_a_post_form_with_a_csrf_token(as_member):
    response = as_member.get(reverse(PAGE))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'method="post"' in page
    assert "csrfmiddlewaretoken" in page


def test_the_page_searches_by_post_and_shows_the_results_in_the_answer(officer, other_agency):
    mine = send(officer, other_agency, note="Needs emergency shelter tonight.")
    response = client_for(officer).post(reverse(PAGE), {"q": "shelter"})
    assert response.status_code == 200  # rendered, not redirected to a URL holding the words
    assert mine.reference_code in response.content.decode()


def test_the_page_ignores_words_in_its_url(officer, other_agency):
    mine = send(officer, other_agency, note="Needs emergency shelter tonight.")
    response = client_for(officer).get(reverse(PAGE), {"q": "shelter"})
    assert response.status_code == 200
    assert mine.reference_code not in response.content.decode()


def test_the_page_enforces_csrf(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.post(reverse(PAGE), {"q": "shelter"}).status_code == 403


@pytest.mark.parametrize("q", IDENTIFIERS)
def test_the_page_refuses_an_identifier_and_does_not_echo_it(officer, other_agency, q):
    send(officer, other_agency, note="Needs emergency shelter tonight.")
    client = client_for(officer)  # signing in is audited: count after it
    before = AuditEntry.objects.count()
    response = client.post(reverse(PAGE), {"q": q})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Remove it" in page or "identifying" in page
    assert q not in page  # not even back in the input
    assert [row.event for row in AuditEntry.objects.order_by("id")[before:]] == [AuditEvent.DEIDENTIFICATION_REFUSED]
