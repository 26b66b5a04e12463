"""Action items: created from a meeting, carried over into the next meeting of a series by themselves,
"my action items" with overdue ones first, and who may change their status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from meetings import services, tasks
from meetings.choices import ActionStatus, Audience
from meetings.models import ActionItem, AgendaItem
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.meetings.conftest import move_to, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(coordinator):
    """Three monthly meetings; the first has just ended."""
    first = schedule(coordinator, frequency="monthly", count=3)
    meetings = list(first.series.meetings.order_by("starts_at"))
    move_to(meetings[0], starts_in=-timedelta(hours=3))
    return meetings


def _item(actor, meeting, owner, title="Share the outreach checklist", due_in=14):
    return services.action_item_create(
        actor=actor,
        meeting=meeting,
        title=title,
        owner_agency=owner.agency,
        owner_person=owner,
        due_on=timezone.localdate() + timedelta(days=due_in),
    )


def _carried(meeting):
    return list(
        AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False).values_list(
            "action_item__title", flat=True
        )
    )


def test_it_puts_a_new_item_on_the_next_meetings_agenda(series, coordinator, member):
    item = _item(coordinator, series[0], member)
    assert _carried(series[1]) == [item.title] and _carried(series[2]) == []
    agenda_item = AgendaItem.objects.get(action_item=item)
    assert agenda_item.presenter_agency == member.agency and agenda_item.title.startswith("Action item:")
    assert AuditEntry.objects.filter(event=AuditEvent.ACTION_ITEM_CREATED).exists()


def test_it_carries_open_items_further_after_each_meeting_and_only_once(series, coordinator, member):
    still_open = _item(coordinator, series[0], member, "Update the resource directory")
    finished = _item(coordinator, series[0], member, "Book the room")
    services.action_item_set_status(actor=member, item=finished, status=ActionStatus.DONE)
    move_to(series[1], starts_in=-timedelta(hours=2))
    assert tasks.carry_over_action_items() == 1
    assert tasks.carry_over_action_items() == 0  # safe to run twice
    assert _carried(series[2]) == [still_open.title]
    series[1].refresh_from_db()
    assert series[1].carried_over_at is not None


def test_it_skips_cancelled_meetings_when_carrying_over(series, coordinator, member):
    services.meeting_cancel(actor=coordinator, meeting=series[1])
    item = _item(coordinator, series[0], member)
    assert _carried(series[1]) == [] and _carried(series[2]) == [item.title]


def test_it_carries_into_a_locked_agenda_because_the_rule_is_the_portals(series, coordinator, member):
    move_to(series[1], starts_in=timedelta(hours=1))
    item = _item(coordinator, series[0], member)
    assert series[1].agenda_is_locked() and _carried(series[1]) == [item.title]


def test_it_refuses_an_owner_outside_the_meetings_audience(coordinator, member, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS)
    with pytest.raises(ValidationError) as refused:
        _item(coordinator, meeting, outsider)
    assert "owner_person" in refused.value.message_dict
    assert not ActionItem.objects.exists()


def test_it_lists_my_items_with_overdue_ones_first(past_meeting, coordinator, member, as_member):
    later = _item(coordinator, past_meeting, member, "Due later", due_in=30)
    overdue = _item(coordinator, past_meeting, member, "Overdue one", due_in=-3)
    soon = _item(coordinator, past_meeting, member, "Due soon", due_in=2)
    _item(coordinator, past_meeting, coordinator, "Someone else's")
    response = as_member.get(reverse("meetings:my_action_items"))
    titles = [item.title for item in response.context["items"]]
    assert titles == [overdue.title, soon.title, later.title]
    assert "1 item is overdue." in response.content.decode()


def test_it_shows_my_agencys_items_without_a_named_owner(past_meeting, coordinator, member, as_member):
    services.action_item_create(
        actor=coordinator,
        meeting=past_meeting,
        title="For the whole agency",
        owner_agency=member.agency,
        owner_person=None,
        due_on=timezone.localdate(),
    )
    assert "For the whole agency" in as_member.get(reverse("meetings:my_action_items")).content.decode()


def test_it_lets_the_owner_and_their_administrator_change_the_status(past_meeting, coordinator, member, agency):
    item = _item(coordinator, past_meeting, member)
    services.action_item_set_status(actor=member, item=item, status=ActionStatus.DONE)
    admin = UserFactory(agency=agency, role=Role.AGENCY_ADMIN)
    services.action_item_set_status(actor=admin, item=item, status=ActionStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(actor=UserFactory(agency=agency), item=item, status=ActionStatus.DROPPED)
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN and item.closed_at is None


def test_it_answers_404_for_an_item_of_a_meeting_outside_the_audience(coordinator, member, outsider):
    meeting = move_to(schedule(coordinator, audience=Audience.COCHAIRS), starts_in=-timedelta(hours=1))
    item = _item(coordinator, meeting, member)
    response = client_for(outsider).post(reverse("meetings:action_item_status", args=[item.pk]), {"status": "done"})
    assert response.status_code == 404


def test_it_refuses_a_bad_due_date_in_the_form_without_saving(past_meeting, as_coordinator, member):
    url = reverse("meetings:action_item_create", args=[past_meeting.pk])
    response = as_coordinator.post(url, {"title": "Plan", "owner_agency": member.agency_id, "due_on": "31/02/2026"})
    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()
    assert not ActionItem.objects.exists()
