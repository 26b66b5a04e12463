"""Every link in a calendar feed or an email comes from PORTAL_BASE_URL, the portal's public address,
never from the address a request came in on: feeds and emails are read outside the portal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from agencies.services import invitation_send
from digests.rendering import digest_message
from digests.sections import DigestWindow, digest_sections_build
from meetings import services
from meetings.choices import Audience, Frequency
from meetings.tasks import notify_coordinators_of_training_request
from tests.conftest import client_for
from tests.digests.helpers import after_commit
from tests.meetings.conftest import schedule
from tests.meetings.factories import CommitteeFactory, TrainingFactory

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.org"
# Any absolute link: in iCalendar text a comma or semicolon is escaped with a backslash.
LINK = re.compile(r"""(?:https?|webcal)://[^\s\\"'<>]+""")


@pytest.fixture(autouse=True)
def _public_address(settings) -> None:
    settings.PORTAL_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "internal.example.net"]


def _links(text: str) -> list[str]:
    return LINK.findall(text.replace("\r\n ", ""))  # unfold iCalendar lines first


def _assert_public(links: list[str]) -> None:
    assert links
    assert [link for link in links if not link.startswith(f"{BASE}/")] == []


def test_it_writes_the_public_address_in_every_feed_and_download(coordinator, member):
    # The request comes in on another host name than the public one, as behind a proxy.
    client, visitor = client_for(member), Client(HTTP_HOST="internal.example.net")
    client.defaults["HTTP_HOST"] = "internal.example.net"
    meeting = schedule(coordinator, title="Quarterly review")
    first = schedule(coordinator, title="Monthly", frequency=Frequency.MONTHLY, count=2)
    training = TrainingFactory(is_public=True)
    _, raw = services.calendar_feed_create(user=member)
    responses = [
        visitor.get(reverse("meetings:calendar_feed_ics", args=[raw])),
        visitor.get(reverse("meetings:public_training_feed")),
        visitor.get(reverse("meetings:public_training_ics", args=[training.pk])),
        client.get(reverse("meetings:training_ics", args=[training.pk])),
        client.get(reverse("meetings:meeting_ics", args=[meeting.pk])),
        client.get(reverse("meetings:meeting_ics", args=[first.pk])),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        _assert_public(_links(text))
        uids = re.findall(r"^UID:(\S+)\r$", text, flags=re.MULTILINE)
        assert uids and all(uid.endswith("@portal.example.org") for uid in uids)
    page = client.post(reverse("meetings:calendar_feed"), {"action": "create"}).content.decode()
    feed_links = [link for link in _links(page) if "/calendar/feed/" in link]
    assert [link.split("://")[0] for link in feed_links] == ["https", "webcal"]
    _assert_public([link.replace("webcal://", "https://") for link in feed_links])


def _all_links(messages: list[mail.EmailMessage]) -> list[str]:
    links = []
    for message in messages:
        html = "".join(content for content, _ in getattr(message, "alternatives", []))
        headers = " ".join(str(value) for value in message.extra_headers.values())
        links += _links("\n".join([message.body, html, headers]))
    return links


def test_it_writes_the_public_address_in_every_email(coordinator, member, outsider, agency, settings):
    now = timezone.now()
    committee = CommitteeFactory(name="Labor trafficking working group", people=[outsider])
    with after_commit():
        schedule(coordinator, title="Working group", audience=Audience.COMMITTEE, committee=committee)
        invitation_send(actor=coordinator, email="new.person@agency.example.org", agency=agency, role=Role.MEMBER)
    notify_coordinators_of_training_request(7)
    TrainingFactory(title="Hotel staff training", starts_at=now + timedelta(days=5))
    soon = now + timedelta(days=2)
    schedule(coordinator, title="Full task force", starts_at=soon, ends_at=soon + timedelta(hours=1))
    window = DigestWindow(start=now - timedelta(days=1), end=now + timedelta(seconds=1), now=now)
    digest = digest_message(
        person=member, sections=digest_sections_build(person=member, window=window), window=window, frequency="daily"
    )
    messages = [*mail.outbox, digest]
    assert {message.subject for message in messages} >= {
        "You are invited to a meeting",
        f"You are invited to the {settings.TASKFORCE_NAME} portal",
        "[Task force portal] New training request",
        "Your daily task-force digest",
    }
    assert all(_all_links([message]) for message in messages), "every email carries a link"
    _assert_public(_all_links(messages))
    assert any("/meetings/" in link for link in _all_links([digest]))
