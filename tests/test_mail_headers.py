"""Every email of the portal names itself by the portal's domain, and subscribed mail carries a List-Id
(issue 19, item 4): Django's default Message-ID ended in "@localhost" on the portal's hosts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from agencies.roles import Role
from agencies.tasks import send_invitation_email
from digests.rendering import NotificationContent, notification_message
from meetings.tasks import notify_coordinators_of_training_request
from tests.authz.routes_foundation import _home_invitation
from tests.authz.world import World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_host")]


@pytest.fixture
def portal_host():
    with override_settings(PORTAL_BASE_URL="https://portal.juniper.example"):
        yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _message_id(message: mail.EmailMessage) -> str:
    return message.message()["Message-ID"]


def test_it_names_an_invitation_by_the_portals_domain(world):
    send_invitation_email(_home_invitation(world).pk)
    (sent,) = mail.outbox
    assert _message_id(sent).endswith("@portal.juniper.example>")


def test_it_names_a_training_request_notice_by_the_portals_domain(world):
    assert notify_coordinators_of_training_request(1) == 1
    assert _message_id(mail.outbox[0]).endswith("@portal.juniper.example>")


def test_it_names_account_emails_by_the_portals_domain(world, client):
    person = world.people[Role.MEMBER]
    client.post("/accounts/password/reset/", {"email": person.email})
    (sent,) = mail.outbox
    assert _message_id(sent).endswith("@portal.juniper.example>")


def test_it_gives_subscribed_mail_a_list_id_and_the_portals_domain(world):
    content = NotificationContent(
        subject="A new referral", message="A referral arrived.", link_url="/", link_label="Open"
    )
    headers = notification_message(
        person=world.people[Role.MEMBER], kind="referral_received", content=content
    ).message()
    name = '"Juniper County Anti-Human Trafficking Task Force"'
    assert headers["List-Id"] == f"{name} <referral-received.portal.juniper.example>"
    assert headers["Message-ID"].endswith("@portal.juniper.example>")
