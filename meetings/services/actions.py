"""Action items: created from a meeting; open items of a series carry over into the next meeting's agenda."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.choices import ActionStatus
from meetings.models import ActionItem, AgendaItem, Meeting
from meetings.permissions import may_update_action_item
from meetings.services.checks import check_may_run, check_not_cancelled, guard_meeting_text

CARRIED_MINUTES = 5


def _check_owner(*, meeting: Meeting, owner_agency: Agency, owner_person: User | None) -> None:
    if not owner_agency.is_active:
        raise ValidationError({"owner_agency": _("That agency is not active.")})
    if owner_person is None:
        return
    if owner_person.agency_id != owner_agency.pk or not owner_person.is_active:
        raise ValidationError({"owner_person": _("The owner must be an active person of the owning agency.")})
    if not Meeting.objects.for_user(owner_person).filter(pk=meeting.pk).exists():
        raise ValidationError({"owner_person": _("The owner must be in the meeting's audience, to see the item.")})


def action_item_create(
    *, actor: User, meeting: Meeting, title: str, owner_agency: Agency, owner_person: User | None, due_on: date
) -> ActionItem:
    check_may_run(actor=actor, meeting=meeting)
    check_not_cancelled(meeting)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be done.")})
    _check_owner(meeting=meeting, owner_agency=owner_agency, owner_person=owner_person)
    guard_meeting_text(actor=actor, fields={"title": title})
    with transaction.atomic():
        item = ActionItem.objects.create(
            meeting=meeting,
            title=title,
            owner_agency=owner_agency,
            owner_person=owner_person,
            due_on=due_on,
            created_by=actor,
        )
        audit_record(
            actor=actor, event=AuditEvent.ACTION_ITEM_CREATED, target=item, target_label=f"action item {item.pk}"
        )
        _carry_into_next(meeting=meeting, items=[item])
    return item


@transaction.atomic
def action_item_set_status(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    if not may_update_action_item(actor, item):
        raise PermissionDenied(_("Only the owner, their agency's administrators or the organizers can change this."))
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose open, done or dropped.")})
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    previous = locked.status
    if previous != status:
        locked.status = status
        locked.closed_at = None if status == ActionStatus.OPEN else timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            actor=actor,
            event=AuditEvent.ACTION_ITEM_CHANGED,
            target=locked,
            target_label=f"action item {locked.pk}",
            detail={"from": previous, "to": status},
        )
    return locked


def next_meeting_of_series(meeting: Meeting) -> Meeting | None:
    if meeting.series_id is None:
        return None
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__gt=meeting.starts_at, cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )


def _carry_into_next(*, meeting: Meeting, items: list[ActionItem]) -> int:
    """Adds open items to the next meeting's agenda, once each. A portal rule, not an edit by a person,
    so it also applies to an agenda that is locked: the items are what the meeting must review."""
    target = next_meeting_of_series(meeting)
    if target is None or not items:
        return 0
    present = set(target.agenda_items.filter(action_item__in=items).values_list("action_item_id", flat=True))
    last = target.agenda_items.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    new = []
    for item in (item for item in items if item.pk not in present):
        position += 1
        new.append(
            AgendaItem(
                meeting=target,
                position=position,
                title=f"Action item: {item.title}"[:200],
                presenter_agency=item.owner_agency,
                minutes=CARRIED_MINUTES,
                action_item=item,
            )
        )
    AgendaItem.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def action_items_carry_over(*, meeting: Meeting) -> int:
    """After a meeting of a series: its series' items still open go onto the next meeting's agenda.
    Safe to run twice (the Celery task may)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.series_id is None:
        return 0
    items = list(
        ActionItem.objects.filter(
            meeting__series_id=locked.series_id, meeting__starts_at__lte=locked.starts_at, status=ActionStatus.OPEN
        )
    )
    added = _carry_into_next(meeting=locked, items=items)
    if locked.carried_over_at is None:
        locked.carried_over_at = timezone.now()
        locked.save(update_fields=["carried_over_at"])
    return added


def meetings_to_carry_over() -> list[int]:
    """Ended meetings of a series whose open items have not been carried yet."""
    return list(
        Meeting.objects.filter(series__isnull=False, ends_at__lt=timezone.now(), carried_over_at__isnull=True)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )
