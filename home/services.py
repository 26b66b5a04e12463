"""Writes of announcements: sending one (guarded, audited, emailed through the notifications framework)
and acknowledging one."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agencies.models import Agency, Sector, User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from cases.services import guard_free_text
from digests.notifications import notification_schedule
from home.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Announcement, AnnouncementAcknowledgement, Audience
from home.selectors import AudienceSize, audience_size, is_addressed_to

NOTIFICATION_KIND = "announcement"  # home.notifications.AnnouncementNotification.key


@dataclass(frozen=True)
class AnnouncementDraft:
    """What a coordinator typed and chose, before it is checked."""

    title: str
    body: str
    audience: str
    sector: str = ""
    agency_ids: tuple[int, ...] = ()


def announcement_check(*, actor: User, draft: AnnouncementDraft) -> tuple[AnnouncementDraft, AudienceSize]:
    """Everything `announcement_send` checks, without writing: the right, the audience, the lengths,
    then the de-identification guard on the title and the body (a refusal is audited, never stored).
    Returns the cleaned draft and the size of its audience now ("This goes to N people at M agencies").
    Raises PermissionDenied, or ValidationError keyed by field."""
    if not actor.can(Action.SEND_ANNOUNCEMENTS):
        raise PermissionDenied(_("Only the task-force coordinators send announcements."))
    clean = _clean(draft)
    guard_free_text(actor=actor, fields={"title": clean.title, "body": clean.body})
    size = audience_size(audience=clean.audience, sector=clean.sector, agency_ids=clean.agency_ids, sent_by_id=actor.pk)
    if size.people == 0:
        raise ValidationError({"audience": _("Nobody would receive it: no active person works at these agencies.")})
    return clean, size


def announcement_send(*, actor: User, draft: AnnouncementDraft) -> Announcement:
    """Send an announcement: stored with its audience, audited, and emailed at once (after commit) to the
    people of the audience whose "announcements" email switch is on. Same refusals as announcement_check."""
    clean, size = announcement_check(actor=actor, draft=draft)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            title=clean.title, body=clean.body, audience=clean.audience, sector=clean.sector, sent_by=actor
        )
        if clean.audience == Audience.AGENCIES:
            announcement.agencies.set(clean.agency_ids)
        detail = {
            "audience": clean.audience,
            "sector": clean.sector,
            "agencies": list(clean.agency_ids),
            "people": size.people,
        }
        audit_record(actor=actor, event=AuditEvent.ANNOUNCEMENT_SENT, target=announcement, detail=detail)
        notification_schedule(kind=NOTIFICATION_KIND, target_id=announcement.pk)
    return announcement


def _clean(draft: AnnouncementDraft) -> AnnouncementDraft:
    errors: dict[str, str] = {}
    title, body = (draft.title or "").strip(), (draft.body or "").strip()
    if not title:
        errors["title"] = _("Give the announcement a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title to %(number)s characters.") % {"number": TITLE_MAX_LENGTH}
    if not body:
        errors["body"] = _("Write the announcement.")
    elif len(body) > BODY_MAX_LENGTH:
        limit = number_format(BODY_MAX_LENGTH, force_grouping=True)
        errors["body"] = _("Keep the announcement to %(number)s characters.") % {"number": limit}
    sector: str = ""
    agency_ids: tuple[int, ...] = ()
    if draft.audience == Audience.SECTOR:
        sector = draft.sector
        if sector not in Sector.values:
            errors["sector"] = _("Choose the sector that receives it.")
    elif draft.audience == Audience.AGENCIES:
        agency_ids = tuple(sorted(set(draft.agency_ids)))
        if not agency_ids:
            errors["agencies"] = _("Choose at least one agency.")
        elif Agency.objects.filter(pk__in=agency_ids, is_active=True).count() != len(agency_ids):
            errors["agencies"] = _("Choose active member agencies only.")
    elif draft.audience != Audience.ALL:
        errors["audience"] = _("Choose who receives it: all partners, a sector or chosen agencies.")
    if errors:
        raise ValidationError(errors)
    return AnnouncementDraft(title=title, body=body, audience=draft.audience, sector=sector, agency_ids=agency_ids)


def announcement_acknowledge(*, actor: User, announcement: Announcement) -> AnnouncementAcknowledgement:
    """The person read it: it leaves their home page (only theirs). Acknowledging twice changes nothing.
    Refused (ValidationError) for a person outside its audience, a coordinator reading another's."""
    if not is_addressed_to(user=actor, announcement=announcement):
        raise ValidationError(_("This announcement was not sent to your agency: there is nothing to acknowledge."))
    existing = AnnouncementAcknowledgement.objects.filter(announcement=announcement, person=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = AnnouncementAcknowledgement.objects.create(announcement=announcement, person=actor)
            audit_record(actor=actor, event=AuditEvent.ANNOUNCEMENT_ACKNOWLEDGED, target=announcement)
    except IntegrityError:
        # The same person acknowledged it at the same moment (two tabs): that one counts.
        return AnnouncementAcknowledgement.objects.get(announcement=announcement, person=actor)
    return ack
