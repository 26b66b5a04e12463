"""Answers agree with the published schema where strict clients read it (issue 19, item 2): a value that is
absent is null, never "" (which is neither a URI nor one of an enum's values), every reference that may be
null says so in a way OpenAPI 3.1 clients honour, and an id that is not a number answers the API's JSON error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator

from agencies.models import User
from agencies.roles import Role
from api.services import api_token_create
from tests.authz.routes_cases import _referral
from tests.authz.routes_meetings import _meeting, _training
from tests.authz.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def api(user: User) -> Client:
    _, raw = api_token_create(user=user, name="agreement")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_answers_null_for_a_meeting_without_a_video_link(world):
    meeting = _meeting(world)
    assert meeting.video_url == ""
    client = api(world.people[Role.AGENCY_ADMIN])  # the committee's chair sees the committee's meeting
    listed = client.get("/api/v1/meetings/").json()["results"]
    assert [row["video_url"] for row in listed if row["id"] == meeting.pk] == [None]
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").json()["video_url"] is None


def test_it_answers_null_for_a_training_without_a_video_link(world):
    pk = _training(world)["pk"]
    client = api(world.people[Role.MEMBER])
    assert client.get(f"/api/v1/trainings/{pk}/").json()["video_url"] is None


def test_it_answers_null_for_a_decline_reason_and_outcome_not_given(world):
    pk = _referral(world)["pk"]
    client = api(world.people[Role.REFERRAL_OFFICER])
    listed = client.get("/api/v1/referrals/?direction=outgoing").json()["results"]
    flagged = client.post(f"/api/v1/referrals/{pk}/flag/")
    assert flagged.status_code == 200, flagged.content
    for answer in (next(row for row in listed if row["id"] == pk), client.get(f"/api/v1/referrals/{pk}/").json()):
        assert (answer["decline_reason"], answer["outcome"]) == (None, None)
    assert (flagged.json()["decline_reason"], flagged.json()["outcome"]) == (None, None)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_it_answers_the_api_error_for_an_id_that_is_not_a_whole_number(world, debug):
    """Schemathesis sent "-1.08e-67": the router's pattern refused the dot, so under DEBUG Django's HTML
    page answered. Every segment now reaches the view, which answers the API's 404."""
    client = api(world.people[Role.COORDINATOR])
    with override_settings(DEBUG=debug):
        for url in ("/api/v1/reports/-1.08e-67/", "/api/v1/meetings/1.5/", "/api/v1/referrals/1.0/flag/"):
            response = client.get(url) if not url.endswith("flag/") else client.post(url)
            assert response.status_code == 404, url
            assert response["Content-Type"] == "application/json" and response.json() == {"detail": "Not found."}


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def test_it_says_null_in_a_way_strict_clients_read(schema):
    """`nullable` beside allOf/oneOf and no `type` is ignored by OpenAPI 3.0.3 clients (and gone in 3.1)."""
    assert schema["openapi"].startswith("3.1")
    assert [node for node in _schemas(schema) if "nullable" in node] == []
    referral = schema["components"]["schemas"]["Referral"]["properties"]
    for name in ("decline_reason", "outcome", "consent"):
        assert {"$ref": "#/components/schemas/NullEnum"} in referral[name].get("oneOf", []) or {
            "type": "null"
        } in referral[name].get("oneOf", []), name
    assert "null" in schema["components"]["schemas"]["Meeting"]["properties"]["video_url"]["type"]


def test_it_gives_pagination_links_that_are_urls(schema):
    links = [
        prop["example"]
        for name, component in schema["components"]["schemas"].items()
        if name.startswith("Paginated")
        for prop in component["properties"].values()
        if "example" in prop
    ]
    assert links
    for link in links:
        parts = urlsplit(link)
        assert parts.scheme == "https" and parts.netloc and '"' not in link, link
