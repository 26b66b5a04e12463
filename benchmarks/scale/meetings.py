"""The scale dataset's meetings (with minutes, attendance and action items) and trainings
(with registrations and people trained), in bulk. Used by `python -m benchmarks.seed_scale`."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import cast

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from cases.models import Referral
from meetings.choices import ActionStatus, Audience, MeetingKind, MinutesStatus, RegistrationStatus, TrainingSector
from meetings.models import ActionItem, Attendance, Meeting, Minutes, PeopleTrained, Training, TrainingRegistration

_MINUTES = (
    "The task force reviewed last month's action items and heard updates from the shelter network, "
    "the hospital's screening pilot and the school district's training plan. Members agreed to share "
    "the hotline poster with hospitality partners and to revisit interpreter coverage next month."
)


def build(*, meetings: int, trainings: int, years: int, rng: random.Random, progress: Callable[[str], None]) -> None:
    agencies = list(Agency.objects.order_by("pk"))
    people = list(
        User.objects.filter(role__in=[Role.COORDINATOR, Role.MEMBER, Role.AGENCY_ADMIN]).only("id", "agency_id")
    )
    coordinator = User.objects.filter(role=Role.COORDINATOR).first() or people[0]
    codes = list(Referral.objects.order_by("-id").values_list("reference_code", flat=True)[:500])
    span = timedelta(days=365 * years)
    with transaction.atomic():
        _meetings(meetings, span, agencies, people, coordinator, codes, rng)
    progress(f"{meetings:,} meetings with minutes, attendance and action items")
    with transaction.atomic():
        _trainings(trainings, span, agencies, people, coordinator, rng)
    progress(f"{trainings:,} trainings with registrations")


def _meetings(
    count: int,
    span: timedelta,
    agencies: list[Agency],
    people: list[User],
    coordinator: User,
    codes: list[str],
    rng: random.Random,
) -> None:
    now = timezone.now()
    step = span * 1.02 / max(1, count)  # a few weeks of them still to come
    rows = []
    for index in range(count):
        starts = now - span + index * step
        kind = MeetingKind.CASE_REVIEW if index % 5 == 0 else MeetingKind.FULL
        rows.append(
            Meeting(
                title=f"{kind.label} meeting {index + 1}",
                kind=kind,
                audience=Audience.COCHAIRS if kind == MeetingKind.CASE_REVIEW else Audience.ALL_MEMBERS,
                host_agency=rng.choice(agencies),
                location="County building, room 2",
                created_by=coordinator,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                agenda_published_at=starts - timedelta(days=7),
            )
        )
    Meeting.objects.bulk_create(rows, batch_size=1000)
    past = [meeting for meeting in rows if meeting.ends_at < now]
    Minutes.objects.bulk_create([_minutes(meeting, coordinator, codes, rng) for meeting in past], batch_size=1000)
    attendance: list[Attendance] = []
    actions: list[ActionItem] = []
    for meeting in past:
        for agency in rng.sample(agencies, k=min(len(agencies), rng.randint(5, 15))):
            attendance.append(Attendance(meeting=meeting, agency=agency, source="organizer", recorded_by=coordinator))
        for _ in range(rng.randint(0, 3)):
            owner = rng.choice(people)
            actions.append(
                ActionItem(
                    meeting=meeting,
                    title="Share the training calendar with partners",
                    owner_person=owner,
                    owner_agency_id=cast(int, owner.agency_id),  # every person of the dataset has an agency
                    due_on=(meeting.starts_at + timedelta(days=30)).date(),
                    status=rng.choice([ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DONE]),
                    created_by=coordinator,
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    ActionItem.objects.bulk_create(actions, batch_size=5000)


def _minutes(meeting: Meeting, coordinator: User, codes: list[str], rng: random.Random) -> Minutes:
    body = _MINUTES
    if meeting.kind == MeetingKind.CASE_REVIEW and codes:
        body = f"Case review of {rng.choice(codes)} and {rng.choice(codes)}: services in place; follow up next month."
    return Minutes(
        meeting=meeting,
        body=body,
        status=MinutesStatus.APPROVED,
        created_by=coordinator,
        updated_by=coordinator,
        circulated_at=meeting.ends_at,
        approved_at=meeting.ends_at + timedelta(days=28),
        approved_by=coordinator,
        approved_at_meeting=meeting,
    )


def _trainings(
    count: int, span: timedelta, agencies: list[Agency], people: list[User], coordinator: User, rng: random.Random
) -> None:
    now = timezone.now()
    step = span * 1.1 / max(1, count)  # some months of them still to come
    rows = []
    for index in range(count):
        starts = now - span + index * step
        rows.append(
            Training(
                title=f"Recognizing trafficking, session {index + 1}",
                description="Signs, screening and referral.",
                host_agency=rng.choice(agencies),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                location="Online",
                capacity=40,
                is_public=index % 3 == 0,
                created_by=coordinator,
                people_trained_recorded_at=starts + timedelta(days=1) if starts < now else None,
            )
        )
    Training.objects.bulk_create(rows, batch_size=1000)
    registrations: list[TrainingRegistration] = []
    trained: list[PeopleTrained] = []
    for training in rows:
        for person in rng.sample(people, k=min(20, len(people))):
            registrations.append(
                TrainingRegistration(training=training, person=person, status=RegistrationStatus.REGISTERED)
            )
        if training.people_trained_recorded_at:
            for sector in rng.sample(list(TrainingSector), k=2):
                trained.append(PeopleTrained(training=training, sector=sector, count=rng.randint(5, 40)))
    TrainingRegistration.objects.bulk_create(registrations, batch_size=5000)
    PeopleTrained.objects.bulk_create(trained, batch_size=5000)
