"""What a newcomer meets first: the error pages, the log, the favicon, audit times, `make run`'s start."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_it_answers_a_failed_csrf_check_with_its_own_page_on_public_pages(debug):
    with override_settings(DEBUG=debug):
        response = Client(enforce_csrf_checks=True).post(reverse("meetings:public_training_request"), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Please try again" in page and "reload it, and send the form again" in page
    # The public layout keeps the hotline and the quick exit.
    assert 'id="quick-exit"' in page
    assert "CSRF" not in page and "Origin" not in page and "Referer" not in page


def test_it_answers_a_failed_csrf_check_in_the_portal_layout_for_people_signed_in(member):
    client = client_for(member)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("meetings:calendar_feed"), {})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Please try again" in page and "Sign out" in page
    assert 'id="quick-exit"' not in page and "CSRF" not in page


def test_it_answers_a_failed_csrf_check_on_the_api_as_json(rf):
    from taskforce.urls import csrf_failure

    answer = csrf_failure(rf.post("/api/v1/referrals/"), reason="Origin checking failed - null")
    assert answer.status_code == 403 and answer["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/public/request-training/", "/public/trainings/", "/calendar/feed/"])
def test_it_keeps_the_referrer_on_this_site_so_that_browsers_send_a_real_origin(member, url):
    # "no-referrer" made Chromium post these pages' forms with `Origin: null` (403); same-origin
    # still sends nothing to other sites, the quick exit's neutral site included.
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"


def test_it_shows_audit_times_in_local_time_with_the_zone_and_utc_on_hover(as_coordinator, coordinator):
    with time_machine.travel(datetime(2026, 12, 4, 16, 49, 5, tzinfo=UTC), tick=False):
        audit_record(actor=coordinator, event=AuditEvent.TOKEN_CREATED, target_label="evidence")
    page = as_coordinator.get(reverse("audit:list")).content.decode()
    assert "When (UTC)" not in page
    assert "America/Chicago" in page
    assert (
        '<time datetime="2026-12-04T16:49:05Z" title="Dec 4, 2026, 4:49:05 PM UTC">Dec 4, 2026, 10:49:05 AM CST</time>'
        in page
    )


def test_it_serves_a_favicon():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")


def test_it_logs_a_refused_or_missing_page_as_one_line_without_a_traceback(as_member, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert as_member.get(reverse("audit:list")).status_code == 403
        assert as_member.get("/referrals/987654/").status_code == 404
    records = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in records] == [
        "Forbidden (Permission denied): /audit/",
        "Not Found: /referrals/987654/",
    ]
    assert all(record.exc_info is None for record in records)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _embedded(var: Path) -> dict[str, str]:
    """The environment of `make run` on a new machine: no DATABASE_URL or REDIS_URL, dev settings."""
    keep = {name: value for name, value in os.environ.items() if name in {"PATH", "HOME", "LANG", "TZ"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "taskforce.settings.dev", "PORTAL_VAR_DIR": str(var)}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _wait_until_serving(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "runserver stopped"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("runserver did not answer within 60 s")


def _status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=5).status  # noqa: S310 - loopback
    except urllib.error.HTTPError as error:
        return error.code


def test_it_sets_up_the_embedded_default_quietly_and_logs_a_404_as_one_line(tmp_path):
    env = _embedded(tmp_path)
    assert _manage(env, "migrate", "--noinput").returncode == 0
    seeded = _manage(env, "seed_demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "Demo password for every login" in seeded.stdout
    # Quiet: one line per area of demo data (agencies, directory, referrals, meetings, activity, email
    # settings, reports, announcements) and the password; nothing else (no task log, no warning).
    assert len((seeded.stdout + seeded.stderr).splitlines()) <= 9, seeded.stdout + seeded.stderr
    assert "celery" not in seeded.stderr

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_serving(port, server)
        assert _status(f"http://127.0.0.1:{port}/no-such-page/") == 404
        assert _status(f"http://127.0.0.1:{port}/favicon.ico") == 200  # followed to the static file
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output
    assert output.count("Not Found: /no-such-page/") == 1, output
