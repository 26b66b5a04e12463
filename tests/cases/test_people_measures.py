"""People, not referrals: the report measures that count person codes, and the services provided."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import User
from agencies.roles import Role
from cases.models import Referral
from cases.report_measures import referrals_without_person_code
from cases.services import referral_transition, service_delivery_record
from reports.completeness import completeness_gaps
from reports.engine import report_compute
from reports.funder import funder_items
from reports.measures import measures_by_key
from reports.periods import Period, PeriodKind, period_build
from tests.cases.referral_helpers import send
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
Q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
Q2 = period_build(kind=PeriodKind.QUARTER, year=2025, part=2)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def raw(key: str, period: Period = Q1) -> dict[str, int]:
    """The measure's raw counts, before suppression (only tests ever see these)."""
    result = measures_by_key([key])[0].compute(period)
    return {count.key: count.value for count in result.counts}


@pytest.fixture
def officers(officer, outsider_officer) -> list[User]:
    """The sender (a victim-service provider) and three agencies it refers to."""
    clinic = UserFactory(agency=AgencyFactory(name="Juniper Test Clinic", sector="health"), role=Role.REFERRAL_OFFICER)
    legal = UserFactory(agency=AgencyFactory(name="Juniper Legal Aid", sector="legal_aid"), role=Role.REFERRAL_OFFICER)
    return [officer, outsider_officer, clinic, legal]


def sent(when: datetime, sender: User, receiver: User, code: str | None = None, **facts: object) -> Referral:
    with time_machine.travel(when, tick=False):
        return send(sender, receiver.agency, person_code=code, **facts)


def test_one_person_referred_to_three_agencies_in_a_quarter_is_one_person_and_three_referrals(officers):
    sender, *receivers = officers
    first = sent(at(2025, 1, 10, 9), sender, receivers[0])
    for day, receiver in ((2, receivers[1]), (3, receivers[2])):
        sent(at(2025, 2, day, 9), sender, receiver, code=first.person_code.code)
    counts = raw("people_identified")
    assert (counts["people.total"], counts["referrals.total"]) == (1, 3)
    assert (counts["people.new"], counts["people.continuing"]) == (1, 0)
    assert (counts["referrals.coded"], counts["referrals.uncoded"]) == (3, 0)


def test_a_person_first_referred_in_one_quarter_is_new_there_and_continuing_in_the_next(officers):
    sender, receiver, other, _ = officers
    returning = sent(at(2025, 3, 20, 9), sender, receiver)
    sent(at(2025, 4, 5, 9), sender, other, code=returning.person_code.code)
    sent(at(2025, 5, 5, 9), sender, receiver)  # someone new in the second quarter
    assert (raw("people_identified", Q1)["people.new"], raw("people_identified", Q1)["people.continuing"]) == (1, 0)
    second = raw("people_identified", Q2)
    assert (second["people.total"], second["people.new"], second["people.continuing"]) == (2, 1, 1)


def test_a_person_counts_as_confirmed_once_any_referral_up_to_the_period_end_says_so(officers):
    sender, receiver, other, legal = officers
    person = sent(at(2024, 11, 2, 9), sender, receiver, victim_status="confirmed")
    sent(at(2025, 2, 1, 9), sender, other, code=person.person_code.code, victim_status="potential")
    later = sent(at(2025, 1, 15, 9), sender, receiver, victim_status="potential")
    sent(at(2025, 7, 1, 9), sender, legal, code=later.person_code.code, victim_status="confirmed")  # after Q1
    counts = raw("people_identified")
    assert (counts["people.total"], counts["people.confirmed"], counts["people.potential"]) == (2, 1, 1)


def test_a_person_is_described_by_the_latest_referral_in_the_period(officers):
    sender, receiver, other, legal = officers
    person = sent(at(2025, 1, 5, 9), sender, receiver, age_band="12_17", gender="woman", trafficking_type="sex")
    code = person.person_code.code
    sent(at(2025, 3, 1, 9), sender, other, code=code, age_band="18_24", gender="non_binary", trafficking_type="both")
    sent(at(2025, 4, 2, 9), sender, legal, code=code, age_band="25_59", gender="man", trafficking_type="labor")
    age, gender, kind = raw("people_age"), raw("people_gender"), raw("people_type")
    assert (age["people.age.adult"], age["people.age.minor"], age["people.total"]) == (1, 0, 1)
    assert gender["people.gender.non_binary"] == 1 and gender["people.gender.woman"] == 0
    assert kind["people.type.both"] == 1 and sum(v for k, v in kind.items() if k != "people.total") == 1
    assert raw("people_citizenship")["people.total"] == 1


def test_it_counts_referrals_without_a_person_code_apart_and_lists_them_per_sending_agency(officers):
    sender, receiver, other, _ = officers
    old = [sent(at(2025, 2, day, 9), sender, receiver) for day in (1, 2)]
    sent(at(2025, 2, 3, 9), receiver, other, consent=None)
    Referral.objects.filter(pk__in=[r.pk for r in old]).update(person_code=None)
    counts = raw("people_identified")
    assert (counts["people.total"], counts["referrals.total"], counts["referrals.uncoded"]) == (1, 3, 2)
    (gap,) = referrals_without_person_code(Q1)
    assert (gap.agency_id, gap.count) == (sender.agency_id, 2)
    assert gap.what == f"sent 2 referrals in {Q1.label} without a person code"
    assert completeness_gaps(Q1)["person_codes"] == [gap]
    assert completeness_gaps(Q2)["person_codes"] == []


def test_it_counts_people_served_by_service_type_per_period(officers):
    sender, receiver, other, _ = officers
    person = sent(at(2025, 1, 5, 9), sender, receiver)
    onward = sent(at(2025, 1, 6, 9), sender, other, code=person.person_code.code)
    someone = sent(at(2025, 1, 7, 9), sender, receiver)
    with time_machine.travel(at(2025, 3, 15, 9), tick=False):
        for referral, actor in ((person, receiver), (onward, other), (someone, receiver)):
            referral_transition(referral=referral, actor=actor, move="accept")
        for referral, actor, services, month in (
            (person, receiver, ["shelter"], 1),
            (onward, other, ["shelter", "legal"], 2),
            (someone, receiver, ["medical"], 3),
        ):
            service_delivery_record(referral=referral, actor=actor, services=services, month=date(2025, month, 1))
    counts = raw("people_served")
    assert counts["served.total"] == 2
    assert (counts["served.shelter"], counts["served.legal"], counts["served.medical"]) == (1, 1, 1)
    assert raw("people_served", Q2)["served.total"] == 0


def test_the_partner_copy_suppresses_small_numbers_of_people(officers, settings):
    settings.REPORT_SUPPRESSION_THRESHOLD = 11
    sender, receiver, *_ = officers
    sent(at(2025, 1, 5, 9), sender, receiver)
    content = report_compute(period=Q1, measure_keys=["people_identified", "people_type"])
    cells = [cell for measure in content["measures"] for row in measure["rows"] for cell in row["cells"]]
    assert cells and all(cell["value"] in (0, None) for cell in cells)
    assert {cell["display"] for cell in cells} <= {"0", "<11", "withheld"}


@pytest.mark.parametrize("template", ["ovc_tims", "ovc_pmt"])
def test_every_client_and_service_item_names_a_count_its_measure_computes(template, officers):
    items = [item for item in funder_items(template) if item.code.startswith(("CL-", "SV-"))]
    assert {"CL-served", "CL-new", "CL-continuing", "CL-potential", "CL-confirmed", "SV-served"} <= {
        item.code for item in items
    }
    assert any(item.code.startswith("CL-age-") for item in items)
    for item in items:
        assert item.statistic in raw(item.measure), item.code


def test_the_people_measures_share_one_total_of_people(officers):
    sender, receiver, other, _ = officers
    person = sent(at(2025, 1, 5, 9), sender, receiver)
    sent(at(2025, 1, 6, 9), sender, other, code=person.person_code.code)
    sent(at(2025, 1, 7, 9), receiver, other, consent=None)
    keys = ["people_identified", "people_type", "people_age", "people_gender", "people_citizenship"]
    assert {raw(key)["people.total"] for key in keys} == {2}
    # One report of them all: the engine refuses a shared count that differs between two measures.
    assert len(report_compute(period=Q1, measure_keys=keys, threshold=3)["measures"]) == len(keys)
