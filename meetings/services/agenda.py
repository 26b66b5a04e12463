"""The agenda: ordered items with a presenter agency and a time box, published to the audience,
locked a configurable time before the meeting (settings.MEETINGS_AGENDA_LOCK_BEFORE)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.templatetags.times import format_moment
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.models import AgendaItem, Meeting
from meetings.services.checks import check_may_run, check_not_cancelled, guard_meeting_text


@dataclass(frozen=True)
class AgendaItemInput:
    title: str
    presenter_agency: Agency | None
    minutes: int
    notes: str = ""


def _locked_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """The meeting row, locked for the change, if its agenda may still change."""
    check_may_run(actor=actor, meeting=meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_not_cancelled(locked)
    if locked.agenda_is_locked():
        when = locked.agenda_locks_at
        raise ValidationError(
            _("The agenda locked on %(when)s; it can no longer change.") % {"when": format_moment(when)}
        )
    return locked


def _check_item(data: AgendaItemInput) -> None:
    if not data.title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    if not 1 <= data.minutes <= 240:
        raise ValidationError({"minutes": _("Give a time box from 1 to 240 minutes.")})


def agenda_item_add(*, actor: User, meeting: Meeting, data: AgendaItemInput) -> AgendaItem:
    _check_item(data)
    guard_meeting_text(actor=actor, fields={"title": data.title, "notes": data.notes})
    with transaction.atomic():
        locked = _locked_meeting(actor=actor, meeting=meeting)
        last = locked.agenda_items.aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(
            meeting=locked, position=0 if last is None else last + 1, **{**data.__dict__, "title": data.title.strip()}
        )
        audit_record(actor=actor, event=AuditEvent.AGENDA_CHANGED, target=locked, detail={"added": item.pk})
    return item


def agenda_item_update(*, actor: User, item: AgendaItem, data: AgendaItemInput) -> AgendaItem:
    _check_item(data)
    guard_meeting_text(actor=actor, fields={"title": data.title, "notes": data.notes})
    with transaction.atomic():
        locked = _locked_meeting(actor=actor, meeting=item.meeting)
        for name, value in data.__dict__.items():
            setattr(item, name, value.strip() if name == "title" else value)
        item.save()
        audit_record(actor=actor, event=AuditEvent.AGENDA_CHANGED, target=locked, detail={"changed": item.pk})
    return item


def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Moves an item one place up or down (the keyboard-friendly way to reorder)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move an item up or down."))
    with transaction.atomic():
        locked = _locked_meeting(actor=actor, meeting=item.meeting)
        items = list(locked.agenda_items.all())
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
            _renumber(items)
            audit_record(actor=actor, event=AuditEvent.AGENDA_CHANGED, target=locked, detail={"moved": item.pk})
    return item


def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    with transaction.atomic():
        locked = _locked_meeting(actor=actor, meeting=item.meeting)
        item_pk = item.pk
        item.delete()
        _renumber(list(locked.agenda_items.all()))
        audit_record(actor=actor, event=AuditEvent.AGENDA_CHANGED, target=locked, detail={"removed": item_pk})


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items):
        item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


def agenda_publish(*, actor: User, meeting: Meeting) -> Meeting:
    """Shows the agenda to the meeting's audience. Changes until the lock stay visible to them."""
    with transaction.atomic():
        locked = _locked_meeting(actor=actor, meeting=meeting)
        if not locked.agenda_items.exists():
            raise ValidationError(_("Add at least one item before publishing the agenda."))
        if locked.agenda_published_at is None:
            locked.agenda_published_at = timezone.now()
            locked.save(update_fields=["agenda_published_at", "updated_at"])
            audit_record(actor=actor, event=AuditEvent.AGENDA_PUBLISHED, target=locked)
    return locked
