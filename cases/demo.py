"""Fictional demo referrals over the last 18 months, so that reports have people, services and trends.

People: each has a person code, issued when an agency first refers them. About a third come back:
referred by the same agency to a second or third agency, onward by a receiving agency with the code it
received, or again months later (so that a quarter has "continuing" people). Referrals move along the
closed loop (accepted, in progress, closed; declined, withdrawn; the latest still waiting), and the
receiving agencies record the services they provided, month by month. More referrals each month than
a year ago, so that the dashboard's 12-month chart shows a trend.

How it is made: a plan with every date (`_plan`), then the services, as people would use them, in the
order of the plan's dates (`_carry_out`). The services stamp "now"; the plan's past dates are then
written over the timestamp fields with queryset.update() in one place, "Backdating" below. Only this
invented data is rewritten so; audit rows are append-only and keep the moment of seeding.

Idempotent: nothing is added once any referral exists. The plan depends on the day it is made
(its months end with the current one) and on a fixed seed, not on chance.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from cases import choices
from cases.models import Comment, Consent, PersonCode, ReferenceSequence, Referral, ServiceDelivery, TimelineEvent
from cases.services import (
    ConsentInput,
    referral_comment,
    referral_send,
    referral_transition,
    service_delivery_record,
)
from cases.transitions import Move
from reports.periods import task_force_zone

MONTHS = 18
# Referrals sent in the first and in the last month (a rising trend): enough that every month of the
# dashboard's chart is shown (11 or more) and the sectors that refer most are shown in every quarter.
FIRST, LAST = 18, 30
WAITING = 3  # referrals of the last three days still waiting for an answer
SAFE, SHERIFF, HOSPITAL = "Safe Harbor Survivor Center", "Juniper County Sheriff's Office", "Juniper General Hospital"
BRIDGEWAY, LEGAL, ROOTS = "Bridgeway Family Services", "Lantern Legal Aid", "New Roots Immigrant Services"
WELFARE = "Juniper County Child Welfare"
# Agencies without a demo login still accept, close and refer onward: these intake officers act for
# them. Like the activity demo's records person they cannot sign in (no usable password), and their
# addresses are outside the logins' "@demo.example.org", which other demo data picks people from.
INTAKE_OFFICERS = [
    ("intake@bridgeway.demo.example.org", "Noor", "Halvorsen", BRIDGEWAY),
    ("intake@lantern.demo.example.org", "Tomas", "Reyland", LEGAL),
    ("intake@newroots.demo.example.org", "Amara", "Lisle", ROOTS),
    ("intake@childwelfare.demo.example.org", "Wren", "Talbot", WELFARE),
]
# Who first refers a person, and where each agency refers (weights): most referrals go between a few
# agencies, so that their sectors are shown on the dashboard in every quarter rather than suppressed.
ENTRY = {SHERIFF: 34, HOSPITAL: 28, SAFE: 22, WELFARE: 6, ROOTS: 5, BRIDGEWAY: 3, LEGAL: 2}
ROUTES = {
    SHERIFF: {SAFE: 40, HOSPITAL: 25, LEGAL: 12, BRIDGEWAY: 8, ROOTS: 6, WELFARE: 15},
    HOSPITAL: {SAFE: 50, SHERIFF: 20, BRIDGEWAY: 10, WELFARE: 15, ROOTS: 5, LEGAL: 5},
    SAFE: {LEGAL: 35, HOSPITAL: 35, ROOTS: 10, SHERIFF: 10, BRIDGEWAY: 10},
    BRIDGEWAY: {SAFE: 20, LEGAL: 30, HOSPITAL: 30, ROOTS: 20},
    LEGAL: {ROOTS: 40, SAFE: 40, HOSPITAL: 20},
    ROOTS: {LEGAL: 45, SAFE: 35, HOSPITAL: 20},
    WELFARE: {SAFE: 30, HOSPITAL: 30, BRIDGEWAY: 25, SHERIFF: 15},
}
N = choices.Need
# What each receiving agency provides: the needs a referral to it names, and the services it records.
OFFERS = {
    SAFE: [N.SHELTER, N.CASE_MANAGEMENT, N.SAFETY_PLANNING, N.MENTAL_HEALTH, N.TRANSPORTATION, N.CHILDCARE],
    BRIDGEWAY: [N.SHELTER, N.CASE_MANAGEMENT, N.MENTAL_HEALTH, N.SUBSTANCE_USE, N.CHILDCARE],
    HOSPITAL: [N.MEDICAL, N.MENTAL_HEALTH, N.SUBSTANCE_USE],
    SHERIFF: [N.SAFETY_PLANNING, N.TRANSPORTATION],
    LEGAL: [N.LEGAL, N.IMMIGRATION],
    ROOTS: [N.IMMIGRATION, N.INTERPRETER, N.EMPLOYMENT, N.EDUCATION],
    WELFARE: [N.CASE_MANAGEMENT, N.SHELTER, N.EDUCATION, N.SAFETY_PLANNING],
}
SOURCES = {
    SHERIFF: choices.SourceType.LAW_ENFORCEMENT,
    HOSPITAL: choices.SourceType.HEALTH,
    WELFARE: choices.SourceType.CHILD_WELFARE,
    ROOTS: choices.SourceType.COMMUNITY,
}
NOTES = [
    "Needs a safe place tonight; prefers a female advocate.",
    "Interested in legal consultation about a work visa situation.",
    "Asked for a Spanish-speaking counselor; available weekday mornings.",
    "",
    "",
]
FULL = "Shelter is full this week; try Bridgeway."
WITHDRAWN = "The client chose another program."
COMMENT = "We called the sender back; hand-off planned."
OUTCOMES = {
    choices.Outcome.SERVICES_PROVIDED: 70,
    choices.Outcome.REFERRED_ELSEWHERE: 10,
    choices.Outcome.CLIENT_DECLINED: 10,
    choices.Outcome.UNABLE_TO_CONTACT: 10,
}


@dataclass
class Person:
    facts: dict[str, object]
    referrals: list[Planned] = field(default_factory=list)
    code: str | None = None  # once the first referral is sent


@dataclass
class Step:
    move: Move
    at: datetime
    reason: str = ""
    note: str = ""


@dataclass
class Planned:
    person: Person
    sender: str
    receiver: str
    sent_at: datetime
    facts: dict[str, object]
    needs: list[str]
    steps: list[Step] = field(default_factory=list)
    comment_at: datetime | None = None
    services: dict[date, list[str]] = field(default_factory=dict)  # month -> services provided
    pk: int = 0  # the referral's, once sent


def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    if Referral.objects.exists():
        stdout.write("Demo referrals already present.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    with transaction.atomic():
        officers = _officers(agencies)
        people = _plan(rng=rng, now=timezone.now())
        planned = sorted((r for p in people for r in p.referrals), key=lambda r: r.sent_at)
        for referral in planned:
            _carry_out(referral, agencies=agencies, officers=officers)
        _backdate_consents(planned)
    escalated = _escalate_the_oldest_waiting()
    services = ServiceDelivery.objects.count()
    stdout.write(
        f"Demo referrals: {len(planned)} for {len(people)} people over {MONTHS} months; {services} services recorded; "
        f"{escalated} escalated, unanswered."
    )


def _escalate_the_oldest_waiting() -> int:
    """So that a newcomer sees an escalation (cases/escalation.py) whatever the weekday of seeding: the
    oldest referral still waiting (sent at least two hours ago by the plan) at an agency with an
    administrator (the demo's is the sheriff's office's) is made an emergency, past its two hours, and the
    sweep that beat runs escalates it to that administrator."""
    from cases.escalation import referrals_escalate

    with_admin = User.objects.filter(role=Role.AGENCY_ADMIN, is_active=True).values("agency_id")
    waiting = Referral.objects.filter(status=choices.Status.SENT, receiving_agency_id__in=with_admin)
    oldest = waiting.order_by("awaiting_since").first()
    if oldest is None:
        return 0
    Referral.objects.filter(pk=oldest.pk).update(urgency=choices.Urgency.EMERGENCY)
    return len(referrals_escalate().to_admins)


def _officers(agencies: dict[str, Agency]) -> dict[str, User]:
    """A referral officer of each agency in the routes: the demo login, or an intake officer made here."""
    found = {u.agency.name: u for u in User.objects.filter(role=Role.REFERRAL_OFFICER).select_related("agency")}
    for email, first, last, name in INTAKE_OFFICERS:
        if name not in found:
            person = User.objects.create_user(email, None, agency=agencies[name], role=Role.REFERRAL_OFFICER)
            person.first_name, person.last_name = first, last
            person.date_joined = agencies[name].created_at  # on the team since the agency joined
            person.save()
            found[name] = person
    return found


# --- the plan ----------------------------------------------------------------------------------------------------
def _plan(*, rng: random.Random, now: datetime) -> list[Person]:
    """Enough people each month for its target of referrals (a rising trend); their later referrals count
    in the months they fall in. The current month gets its share of the days gone by."""
    cutoff = now - timedelta(hours=1)
    months = _months(timezone.localtime(now, task_force_zone()).date())
    counts = {month: 0 for month in months}
    people: list[Person] = []
    for index, month in enumerate(months):
        target = FIRST + round((LAST - FIRST) * index / (MONTHS - 1)) + rng.randint(0, 2)
        if month == months[-1]:
            target = (
                target * timezone.localtime(now, task_force_zone()).day // calendar.monthrange(*_month_key(month))[1]
            )
        while counts[month] < target:
            sent_at = _moment_in(month, rng, cutoff)
            if sent_at is None:
                break
            person = _person(rng)
            _refer(
                person,
                sender=rng.choices(list(ENTRY), weights=list(ENTRY.values()))[0],
                at=sent_at,
                rng=rng,
                cutoff=cutoff,
            )
            people.append(person)
            for referral in person.referrals:
                first = timezone.localtime(referral.sent_at, task_force_zone()).date().replace(day=1)
                counts[first] = counts.get(first, 0) + 1
    return people + _waiting(rng=rng, cutoff=cutoff)


def _waiting(*, rng: random.Random, cutoff: datetime) -> list[Person]:
    """A few people referred in the last three days, whom their receiving agency has not answered yet."""
    people = []
    for hours in sorted(rng.sample(range(2, 72), k=WAITING), reverse=True):
        person = _person(rng)
        sender = rng.choices(list(ENTRY), weights=list(ENTRY.values()))[0]
        _refer(person, sender=sender, at=cutoff - _hours(rng, hours, hours), rng=rng, cutoff=cutoff, waiting=True)
        people.append(person)
    return people


def _month_key(month: date) -> tuple[int, int]:
    return month.year, month.month


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = [first]
    while len(months) < MONTHS:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def _moment_in(month: date, rng: random.Random, cutoff: datetime) -> datetime | None:
    """A working hour on a day of `month`, before `cutoff`; None when the month has no such hour left."""
    zone = task_force_zone()
    last = calendar.monthrange(*_month_key(month))[1]
    for _ in range(20):
        day = month.replace(day=rng.randint(1, last))
        at = time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999_999))
        moment = datetime.combine(day, at, tzinfo=zone)
        if moment <= cutoff:
            return moment
    return None


def _person(rng: random.Random) -> Person:
    age = rng.choices(choices.AgeBand.values, weights=[5, 20, 25, 40, 3, 7])[0]
    language = rng.choices(["en", "es", "quc", "vi", "ht"], weights=[55, 30, 5, 5, 5])[0]
    facts = {
        "trafficking_type": rng.choices(choices.TraffickingType.values, weights=[50, 30, 10, 10])[0],
        "victim_status": rng.choices(choices.VictimStatus.values, weights=[60, 40])[0],
        "age_band": age,
        "gender": rng.choices(choices.Gender.values, weights=[52, 30, 4, 3, 2, 1, 1, 3, 4])[0],
        "citizenship": rng.choices(choices.Citizenship.values, weights=[50, 40, 10])[0],
        "county": "Juniper County",
        "language": language,
        "interpreter_needed": language != "en" and rng.random() < 0.7,
    }
    return Person(facts)


def _refer(
    person: Person,
    *,
    sender: str,
    at: datetime,
    rng: random.Random,
    cutoff: datetime,
    receiver: str | None = None,
    waiting: bool = False,
) -> None:
    """Plans one referral of `person` by `sender` at `at` (to `receiver`, or one of the sender's routes),
    its moves and services, and what follows from it; none of these while `waiting` for an answer."""
    receiver = receiver or _receiver(person, sender, rng)
    if receiver is None or at > cutoff or len(person.referrals) >= 3:
        return
    facts = dict(person.facts)
    if person.referrals and facts["victim_status"] == choices.VictimStatus.POTENTIAL and rng.random() < 0.4:
        facts["victim_status"] = person.facts["victim_status"] = choices.VictimStatus.CONFIRMED  # known better now
    facts["source_type"] = SOURCES.get(sender) or rng.choice(
        [choices.SourceType.HOTLINE, choices.SourceType.SELF, choices.SourceType.VICTIM_SERVICES]
    )
    facts["urgency"] = rng.choices(choices.Urgency.values, weights=[70, 22, 8])[0]
    facts["note"] = rng.choice(NOTES)
    needs = rng.sample(OFFERS[receiver], k=min(len(OFFERS[receiver]), rng.randint(1, 3)))
    if facts["interpreter_needed"] and rng.random() < 0.5:
        needs.append(N.INTERPRETER)
    planned = Planned(person, sender, receiver, at, facts, list(dict.fromkeys(needs)))
    person.referrals.append(planned)
    if not waiting:
        _moves(planned, rng=rng, cutoff=cutoff)
        _follow_ups(planned, rng=rng, cutoff=cutoff)


def _receiver(person: Person, sender: str, rng: random.Random) -> str | None:
    """Another agency, by the sender's routes: minors only to child welfare, foreign nationals more often
    to legal aid and immigrant services; never one the person was already referred to, nor the first sender."""
    taken = {r.receiver for r in person.referrals} | {r.sender for r in person.referrals[:1]} | {sender}
    minor = person.facts["age_band"] in choices.AgeBand.minors()
    weights = {}
    for name, weight in ROUTES[sender].items():
        if name in taken or (name == WELFARE and not minor):
            continue
        foreign = person.facts["citizenship"] == choices.Citizenship.FOREIGN_NATIONAL and name in (LEGAL, ROOTS)
        weights[name] = weight * (2 if foreign else 1)
    if not weights:
        return None
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moves(planned: Planned, *, rng: random.Random, cutoff: datetime) -> None:
    """The referral's path, each move later than the one before; moves after `cutoff` have not happened yet.
    A confidential provider's referral ends within about ten months, while the survivor's consent holds."""
    at, roll = planned.sent_at, rng.random()
    steps: list[Step] = []
    if roll < 0.08:
        full = planned.receiver == SAFE and rng.random() < 0.7
        reason = choices.DeclineReason.NO_CAPACITY if full else rng.choice(choices.DeclineReason.values[:3])
        steps.append(Step(Move.DECLINE, at + _hours(rng, 4, 72), reason, FULL if full else ""))
    elif roll < 0.14:
        steps.append(Step(Move.WITHDRAW, at + _hours(rng, 24, 400), note=WITHDRAWN))
    else:
        at += _hours(rng, 2, 96)
        steps.append(Step(Move.ACCEPT, at))
        if rng.random() < 0.85:
            at += _hours(rng, 12, 160)
            steps.append(Step(Move.START, at))
        long_running = rng.random() < 0.2
        days = (
            rng.randint(150, 300 if _needs_consent(planned.sender) else 420) if long_running else rng.randint(14, 120)
        )
        outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        steps.append(Step(Move.CLOSE, at + timedelta(days=days, hours=rng.randint(0, 8)), outcome))
    planned.steps = [step for step in steps if step.at <= cutoff]  # steps are in order: a beginning of the path
    accepted = _step(planned, Move.ACCEPT)
    if accepted is not None and rng.random() < 0.25 and accepted.at + timedelta(days=1) <= cutoff:
        ends = _ended_at(planned)
        planned.comment_at = accepted.at + timedelta(hours=rng.randint(2, 20))
        if ends is not None and planned.comment_at >= ends:
            planned.comment_at = None
    planned.services = _services(planned, rng=rng, cutoff=cutoff)


def _follow_ups(planned: Planned, *, rng: random.Random, cutoff: datetime) -> None:
    """What may follow a referral: the sender refers the person to another agency too (after a decline for
    lack of room, to Bridgeway), the receiver refers onward with the code it received, or the person is
    referred again months later."""
    person, declined = planned.person, _step(planned, Move.DECLINE)
    retried = {planned.sender, *(r.receiver for r in person.referrals)}
    if declined is not None and declined.note == FULL and BRIDGEWAY not in retried:
        at = declined.at + _hours(rng, 1, 20)
        _refer(person, sender=planned.sender, receiver=BRIDGEWAY, at=at, rng=rng, cutoff=cutoff)
        return
    roll = rng.random()
    accepted = _step(planned, Move.ACCEPT)
    if roll < 0.12:
        _refer(person, sender=planned.sender, at=planned.sent_at + _hours(rng, 24, 480), rng=rng, cutoff=cutoff)
    elif roll < 0.26 and accepted is not None and planned.receiver in ROUTES:
        until = min(_ended_at(planned) or cutoff, cutoff)
        if until > accepted.at + timedelta(days=2):
            at = accepted.at + (until - accepted.at) * rng.uniform(0.1, 0.9)
            _refer(person, sender=planned.receiver, at=at, rng=rng, cutoff=cutoff)
    elif roll < 0.34 and len(person.referrals) == 1:
        _refer(
            person,
            sender=planned.sender,
            at=planned.sent_at + timedelta(days=rng.randint(60, 200)),
            rng=rng,
            cutoff=cutoff,
        )


def _services(planned: Planned, *, rng: random.Random, cutoff: datetime) -> dict[date, list[str]]:
    """Services the receiver provided, by month, from the month it accepted to the month it closed (or this
    one); none when the client declined or could not be reached, the first month only when referred on."""
    accepted = _step(planned, Move.ACCEPT)
    if accepted is None or _step(planned, Move.WITHDRAW) is not None:
        return {}
    closed = _step(planned, Move.CLOSE)
    if closed is not None and closed.reason in (choices.Outcome.CLIENT_DECLINED, choices.Outcome.UNABLE_TO_CONTACT):
        return {}
    zone = task_force_zone()
    first = timezone.localtime(accepted.at, zone).date().replace(day=1)
    last = timezone.localtime(closed.at if closed else cutoff, zone).date().replace(day=1)
    months = [first]
    while months[-1] < last:
        months.append((months[-1] + timedelta(days=32)).replace(day=1))
    if closed is not None and closed.reason == choices.Outcome.REFERRED_ELSEWHERE:
        months = months[:1]
    elif len(months) > 4:
        months = [*months[:2], months[len(months) // 2], months[-1]]
    offer = [need for need in planned.needs if need in OFFERS[planned.receiver]] or OFFERS[planned.receiver]
    return {month: rng.sample(offer, k=min(len(offer), rng.randint(1, 2))) for month in months}


def _step(planned: Planned, move: Move) -> Step | None:
    return next((step for step in planned.steps if step.move == move), None)


def _ended_at(planned: Planned) -> datetime | None:
    ends = [s.at for s in planned.steps if s.move in (Move.CLOSE, Move.DECLINE, Move.WITHDRAW)]
    return ends[0] if ends else None


def _hours(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(hours=rng.randint(low, high), minutes=rng.randint(0, 59), microseconds=rng.randint(0, 59_999_999))


def _needs_consent(sender: str) -> bool:
    return sender in (SAFE, BRIDGEWAY)  # the demo's confidential providers (agencies/demo.py)


def _release_required(agency: Agency) -> bool:
    """Whether the receiver's service profile (directory/demo.py) asks every sender for a signed release:
    read through the relation, as referral_send reads it (the directory sits above cases)."""
    return bool(getattr(getattr(agency, "service_profile", None), "requires_release", False))


# --- carrying it out through the services ----------------------------------------------------------------------
def _carry_out(planned: Planned, *, agencies: dict[str, Agency], officers: dict[str, User]) -> None:
    sender, receiver = officers[planned.sender], officers[planned.receiver]
    referral = _send(planned, sender=sender, receiving_agency=agencies[planned.receiver])
    planned.pk = referral.pk
    for step in planned.steps:
        actor = sender if step.move == Move.WITHDRAW else receiver
        referral = referral_transition(
            referral=referral, actor=actor, move=step.move, reason=step.reason, note=step.note
        )
    if planned.comment_at is not None:
        referral_comment(referral=referral, actor=receiver, body=COMMENT)
    _backdate_referral(referral, planned)
    referral = Referral.objects.get(pk=referral.pk)  # its date of sending, as the services check months against
    for month, services in planned.services.items():
        service_delivery_record(referral=referral, actor=receiver, services=services, month=month)
    _backdate_services(referral, planned)


def _send(planned: Planned, *, sender: User, receiving_agency: Agency) -> Referral:
    today = timezone.localdate()
    consent = None
    if _needs_consent(planned.sender) or _release_required(receiving_agency):
        # Dated today so that the service accepts it; _backdate_consents dates it as given.
        consent = ConsentInput(
            method=choices.ConsentMethod.WRITTEN,
            given_on=today,
            scope=choices.ConsentScope.FACTS_AND_HANDOFF,
            expires_on=today + timedelta(days=90),
        )
    referral = referral_send(
        actor=sender,
        receiving_agency=receiving_agency,
        facts=planned.facts,
        needs=planned.needs,
        consent=consent,
        reference_code=_reference_code(sender, planned.sent_at),
        person_code=planned.person.code,
    )
    if planned.person.code is None:
        assert referral.person_code is not None  # issued by referral_send for a person new to the task force
        planned.person.code = referral.person_code.code
    return referral


def _reference_code(sender: User, sent_at: datetime) -> str | None:
    """A code of the year the referral was sent in: the service draws this year's (None), this draws an
    earlier year's from that year's sequence, as the service would have drawn it then."""
    year = timezone.localtime(sent_at, task_force_zone()).year
    assert sender.agency is not None
    prefix = sender.agency.referral_prefix.upper()
    if year == timezone.localdate().year or not prefix:
        return None
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:05d}"


# --- backdating ------------------------------------------------------------------------------------------------
# The services stamp "now"; these write the plan's dates over every timestamp they stamped, and nothing else.
def _backdate_referral(referral: Referral, planned: Planned) -> None:
    """The referral's dates of sending, acceptance and closing, its timeline (the send, then each move, in
    the order they were made), its comment, and the issue of its person code when it is the person's first."""
    times = [planned.sent_at, *(step.at for step in planned.steps)]
    accepted, closed = _step(planned, Move.ACCEPT), _step(planned, Move.CLOSE)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=planned.sent_at,
        awaiting_since=planned.sent_at,  # the demo never reopens a referral to "sent"
        accepted_at=accepted.at if accepted else None,
        closed_at=closed.at if closed else None,
        updated_at=times[-1],
    )
    events = list(TimelineEvent.objects.filter(referral=referral).order_by("pk").values_list("pk", flat=True))
    assert len(events) == len(times)  # the send and one event per move
    for pk, moment in zip(events, times, strict=True):
        TimelineEvent.objects.filter(pk=pk).update(created_at=moment)
    if planned.comment_at is not None:
        Comment.objects.filter(referral=referral).update(created_at=planned.comment_at)
    if planned.person.referrals[0] is planned:
        PersonCode.objects.filter(referrals=referral).update(issued_at=planned.sent_at)


def _backdate_services(referral: Referral, planned: Planned) -> None:
    """Each month's services recorded at the end of that month's working days, or when the referral
    closed (or now) if earlier, never before it was accepted."""
    accepted, zone = _step(planned, Move.ACCEPT), task_force_zone()
    end = _ended_at(planned) or timezone.now()
    for month in planned.services:
        last_day = month.replace(day=calendar.monthrange(*_month_key(month))[1])
        recorded = min(end, datetime.combine(last_day, time(16), tzinfo=zone))
        if accepted is not None:
            recorded = max(recorded, accepted.at)
        ServiceDelivery.objects.filter(referral=referral, month=month).update(recorded_at=recorded)


def _backdate_consents(planned: list[Planned]) -> None:
    """Consents given the day the referral was sent, for 90 days or until a month after its last move
    (at most the 365 days allowed); an open referral's for the whole year. Last of all: an old consent
    has expired, and with it the receiving agency's access, which the demo needed until now (to record
    services, to refer onward with the code it received)."""
    zone = task_force_zone()
    for item in planned:  # a referral sent without consent has none to date: its update changes no row
        given = timezone.localtime(item.sent_at, zone).date()
        ended = _ended_at(item)
        if ended is None:
            expires = given + timedelta(days=365)
        else:
            last = timezone.localtime(ended, zone).date()
            expires = min(given + timedelta(days=365), max(given + timedelta(days=90), last + timedelta(days=30)))
        Consent.objects.filter(referral__pk=item.pk).update(
            given_on=given, expires_on=expires, recorded_at=item.sent_at
        )
