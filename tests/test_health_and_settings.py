import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_it_reports_health_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "cache", "broker"}


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "toolkit.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
)
def test_it_answers_503_when_the_cache_is_down():
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def _production(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "taskforce.settings.production"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "PORTAL_BASE_URL"])
def test_it_refuses_to_start_production_without_essentials(missing):
    env = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_BASE_URL": "https://portal.example.org",
    }
    del env[missing]
    result = _production(env, "check")
    assert result.returncode != 0
    assert f"{missing} is required" in result.stderr


def test_it_passes_the_deployment_checklist_in_production():
    env = {
        "SECRET_KEY": "k3J#9v!x" * 8,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_BASE_URL": "https://portal.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = _production(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
