"""The benchmarks' scale dataset (benchmarks/scale/, run as `python -m benchmarks.seed_scale`), built small:
it lives outside the portal's apps, and still builds every kind of row the benchmarks read, through the
same code (COPY on PostgreSQL, multi-row INSERTs here) at every size."""

from __future__ import annotations

import importlib.util
from dataclasses import fields
from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency, User
from audit.models import AuditEntry
from benchmarks.scale.sizes import SIZES, Size
from benchmarks.seed_scale import seed_scale, size_plan
from cases.models import Comment, Consent, ReferenceSequence, Referral, ReferralNeed, TimelineEvent
from meetings.models import Attendance, Meeting, Minutes, Training, TrainingRegistration

pytestmark = pytest.mark.django_db
OPEN = ("sent", "accepted", "in_progress")


def test_it_builds_a_small_dataset_of_every_kind(capsys):
    seed_scale(agencies=4, people=60, referrals=40, meetings=10, trainings=3, seed=7)
    assert Agency.objects.count() == 4 and User.objects.count() == 60
    assert Referral.objects.count() == 40
    assert ReferralNeed.objects.count() >= 40 and TimelineEvent.objects.count() >= 40
    assert AuditEntry.objects.filter(event="referral.sent").count() == 40
    assert Meeting.objects.count() == 10 and Minutes.objects.exists()
    assert Training.objects.count() == 3 and TrainingRegistration.objects.count() == 60
    assert "done in" in capsys.readouterr().out


def test_it_builds_on_an_empty_database_only():
    seed_scale(agencies=2, people=30, referrals=0, meetings=0, trainings=0, seed=7)
    with pytest.raises(SystemExit, match="not empty"):
        seed_scale(agencies=2, people=30, referrals=0, meetings=0, trainings=0, seed=7)


def test_the_state_size_is_ten_counties_in_every_count():
    county, state = SIZES["county"], SIZES["state"]
    for name in ("agencies", "people", "referrals", "meetings", "trainings"):
        assert getattr(state, name) == 10 * getattr(county, name), name
    assert (state.years, county.years) == (5, 2)


def test_explicit_counts_override_the_size_and_the_divisor():
    plan = size_plan("state", divisor=1000, referrals=123, years=1)
    assert (plan.referrals, plan.years, plan.people, plan.meetings) == (123, 1, 50, 20)
    assert size_plan("county") == SIZES["county"]
    with pytest.raises(TypeError, match="Unknown counts: colour"):
        size_plan("county", colour=1)


def test_a_divided_size_keeps_two_agencies_and_a_county():
    tiny = Size(agencies=3, people=3, referrals=10, meetings=1, trainings=1, counties=5, years=5).divided(10)
    assert (tiny.agencies, tiny.people, tiny.referrals, tiny.counties) == (2, 10, 1, 1)
    with pytest.raises(ValueError, match="at least 1"):
        SIZES["state"].divided(0)


def test_a_divided_state_builds_every_table_to_its_plan_with_five_years_of_history():
    plan = size_plan("state", divisor=4000)
    seed_scale(size="state", divisor=4000, seed=3)
    built = {f.name: v for f in fields(plan) if isinstance(v := getattr(plan, f.name), int)}
    assert Agency.objects.count() == built["agencies"] and User.objects.count() == built["people"]
    assert Referral.objects.count() == built["referrals"] == 500
    assert Meeting.objects.count() == built["meetings"] and Training.objects.count() == built["trainings"]
    # Every child table, in proportion to its parents.
    referrals = built["referrals"]
    assert referrals <= ReferralNeed.objects.count() <= 3 * referrals
    assert referrals <= TimelineEvent.objects.count() <= 4 * referrals
    assert 0.1 * referrals <= Comment.objects.count() <= 0.5 * referrals
    assert Consent.objects.count() == Referral.objects.filter(consent__isnull=False).count()
    assert 2 * referrals <= AuditEntry.objects.count() <= 7 * referrals
    assert Minutes.objects.exists() and Attendance.objects.exists()
    assert ReferenceSequence.objects.exists()
    # Spread over five years; most old referrals ended, a realistic share of recent ones still open.
    now = timezone.now()
    oldest = Referral.objects.order_by("created_at").values_list("created_at", flat=True)[0]
    assert now - oldest > timedelta(days=365 * 5 - 30)
    old = Referral.objects.filter(created_at__lt=now - timedelta(days=365))
    assert old.filter(status__in=OPEN).count() < 0.1 * old.count()
    recent = Referral.objects.filter(created_at__gte=now - timedelta(days=90))
    assert recent.filter(status__in=OPEN).count() > 0.3 * recent.count() > 0
    # Nothing dated in the future, and every timeline starts with its sending.
    assert not TimelineEvent.objects.filter(created_at__gt=timezone.now()).exists()
    assert TimelineEvent.objects.filter(move="send").count() == referrals


@pytest.mark.parametrize("app", ["agencies", "cases", "meetings"])
def test_the_portal_apps_hold_no_benchmark_builders(app):
    assert importlib.util.find_spec(f"{app}.scale") is None
    assert importlib.util.find_spec("agencies.management.commands.seed_scale") is None


def test_growth_gives_state_over_county_and_the_issues_aims():
    from benchmarks.growth import compare, markdown

    def record(digest_ms: float, report_s: float) -> dict:
        return {"inprocess": {"digest": {"median_ms": digest_ms}, "report": {"engine_s": report_s}}}

    rows = {row["figure"]: row for row in compare({"county": record(2.0, 0.5), "state": record(3.0, 1.5)})}
    digest = rows["digest sections per person, median (ms)"]
    assert (digest["ratio"], digest["pass"]) == (1.5, False)
    assert rows["grant report, fiscal year (s)"]["pass"] is True
    loads = {size: {"referrals": 1, "load_start": [1.0], "load_end": [2.0]} for size in ("county", "state")}
    table = markdown({"rows": list(rows.values()), "loads": loads})
    assert "| 7 | digest sections per person, median (ms) | 2 | 3 | 1.50 | growth <= 1.2 | **miss** |" in table
