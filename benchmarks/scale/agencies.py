"""The scale dataset's agencies and people: a statewide deployment (`python -m benchmarks.seed_scale`)."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from agencies.models import Agency, Sector, User
from agencies.roles import Role

SCALE_PASSWORD = "scale-dataset-password"  # noqa: S105 - benchmark data only, documented in benchmarks/README-http.md
_SECTORS = list(Sector)
# Roles in a typical agency of 100 people.
_ROLE_WEIGHTS = [
    (Role.MEMBER, 70),
    (Role.REFERRAL_OFFICER, 20),
    (Role.AGENCY_ADMIN, 4),
    (Role.GRANT_MANAGER, 3),
    (Role.COORDINATOR, 3),
]


def build(*, agencies: int, people: int, counties: int, rng: random.Random) -> list[Agency]:
    rows = [
        Agency(
            name=f"Scale Agency {index:03d}",
            sector=_SECTORS[index % len(_SECTORS)],
            county=f"County {index % counties:02d}",
            is_cochair=index < 4,
            is_confidential_provider=_SECTORS[index % len(_SECTORS)] == Sector.VICTIM_SERVICES,
            referral_prefix=f"S{index % counties:02d}",
        )
        for index in range(agencies)
    ]
    created = Agency.objects.bulk_create(rows, batch_size=1000)
    password = make_password(SCALE_PASSWORD)  # hashed once: argon2 per person would take minutes
    roles = [role for role, weight in _ROLE_WEIGHTS for _ in range(weight)]
    users = []
    for index in range(people):
        agency = created[index % len(created)]
        # Each agency's first person handles referrals: every agency can send and receive.
        role = Role.REFERRAL_OFFICER if index < len(created) else rng.choice(roles)
        if role == Role.COORDINATOR and not agency.is_cochair:
            role = Role.MEMBER
        users.append(
            User(
                email=f"person{index:05d}@scale.example.org",
                password=password,
                agency=agency,
                role=role,
                first_name="Scale",
                last_name=f"Person {index:05d}",
            )
        )
    User.objects.bulk_create(users, batch_size=5000)
    return created
