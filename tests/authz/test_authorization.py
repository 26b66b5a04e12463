"""Authorization meta-tests: every route of the project, every role, anonymous and outsiders.

A route that is not registered in a `routes_*.py` module fails here: adding a URL means
saying who may use it and, for an object route, how to build an object of another agency.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from agencies.roles import Role
from tests.authz.registry import Spec, registry
from tests.authz.world import World, build_world
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.url_catalogue import Route, all_routes

ROUTES = [route for route in all_routes() if not route.name.startswith("admin:")]
ADMIN_ROUTES = [route for route in all_routes() if route.name.startswith("admin:")]
REGISTRY = registry()
REFUSED = {401, 403, 404}


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _url(route: Route, spec: Spec, world: World) -> str:
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    return reverse(route.name, kwargs=kwargs)


def _probe(client: Client, spec: Spec, url: str) -> int:
    return getattr(client, spec.method)(url, spec.data).status_code


def test_it_registers_every_route() -> None:
    missing = [route.name for route in ROUTES if route.name not in REGISTRY]
    assert not missing, f"Register these routes in tests/authz/routes_*.py: {missing}"
    stale = sorted(REGISTRY.keys() - {route.name for route in ROUTES})
    assert not stale, f"Registered routes that no longer exist: {stale}"


def test_it_registers_an_object_for_every_route_with_a_parameter() -> None:
    lacking = [route.name for route in ROUTES if route.converters and REGISTRY[route.name].kwargs is None]
    assert not lacking, f"Routes with parameters need a kwargs builder: {lacking}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_it_refuses_anonymous_visitors_except_the_public_allow_list(route: Route, world: World) -> None:
    spec = REGISTRY[route.name]
    response = getattr(Client(), spec.method)(_url(route, spec, world), spec.data)
    if spec.public:
        assert response.status_code in spec.anonymous_statuses, response.status_code
    elif route.pattern.startswith("api/"):
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("route", [r for r in ROUTES if not REGISTRY.get(r.name, Spec()).public], ids=lambda r: r.name)
def test_it_refuses_roles_without_the_right(route: Route, world: World) -> None:
    spec = REGISTRY[route.name]
    url = _url(route, spec, world)
    for role, person in world.people.items():
        status = _probe(client_for(person), spec, url)
        if role in spec.roles:
            assert status < 500 and status not in REFUSED, f"{role} was refused ({status})"
        else:
            assert status in REFUSED, f"{role} was let in ({status})"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.converters and not REGISTRY.get(r.name, Spec()).public], ids=lambda r: r.name
)
def test_it_answers_404_to_an_outsider_for_another_agencys_object(route: Route, world: World) -> None:
    spec = REGISTRY[route.name]
    url = _url(route, spec, world)
    outsiders = [person for role, person in world.outsiders.items() if role in spec.roles]
    assert outsiders, "no outsider role can reach this route: narrow it or widen the world"
    for person in outsiders:
        status = _probe(client_for(person), spec, url)
        if spec.shared_with_task_force:
            assert status == 200, f"{person.role}: {status}"
        else:
            assert status == 404, f"{person.role} of another agency got {status}, not 404"


@pytest.mark.parametrize("route", [r for r in ROUTES if not REGISTRY.get(r.name, Spec()).public], ids=lambda r: r.name)
def test_it_sends_people_who_need_mfa_to_set_it_up_first(route: Route, world: World) -> None:
    spec = REGISTRY[route.name]
    url = _url(route, spec, world)
    if route.pattern.startswith("accounts/"):
        pytest.skip("account pages stay reachable so that a person can enrol an authenticator")
    person = UserFactory(agency=world.home, role=Role.REFERRAL_OFFICER, with_mfa=False)
    assert not Authenticator.objects.filter(user=person).exists()
    response = getattr(client_for(person), spec.method)(url, spec.data)
    if route.pattern.startswith("api/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


_ADMIN_KWARGS = {"object_id": "1", "app_label": "agencies", "url": "anything", "content_type_id": "1", "id": "1"}


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.name)
def test_it_keeps_the_admin_to_staff_signed_in_through_the_portal(route: Route, world: World) -> None:
    url = "/" + route.pattern.replace("^", "").replace("$", "")
    for name in route.converters:
        url = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", _ADMIN_KWARGS[name], url)
    anonymous = Client().get(url)
    assert anonymous.status_code in {302, 404}
    if anonymous.status_code == 302:
        assert anonymous["Location"].startswith((reverse("account_login"), "/admin/"))
    member = client_for(world.people[Role.COORDINATOR]).get(url)
    assert member.status_code in {302, 403, 404}
