from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class AuditEvent(models.TextChoices):
    SIGNED_IN = "auth.signed_in", "Signed in"
    SIGN_IN_FAILED = "auth.sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "auth.signed_out", "Signed out"
    LOCKED_OUT = "auth.locked_out", "Locked out after repeated failures"
    SESSION_EXPIRED = "auth.session_expired", "Session expired"
    MFA_ENABLED = "auth.mfa_enabled", "Authenticator added"
    MFA_DISABLED = "auth.mfa_disabled", "Authenticator removed"
    INVITATION_SENT = "people.invitation_sent", "Invitation sent"
    INVITATION_REVOKED = "people.invitation_revoked", "Invitation revoked"
    INVITATION_ACCEPTED = "people.invitation_accepted", "Invitation accepted"
    ROLE_CHANGED = "people.role_changed", "Role changed"
    PERSON_DEACTIVATED = "people.deactivated", "Person deactivated"
    PERSON_REACTIVATED = "people.reactivated", "Person reactivated"
    AGENCY_ADMITTED = "agencies.admitted", "Agency admitted"
    AGENCY_CHANGED = "agencies.changed", "Agency changed"
    TOKEN_CREATED = "api.token_created", "API token created"
    TOKEN_REVOKED = "api.token_revoked", "API token revoked"
    # Case data: every view, change and export.
    REFERRAL_VIEWED = "referral.viewed", "Referral viewed"
    REFERRAL_CREATED = "referral.created", "Referral created"
    REFERRAL_SENT = "referral.sent", "Referral sent"
    REFERRAL_TRANSITIONED = "referral.transitioned", "Referral status changed"
    REFERRAL_COMMENTED = "referral.commented", "Comment added"
    REFERRAL_FLAGGED = "referral.flagged", "Flagged for case review"
    REFERRAL_LISTED = "referral.listed", "Referral list viewed"
    REFERRAL_COMMENTS_VIEWED = "referral.comments_viewed", "Referral comments read"
    SERVICE_DELIVERY_RECORDED = "referral.service_recorded", "Service delivered recorded"
    # A referral id asked for and not shown (missing, another agency's, consent ended): probing leaves a trace.
    REFERRAL_NOT_FOUND = "referral.not_found", "Referral asked for and not found"
    # Retention: closed and withdrawn referrals deleted after REFERRAL_RETENTION_DAYS (counts only in the row).
    REFERRALS_PURGED = "referral.purged", "Ended referrals purged after the retention period"
    # Escalation of an unanswered referral (no actor: the portal did it) and the receiver's hand-off contact.
    REFERRAL_ESCALATED = "referral.escalated", "Unanswered referral escalated"
    REFERRAL_CONTACT_SET = "referral.contact_set", "Hand-off contact named"
    CONSENT_RECORDED = "consent.recorded", "Consent recorded"
    CONSENT_REVOKED = "consent.revoked", "Consent revoked"
    DEIDENTIFICATION_REFUSED = "privacy.refused", "Text refused by the de-identification guard"
    EXPORTED = "data.exported", "Data exported"
    # Grant reports (exports of their figures are EXPORTED).
    REPORT_SAVED = "report.saved", "Grant report saved as a draft"
    REPORT_APPROVED = "report.approved", "Grant report approved and frozen"
    # The funder copy (exact figures): every view and every export; reminders about missing figures.
    FUNDER_COPY_VIEWED = "report.funder_viewed", "Funder copy of a grant report viewed"
    FUNDER_COPY_EXPORTED = "report.funder_exported", "Funder copy of a grant report exported"
    FIGURES_REMINDER_SENT = "report.reminder_sent", "Reminder about missing figures sent"
    # Digests and notifications.
    DIGEST_PREFERENCES_CHANGED = "digests.preferences_changed", "Email preferences changed"
    DIGEST_UNSUBSCRIBED = "digests.unsubscribed", "Unsubscribed from an email"
    DIGEST_DEFAULTS_CHANGED = "digests.defaults_changed", "Digest defaults changed"
    # Meetings and trainings.
    MEETING_SCHEDULED = "meeting.scheduled", "Meeting scheduled"
    MEETING_CHANGED = "meeting.changed", "Meeting changed"
    MEETING_CANCELLED = "meeting.cancelled", "Meeting cancelled"
    AGENDA_CHANGED = "meeting.agenda_changed", "Agenda changed"
    AGENDA_PUBLISHED = "meeting.agenda_published", "Agenda published"
    MINUTES_SAVED = "meeting.minutes_saved", "Minutes saved"
    MINUTES_CIRCULATED = "meeting.minutes_circulated", "Minutes circulated"
    MINUTES_APPROVED = "meeting.minutes_approved", "Minutes approved"
    MINUTES_CORRECTION = "meeting.minutes_correction", "Correction of approved minutes started"
    ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Attendance recorded"
    ATTENDANCE_REMOVED = "meeting.attendance_removed", "Attendance removed"
    MOTION_RECORDED = "meeting.motion_recorded", "Motion and vote recorded"
    ACTION_ITEM_CREATED = "meeting.action_item_created", "Action item created"
    ACTION_ITEM_CHANGED = "meeting.action_item_changed", "Action item status changed"
    ATTACHMENT_ADDED = "meeting.attachment_added", "Handout added"
    ATTACHMENT_REMOVED = "meeting.attachment_removed", "Handout removed"
    COMMITTEE_CHANGED = "meeting.committee_changed", "Committee changed"
    TRAINING_CHANGED = "training.changed", "Training offered or changed"
    TRAINING_PEOPLE_TRAINED = "training.people_trained", "People trained recorded"
    TRAINING_REQUEST_RECEIVED = "training.request_received", "Training request received"
    TRAINING_REQUEST_CHANGED = "training.request_changed", "Training request changed"
    CALENDAR_FEED_CREATED = "calendar.feed_created", "Calendar feed link created"
    CALENDAR_FEED_REVOKED = "calendar.feed_revoked", "Calendar feed link revoked"
    # Task-force activity figures (counts per agency and quarter; the row holds the measure and values).
    ACTIVITY_FIGURE_ENTERED = "activity.figure_entered", "Activity figure entered"
    ACTIVITY_FIGURE_CORRECTED = "activity.figure_corrected", "Activity figure corrected"
    # Service directory (issue 18): the row names the fields changed and the capacity codes, never the text.
    SERVICE_PROFILE_CHANGED = "directory.profile_changed", "Service profile changed"
    CAPACITY_CONFIRMED = "directory.capacity_confirmed", "Capacity status confirmed"
    # Data-sharing agreements (issue 18): recorded by coordinators, ended only when recorded in error.
    AGREEMENT_RECORDED = "agreement.recorded", "Data-sharing agreement recorded"
    AGREEMENT_ENDED = "agreement.ended", "Data-sharing agreement ended (recorded in error)"
    # Webhooks: an agency's endpoints (the row holds the endpoint's id and events, never its secret).
    WEBHOOK_ADDED = "webhook.added", "Webhook endpoint added"
    WEBHOOK_CHANGED = "webhook.changed", "Webhook endpoint changed"
    WEBHOOK_DELETED = "webhook.deleted", "Webhook endpoint deleted"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated", "Webhook signing secret replaced"
    WEBHOOK_ENABLED = "webhook.enabled", "Webhook endpoint turned back on"
    WEBHOOK_DISABLED = "webhook.disabled", "Webhook endpoint turned off after repeated failures"
    WEBHOOK_TEST_SENT = "webhook.test_sent", "Webhook test event sent"
    # Announcements to partner agencies (the row holds the audience and its size, never the text).
    ANNOUNCEMENT_SENT = "announcement.sent", "Announcement sent"
    ANNOUNCEMENT_ACKNOWLEDGED = "announcement.acknowledged", "Announcement acknowledged"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    DENIED = "denied", "Denied"


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> AuditEntryQuerySet:
        """The rows `user` may read: coordinators the task force's trail, agency administrators their agency's.

        That rule belongs to the role map, in agencies, an app above this one (every app writes to the
        trail, so the trail imports none of them). settings.AUDIT_TRAIL_SCOPE names the function that
        states it, as AUTH_USER_MODEL names the user model: it returns the filter of the rows the
        person may read, or None for none.
        """
        if not user.is_authenticated:
            return self.none()
        scope = import_string(settings.AUDIT_TRAIL_SCOPE)(user)
        return self.none() if scope is None else self.filter(scope)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One row per event; never changed, never deleted (a database trigger enforces it on PostgreSQL)."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Snapshots: the trail must still say who it was if a person or agency is renamed.
    actor_email = models.CharField(max_length=254, blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True)
    event = models.CharField(max_length=40, choices=AuditEvent.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id", "-occurred_at"]),
            models.Index(fields=["agency", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_event_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail is append-only.")

    @property
    def event_words(self) -> str:
        """The event in plain words, in the reader's language (audit/wording.py), for the pages."""
        from audit.wording import event_words  # the table names AuditEvent: imported when read

        return event_words(self.event)

    @property
    def outcome_words(self) -> str:
        from audit.wording import outcome_words

        return outcome_words(self.outcome)
