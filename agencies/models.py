from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agencies.roles import MFA_REQUIRED_ROLES, PERMISSIONS, Action, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import F


class Sector(models.TextChoices):
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    PROSECUTION = "prosecution", _("Prosecution")
    VICTIM_SERVICES = "victim_services", _("Victim services")
    HEALTH = "health", _("Health care")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    EDUCATION = "education", _("Education")
    LEGAL_AID = "legal_aid", _("Legal aid")
    IMMIGRATION = "immigration", _("Immigration services")
    COMMUNITY = "community", _("Community and faith")
    GOVERNMENT = "government", _("Government")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def for_user(self, user: User | AnonymousUser) -> AgencyQuerySet:
        """The member directory: every signed-in member sees the active agencies."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.COORDINATOR):
            return self.all()
        return self.filter(Q(is_active=True) | Q(pk=user.agency_id))


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    county = models.CharField(max_length=100)
    is_cochair = models.BooleanField("co-chairs the task force", default=False)
    is_confidential_provider = models.BooleanField(
        "bound by victim-service confidentiality (VAWA/VOCA/FVPSA)",
        default=False,
        help_text="Referrals sent by such an agency need a written, time-limited consent.",
    )
    is_active = models.BooleanField(default=True)
    referral_prefix = models.CharField(
        max_length=6, blank=True, help_text="Prefix of reference codes; defaults to the county's initials."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet["User"]):
    def for_user(self, user: User | AnonymousUser) -> UserQuerySet:
        """People a user may manage: their own agency's, or everyone for a coordinator."""
        if not user.is_authenticated:
            return self.none()
        if user.can(Action.INVITE_TO_ANY_AGENCY):
            return self.all()
        if user.can(Action.MANAGE_OWN_AGENCY_PEOPLE):
            assert user.agency_id is not None  # can() is False for a person of no agency
            return self.filter(agency_id=user.agency_id)
        return self.filter(pk=user.pk)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person of a member agency. Sign-in is by email; there is no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    time_zone = models.CharField(max_length=64, blank=True, help_text="Empty: the task force's time zone.")
    # The language of the person's pages and emails (settings.LANGUAGES), chosen with the switcher.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    USERNAME_FIELD = "email"
    # Class-level, as AbstractBaseUser and AbstractUser declare them (django-stubs: managers are ClassVars).
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(agency__isnull=False), name="user_member_of_an_agency"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        if self.role == Role.COORDINATOR and self.agency_id and not self.member_agency.is_cochair:
            raise ValidationError({"role": "Coordinators belong to a co-chair agency."})

    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def _session_hash(self, *, secret: str | bytes | None) -> str:
        """What a session is bound to: Django's password hash, and also the role and the agency.

        A role or agency change then ends every session of the person at its next request, whatever
        made the session (allauth's sign-in records its sessions and `_end_access` ends those; a
        plain `login()`, as on accepting an invitation, leaves no record to end).
        """
        from django.utils.crypto import salted_hmac

        bound = f"{self.password}|{self.role}|{self.agency_id}"
        return salted_hmac("agencies.User.session", bound, secret=secret, algorithm="sha256").hexdigest()

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and self.role in roles

    def can(self, action: Action) -> bool:
        """The permission check every view, selector and API endpoint uses."""
        if not self.is_active or self.agency_id is None:
            return False
        if self.role == Role.COORDINATOR and not self.member_agency.is_cochair:
            return False
        return self.role in PERMISSIONS[action]

    @property
    def member_agency(self) -> Agency:
        """The person's agency, for code that already knows they belong to one: `can()` and every
        `for_user()` refuse a person without an agency, and only a superuser may have none (the
        user_member_of_an_agency constraint). The one place that states it, for the type checker too."""
        agency = self.agency
        assert agency is not None, "a person of no agency got past the checks that require one"
        return agency

    @property
    def requires_mfa(self) -> bool:
        return self.is_superuser or self.is_staff or self.role in MFA_REQUIRED_ROLES

    def lacks_required_mfa(self) -> bool:
        """True while a person whose role needs MFA has not enrolled an authenticator app."""
        return self.requires_mfa and not self.has_totp

    @cached_property
    def has_totp(self) -> bool:
        """Whether the person has enrolled an authenticator app: one query, the first time it is read.

        A query that loads people may read it with them, as an annotation of this name
        (`annotate(has_totp=Exists(User.totp_authenticators(OuterRef("pk"))))`): Django sets an
        annotation on the instance, where this property finds it. The API's token lookup
        (api.services) reads it with the token, one query fewer on every API request."""
        return self.totp_authenticators(self.pk).exists()

    @staticmethod
    def totp_authenticators(person: int | F) -> models.QuerySet:
        """The authenticator apps (TOTP) of the person `person` (an id, or an `OuterRef` to one)."""
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_user(self, user: User | AnonymousUser) -> InvitationQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.can(Action.INVITE_TO_ANY_AGENCY):
            return self.all()
        if user.can(Action.INVITE_TO_OWN_AGENCY):
            assert user.agency_id is not None  # can() is False for a person of no agency
            return self.filter(agency_id=user.agency_id)
        return self.none()


class Invitation(models.Model):
    """A single-use, expiring invitation. The link carries a signature of the id, not a stored secret."""

    email = models.EmailField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation_accepted"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.agency}"


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    INFO_SHARING_PROTOCOL = "info_sharing_protocol", _("Information-sharing protocol")


class DataSharingAgreementQuerySet(models.QuerySet["DataSharingAgreement"]):
    def for_user(self, user: User | AnonymousUser) -> DataSharingAgreementQuerySet:
        """Coordinators keep the agreements of every agency; nobody else reads them (the role map)."""
        if not user.is_authenticated or not user.can(Action.MANAGE_AGREEMENTS):
            return self.none()
        return self.all()

    def current(self, *, on: date) -> DataSharingAgreementQuerySet:
        """In force on the day `on`: signed by then, not expired (the expiry day is the last day in
        force), and not ended as recorded in error."""
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on), ended_at__isnull=True, signed_on__lte=on)


class DataSharingAgreement(models.Model):
    """An agency's signed agreement with the task force about what it shares (issue 18).

    Referrals to or from an agency go only while it has a current agreement covering referrals
    (`agencies.agreements.referral_refusal`). A row is never deleted nor edited: one recorded in error
    is ended (`ended_at`, `ended_by`, audited), and a renewal is a new row.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=32, choices=AgreementKind.choices)
    signed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: the agreement has no end date.")
    covers_referrals = models.BooleanField(default=False)
    covers_case_review = models.BooleanField(default=False)
    covers_reports = models.BooleanField(default=False)
    # Passed through the de-identification guard before it is stored; never copied into the audit trail.
    note = models.CharField(max_length=300, blank=True)
    # Null for an agreement loaded by the task force's operators (demo data, a bulk load), not in the portal.
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = DataSharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "-signed_on", "-pk"]
        indexes = [models.Index(fields=["agency", "signed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(covers_referrals=True) | Q(covers_case_review=True) | Q(covers_reports=True),
                name="agreement_covers_something",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("signed_on")),
                name="agreement_expires_after_signing",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, ended_by__isnull=True)
                | Q(ended_at__isnull=False, ended_by__isnull=False),
                name="agreement_ended_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.agency}, signed {self.signed_on:%Y-%m-%d}"

    @property
    def scope_labels(self) -> list[str]:
        """What it covers, in plain words, in a fixed order."""
        covered = [
            (self.covers_referrals, _("referrals")),
            (self.covers_case_review, _("case review")),
            (self.covers_reports, _("reports")),
        ]
        return [str(label) for flag, label in covered if flag]
