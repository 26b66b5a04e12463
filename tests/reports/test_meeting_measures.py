"""Meeting and training measures (meetings/report_measures.py) against a hand-counted first quarter of 2025.

The quarter, in Chicago time, computed on 1 May 2025 unless a test says otherwise:

  agencies  A Safe Harbor (victim services, co-chair)  B Elsewhere Sheriff (law enforcement)
            C Juniper Clinic (health)  D Quiet Legal Aid (legal aid, admitted 1 Feb 2025)
            E Former Partner (community, no longer a member); all others admitted in June 2024
  committee "Labor working group": agency C, and b1 (a person of B)
  meetings  M1 full, all members, 14 Jan   present: a1, a2, c1, agency B (nobody named)
            M2 full, all members, 11 Feb   present: a1, b1, agency E (a guest: no longer a member)
            M3 committee, the committee, 20 Feb   present: c1, agency A (a guest)
            M4 case review, co-chairs, 3 Mar, organized by c1   present: a1
            M5 full, all members, 10 Mar, CANCELLED
            M6 full, all members, 31 Mar 23:30 (1 April in UTC)   present: b1, agency C
            M7 full, 31 Dec 2024 23:59 (before)   present: agency D
            M8 full, 1 Apr 2025 00:00 (after)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from meetings.choices import ActionStatus, AttendanceSource, Audience, MeetingKind, RequestStatus, TrainingSector
from meetings.models import ActionItem, Attendance, Meeting, PeopleTrained, Training, TrainingRequest
from reports.engine import report_compute
from reports.measures import MeasureResult, measures_by_key
from reports.periods import Period, PeriodKind, period_build
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.factories import CommitteeFactory, MeetingFactory, TrainingFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
Q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
Q2 = period_build(kind=PeriodKind.QUARTER, year=2025, part=2)
NEW_MEASURES = [
    "meetings_held",
    "agencies_attending",
    "attendance_by_agency",
    "action_items",
    "trainings_delivered",
    "trainings_by_sector",
    "training_requests",
]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


AFTER_THE_QUARTER = local(2025, 5, 1, 12)
WITHIN_THE_QUARTER = local(2025, 3, 20, 12)


def result(key: str, period: Period = Q1, at: datetime = AFTER_THE_QUARTER) -> MeasureResult:
    with time_machine.travel(at, tick=False):
        return measures_by_key([key])[0].compute(period)


def raw(key: str, period: Period = Q1, at: datetime = AFTER_THE_QUARTER) -> dict[str, int]:
    """The measure's raw counts, before suppression (only tests ever see these)."""
    return {count.key: count.value for count in result(key, period, at).counts}


def published(key: str, period: Period = Q1, threshold: int | None = None) -> dict[str, list[str]]:
    with time_machine.travel(AFTER_THE_QUARTER, tick=False):
        content = report_compute(period=period, measure_keys=[key], threshold=threshold)
    return {row["label"]: [cell["display"] for cell in row["cells"]] for row in content["measures"][0]["rows"]}


# --- the hand-counted quarter ------------------------------------------------------------------------
def _meeting(at: datetime, host: Agency, actor: User, **fields: object) -> Meeting:
    return MeetingFactory(
        starts_at=at, ends_at=at + timedelta(minutes=45), host_agency=host, created_by=actor, **fields
    )


def _present(meeting: Meeting, recorder: User, *, person: User | None = None, agency: Agency | None = None) -> None:
    Attendance.objects.create(
        meeting=meeting,
        person=person,
        agency=agency or person.agency,
        source=AttendanceSource.ORGANIZER,
        recorded_by=recorder,
    )


@pytest.fixture
def people(agency, other_agency, coordinator) -> dict[str, User]:
    clinic = AgencyFactory(name="Juniper Test Clinic", sector="health")
    AgencyFactory(name="Quiet Legal Aid", sector="legal_aid")
    AgencyFactory(name="Former Partner", sector="community", is_active=False)
    return {
        "coordinator": coordinator,
        "a1": UserFactory(agency=agency),
        "a2": UserFactory(agency=agency),
        "b1": UserFactory(agency=other_agency),
        "c1": UserFactory(agency=clinic),
    }


@pytest.fixture
def meetings(people) -> dict[str, Meeting]:
    agencies = {a.name.split()[0]: a for a in Agency.objects.all()}
    host, actor = people["coordinator"].agency, people["coordinator"]
    committee = CommitteeFactory(
        name="Labor working group", people=[people["b1"]], member_agencies=[agencies["Juniper"]]
    )
    made = {
        "M1": _meeting(local(2025, 1, 14, 10), host, actor),
        "M2": _meeting(local(2025, 2, 11, 10), host, actor),
        "M3": _meeting(
            local(2025, 2, 20, 10), host, actor, kind=MeetingKind.COMMITTEE, audience=Audience.COMMITTEE,
            committee=committee,
        ),
        "M4": _meeting(
            local(2025, 3, 3, 10), host, actor, kind=MeetingKind.CASE_REVIEW, audience=Audience.COCHAIRS,
            organizer=people["c1"],
        ),
        "M5": _meeting(local(2025, 3, 10, 10), host, actor, cancelled_at=local(2025, 3, 1)),
        "M6": _meeting(local(2025, 3, 31, 23, 30), host, actor),
        "M7": _meeting(local(2024, 12, 31, 23, 59), host, actor),
        "M8": _meeting(local(2025, 4, 1, 0, 0), host, actor),
    }  # fmt: skip
    for name, who in [("M1", "a1"), ("M1", "a2"), ("M1", "c1"), ("M2", "a1"), ("M2", "b1"), ("M3", "c1"),
                      ("M4", "a1"), ("M6", "b1")]:  # fmt: skip
        _present(made[name], actor, person=people[who])
    for name, agency in [("M1", "Elsewhere"), ("M2", "Former"), ("M3", "Safe"), ("M6", "Juniper"), ("M7", "Quiet")]:
        _present(made[name], actor, agency=agencies[agency])
    Agency.objects.update(created_at=local(2024, 6, 1))
    Agency.objects.filter(name="Quiet Legal Aid").update(created_at=local(2025, 2, 1))
    return made


def _item(created: datetime, actor: User, meeting: Meeting, status: str = ActionStatus.OPEN, closed=None) -> None:
    with time_machine.travel(created, tick=False):
        item = ActionItem.objects.create(
            meeting=meeting, title="Share the updated resource list", owner_agency=actor.agency,
            due_on=created.date(), created_by=actor,
        )  # fmt: skip
    ActionItem.objects.filter(pk=item.pk).update(status=status, closed_at=closed)


@pytest.fixture
def action_items(meetings, people) -> None:
    actor, m1 = people["coordinator"], meetings["M1"]
    _item(local(2024, 12, 20, 9), actor, m1, ActionStatus.DONE, local(2025, 1, 10, 9))  # completed in Q1
    _item(local(2025, 1, 14, 11), actor, m1, ActionStatus.DONE, local(2025, 2, 1, 9))  # opened and completed
    _item(local(2025, 1, 14, 11), actor, m1)  # opened, still open
    _item(local(2025, 2, 11, 11), actor, m1, ActionStatus.DROPPED, local(2025, 3, 1, 9))  # opened and dropped
    _item(local(2025, 3, 3, 11), actor, m1, ActionStatus.DONE, local(2025, 4, 2, 9))  # opened; done in Q2
    _item(local(2025, 3, 31, 23, 30), actor, m1)  # opened on the last evening (April in UTC)
    _item(local(2025, 4, 1, 0, 0), actor, m1)  # Q2


def _training(start: datetime, host: Agency, actor: User, sectors: list[str], trained: dict[str, int] | None,
              cancelled: bool = False) -> Training:  # fmt: skip
    training = TrainingFactory(
        starts_at=start, ends_at=start + timedelta(hours=2), host_agency=host, created_by=actor, sectors=sectors
    )
    if trained is not None:
        PeopleTrained.objects.bulk_create(
            PeopleTrained(training=training, sector=s, count=n) for s, n in trained.items()
        )
        Training.objects.filter(pk=training.pk).update(people_trained_recorded_at=training.ends_at)
    if cancelled:
        Training.objects.filter(pk=training.pk).update(cancelled_at=training.ends_at)
    return training


S = TrainingSector


@pytest.fixture
def trainings(people) -> None:
    host, actor = people["coordinator"].agency, people["coordinator"]
    _training(local(2025, 1, 22, 9), host, actor, [S.LAW_ENFORCEMENT], {S.LAW_ENFORCEMENT: 25, S.OTHER: 3})
    _training(local(2025, 2, 18, 9), host, actor, [S.HEALTH_CARE, S.SOCIAL_SERVICES],
              {S.HEALTH_CARE: 14, S.SOCIAL_SERVICES: 6})  # fmt: skip
    _training(local(2025, 3, 12, 9), host, actor, [S.HOSPITALITY], {S.HOSPITALITY: 30}, cancelled=True)
    _training(local(2025, 3, 26, 9), host, actor, [S.SCHOOLS], None)  # delivered, people not recorded yet
    # 23:00 on 31 December in Chicago is already 2025 in UTC: it belongs to 2024.
    _training(local(2024, 12, 31, 23, 0), host, actor, [S.HEALTH_CARE], {S.HEALTH_CARE: 40})
    _training(local(2025, 4, 2, 9), host, actor, [S.LAW_ENFORCEMENT], {S.LAW_ENFORCEMENT: 12, S.TRANSPORTATION: 2})


def _request(created: datetime, status: str = RequestStatus.NEW, closed: datetime | None = None) -> None:
    with time_machine.travel(created, tick=False):
        request = TrainingRequest.objects.create(
            organization="Juniper Motel Association", contact_email="training@motels.example.org",
            topic="Front-desk awareness", preferred_dates="Any weekday morning",
        )  # fmt: skip
    TrainingRequest.objects.filter(pk=request.pk).update(status=status, closed_at=closed)


@pytest.fixture
def requests(db) -> None:
    _request(local(2024, 12, 15, 9), RequestStatus.DONE, local(2025, 1, 20, 9))  # fulfilled in Q1
    _request(local(2025, 1, 5, 9), RequestStatus.DONE, local(2025, 2, 25, 9))  # received and fulfilled
    _request(local(2025, 2, 10, 9), RequestStatus.DECLINED, local(2025, 2, 12, 9))  # received and declined
    _request(local(2025, 3, 15, 9), RequestStatus.SCHEDULED)  # received
    _request(local(2025, 3, 31, 23, 30), RequestStatus.NEW)  # received on the last evening
    _request(local(2025, 4, 1, 0, 0), RequestStatus.NEW)  # Q2


@pytest.fixture
def quarter(meetings, action_items, trainings, requests) -> dict[str, Meeting]:
    return meetings


def _agency_rows(period: Period = Q1, at: datetime = AFTER_THE_QUARTER) -> dict[str, tuple[int, int, float]]:
    measured = result("attendance_by_agency", period, at)
    counts = {count.key: count.value for count in measured.counts}
    rates = {statistic.key: statistic.value for statistic in measured.statistics}
    rows = {}
    for row in measured.rows:
        open_to, attended, rate = row.cells
        rows[row.label] = (counts[open_to], counts[attended], round(rates[rate], 1))
    return rows


# --- meetings ----------------------------------------------------------------------------------------------
def test_it_counts_meetings_held_by_kind_and_the_people_present(quarter):
    assert raw("meetings_held") == {
        "meetings.held.full": 3,  # M1, M2 and M6 (31 March 23:30); not M5 (cancelled), M7 (before), M8 (after)
        "meetings.held.committee": 1,
        "meetings.held.case_review": 1,
        "meetings.attendances.full": 6,  # 3 at M1, 2 at M2, 1 at M6: agencies present without a name add none
        "meetings.attendances.committee": 1,
        "meetings.attendances.case_review": 1,
        "meetings.held": 5,
        "meetings.attendances": 8,
    }


def test_it_leaves_out_a_meeting_of_the_period_that_has_not_happened_yet(quarter):
    # On 20 March, M6 (31 March) is still ahead: not held.
    counts = raw("meetings_held", at=WITHIN_THE_QUARTER)
    assert counts["meetings.held.full"] == 2 and counts["meetings.held"] == 4
    assert _agency_rows(at=WITHIN_THE_QUARTER)["Elsewhere County Sheriff"] == (3, 2, 66.7)


def test_it_places_meetings_by_their_day_in_the_task_forces_time_zone(quarter):
    assert raw("meetings_held", Q2)["meetings.held"] == 1  # M8, at midnight on 1 April
    last_day_of_2024 = Period(PeriodKind.CUSTOM, date(2024, 12, 31), date(2024, 12, 31))
    assert raw("meetings_held", last_day_of_2024)["meetings.held"] == 1  # M7
    assert raw("agencies_attending", last_day_of_2024)["meetings.agencies_attending.legal_aid"] == 1


def test_it_counts_distinct_agencies_attending_by_sector(quarter):
    counts = {key: value for key, value in raw("agencies_attending").items() if value}
    # D was present only at M7, before the quarter; A came to four meetings and counts once.
    assert counts == {
        "meetings.agencies_attending.victim_services": 1,
        "meetings.agencies_attending.law_enforcement": 1,
        "meetings.agencies_attending.health": 1,
        "meetings.agencies_attending.community": 1,
        "meetings.agencies_attending": 4,
    }


def test_it_counts_for_each_agency_the_meetings_open_to_it_and_attended(quarter):
    assert _agency_rows() == {
        # M1, M2, M4 (co-chairs), M6, and M3 as a guest; attended all but M6.
        "Safe Harbor Test Center": (5, 4, 80.0),
        # M1, M2, M6, and M3 through b1 on the committee; attended M1 (agency only), M2, M6.
        "Elsewhere County Sheriff": (4, 3, 75.0),
        # M1, M2, M3 (member agency), M4 (c1 organizes it), M6; attended M1, M3, M6.
        "Juniper Test Clinic": (5, 3, 60.0),
        # Admitted on 1 February: M2 and M6; never came (M7 is before the quarter).
        "Quiet Legal Aid": (2, 0, 0.0),
        # No longer a member: only the meeting it attended.
        "Former Partner": (1, 1, 100.0),
    }


def test_it_publishes_attendance_counts_as_they_are_and_rates_resting_on_enough_meetings(quarter):
    # Meetings are not people: never suppressed. A rate rests on the meetings open to the agency.
    assert published("attendance_by_agency", threshold=5) == {
        "Elsewhere County Sheriff": ["4", "3", "withheld"],
        "Former Partner": ["1", "1", "withheld"],
        "Juniper Test Clinic": ["5", "3", "60"],
        "Quiet Legal Aid": ["2", "0", "withheld"],
        "Safe Harbor Test Center": ["5", "4", "80"],
    }


def test_it_counts_action_items_opened_completed_and_dropped(quarter):
    assert raw("action_items") == {"actions.opened": 5, "actions.completed": 2, "actions.dropped": 1}
    assert raw("action_items", Q2) == {"actions.opened": 1, "actions.completed": 1, "actions.dropped": 0}


# --- trainings ---------------------------------------------------------------------------------------------
def test_it_counts_trainings_delivered(quarter):
    # Not the cancelled one (12 March), nor those of 31 December 2024 (23:00) and 2 April.
    assert raw("trainings_delivered") == {
        "trainings.delivered.recorded": 2,
        "trainings.delivered.not_recorded": 1,
        "trainings.delivered": 3,
    }
    # On 20 March the training of 26 March is still ahead.
    assert raw("trainings_delivered", at=WITHIN_THE_QUARTER)["trainings.delivered"] == 2


def test_it_counts_trainings_and_people_trained_by_sector(quarter):
    counts = {key: value for key, value in raw("trainings_by_sector").items() if value}
    assert counts == {
        "trainings.sector.law_enforcement": 1,
        "trainings.sector.health_care": 1,
        "trainings.sector.social_services": 1,
        "trainings.sector.schools": 1,
        "trainings.people.law_enforcement": 25,
        "trainings.people.other": 3,
        "trainings.people.health_care": 14,
        "trainings.people.social_services": 6,
        "trainings.delivered": 3,
        "trainings.people": 48,
    }


def test_it_suppresses_small_counts_of_people_trained(quarter):
    table = published("trainings_by_sector")
    assert table["Law enforcement"] == ["1", "25"] and table["Health care"] == ["1", "14"]
    assert table["Other"] == ["0", "<11"] and table["Social services and child welfare"] == ["1", "<11"]
    assert table["Hospitality"] == ["0", "0"]  # the cancelled training
    # Two small counts sharing 48 - 25 - 14 = 9 cannot be pinned down: the total stays.
    assert table["All trainings delivered"] == ["3", "48"]


def test_it_withholds_a_second_count_so_that_a_lone_small_one_cannot_be_worked_out(quarter):
    table = published("trainings_by_sector", Q2)
    # 12 + 2 = 14: with 12 and 14 shown, the "<11" would be 2. The 12 is withheld instead.
    assert table["Law enforcement"] == ["1", "withheld"] and table["Transportation"] == ["0", "<11"]
    assert table["All trainings delivered"] == ["1", "14"]


def test_it_counts_training_requests_received_fulfilled_and_declined(quarter):
    assert raw("training_requests") == {"requests.received": 4, "requests.fulfilled": 2, "requests.declined": 1}


# --- the report as a whole ----------------------------------------------------------------------------------
def test_it_shares_the_count_of_trainings_delivered_between_measures(quarter):
    with time_machine.travel(AFTER_THE_QUARTER, tick=False):
        content = report_compute(period=Q1, measure_keys=["trainings_delivered", "trainings_by_sector"])
    totals = [m["rows"][-1]["cells"][0]["value"] for m in content["measures"]]
    assert totals == [3, 3]


def _many_more(people: dict[str, User]) -> None:
    """Ten times the rows: more agencies, meetings, attendance, items, trainings and requests."""
    actor = people["coordinator"]
    for n in range(10):
        agency = AgencyFactory(name=f"Extra agency {n}", sector="education")
        person = UserFactory(agency=agency)
        meeting = _meeting(local(2025, 1, 2 + n, 10), actor.agency, actor)
        _present(meeting, actor, person=person)
        _present(meeting, actor, agency=actor.agency)
        _item(local(2025, 1, 2 + n, 11), actor, meeting)
        _training(local(2025, 2, 2 + n, 9), actor.agency, actor, [S.SCHOOLS, S.BUSINESS], {S.SCHOOLS: 12 + n})
        _request(local(2025, 3, 2 + n, 9))
    Agency.objects.update(created_at=local(2024, 6, 1))


def test_it_computes_the_new_measures_with_a_fixed_number_of_queries(quarter, people):
    with time_machine.travel(AFTER_THE_QUARTER, tick=False):
        with CaptureQueriesContext(connection) as few:
            report_compute(period=Q1, measure_keys=NEW_MEASURES)
        _many_more(people)
        with CaptureQueriesContext(connection) as many:
            report_compute(period=Q1, measure_keys=NEW_MEASURES)
    # GROUP BY and correlated subqueries only: the count grows with neither meetings, agencies nor trainings.
    assert len(few.captured_queries) == len(many.captured_queries) <= 10
    assert raw("meetings_held")["meetings.held"] == 15


# --- the dashboard ---------------------------------------------------------------------------------------------
def test_it_shows_trainings_by_sector_and_attendance_by_agency_on_the_dashboard(people):
    # The dashboard shows the last four published quarters (reports/releases.py): about five months ago
    # is always in them, whatever today is; last week is not published yet.
    actor, now = people["coordinator"], timezone.now()
    meeting = _meeting(now.replace(minute=0) - timedelta(days=150), actor.agency, actor)
    _present(meeting, actor, person=people["a1"])
    start = now.replace(minute=0) - timedelta(days=155)
    _training(start, actor.agency, actor, [S.HEALTH_CARE], {S.HEALTH_CARE: 30, S.SCHOOLS: 4})
    grant_manager = UserFactory(agency=actor.agency, role=Role.GRANT_MANAGER)

    page = client_for(grant_manager).get(reverse("reports:dashboard")).content.decode()

    assert 'alt="Bar chart of the people trained from each sector' in page
    assert 'alt="Bar chart of the meetings each agency attended and of those open to it' in page
    assert "<caption" in page and "Trainings and people trained by sector, " in page
    assert "Attendance by agency, " in page and '<th scope="row">Safe Harbor Test Center</th>' in page
    assert '<th scope="col">Agency</th>' in page
    assert "&lt;11" in page  # the 4 people trained from schools
