"""Schemathesis against the OpenAPI schema, once per role: no 5xx, responses conform to the schema.

Every endpoint joins this test by being in the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from agencies.roles import Role
from api.services import api_token_create
from taskforce.wsgi import application
from tests.authz.world import build_world

RAW_SCHEMA = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(RAW_SCHEMA)
schema.app = application


@pytest.fixture
def tokens(db: None) -> dict[Role, str]:
    world = build_world()
    return {role: api_token_create(user=person, name="fuzz")[1] for role, person in world.people.items()}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_fails_and_conforms_to_its_schema(case, role: Role, tokens: dict[Role, str]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"})
