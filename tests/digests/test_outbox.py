"""Enqueueing survives a broker outage: requests stay fast, the sweeper sends what was left behind."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxTask
from outbox.services import outbox_dispatch, outbox_enqueue, outbox_sweep
from taskforce.celery import app as celery_app
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.digests.helpers import after_commit, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Tasks go through a broker, and nothing listens on its port."""
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, url


def test_it_completes_a_request_quickly_when_the_broker_is_down(broker_down, officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    OutboxTask.objects.all().delete()
    started = time.monotonic()
    with after_commit():
        # The confirmed step of "Record withdrawal of consent" (the first step only asks).
        url = reverse("cases:consent_revoke", args=[referral.pk])
        response = client_for(outsider_officer).post(url, {"confirmed": "yes"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 2.0, f"the request took {elapsed:.2f} s"
    (row,) = OutboxTask.objects.all()
    assert (row.task, row.dispatched_at, row.attempts) == ("digests.tasks.send_deliveries", None, 1)


def test_it_does_not_try_the_broker_again_at_once_after_a_failure(broker_down):
    first = outbox_enqueue(task="digests.tasks.sweep_outbox", args=[])
    outbox_dispatch(ids=[first.pk])
    second = outbox_enqueue(task="digests.tasks.sweep_outbox", args=[])
    with mock.patch.object(celery_app, "connection_for_write") as connect:
        assert outbox_dispatch(ids=[second.pk]) == 0
    connect.assert_not_called()


def test_it_sweeps_what_could_not_be_enqueued_once_the_broker_is_back(broker_down, officer, outsider_officer):
    with after_commit():
        send(outsider_officer, officer.agency)
    assert mail.outbox == []
    celery_app.conf.task_always_eager = True  # the broker is back (in-process here)
    assert outbox_sweep() == 0  # within the grace period: left to the on-commit dispatch
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0
    assert len(sent_to(officer.email)) == 1
    assert OutboxTask.objects.get().dispatched_at is not None


def test_it_keeps_a_failed_in_process_task_for_the_sweeper(officer, outsider_officer, settings):
    settings.EMAIL_BACKEND = "tests.digests.backends.FlakyBackend"
    from tests.digests.backends import FlakyBackend

    FlakyBackend.errors = [ConnectionRefusedError(111, "refused")]
    with after_commit():
        send(outsider_officer, officer.agency)  # the request completes although the mail server is down
    assert OutboxTask.objects.get().dispatched_at is None
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        outbox_sweep()
    assert len(sent_to(officer.email)) == 1


def test_it_forgets_dispatched_tasks_after_a_week():
    row = outbox_enqueue(task="digests.tasks.sweep_outbox", args=[])
    OutboxTask.objects.filter(pk=row.pk).update(dispatched_at=timezone.now() - timedelta(days=8))
    outbox_sweep()
    assert not OutboxTask.objects.exists()


def test_it_enqueues_the_tasks_of_one_transaction_over_one_broker_connection(officer, outsider_officer):
    from django.db import transaction

    with mock.patch("outbox.services.outbox_dispatch") as dispatch, after_commit(), transaction.atomic():
        for _ in range(3):
            send(outsider_officer, officer.agency)  # e.g. a CSV import: one transaction, many referrals
    assert dispatch.call_count == 1
    assert sorted(dispatch.call_args.kwargs["ids"]) == sorted(OutboxTask.objects.values_list("pk", flat=True))


def test_it_dispatches_again_a_task_whose_message_the_broker_lost(officer, outsider_officer):
    """Published, then Redis restarted empty: the row is not done, so the sweeper sends it again."""
    from django.conf import settings

    from digests.models import Delivery

    with mock.patch("outbox.services.outbox_dispatch"), after_commit():
        send(outsider_officer, officer.agency)
    OutboxTask.objects.update(dispatched_at=timezone.now(), attempts=1)  # accepted by a broker that then lost it
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        assert outbox_sweep() == 0  # too early to call it lost: the worker may be busy
    later = timezone.now() + settings.DIGEST_OUTBOX_RETRY_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0  # done: never again
    assert len(sent_to(officer.email)) == 1
    assert OutboxTask.objects.get().completed_at is not None
    assert Delivery.objects.get(person=officer).status == "sent"


def test_it_runs_a_task_once_when_its_message_arrives_twice(officer, outsider_officer):
    from outbox.services import outbox_execute

    with mock.patch("outbox.services.outbox_dispatch"), after_commit():
        row = outbox_enqueue(task="digests.tasks.sweep_outbox", args=[])
    assert outbox_execute(pk=row.pk) == "completed"
    assert outbox_execute(pk=row.pk) == "skipped"  # the redelivered copy finds it done


@pytest.mark.parametrize("name", ["outbox.tasks.outbox_run", "digests.tasks.outbox_run"])
def test_it_runs_a_row_published_under_either_task_name(name):
    """Messages published before the outbox left the digests app carry the old name: still routable."""
    from outbox.services import RUN_TASK

    with mock.patch("outbox.services.outbox_dispatch"), after_commit():
        row = outbox_enqueue(task="digests.tasks.sweep_outbox", args=[])
    assert RUN_TASK == "outbox.tasks.outbox_run"
    celery_app.loader.import_default_modules()  # what a worker does at start: every app's tasks module
    celery_app.tasks[name].apply(args=[row.pk], throw=True)
    assert OutboxTask.objects.get(pk=row.pk).completed_at is not None
