"""Fictional demo data: an invented county task force. No real agency or person.

Every demo login shares one password and, for roles that need MFA, one documented
authenticator secret (README: "Demo logins"). Both are public: never seed a real deployment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgreementKind, DataSharingAgreement, Sector, User
from agencies.roles import Role

DEMO_PASSWORD = "juniper-demo-portal"  # noqa: S105 - public by design, documented in the README
DEMO_TOTP_SECRET = "JUNIPERDEMOAUTHENTICATORSECRETAA"  # noqa: S105 - public by design
DEMO_COUNTY = "Juniper County"
# The demo task force was founded this many quarters before the running one: before the 18 months of
# referrals, meetings and activity figures the demo holds. Reports and the activity checks count an agency
# from its admission (`created_at`): admitted "today", it would owe nothing for, and be expected at nothing
# in, the past quarters the demo fills.
FOUNDED_QUARTERS_AGO = 8

AGENCIES: list[tuple[str, Sector, bool, bool]] = [
    # name, sector, co-chair, bound by victim-service confidentiality
    ("Safe Harbor Survivor Center", Sector.VICTIM_SERVICES, True, True),
    ("Juniper County Sheriff's Office", Sector.LAW_ENFORCEMENT, True, False),
    ("Juniper County District Attorney", Sector.PROSECUTION, False, False),
    ("Bridgeway Family Services", Sector.VICTIM_SERVICES, False, True),
    ("Juniper General Hospital", Sector.HEALTH, False, False),
    ("Juniper County Child Welfare", Sector.CHILD_WELFARE, False, False),
    ("Juniper Valley School District", Sector.EDUCATION, False, False),
    ("Lantern Legal Aid", Sector.LEGAL_AID, False, False),
    ("New Roots Immigrant Services", Sector.IMMIGRATION, False, False),
    ("Juniper Interfaith Coalition", Sector.COMMUNITY, False, False),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    first_name: str
    last_name: str
    agency: str
    role: Role


LOGINS: list[DemoLogin] = [
    DemoLogin("coordinator@demo.example.org", "Rowan", "Calloway", "Safe Harbor Survivor Center", Role.COORDINATOR),
    DemoLogin("advocate@demo.example.org", "Marisol", "Quenby", "Safe Harbor Survivor Center", Role.REFERRAL_OFFICER),
    DemoLogin(
        "detective@demo.example.org", "Dale", "Ferrant", "Juniper County Sheriff's Office", Role.REFERRAL_OFFICER
    ),
    DemoLogin("nurse@demo.example.org", "Priya", "Castellane", "Juniper General Hospital", Role.REFERRAL_OFFICER),
    DemoLogin("admin@demo.example.org", "Morgan", "Ashdown", "Juniper County Sheriff's Office", Role.AGENCY_ADMIN),
    DemoLogin("member@demo.example.org", "Jordan", "Pellow", "Juniper Valley School District", Role.MEMBER),
    DemoLogin("grants@demo.example.org", "Avery", "Lindqvist", "Safe Harbor Survivor Center", Role.GRANT_MANAGER),
]


def current_demo_code() -> str:
    """The code the demo authenticator shows now (what an authenticator app would display)."""
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(timezone.now().timestamp()) // app_settings.TOTP_PERIOD))


@transaction.atomic
def seed_agencies_and_people() -> dict[str, Agency]:
    agencies = {}
    for name, sector, cochair, confidential in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=name,
            defaults={
                "sector": sector,
                "county": DEMO_COUNTY,
                "is_cochair": cochair,
                "is_confidential_provider": confidential,
                "is_active": True,
                "referral_prefix": "JUN",
            },
        )
        agencies[name] = agency
    for login in LOGINS:
        _seed_login(login, agencies[login.agency])
    _backdate_admissions(agencies)
    _seed_agreements(agencies)
    return agencies


def _backdate_admissions(agencies: dict[str, Agency]) -> None:
    """The agencies' admission and their demo people's joining, at the task force's founding (the model
    stamps "now"; demo data only). Only ever moved earlier, so that seeding again on a later day changes nothing."""
    founded = datetime.combine(
        _quarter_start(timezone.localdate(), FOUNDED_QUARTERS_AGO), time(9), timezone.get_default_timezone()
    )
    Agency.objects.filter(pk__in=[a.pk for a in agencies.values()], created_at__gt=founded).update(created_at=founded)
    logins = [login.email for login in LOGINS]
    User.objects.filter(email__in=logins, date_joined__gt=founded).update(date_joined=founded)
    for agency in agencies.values():
        agency.refresh_from_db(fields=["created_at"])


def _quarter_start(today: date, quarters_ago: int) -> date:
    """The first day of the calendar quarter `quarters_ago` quarters before the one holding `today`."""
    index = today.year * 4 + (today.month - 1) // 3 - quarters_ago
    return date(index // 4, index % 4 * 3 + 1, 1)


def _seed_login(login: DemoLogin, agency: Agency) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(login.email, DEMO_PASSWORD, agency=agency, role=login.role)
    user.first_name, user.last_name, user.agency, user.role, user.is_active = (
        login.first_name,
        login.last_name,
        agency,
        login.role,
        True,
    )
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if user.requires_mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


# Data-sharing agreements (agencies/agreements.py): every agency signed one at the founding, so that
# referrals can go between them; the school district's lapses soon and the coalition's has lapsed, so
# the coordinators' gaps page and digest show both. Neither of the two sends or receives demo referrals.
LAPSING_SOON = "Juniper Valley School District"
LAPSED = "Juniper Interfaith Coalition"
PROTOCOLS = {"Juniper General Hospital", "Juniper County Child Welfare", "Juniper Valley School District"}


def _seed_agreements(agencies: dict[str, Agency]) -> None:
    """Once per agency (seeding again changes nothing): dated from the founding, recorded by the demo coordinator."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    founded = _quarter_start(today, FOUNDED_QUARTERS_AGO)
    coordinator = User.objects.get(email=next(login.email for login in LOGINS if login.role == Role.COORDINATOR))
    recorded_at = datetime.combine(founded, time(11), timezone.get_default_timezone())
    for name, agency in agencies.items():
        if DataSharingAgreement.objects.filter(agency=agency).exists():
            continue
        expires_on = {LAPSING_SOON: today + timedelta(days=40), LAPSED: today - timedelta(days=20)}.get(
            name, None if agency.is_cochair else founded.replace(year=founded.year + 4)
        )
        agreement = DataSharingAgreement.objects.create(
            agency=agency,
            kind=AgreementKind.INFO_SHARING_PROTOCOL if name in PROTOCOLS else AgreementKind.MOU,
            signed_on=founded,
            expires_on=expires_on,
            covers_referrals=True,
            covers_case_review=agency.sector != Sector.EDUCATION,
            covers_reports=True,
            recorded_by=coordinator,
        )
        DataSharingAgreement.objects.filter(pk=agreement.pk).update(recorded_at=recorded_at)
