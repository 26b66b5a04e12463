"""The registry of every route: who may reach it, and how to build its object.

Each area of the portal declares its routes in a `routes_<area>.py` module beside this one,
as a dict `ROUTES: dict[str, Spec]`. A route missing from every module fails the meta-test.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agencies.roles import Role

if TYPE_CHECKING:
    from tests.authz.world import World

EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class Spec:
    # Anonymous visitors may use it (the public allow-list).
    public: bool = False
    # Roles that may use it; the others are refused. Public routes ignore this.
    roles: frozenset[Role] = EVERY_ROLE
    # The HTTP method to probe with (POST-only routes are probed with POST).
    method: str = "get"
    # Builds the URL kwargs for an object that belongs to the home agency of the world.
    kwargs: Callable[[World], dict[str, Any]] | None = None
    # Objects that every member may see by design (the agency directory): the reason, or "".
    shared_with_task_force: str = ""
    # Extra POST data for the probe.
    data: dict[str, Any] = field(default_factory=dict)
    # Public routes that an anonymous visitor reaches only by redirect (e.g. logout): allowed statuses.
    anonymous_statuses: frozenset[int] = frozenset({200})


def registry() -> dict[str, Spec]:
    import tests.authz as package

    merged: dict[str, Spec] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.authz.{module_info.name}")
            overlap = merged.keys() & module.ROUTES.keys()
            assert not overlap, f"routes registered twice: {sorted(overlap)}"
            merged.update(module.ROUTES)
    return merged
