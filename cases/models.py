from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from agencies.roles import Action
from cases import choices, person_codes
from cases.deidentification import validate_deidentified
from toolkit import fulltext

if TYPE_CHECKING:
    from datetime import date

    from django.contrib.auth.models import AnonymousUser

    from agencies.models import Agency, User

NOTE_MAX_LENGTH = 1000
# The coded facts of a referral, in the order the form, the CSV import and the API list show them.
CODED_FIELDS = (
    "urgency",
    "trafficking_type",
    "victim_status",
    "age_band",
    "gender",
    "citizenship",
    "county",
    "language",
    "interpreter_needed",
    "source_type",
)


# The referral list's default order (cases.selectors.URGENCY_THEN_AGE): emergency first, then urgent, then
# routine. Defined here for the indexes that serve that order; an index serves it only while the list orders
# by this very expression.
URGENCY_RANKS: dict[str, int] = {choices.Urgency.EMERGENCY: 0, choices.Urgency.URGENT: 1, choices.Urgency.ROUTINE: 2}
URGENCY_RANK = Case(
    *(When(urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_RANKS.items()),
    default=Value(len(URGENCY_RANKS)),
    output_field=IntegerField(),
)
# A referral still waiting for an answer or being worked on. The web list opens on these.
OPEN_STATUSES: tuple[str, ...] = (choices.Status.SENT, choices.Status.ACCEPTED, choices.Status.IN_PROGRESS)


class Consent(models.Model):
    """A survivor's written, time-limited release for ONE receiving agency (34 U.S.C. 12291(b)(2)).

    The signed release itself stays with the sending agency; the portal records only that it exists.
    """

    sending_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20, choices=choices.ConsentMethod.choices)
    given_on = models.DateField()
    scope = models.CharField(max_length=30, choices=choices.ConsentScope.choices)
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("given_on")), name="consent_expires_after_given"
            )
        ]

    def __str__(self) -> str:
        return f"Consent for {self.receiving_agency} until {self.expires_on}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()


def consent_in_force() -> Q:
    """Referrals the receiving agency may still see: no consent was needed, or it is in force."""
    return Q(consent__isnull=True) | Q(consent__revoked_at__isnull=True, consent__expires_on__gte=timezone.localdate())


def _handles_referrals(user: User | AnonymousUser) -> TypeGuard[User]:
    return user.is_authenticated and user.can(Action.HANDLE_REFERRALS)


def _sent_by(user: User) -> Q:
    return Q(sending_agency_id=user.agency_id)


def _received_by(user: User) -> Q:
    return Q(receiving_agency_id=user.agency_id) & consent_in_force()


def visibility_key(user: User | AnonymousUser) -> tuple[bool, int | None, date]:
    """All that `for_user`, `incoming_for` and `outgoing_for` read of the person and of the moment:
    two people with the same key see the same referrals, so a queryset built for one serves the
    other (cases.selectors.referral_rows keeps them per key). Change it whenever the rule changes."""
    if not _handles_referrals(user):
        return False, None, timezone.localdate()
    return True, user.agency_id, timezone.localdate()


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_user(self, user: User | AnonymousUser) -> ReferralQuerySet:
        """Only referral officers of the sending agency, or of the receiving agency while consent holds."""
        if not _handles_referrals(user):
            return self.none()
        return self.filter(_sent_by(user) | _received_by(user))

    def incoming_for(self, user: User | AnonymousUser) -> ReferralQuerySet:
        """The part of `for_user` sent to the person's agency. Lists use it: without the OR of
        `for_user`, PostgreSQL walks the (receiving agency, id) index and stops after one page."""
        return self.filter(_received_by(user)) if _handles_referrals(user) else self.none()

    def outgoing_for(self, user: User | AnonymousUser) -> ReferralQuerySet:
        """The part of `for_user` sent by the person's agency."""
        return self.filter(_sent_by(user)) if _handles_referrals(user) else self.none()

    def lost_to_agency(self, agency: Agency) -> ReferralQuerySet:
        """Referrals sent to `agency` that it can no longer see because consent ended."""
        return self.filter(receiving_agency=agency).exclude(consent_in_force())


class PersonCode(models.Model):
    """One person, as the task force counts people: a random code the portal issues (cases/person_codes.py).

    Nothing about the person is here or derivable from here: the sending agency keeps the code offline
    beside the identity and types it again when it refers the same person elsewhere. A code is seen
    exactly as the referrals that carry it are seen (cases.services.person_code_find).
    """

    code = models.CharField(max_length=person_codes.MAX_LENGTH, unique=True, editable=False)
    issued_by = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.code


class Referral(models.Model):
    reference_code = models.CharField(max_length=20, unique=True, editable=False)
    # Null on referrals sent before person codes existed (reports count those apart).
    person_code = models.ForeignKey(
        PersonCode, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="referrals"
    )
    sending_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    receiving_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_received")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referral")
    status = models.CharField(max_length=20, choices=choices.Status.choices, default=choices.Status.SENT)

    trafficking_type = models.CharField(max_length=10, choices=choices.TraffickingType.choices)
    victim_status = models.CharField(max_length=10, choices=choices.VictimStatus.choices)
    age_band = models.CharField(max_length=10, choices=choices.AgeBand.choices)
    gender = models.CharField(max_length=20, choices=choices.Gender.choices)
    citizenship = models.CharField(max_length=20, choices=choices.Citizenship.choices)
    county = models.CharField(
        max_length=60,
        validators=[
            RegexValidator(
                r"^[A-Za-z][A-Za-z .'\-]*$",
                "Give the county's name only (letters, spaces, apostrophes and hyphens).",
            )
        ],
    )
    language = models.CharField(max_length=10, choices=choices.Language.choices)
    interpreter_needed = models.BooleanField(default=False)
    source_type = models.CharField(max_length=20, choices=choices.SourceType.choices)
    urgency = models.CharField(max_length=10, choices=choices.Urgency.choices, default=choices.Urgency.ROUTINE)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True, validators=[validate_deidentified])
    # The note's words for full-text search, kept by the database (see toolkit/fulltext.py).
    note_search = models.GeneratedField(
        expression=fulltext.SearchDocument("note", config=fulltext.CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    decline_reason = models.CharField(max_length=20, choices=choices.DeclineReason.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=choices.Outcome.choices, blank=True)
    flagged_for_review_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Escalation of an unanswered referral (cases/escalation.py): when it last became "sent" (sent, or
    # reopened to "sent"), and when each step told the receiver's administrators, then the co-chairs.
    # A reopen to "sent" starts the clock again and clears both steps.
    awaiting_since = models.DateTimeField(default=timezone.now, editable=False)
    escalated_to_admins_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_to_cochairs_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who handles it at the receiving agency, named on accept (staff contact data for the hand-off,
    # never a survivor's); the sender's contact is `sent_by`.
    receiver_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["sending_agency", "-id"]),
            models.Index(fields=["receiving_agency", "-id"]),
            models.Index(fields=["status", "-id"]),
            # Grant reports select a period by the date a referral was sent.
            models.Index(fields=["created_at"]),
            # The escalation sweep reads the referrals still waiting for an answer, and only those.
            models.Index(fields=["awaiting_since"], condition=Q(status="sent"), name="referral_awaiting_answer"),
            # A digest counts, per agency, the referrals waiting for its answer and those sent to it in the
            # window (cases/digest_sections.py): both read only those rows, whatever the agency's history.
            models.Index(fields=["receiving_agency"], condition=Q(status="sent"), name="referral_waiting_for"),
            models.Index(fields=["receiving_agency", "created_at"], name="referral_received_when"),
            # The list's default order, a page at a time: every status (the API), and the open ones (the web).
            models.Index(F("receiving_agency"), URGENCY_RANK, F("created_at"), F("id"), name="referral_received_rank"),
            models.Index(
                F("receiving_agency"),
                URGENCY_RANK,
                F("created_at"),
                F("id"),
                condition=Q(status__in=OPEN_STATUSES),
                name="referral_received_open_rank",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending_agency=models.F("receiving_agency")), name="referral_between_two_agencies"
            )
        ]

    def __str__(self) -> str:
        return self.reference_code


class ReferralNeed(models.Model):
    """One row per need, so that reports can count needs with a GROUP BY on any database."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="needs")
    need = models.CharField(max_length=20, choices=choices.Need.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "need"], name="referral_need_once")]

    def __str__(self) -> str:
        return self.get_need_display()


class ServiceDelivery(models.Model):
    """A service the receiving agency provided on a referral in a month (coded, by the Need choices).

    One row per (referral, service, month): reports count people served by service type per period,
    so a month is the finest date kept (DOMAIN.md: event dates generalised to the month).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(max_length=20, choices=choices.Need.choices)
    month = models.DateField(help_text="The first day of the month the service was provided in.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["month", "service", "id"]
        constraints = [models.UniqueConstraint(fields=["referral", "service", "month"], name="service_delivery_once")]
        # Reports select a period by the month.
        indexes = [models.Index(fields=["month"])]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.month:%Y-%m}"


class TimelineEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="timeline")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    move = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=choices.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=choices.Status.choices)
    reason = models.CharField(max_length=30, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True, validators=[validate_deidentified])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        # A digest reads the window's changes from this index alone (cases/digest_sections.py); a referral's
        # sending is news of another kind ("new"), left out.
        indexes = [
            models.Index(fields=["created_at", "referral", "agency"], condition=~Q(move="send"), name="timeline_window")
        ]

    def __str__(self) -> str:
        return f"{self.referral} {self.move}"


class Comment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=NOTE_MAX_LENGTH, validators=[validate_deidentified])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        # A digest reads the window's comments from this index alone (cases/digest_sections.py).
        indexes = [models.Index(fields=["created_at", "referral", "agency"], name="comment_window")]

    def __str__(self) -> str:
        return f"Comment on {self.referral}"


class ReferenceSequence(models.Model):
    """The last number handed out per prefix and year; rows are locked while a code is drawn."""

    prefix = models.CharField(max_length=6)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_once")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
