from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, token_digest
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_authenticates_with_a_personal_token_stored_only_as_a_digest(member):
    token, raw = api_token_create(user=member, name="sync")
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.digest == token_digest(raw)
    response = Client().get("/api/v1/me/", **_bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == member.email and body["agency"]["name"] == member.agency.name
    assert "view_taskforce_content" in body["permissions"] and "handle_referrals" not in body["permissions"]


def test_it_refuses_expired_revoked_and_unknown_tokens(member):
    token, raw = api_token_create(user=member, name="sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me/", **_bearer(raw)).status_code == 401
    assert Client().get("/api/v1/me/", **_bearer("tfp_unknown")).status_code == 401
    token2, raw2 = api_token_create(user=member, name="other")
    Client().get("/api/v1/me/", **_bearer(raw2))
    client = Client()
    client.force_login(member)
    client.post(reverse("tokens:revoke", args=[token2.pk]))
    assert Client().get("/api/v1/me/", **_bearer(raw2)).status_code == 401


def test_it_shows_a_new_token_once(as_member):
    created = as_member.post(reverse("tokens:list"), {"name": "reporting"}).content.decode()
    assert "tfp_" in created
    again = as_member.get(reverse("tokens:list")).content.decode()
    assert 'id="new-token"' not in again


def test_it_refuses_a_token_of_a_person_who_needs_mfa_but_has_none(agency):
    from agencies.roles import Role
    from tests.factories import UserFactory

    officer = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, with_mfa=False)
    _, raw = api_token_create(user=officer, name="sync")
    response = Client().get("/api/v1/me/", **_bearer(raw))
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]


def test_it_answers_errors_as_json(as_member):
    missing = as_member.get("/api/v1/agencies/999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    nowhere = as_member.get("/api/v1/nothing-here/")
    assert nowhere.status_code == 404 and nowhere["Content-Type"] == "application/json"
    anonymous = Client().get("/api/v1/me/")
    assert anonymous.status_code in {401, 403} and "detail" in anonymous.json()


def test_it_lists_agencies_with_a_constant_number_of_queries(as_member):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_member.get("/api/v1/agencies/").status_code == 200
        return len(queries)

    AgencyFactory()
    count()  # the first request of a session records it
    one = count()
    AgencyFactory.create_batch(50)
    assert count() == one


def test_it_paginates_with_a_cursor_and_filters(as_member):
    AgencyFactory.create_batch(60, sector="health")
    first = as_member.get("/api/v1/agencies/?sector=health").json()
    assert len(first["results"]) == 50 and first["next"] and "count" not in first
    second = as_member.get(first["next"]).json()
    assert len(second["results"]) == 10


def test_it_hides_inactive_agencies_from_members(as_member):
    hidden = AgencyFactory(is_active=False)
    assert as_member.get(f"/api/v1/agencies/{hidden.pk}/").status_code == 404
    assert as_member.get(reverse("agencies:detail", args=[hidden.pk])).status_code == 404


def test_it_serves_the_openapi_schema_and_docs_without_a_cdn(as_member):
    schema = as_member.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/agencies/" in schema.content
    docs = as_member.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower() and "swagger-ui" in docs


def test_it_keeps_the_committed_openapi_schema_current():
    """docs/openapi.yaml is what client authors read: `make schema` regenerates it."""
    from pathlib import Path

    import yaml
    from drf_spectacular.generators import SchemaGenerator

    committed = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
    current = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert yaml.safe_load(yaml.safe_dump(current, sort_keys=True)) == committed, "run `make schema`"


def test_a_token_of_a_deactivated_person_is_refused_even_when_not_revoked(member):
    _, raw = api_token_create(user=member, name="sync")
    type(member).objects.filter(pk=member.pk).update(is_active=False)  # the lookup itself refuses it
    assert Client().get("/api/v1/me/", **_bearer(raw)).status_code == 401


def test_a_token_authenticates_a_person_of_no_agency(agency):
    from tests.factories import UserFactory

    staff = UserFactory(agency=None, is_staff=True, is_superuser=True, with_mfa=True)
    _, raw = api_token_create(user=staff, name="ops")
    body = Client().get("/api/v1/me/", **_bearer(raw)).json()
    assert body["email"] == staff.email and body["agency"] is None


def test_token_mfa_and_person_are_read_in_one_query(officer):
    _, raw = api_token_create(user=officer, name="sync")
    client = Client()
    client.get("/api/v1/me/", **_bearer(raw))  # the first call writes last_used_at
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me/", **_bearer(raw))
    assert response.status_code == 200
    assert len(queries) == 1 and "mfa_authenticator" in queries[0]["sql"]
    user = response.wsgi_request.user
    assert user.pk == officer.pk and user.agency.name == officer.agency.name
    # Dates came back as the ORM gives them (SQLite stores text), aware in UTC.
    assert response.wsgi_request.auth.expires_at.tzinfo is not None and user.date_joined.tzinfo is not None


@pytest.mark.parametrize(
    "query", ["direction=sideways", "status=", "status=lost", "created_after=yesterday", "direction=incoming&urgency="]
)
def test_a_malformed_filter_is_a_400_without_or_with_other_filters(officer, query):
    _, raw = api_token_create(user=officer, name="sync")
    response = Client().get(f"/api/v1/referrals/?{query}", **_bearer(raw))
    assert response.status_code == 400, query
