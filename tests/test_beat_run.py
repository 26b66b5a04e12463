"""`make run` has no broker, so no Celery beat: `manage.py beat_run` runs the beat schedule in-process."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from outbox.management.commands.beat_run import interval_seconds


@pytest.mark.django_db
def test_it_runs_every_entry_of_the_beat_schedule_once_per_pass() -> None:
    out, err = StringIO(), StringIO()
    call_command("beat_run", stdout=out, stderr=err)
    ran = {line.removesuffix(": done") for line in out.getvalue().splitlines()}
    assert ran == set(settings.CELERY_BEAT_SCHEDULE)
    assert err.getvalue() == ""


def test_it_reads_the_interval_forms_the_schedule_uses() -> None:
    assert interval_seconds(timedelta(minutes=5)) == 300
    assert interval_seconds(30) == 30
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert interval_seconds(entry["schedule"]) > 0


def test_the_development_procfile_runs_it() -> None:
    procfile = (settings.BASE_DIR / "Procfile.dev").read_text()
    assert "manage.py beat_run --every" in procfile
