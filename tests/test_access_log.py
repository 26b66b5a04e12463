"""Access logs hold paths, never query strings: words typed into a URL (a name, a phone) must not be kept.

The production server is started here exactly as the Procfile starts it, on a free loopback port."""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET_WORDS = "Maria+Gonzalez+503-555-0123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _procfile_web_command(port: int) -> list[str]:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.removeprefix("web:").strip()
    command = command.replace("${BIND:-127.0.0.1:8000}", f"127.0.0.1:{port}").replace("${WEB_CONCURRENCY:-3}", "1")
    assert "${" not in command, command
    words = shlex.split(command)
    assert words[0] == "gunicorn"
    return [str(Path(sys.executable).with_name("gunicorn")), *words[1:]]


def _get(url: str) -> None:
    # Any answer is logged; only the log line matters here.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - a loopback URL built above


def test_gunicorn_as_the_procfile_starts_it_logs_no_query_string(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taskforce.settings.test", "PYTHONPATH": str(ROOT)}
    out = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(_procfile_web_command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/no-such-page/?q={SECRET_WORDS}&page=2")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"gunicorn did not start: {(tmp_path / 'gunicorn.log').read_text()}")
                time.sleep(0.2)
        time.sleep(0.5)  # the access line is written after the answer
    finally:
        server.terminate()
        server.wait(timeout=10)
        out.close()
    log = (tmp_path / "gunicorn.log").read_text()
    assert "GET /no-such-page/ HTTP/1.1" in log, log
    assert "Maria" not in log and "503-555" not in log and "q=" not in log, log


def test_runserver_access_lines_lose_their_query_string(caplog: pytest.LogCaptureFixture) -> None:
    """The `django.server` logger, as Django's development server calls it (WSGIRequestHandler.log_message)."""
    with caplog.at_level(logging.INFO):
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /referrals/?q={SECRET_WORDS} HTTP/1.1", "200", "512", extra={"status_code": 200}
        )
    assert caplog.messages == ['"GET /referrals/ HTTP/1.1" 200 512']
