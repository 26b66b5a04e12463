"""Writes: a person's email preferences, the task-force defaults, one-click unsubscribe."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from digests.models import (
    DIGEST_KIND,
    HOURS,
    NOTIFICATION_SWITCHES,
    DigestPreference,
    Frequency,
    TaskForceDigestDefaults,
    Weekday,
)
from digests.notifications import notification_kind

_SCHEDULE_FIELDS = ("frequency", "weekday", "hour")


def _check_schedule(*, frequency: str, weekday: int, hour: int) -> None:
    errors = {}
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose daily, weekly or never.")
    if weekday not in Weekday.values:
        errors["weekday"] = _("Choose a day of the week.")
    if hour not in dict(HOURS):
        errors["hour"] = _("Choose an hour from 00:00 to 23:00.")
    if errors:
        raise ValidationError(errors)


def _check_time_zone(time_zone: str) -> None:
    if time_zone and time_zone not in available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})


@transaction.atomic
def digest_preference_update(
    *,
    actor: User,
    frequency: str,
    weekday: int,
    hour: int,
    time_zone: str,
    notify_referral_received: bool,
    notify_consent_revoked: bool,
    notify_invitations: bool,
    notify_agency_alerts: bool = True,
    notify_announcements: bool = True,
) -> DigestPreference:
    """A person's own choice (nobody changes another's). A new schedule takes effect from its next period."""
    _check_schedule(frequency=frequency, weekday=weekday, hour=hour)
    _check_time_zone(time_zone)
    now = timezone.now()
    preference = DigestPreference.objects.select_for_update().filter(person=actor).first()
    before = {field: getattr(preference, field) for field in _SCHEDULE_FIELDS} if preference else None
    values = {
        "frequency": frequency,
        "weekday": weekday,
        "hour": hour,
        "notify_referral_received": notify_referral_received,
        "notify_consent_revoked": notify_consent_revoked,
        "notify_invitations": notify_invitations,
        "notify_agency_alerts": notify_agency_alerts,
        "notify_announcements": notify_announcements,
    }
    zone_changed = actor.time_zone != time_zone
    if preference is None:
        preference = DigestPreference(person=actor, schedule_changed_at=now)
    elif zone_changed or before != {field: values[field] for field in _SCHEDULE_FIELDS}:
        preference.schedule_changed_at = now
    for field, value in values.items():
        setattr(preference, field, value)
    preference.save()
    if zone_changed:
        actor.time_zone = time_zone
        actor.save(update_fields=["time_zone"])
    audit_record(
        actor=actor,
        event=AuditEvent.DIGEST_PREFERENCES_CHANGED,
        target=preference,
        target_label=actor.email,
        detail={"frequency": frequency, "weekday": weekday, "hour": hour, "time_zone": time_zone},
    )
    return preference


@transaction.atomic
def digest_preference_reset(*, actor: User) -> None:
    """Back to the task-force defaults (and to their future changes)."""
    deleted, _ = DigestPreference.objects.filter(person=actor).delete()
    if deleted:
        audit_record(
            actor=actor,
            event=AuditEvent.DIGEST_PREFERENCES_CHANGED,
            target=actor,
            target_label=actor.email,
            detail={"reset": True},
        )


@transaction.atomic
def digest_defaults_update(
    *,
    actor: User,
    frequency: str,
    weekday: int,
    hour: int,
    notify_referral_received: bool,
    notify_consent_revoked: bool,
    notify_invitations: bool,
    notify_agency_alerts: bool = True,
    notify_announcements: bool = True,
) -> TaskForceDigestDefaults:
    """What people who never chose get; people who chose keep their choice."""
    if not actor.can(Action.SET_DIGEST_DEFAULTS):
        raise PermissionDenied
    _check_schedule(frequency=frequency, weekday=weekday, hour=hour)
    TaskForceDigestDefaults.current()
    defaults = TaskForceDigestDefaults.objects.select_for_update().get(pk=1)
    defaults.frequency, defaults.weekday, defaults.hour = frequency, weekday, hour
    defaults.notify_referral_received = notify_referral_received
    defaults.notify_consent_revoked = notify_consent_revoked
    defaults.notify_invitations = notify_invitations
    defaults.notify_agency_alerts = notify_agency_alerts
    defaults.notify_announcements = notify_announcements
    defaults.updated_by = actor
    defaults.save()
    audit_record(
        actor=actor,
        event=AuditEvent.DIGEST_DEFAULTS_CHANGED,
        target=defaults,
        detail={"frequency": frequency, "weekday": weekday, "hour": hour},
    )
    return defaults


def stream_label(stream: str) -> str:
    """What an unsubscribe link stops, for its confirmation page."""
    if stream == DIGEST_KIND:
        return _("the task-force digest")
    return str(notification_kind(stream).label)


@transaction.atomic
def digest_unsubscribe(*, person: User, stream: str) -> DigestPreference:
    """One-click unsubscribe from the digest or one kind of notification (signed link, no sign-in)."""
    switch = "frequency" if stream == DIGEST_KIND else notification_kind(stream).switch
    preference = DigestPreference.objects.select_for_update().filter(person=person).first()
    if preference is None:
        # Keep everything else as the person had it: a copy of the defaults.
        defaults = TaskForceDigestDefaults.current()
        preference = DigestPreference(person=person, schedule_changed_at=timezone.now())
        for field in (*_SCHEDULE_FIELDS, *NOTIFICATION_SWITCHES):
            setattr(preference, field, getattr(defaults, field))
    if switch == "frequency":
        preference.frequency = Frequency.NEVER
    else:
        setattr(preference, switch, False)
    preference.save()
    audit_record(
        actor=person,
        event=AuditEvent.DIGEST_UNSUBSCRIBED,
        target=preference,
        target_label=person.email,
        detail={"stream": stream},
    )
    return preference
