"""The demo spreads its referrals over the last 18 months (issue 17): the dashboard's 12-month chart shows a
trend, people come back (the same person code on two or three referrals, some onward by a receiving agency),
the receiving agencies record services by month, and every date of a referral agrees with its timeline.

Seeding takes seconds, so each test seeds once and checks several things."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activity.quarters import recent_quarters
from activity.selectors import missing_for
from agencies.models import Agency, User
from cases import choices
from cases.models import Comment, PersonCode, Referral, ServiceDelivery, TimelineEvent
from cases.report_measures import SERVED, people_identified, people_served
from reports.periods import Period, PeriodKind, task_force_zone
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MONTHS = 18


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, task_force_zone())


def _first_month() -> date:
    month = timezone.localdate().replace(day=1)
    for _ in range(MONTHS - 1):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _shown_months(email: str) -> list[int]:
    """The referrals of each month of the dashboard's chart that it shows (not suppressed), oldest first."""
    response = client_for(User.objects.get(email=email)).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    by_month = next(m for m in response.context["overview"]["measures"] if m["key"] == "referrals_by_month")
    months = [row for row in by_month["rows"] if row["kind"] != "total"]
    assert len(months) == 12
    return [row["cells"][0]["value"] for row in months if row["cells"][0]["status"] == "shown"]


def test_it_shows_a_trend_over_the_twelve_months_of_the_dashboard(demo):
    for email in ("grants@demo.example.org", "coordinator@demo.example.org"):
        values = _shown_months(email)
        assert len(values) == 12, "every month of the four published quarters is shown, none suppressed"
        assert min(values) >= 11
        assert sum(values[6:]) > sum(values[:6]), "more referrals in the last half-year than in the first"


def test_it_refers_people_again_and_counts_them_in_the_last_ended_quarter(demo):
    per_person = defaultdict(list)
    for referral in Referral.objects.order_by("created_at", "pk"):
        per_person[referral.person_code_id].append(referral)
    assert None not in per_person
    sizes = Counter(len(referrals) for referrals in per_person.values())
    assert sizes[2] >= 5 and sizes[3] >= 2 and max(sizes) <= 3
    onward = [  # sent by an agency that had received the person
        later
        for referrals in per_person.values()
        for index, later in enumerate(referrals)
        if later.sending_agency_id in {earlier.receiving_agency_id for earlier in referrals[:index]}
    ]
    assert len(onward) >= 3
    for code in PersonCode.objects.all():
        referrals = per_person[code.pk]
        assert code.issued_at == referrals[0].created_at and code.issued_by_id == referrals[0].sending_agency_id
        assert len({referral.receiving_agency_id for referral in referrals}) == len(referrals)

    quarter = recent_quarters(2)[1]
    people = {count.key: count.value for count in people_identified(quarter).counts}
    assert people["people.continuing"] >= 1 and people["people.new"] >= 11
    assert people["people.confirmed"] >= 1 and people["people.potential"] >= 1
    served = {count.key: count.value for count in people_served(quarter).counts}
    assert served[SERVED] >= 11
    services = [key for key, value in served.items() if key.count(".") == 1 and value]
    assert len(set(services) - {SERVED, "served.uncoded"}) >= 4

    referrals = Referral.objects.all()
    for field, wanted in (
        ("victim_status", set(choices.VictimStatus.values)),
        ("citizenship", set(choices.Citizenship.values)),
        ("trafficking_type", {"sex", "labor"}),
        ("status", set(choices.Status.values)),
    ):
        assert wanted <= set(referrals.values_list(field, flat=True)), field
    assert len(set(referrals.values_list("gender", flat=True))) >= 4
    bands = set(referrals.values_list("age_band", flat=True))
    assert bands & set(choices.AgeBand.minors()) and bands - set(choices.AgeBand.minors())


def test_it_dates_every_referral_in_the_last_eighteen_months_and_consistently(demo):
    now = timezone.now()
    timelines = defaultdict(list)
    for event in TimelineEvent.objects.order_by("pk"):
        timelines[event.referral_id].append(event)
    referrals = list(Referral.objects.select_related("consent", "sending_agency", "receiving_agency"))
    assert len({_local(referral.created_at).strftime("%Y-%m") for referral in referrals}) >= 12
    for referral in referrals:
        assert _first_month() <= _local(referral.created_at).date() and referral.created_at <= now
        assert _local(referral.created_at).year == int(referral.reference_code.split("-")[1])
        assert referral.created_at > max(referral.sending_agency.created_at, referral.receiving_agency.created_at)
        events = timelines[referral.pk]
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[0].move == "send" and events[0].created_at == referral.created_at
        assert events[-1].to_status == referral.status and referral.updated_at == events[-1].created_at <= now
        accepted = [e.created_at for e in events if e.move == "accept"]
        assert referral.accepted_at == (accepted[0] if accepted else None)
        closed = [e.created_at for e in events if e.move == "close"]
        assert referral.closed_at == (closed[-1] if closed else None)
        if referral.consent is not None:
            assert referral.consent.given_on <= _local(referral.created_at).date() <= referral.consent.expires_on
            assert referral.consent.recorded_at <= referral.created_at
    for comment in Comment.objects.select_related("referral"):
        assert comment.referral.created_at < comment.created_at <= now
    for service in ServiceDelivery.objects.select_related("referral"):
        referral = service.referral
        assert referral.accepted_at is not None and referral.status in ("accepted", "in_progress", "closed")
        assert _local(referral.accepted_at).date().replace(day=1) <= service.month
        assert referral.accepted_at <= service.recorded_at <= (referral.closed_at or now)
        assert _local(service.recorded_at).date().replace(day=1) == service.month

    # Admitted before the quarters the demo fills, so that none of them is owed or counted without them.
    assert all(_local(agency.created_at).date() < _first_month() for agency in Agency.objects.all())
    ended = recent_quarters(7)[1:]
    assert missing_for(Period(PeriodKind.CUSTOM, ended[-1].start, ended[0].end)) == []


def test_it_changes_nothing_when_seeded_again(demo):
    def state() -> tuple[list, ...]:
        return (
            list(Referral.objects.values_list("pk", "created_at", "updated_at", "status")),
            list(TimelineEvent.objects.values_list("pk", "created_at")),
            list(ServiceDelivery.objects.values_list("pk", "recorded_at")),
            list(Agency.objects.values_list("pk", "created_at")),
            list(User.objects.values_list("pk", "date_joined")),
        )

    before = state()
    call_command("seed_demo", stdout=io.StringIO())
    assert state() == before
