"""The benchmarks' scale dataset (benchmarks/scale/, run as `python -m benchmarks.seed_scale`), built small:
it lives outside the portal's apps, and still builds every kind of row the benchmarks read."""

from __future__ import annotations

import importlib.util

import pytest

from agencies.models import Agency, User
from benchmarks.seed_scale import seed_scale
from cases.models import Referral, ReferralNeed, TimelineEvent
from meetings.models import Meeting, Minutes, Training, TrainingRegistration

pytestmark = pytest.mark.django_db


def test_it_builds_a_small_dataset_of_every_kind(capsys):
    seed_scale(agencies=4, people=60, referrals=40, meetings=10, trainings=3, seed=7)
    assert Agency.objects.count() == 4 and User.objects.count() == 60
    assert Referral.objects.count() == 40
    assert ReferralNeed.objects.count() >= 40 and TimelineEvent.objects.count() >= 40
    assert Meeting.objects.count() == 10 and Minutes.objects.exists()
    assert Training.objects.count() == 3 and TrainingRegistration.objects.count() == 60
    assert "done" in capsys.readouterr().out


def test_it_builds_on_an_empty_database_only():
    seed_scale(agencies=2, people=30, referrals=0, meetings=0, trainings=0, seed=7)
    with pytest.raises(SystemExit, match="not empty"):
        seed_scale(agencies=2, people=30, referrals=0, meetings=0, trainings=0, seed=7)


@pytest.mark.parametrize("app", ["agencies", "cases", "meetings"])
def test_the_portal_apps_hold_no_benchmark_builders(app):
    assert importlib.util.find_spec(f"{app}.scale") is None
    assert importlib.util.find_spec("agencies.management.commands.seed_scale") is None
