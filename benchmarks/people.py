"""The people the benchmarks act as, picked from the scale dataset, with API tokens for this run.

Writes to the benchmark database (which the benchmark owns): an authenticator for the people whose
role needs one (the API answers 403 without it), and one API token each, revoked at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from agencies.models import User
from agencies.roles import Role
from api.services import api_token_create, api_token_revoke
from cases.models import Referral, consent_in_force

# A fixed, documented secret: the benchmark never signs in with a code, the API only checks enrolment.
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - benchmark-only, public on purpose
TOKEN_NAME = "benchmark run"  # noqa: S105 - a label, not a secret


@dataclass
class Cast:
    officer: User
    coordinator: User
    admin: User
    member: User
    grant_manager: User
    tokens: dict[str, str] = field(default_factory=dict)  # role name -> raw token

    def by_name(self) -> dict[str, User]:
        return {
            "officer": self.officer,
            "coordinator": self.coordinator,
            "admin": self.admin,
            "member": self.member,
            "grant_manager": self.grant_manager,
        }


def cast_assemble() -> Cast:
    """A referral officer of the agency that receives the most visible referrals, and colleagues."""
    busiest = (
        Referral.objects.filter(consent_in_force())
        .values("receiving_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "receiving_agency_id")
        .first()
    )
    if busiest is None:
        raise SystemExit("The database holds no referrals: build it with --setup (seed_scale).")
    agency_id = busiest["receiving_agency_id"]
    active = User.objects.filter(is_active=True).order_by("pk")
    officer = active.filter(role=Role.REFERRAL_OFFICER, agency_id=agency_id).first()
    admin = (
        active.filter(role=Role.AGENCY_ADMIN, agency_id=agency_id).first()
        or active.filter(role=Role.AGENCY_ADMIN).first()
    )
    cast = Cast(
        officer=officer,
        coordinator=active.filter(role=Role.COORDINATOR, agency__is_cochair=True).first(),
        admin=admin,
        member=active.filter(role=Role.MEMBER).first(),
        grant_manager=active.filter(role=Role.GRANT_MANAGER).first(),
    )
    missing = [name for name, person in cast.by_name().items() if person is None]
    if missing:
        raise SystemExit(f"The dataset has no {', '.join(missing)}: build it with python -m benchmarks.seed_scale.")
    for name, person in cast.by_name().items():
        _enrol(person)
        _, cast.tokens[name] = api_token_create(user=person, name=TOKEN_NAME)
    return cast


def _enrol(person: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    if person.lacks_required_mfa():
        TOTP.activate(person, BENCH_TOTP_SECRET)


def cast_dismiss(cast: Cast) -> None:
    """Revoke this run's tokens."""
    from api.models import ApiToken

    for person in cast.by_name().values():
        for token in ApiToken.objects.filter(user=person, name=TOKEN_NAME, revoked_at__isnull=True):
            api_token_revoke(actor=person, token=token)
