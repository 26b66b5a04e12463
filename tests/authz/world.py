"""A small task force with one person per role in a home agency and in another agency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agencies.models import Agency, User
from agencies.roles import Role
from tests.factories import AgencyFactory, UserFactory


@dataclass
class World:
    home: Agency
    other: Agency
    people: dict[Role, User]
    outsiders: dict[Role, User]
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, build: Any) -> Any:
        """Objects built lazily, once per test."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


def build_world() -> World:
    home = AgencyFactory(name="Home Survivor Center", is_cochair=True, is_confidential_provider=True)
    other = AgencyFactory(name="Other County Police", sector="law_enforcement")
    # Everyone has enrolled an authenticator (optional for some roles), so that MFA pages are reachable.
    people = {
        role: UserFactory(agency=home, role=role, email=f"{role}@home.example.org", with_mfa=True) for role in Role
    }
    outsiders = {
        role: UserFactory(agency=other, role=role, email=f"{role}@other.example.org")
        for role in Role
        if role != Role.COORDINATOR  # coordinators exist only in co-chair agencies
    }
    return World(home=home, other=other, people=people, outsiders=outsiders)
