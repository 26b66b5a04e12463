"""Fictional demo data for meetings and trainings: a year around today (six months back, six ahead).

Past meetings have published agendas, attendance, action items and approved minutes; upcoming ones
have agendas (open action items carried over by the portal's own rule). Idempotent: it seeds once.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from meetings import recurrence, services
from meetings.choices import (
    ActionStatus,
    AttendanceSource,
    Audience,
    Frequency,
    MeetingKind,
    MinutesStatus,
    RegistrationStatus,
    RequestStatus,
    TrainingSector,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    MeetingSeries,
    Minutes,
    PeopleTrained,
    Training,
    TrainingAudience,
    TrainingRegistration,
    TrainingRequest,
)

SAFE, SHERIFF, DA = "Safe Harbor Survivor Center", "Juniper County Sheriff's Office", "Juniper County District Attorney"
BRIDGEWAY, HOSPITAL, WELFARE = "Bridgeway Family Services", "Juniper General Hospital", "Juniper County Child Welfare"
SCHOOLS, LEGAL, ROOTS, FAITH = (
    "Juniper Valley School District",
    "Lantern Legal Aid",
    "New Roots Immigrant Services",
    "Juniper Interfaith Coalition",
)
FIRST_SERIES = "Full task force meeting"

# title, kind, committee, weekday (Mon=0), nth, hour, minutes, host, place, video
SERIES = [
    (FIRST_SERIES, MeetingKind.FULL, None, 1, 2, 10, 90, SAFE, "Juniper County Government Center, Room 204", ""),
    (
        "Labor Trafficking Working Group",
        MeetingKind.COMMITTEE,
        "Labor Trafficking Working Group",
        3,
        1,
        14,
        60,
        ROOTS,
        "",
        "https://video.example.org/labor-working-group",
    ),
    (
        "Case review",
        MeetingKind.CASE_REVIEW,
        "Case Review Team",
        2,
        4,
        9,
        60,
        SHERIFF,
        "Sheriff's Office, conference room B",
        "",
    ),
]
AGENDA = [
    ("Welcome and introductions", None, 5),
    ("Approval of the previous minutes", SAFE, 5),
    ("Agency updates", None, 30),
    ("Outreach and awareness", SHERIFF, 20),
    ("Grant and reporting", SAFE, 15),
]
CASE_AGENDA = [("Referrals flagged for review", SHERIFF, 30), ("Service gaps and next steps", SAFE, 20)]
ACTIONS = [
    "Share the hotel outreach checklist",
    "Draft the county fair awareness plan",
    "Update the resource directory",
    "Collect interpreter availability",
    "Schedule a training for school counselors",
]
MINUTES = (
    "Agencies present shared updates. The Sheriff's Office reported two outreach visits to hotels; Safe Harbor "
    "reported stable shelter capacity. The group agreed on the next awareness campaign. Action items are listed "
    "on the meeting page."
)
CASE_MINUTES = (
    "Reviewed JUN-{year}-00012: shelter placement confirmed, legal aid engaged. Reviewed JUN-{year}-00015: "
    "interpreter needed for follow-up; Bridgeway to coordinate. No identifying details recorded."
)
TRAININGS = [  # title, host, sectors, public, capacity, days from today
    ("Recognizing trafficking in hotels", SHERIFF, [TrainingSector.HOSPITALITY], True, 40, -150),
    ("Trauma-informed care for emergency staff", HOSPITAL, [TrainingSector.HEALTH_CARE], False, 30, -95),
    ("Signs of exploitation for school counselors", SAFE, [TrainingSector.SCHOOLS], True, 50, -40),
    ("Labor trafficking in agriculture", ROOTS, [TrainingSector.COMMUNITY, TrainingSector.BUSINESS], True, 60, -12),
    ("Interviewing survivors: a victim-centered approach", DA, [TrainingSector.LAW_ENFORCEMENT], False, 4, 9),
    ("Faith communities as safe places", FAITH, [TrainingSector.COMMUNITY], True, 80, 23),
    ("Identifying trafficking in health care", HOSPITAL, [TrainingSector.HEALTH_CARE], True, 35, 44),
    ("Rideshare and transit awareness", SHERIFF, [TrainingSector.TRANSPORTATION], True, 25, 70),
    (
        "Immigration relief for survivors (T visa)",
        LEGAL,
        [TrainingSector.LEGAL, TrainingSector.SOCIAL_SERVICES],
        False,
        30,
        101,
    ),
    (
        "Youth outreach for after-school programs",
        SCHOOLS,
        [TrainingSector.SCHOOLS, TrainingSector.COMMUNITY],
        True,
        45,
        133,
    ),
]


def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    if MeetingSeries.objects.filter(title=FIRST_SERIES).exists():
        stdout.write("Demo meetings and trainings: already there.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    coordinator = User.objects.get(email="coordinator@demo.example.org")
    with transaction.atomic():
        committees = _committees(agencies)
        meetings = [m for s in SERIES for m in _series(s, agencies, committees, coordinator)]
        for meeting in meetings:
            _fill(meeting, agencies, coordinator, rng)
        _member_items(meetings, coordinator)
        for meeting in sorted(meetings, key=lambda m: m.starts_at):
            if meeting.ends_at < timezone.now():
                services.action_items_carry_over(meeting=meeting)
        trainings = [_training(t, agencies, coordinator, rng) for t in TRAININGS]
        _requests(agencies)
    stdout.write(f"Demo meetings: {len(meetings)} in {len(SERIES)} series; trainings: {len(trainings)}.")


def _committees(agencies: dict[str, Agency]) -> dict[str, Committee]:
    labor, _ = Committee.objects.get_or_create(
        name="Labor Trafficking Working Group",
        defaults={
            "description": "Labor trafficking outreach and cases.",
            "chair": User.objects.get(email="admin@demo.example.org"),
        },
    )
    labor.agencies.set([agencies[name] for name in (SHERIFF, DA, ROOTS, LEGAL)])
    review, _ = Committee.objects.get_or_create(
        name="Case Review Team", defaults={"description": "Monthly case review."}
    )
    review.agencies.set([agencies[name] for name in (SAFE, SHERIFF, BRIDGEWAY, WELFARE, HOSPITAL)])
    return {c.name: c for c in (labor, review)}


def _series(spec: tuple, agencies: dict[str, Agency], committees: dict[str, Committee], actor: User) -> list[Meeting]:
    title, kind, committee, weekday, nth, hour, minutes, host, place, video = spec
    month = timezone.localdate().replace(day=1) - timedelta(days=175)
    day = recurrence.nth_weekday_date(month.year, month.month, weekday, nth)
    start = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
    details = services.MeetingInput(
        title=title,
        kind=kind,
        audience=Audience.COMMITTEE if committee else Audience.ALL_MEMBERS,
        committee=committees.get(committee),
        host_agency=agencies[host],
        organizer=committees[committee].chair if committee else None,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        location=place,
        video_url=video,
    )
    first = services.meeting_schedule(actor=actor, details=details, frequency=Frequency.MONTHLY, count=12)
    assert first.series is not None  # twelve meetings make a series
    return list(first.series.meetings.order_by("starts_at"))


def _fill(meeting: Meeting, agencies: dict[str, Agency], actor: User, rng: random.Random) -> None:
    now = timezone.now()
    upcoming_soon = now < meeting.starts_at < now + timedelta(days=45)
    if meeting.starts_at > now and not upcoming_soon:
        return
    items = CASE_AGENDA if meeting.is_case_review else AGENDA
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=meeting, position=i, title=t, presenter_agency=agencies[a] if a else None, minutes=m)
            for i, (t, a, m) in enumerate(items)
        ]
    )
    meeting.agenda_published_at = meeting.starts_at - timedelta(days=7)
    meeting.save(update_fields=["agenda_published_at"])
    if meeting.starts_at < now:
        _record_past(meeting, agencies, actor, rng)


def _record_past(meeting: Meeting, agencies: dict[str, Agency], actor: User, rng: random.Random) -> None:
    audience = [a for a in agencies.values() if meeting.committee is None or a in meeting.committee.agencies.all()]
    present = rng.sample(audience, k=max(2, len(audience) * 3 // 4))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, agency=a, source=AttendanceSource.ORGANIZER, recorded_by=actor) for a in present]
    )
    for person in User.objects.filter(agency__in=present, email__endswith="@demo.example.org")[:3]:
        Attendance.objects.create(
            meeting=meeting, person=person, agency=person.agency, source=AttendanceSource.SELF, recorded_by=person
        )
    owner = rng.choice(present)
    done = meeting.starts_at < timezone.now() - timedelta(days=60)
    ActionItem.objects.create(
        meeting=meeting,
        title=ACTIONS[meeting.pk % len(ACTIONS)],
        owner_agency=owner,
        created_by=actor,
        owner_person=owner.people.filter(is_active=True).first(),
        due_on=timezone.localtime(meeting.starts_at).date() + timedelta(days=21),
        status=ActionStatus.DONE if done else ActionStatus.OPEN,
        closed_at=timezone.now() if done else None,
    )
    _minutes(meeting, actor)


def _member_items(meetings: list[Meeting], actor: User) -> None:
    """Two open items for the demo member (one overdue), so that "My action items" has something to show."""
    member = User.objects.get(email="member@demo.example.org")
    past = [m for m in meetings if m.kind == MeetingKind.FULL and m.ends_at < timezone.now()]
    today = timezone.localdate()
    for title, due in (("Send the school counselor contact list", -5), ("Book a room for the spring training", 10)):
        ActionItem.objects.create(
            meeting=past[-1],
            title=title,
            owner_agency=member.agency,
            owner_person=member,
            due_on=today + timedelta(days=due),
            created_by=actor,
        )


def _minutes(meeting: Meeting, actor: User) -> None:
    next_meeting = services.next_meeting_of_series(meeting)
    approved = next_meeting is not None and next_meeting.starts_at < timezone.now()
    body = CASE_MINUTES.format(year=meeting.starts_at.year) if meeting.is_case_review else MINUTES
    Minutes.objects.create(
        meeting=meeting,
        version=1,
        body=body,
        created_by=actor,
        updated_by=actor,
        status=MinutesStatus.APPROVED if approved else MinutesStatus.CIRCULATED,
        circulated_at=meeting.ends_at + timedelta(days=3),
        approved_at=next_meeting.ends_at if approved and next_meeting else None,
        approved_by=actor if approved else None,
        approved_at_meeting=next_meeting if approved else None,
    )


def _training(spec: tuple, agencies: dict[str, Agency], actor: User, rng: random.Random) -> Training:
    title, host, sectors, public, capacity, days = spec
    day: date = timezone.localdate() + timedelta(days=days)
    start = datetime.combine(day, time(13), tzinfo=timezone.get_current_timezone())
    training = Training.objects.create(
        title=title,
        host_agency=agencies[host],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        is_public=public,
        created_by=actor,
        location=f"{host}, training room",
        description=f"{title}. A two-hour session by {host} for the task force's partners: signs, first steps, "
        "and how to make a warm referral without sharing anyone's identity.",
    )
    TrainingAudience.objects.bulk_create([TrainingAudience(training=training, sector=s) for s in sectors])
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk"))
    for index, person in enumerate(rng.sample(people, k=min(len(people), 5))):
        status = RegistrationStatus.REGISTERED if index < capacity else RegistrationStatus.WAITLISTED
        TrainingRegistration.objects.create(training=training, person=person, status=status)
    if days < 0:
        PeopleTrained.objects.bulk_create(
            [PeopleTrained(training=training, sector=s, count=rng.randint(8, capacity)) for s in sectors]
        )
        training.people_trained_recorded_at = training.ends_at + timedelta(days=1)
        training.save(update_fields=["people_trained_recorded_at"])
    return training


def _requests(agencies: dict[str, Agency]) -> None:
    rows = [
        (
            "Juniper Inn & Suites",
            "manager@juniper-inn.example.org",
            "Front-desk staff: recognizing trafficking",
            RequestStatus.NEW,
            None,
        ),
        (
            "Valley Youth Soccer League",
            "board@valley-soccer.example.org",
            "Coaches: grooming and online safety",
            RequestStatus.ASSIGNED,
            SAFE,
        ),
        (
            "Juniper Rideshare Drivers Co-op",
            "info@rideshare-coop.example.org",
            "Drivers: what to notice",
            RequestStatus.DONE,
            SHERIFF,
        ),
    ]
    for organization, email, topic, status, agency in rows:
        TrainingRequest.objects.create(
            organization=organization,
            contact_email=email,
            topic=topic,
            preferred_dates="Weekday mornings next month",
            status=status,
            assigned_agency=agencies[agency] if agency else None,
            closed_at=timezone.now() if status == RequestStatus.DONE else None,
        )
