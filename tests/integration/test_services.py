"""Against real PostgreSQL and Redis, with a real Celery worker process (required in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.test import Client, override_settings

from agencies.models import Invitation
from agencies.roles import Role
from tests.factories import AgencyFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def _redis_url() -> str:
    return os.environ["REDIS_URL"]


@pytest.mark.django_db
def test_it_reports_postgresql_redis_cache_and_broker_healthy():
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url()}}
    with override_settings(CACHES=caches, CELERY_BROKER_URL=_redis_url(), CELERY_TASK_ALWAYS_EAGER=False):
        response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"]["backend"] == "postgresql"
    assert body["checks"]["cache"]["backend"] == "RedisCache"


@pytest.fixture
def worker(tmp_path: Path, transactional_db: None):
    """A real Celery worker on its own queue, against the test database and real Redis."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taskforce.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": _redis_url(),
        "PORTAL_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "taskforce",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield queue, tmp_path / "mail"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_it_runs_a_task_sent_through_redis_in_a_real_worker(worker):
    queue, mail_dir = worker
    admin = UserFactory(agency=AgencyFactory(), role=Role.AGENCY_ADMIN)
    invitation = Invitation.objects.create(
        email="via-worker@example.org",
        agency=admin.agency,
        role=Role.MEMBER,
        invited_by=admin,
        expires_at="2999-01-01T00:00:00Z",
    )
    producer = Celery(broker=_redis_url())
    producer.send_task("agencies.tasks.send_invitation_email", args=[invitation.pk], queue=queue)

    deadline = time.monotonic() + 60
    sent: list[Path] = []
    while time.monotonic() < deadline and not sent:
        sent = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
        time.sleep(0.25)
    assert sent, "the worker did not send the invitation within 60 s"
    text = sent[0].read_text()
    assert "via-worker@example.org" in text and "/invitations/" in text
