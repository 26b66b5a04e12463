"""Digests and notifications end to end: Redis, a real Celery worker and beat, a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client, override_settings

from digests.models import Delivery, DigestPreference
from digests.rendering import unsubscribe_from_token
from taskforce.celery import app as celery_app
from tests.cases.referral_helpers import send
from tests.digests.helpers import REFERENCE_CODE
from tests.digests.integration_support import redis_url, smtp, stack  # noqa: F401 - fixtures
from tests.digests.integration_world import office
from tests.integration.waiting import digests_settled, wait_until

pytestmark = pytest.mark.integration


def _part(message, content_type: str) -> str:
    (part,) = [p for p in message.walk() if p.get_content_type() == content_type]
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_it_schedules_a_digest_and_delivers_it_through_redis_a_worker_and_beat_to_smtp(smtp, stack):  # noqa: F811
    inbox, _ = smtp
    world = office(officers=3, members=1)
    stack.worker()
    stack.beat()
    wait_until(lambda: len(inbox.received) >= 3, timeout=120, what="3 digests", details=stack.logs)
    # A few more beat ticks: nothing more may arrive.
    wait_until(digests_settled(stack, plans=3), timeout=60, what="3 more plans, all sent", details=stack.logs)
    assert inbox.count_by_recipient() == {person.email: 1 for person in world.officers}
    for message in inbox.messages():
        assert message.get_content_type() == "multipart/alternative"
        text, html = _part(message, "text/plain"), _part(message, "text/html")
        assert "2 referrals are waiting for your agency to answer." in text
        assert "2 referrals are waiting for your agency to answer." in html
        assert not REFERENCE_CODE.search(text + html + str(message))
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = "".join(message["List-Unsubscribe"].split()).strip("<>")
        person_id, stream = unsubscribe_from_token(url.rstrip("/").rsplit("/", 1)[1])
        assert stream == "digest" and message["To"] == next(p.email for p in world.officers if p.pk == person_id)
        row = Delivery.objects.get(person_id=person_id, kind="digest")
        assert message["Message-ID"] == f"<digest.{row.pk}@127.0.0.1>"
        assert (row.status, row.attempts) == ("sent", 1)
    (member_row,) = Delivery.objects.filter(person=world.members[0])
    assert (member_row.status, member_row.detail) == ("skipped", "empty")
    # The link in the email unsubscribes with one POST, as a mail provider would send it.
    url = "".join(inbox.messages()[0]["List-Unsubscribe"].split()).strip("<>")
    path = re.sub(r"^https?://[^/]+", "", url)
    response = Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert DigestPreference.objects.filter(frequency="never", person__email=inbox.messages()[0]["To"]).exists()


def test_it_notifies_the_receiving_agency_through_the_broker_after_commit(smtp, stack, settings):  # noqa: F811
    inbox, _ = smtp
    world = office(officers=2, referrals=0)
    stack.worker()  # and no beat: no digest is planned here
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, redis_url()
    try:
        with override_settings(DIGEST_QUEUE=stack.queue), transaction.atomic():
            referral = send(world.sender, world.home)
            assert inbox.received == []  # nothing leaves before the commit
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, broker
    wait_until(lambda: len(inbox.received) >= 2, timeout=120, what="2 notifications", details=stack.logs)
    assert inbox.count_by_recipient() == {person.email: 1 for person in world.officers}
    for message in inbox.messages():
        assert message["Subject"] == "A new referral was sent to your agency"
        assert referral.reference_code not in str(message)
