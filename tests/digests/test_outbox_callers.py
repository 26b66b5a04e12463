"""Every task goes through the outbox: with the broker down, the request completes and nothing is lost.

Report exports, invitation emails and training request notices used to call `.delay()` on commit:
with Redis down that raised in the request (a 500, the export job "queued" forever). Now each writes
an outbox row in its transaction; the sweeper runs it once the broker is back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from agencies.services import invitation_send
from meetings.services import training_request_submit
from outbox.models import OutboxTask
from outbox.services import outbox_sweep
from reports.models import ExportJob, ExportStatus
from taskforce.celery import app as celery_app
from tests.conftest import client_for
from tests.digests.helpers import after_commit
from tests.reports.conftest import draft

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


def _broker_back_and_swept() -> int:
    """The broker returns (in-process here) and the sweeper runs after its grace period."""
    celery_app.conf.task_always_eager = True
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        return outbox_sweep()


def test_it_accepts_a_report_export_while_the_broker_is_down_and_prepares_it_later(
    broker_down, grant_manager, settings, tmp_path
):
    settings.REPORT_EXPORT_DIR = tmp_path / "exports"
    report = draft(grant_manager)
    started = time.monotonic()
    with after_commit():
        response = client_for(grant_manager).post(
            reverse("reports:export_request"), {"report": report.pk, "format": "xlsx"}
        )
    assert response.status_code == 302
    assert time.monotonic() - started < 3.0
    job = ExportJob.objects.get(report=report)
    assert job.status == ExportStatus.QUEUED
    (row,) = OutboxTask.objects.filter(task="reports.tasks.export_prepare_task")
    assert row.args == [str(job.pk)] and row.dispatched_at is None
    assert _broker_back_and_swept() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


def test_it_sends_an_invitation_made_while_the_broker_is_down_once_it_is_back(broker_down, agency_admin):
    with after_commit():
        invitation = invitation_send(
            actor=agency_admin, email="later@agency.example.org", agency=agency_admin.agency, role=Role.MEMBER
        )
    (row,) = OutboxTask.objects.filter(task="agencies.tasks.send_invitation_email")
    assert row.args == [invitation.pk] and row.dispatched_at is None
    assert mail.outbox == []
    assert _broker_back_and_swept() == 1
    assert [message.to for message in mail.outbox] == [["later@agency.example.org"]]


def test_it_tells_the_coordinators_of_a_training_request_made_while_the_broker_is_down(broker_down, coordinator):
    with after_commit():
        request = training_request_submit(
            organization="Riverside Library",
            contact_email="desk@library.example.org",
            topic="Outreach",
            preferred_dates="May",
        )
    (row,) = OutboxTask.objects.filter(task="meetings.tasks.notify_coordinators_of_training_request")
    assert row.args == [request.pk] and row.dispatched_at is None
    assert _broker_back_and_swept() == 1
    assert [message.subject for message in mail.outbox] == ["[Task force portal] New training request"]
