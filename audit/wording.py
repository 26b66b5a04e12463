"""The one table of what a person reads about an audit event and its outcome, in plain words.

The codes (`referral.viewed`) and AuditEvent's labels are the trail's own names, for exports, logs and the
Django admin: they stay as they are, in English. The audit trail page and a referral's trail show these
words instead, translated into the reader's language. tests/audit checks that every event has its words.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent, Outcome

E = AuditEvent

EVENT_WORDS: dict[str, Promise] = {
    E.SIGNED_IN: _("Signed in"),
    E.SIGN_IN_FAILED: _("Sign-in failed"),
    E.SIGNED_OUT: _("Signed out"),
    E.LOCKED_OUT: _("Sign-in paused after repeated failures"),
    E.SESSION_EXPIRED: _("Signed out after a period of inactivity"),
    E.MFA_ENABLED: _("Authenticator app added"),
    E.MFA_DISABLED: _("Authenticator app removed"),
    E.INVITATION_SENT: _("Invitation sent"),
    E.INVITATION_REVOKED: _("Invitation revoked"),
    E.INVITATION_ACCEPTED: _("Invitation accepted"),
    E.ROLE_CHANGED: _("Role changed"),
    E.PERSON_DEACTIVATED: _("Person deactivated"),
    E.PERSON_REACTIVATED: _("Person reactivated"),
    E.AGENCY_ADMITTED: _("Agency admitted"),
    E.AGENCY_CHANGED: _("Agency details changed"),
    E.TOKEN_CREATED: _("API token created"),
    E.TOKEN_REVOKED: _("API token revoked"),
    E.REFERRAL_VIEWED: _("Referral opened"),
    E.REFERRAL_CREATED: _("Referral created"),
    E.REFERRAL_SENT: _("Referral sent"),
    E.REFERRAL_TRANSITIONED: _("Referral status changed"),
    E.REFERRAL_COMMENTED: _("Comment added to a referral"),
    E.REFERRAL_FLAGGED: _("Referral flagged for case review"),
    E.REFERRAL_LISTED: _("Referral list opened"),
    E.REFERRAL_COMMENTS_VIEWED: _("Referral comments read"),
    E.SERVICE_DELIVERY_RECORDED: _("Service delivered recorded"),
    E.REFERRAL_NOT_FOUND: _("Referral asked for and not shown"),
    E.REFERRALS_PURGED: _("Closed and withdrawn referrals deleted after the retention period"),
    E.REFERRAL_ESCALATED: _("Unanswered referral escalated"),
    E.REFERRAL_CONTACT_SET: _("Hand-off contact named"),
    E.CONSENT_RECORDED: _("Consent recorded"),
    E.CONSENT_REVOKED: _("Consent withdrawn"),
    E.DEIDENTIFICATION_REFUSED: _("Text refused because it seemed to identify someone"),
    E.EXPORTED: _("Data exported"),
    E.REPORT_SAVED: _("Grant report saved as a draft"),
    E.REPORT_APPROVED: _("Grant report approved and frozen"),
    E.FUNDER_COPY_VIEWED: _("Funder copy of a grant report opened"),
    E.FUNDER_COPY_EXPORTED: _("Funder copy of a grant report exported"),
    E.FIGURES_REMINDER_SENT: _("Reminder about missing figures sent"),
    E.DIGEST_PREFERENCES_CHANGED: _("Email preferences changed"),
    E.DIGEST_UNSUBSCRIBED: _("Unsubscribed from an email"),
    E.DIGEST_DEFAULTS_CHANGED: _("Digest defaults changed"),
    E.MEETING_SCHEDULED: _("Meeting scheduled"),
    E.MEETING_CHANGED: _("Meeting changed"),
    E.MEETING_CANCELLED: _("Meeting cancelled"),
    E.AGENDA_CHANGED: _("Agenda changed"),
    E.AGENDA_PUBLISHED: _("Agenda published"),
    E.MINUTES_SAVED: _("Minutes saved"),
    E.MINUTES_CIRCULATED: _("Minutes circulated"),
    E.MINUTES_APPROVED: _("Minutes approved"),
    E.MINUTES_CORRECTION: _("Correction of approved minutes started"),
    E.ATTENDANCE_RECORDED: _("Attendance recorded"),
    E.ATTENDANCE_REMOVED: _("Attendance removed"),
    E.MOTION_RECORDED: _("Motion and vote recorded"),
    E.ACTION_ITEM_CREATED: _("Action item created"),
    E.ACTION_ITEM_CHANGED: _("Action item status changed"),
    E.ATTACHMENT_ADDED: _("Handout added"),
    E.ATTACHMENT_REMOVED: _("Handout removed"),
    E.COMMITTEE_CHANGED: _("Committee changed"),
    E.TRAINING_CHANGED: _("Training offered or changed"),
    E.TRAINING_PEOPLE_TRAINED: _("Number of people trained recorded"),
    E.TRAINING_REQUEST_RECEIVED: _("Training request received"),
    E.TRAINING_REQUEST_CHANGED: _("Training request changed"),
    E.CALENDAR_FEED_CREATED: _("Calendar feed link created"),
    E.CALENDAR_FEED_REVOKED: _("Calendar feed link revoked"),
    E.ACTIVITY_FIGURE_ENTERED: _("Activity figure entered"),
    E.ACTIVITY_FIGURE_CORRECTED: _("Activity figure corrected"),
    E.SERVICE_PROFILE_CHANGED: _("Service profile changed"),
    E.CAPACITY_CONFIRMED: _("Capacity status confirmed"),
    E.AGREEMENT_RECORDED: _("Data-sharing agreement recorded"),
    E.AGREEMENT_ENDED: _("Data-sharing agreement ended (recorded in error)"),
    E.WEBHOOK_ADDED: _("Webhook endpoint added"),
    E.WEBHOOK_CHANGED: _("Webhook endpoint changed"),
    E.WEBHOOK_DELETED: _("Webhook endpoint deleted"),
    E.WEBHOOK_SECRET_ROTATED: _("Webhook signing secret replaced"),
    E.WEBHOOK_ENABLED: _("Webhook endpoint turned back on"),
    E.WEBHOOK_DISABLED: _("Webhook endpoint turned off after repeated failures"),
    E.WEBHOOK_TEST_SENT: _("Webhook test event sent"),
    E.ANNOUNCEMENT_SENT: _("Announcement sent"),
    E.ANNOUNCEMENT_ACKNOWLEDGED: _("Announcement acknowledged"),
}

OUTCOME_WORDS: dict[str, Promise] = {
    Outcome.SUCCESS: _("Done"),
    Outcome.FAILURE: _("Failed"),
    Outcome.DENIED: _("Refused"),
}


def event_words(event: str) -> str:
    """What a person reads for the event `event` (a code), in the active language; the code's own label for
    an event added without its words (the test catches it), the code itself for one that no longer exists."""
    if event in EVENT_WORDS:
        return str(EVENT_WORDS[event])
    return str(AuditEvent(event).label) if event in AuditEvent.values else event


def outcome_words(outcome: str) -> str:
    return str(OUTCOME_WORDS.get(outcome, outcome))


def event_choices() -> list[tuple[str, str]]:
    """The events of the trail page's filter, in plain words, in the order of AuditEvent."""
    return [(event.value, event_words(event.value)) for event in AuditEvent]
