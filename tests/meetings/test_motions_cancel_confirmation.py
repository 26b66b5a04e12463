"""Cancelling a meeting takes a confirmation step in the page: GET asks, POST cancels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.choices import Audience
from tests.factories import UserFactory
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def test_the_meeting_page_links_to_the_confirmation_not_a_one_click_cancel(meeting, as_coordinator):
    page = as_coordinator.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    assert f'href="{url}"' in page and f'action="{url}"' not in page


def test_get_asks_and_says_how_many_people_see_it_and_cancels_nothing(coordinator, member, as_coordinator):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS, title="Co-chairs")
    UserFactory(agency=member.agency)
    response = as_coordinator.get(reverse("meetings:meeting_cancel", args=[meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cancel this meeting?" in page and "3 invited people" in page
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_post_cancels(meeting, as_coordinator):
    response = as_coordinator.post(reverse("meetings:meeting_cancel", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled


def test_a_member_gets_404_on_the_confirmation(meeting, as_member):
    assert as_member.get(reverse("meetings:meeting_cancel", args=[meeting.pk])).status_code == 404
