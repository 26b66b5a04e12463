"""The agenda: ordered items, keyboard reordering, publication to the audience, the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.services import AgendaItemInput
from tests.meetings.conftest import move_to

pytestmark = pytest.mark.django_db


def _add(actor, meeting, title, minutes=10):
    return services.agenda_item_add(
        actor=actor, meeting=meeting, data=AgendaItemInput(title=title, presenter_agency=None, minutes=minutes)
    )


def _titles(meeting):
    return list(meeting.agenda_items.values_list("title", flat=True))


def test_it_keeps_items_in_order_and_moves_them_up_and_down(meeting, coordinator):
    first, second, third = (_add(coordinator, meeting, t) for t in ("Welcome", "Updates", "Outreach"))
    services.agenda_item_move(actor=coordinator, item=third, direction="up")
    assert _titles(meeting) == ["Welcome", "Outreach", "Updates"]
    services.agenda_item_move(actor=coordinator, item=first, direction="up")  # already first: nothing moves
    services.agenda_item_move(actor=coordinator, item=first, direction="down")
    assert _titles(meeting) == ["Outreach", "Welcome", "Updates"]
    services.agenda_item_remove(actor=coordinator, item=second)
    assert list(meeting.agenda_items.values_list("position", flat=True)) == [0, 1]
    # three additions, two real moves, one removal: a move that changes nothing is not a change
    assert AuditEntry.objects.filter(event=AuditEvent.AGENDA_CHANGED).count() == 6


def test_it_shows_the_agenda_to_the_audience_only_once_published(meeting, coordinator, as_member):
    _add(coordinator, meeting, "Welcome and introductions")
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert "Welcome and introductions" not in as_member.get(url).content.decode()
    services.agenda_publish(actor=coordinator, meeting=meeting)
    assert "Welcome and introductions" in as_member.get(url).content.decode()


def test_it_refuses_to_publish_an_empty_agenda(meeting, coordinator):
    with pytest.raises(ValidationError):
        services.agenda_publish(actor=coordinator, meeting=meeting)


def test_it_locks_the_agenda_a_configurable_time_before_the_meeting(meeting, coordinator, settings):
    item = _add(coordinator, meeting, "Welcome")
    move_to(meeting, starts_in=timedelta(hours=47))  # the default lock is 48 hours
    for change in (
        lambda: _add(coordinator, meeting, "Late item"),
        lambda: services.agenda_item_move(actor=coordinator, item=item, direction="down"),
        lambda: services.agenda_item_remove(actor=coordinator, item=item),
        lambda: services.agenda_publish(actor=coordinator, meeting=meeting),
    ):
        with pytest.raises(ValidationError, match="locked"):
            change()
    settings.MEETINGS_AGENDA_LOCK_BEFORE = timedelta(hours=24)
    _add(coordinator, meeting, "Allowed now")
    assert _titles(meeting) == ["Welcome", "Allowed now"]


def test_it_offers_a_keyboard_editor_with_move_buttons(meeting, coordinator, as_coordinator):
    for title in ("Welcome", "Updates"):
        _add(coordinator, meeting, title)
    page = as_coordinator.get(reverse("meetings:agenda_edit", args=[meeting.pk])).content.decode()
    assert page.count('name="direction" value="down"') == 1 and page.count('name="direction" value="up"') == 1
    assert "<legend>Item 1: Welcome" in page and "data-focus-target" in page


def test_it_reorders_through_the_web_and_returns_to_the_item(meeting, coordinator, as_coordinator):
    _add(coordinator, meeting, "Welcome")
    last = _add(coordinator, meeting, "Updates")
    response = as_coordinator.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, last.pk]), {"direction": "up"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{last.pk}")
    assert _titles(meeting) == ["Updates", "Welcome"]


def test_it_explains_a_bad_item_without_saving_it(meeting, as_coordinator):
    response = as_coordinator.post(
        reverse("meetings:agenda_edit", args=[meeting.pk]), {"new-title": "", "new-minutes": "900"}
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 240." in response.content.decode()
    assert not meeting.agenda_items.exists()


def test_it_answers_404_for_an_item_of_another_meeting(meeting, coordinator, as_coordinator):
    other = services.meeting_schedule(actor=coordinator, details=services.meeting_details(meeting))
    item = _add(coordinator, other, "Elsewhere")
    url = reverse("meetings:agenda_item_remove", args=[meeting.pk, item.pk])
    assert as_coordinator.post(url).status_code == 404
