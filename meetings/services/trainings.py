"""Trainings offered by member agencies: registration with a waiting list, and people trained by sector."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.choices import RegistrationStatus, TrainingSector
from meetings.models import PeopleTrained, Training, TrainingAudience, TrainingRegistration
from meetings.models.trainings import MAX_CAPACITY
from meetings.services.checks import PLACE, STAFF_NAMES, guard_meeting_text

MAX_DURATION = timedelta(days=5)
_SCHEDULE_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "video_url")


@dataclass(frozen=True)
class TrainingInput:
    title: str
    description: str
    host_agency: Agency
    starts_at: datetime
    ends_at: datetime
    capacity: int
    is_public: bool
    sectors: list[str] = field(default_factory=list)
    location: str = ""
    video_url: str = ""


def _check_may_host(*, actor: User, agency: Agency) -> None:
    if not actor.can(Action.OFFER_TRAININGS):
        raise PermissionDenied(_("Your role does not offer trainings."))
    if agency.pk != actor.agency_id and not actor.can(Action.RUN_MEETINGS):
        raise ValidationError({"host_agency": _("You can offer trainings of your own agency only.")})


def _check(data: TrainingInput) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the training a title.")
    if not data.sectors or set(data.sectors) - set(TrainingSector.values):
        errors["sectors"] = _("Choose at least one audience sector.")
    if data.ends_at.replace(second=0, microsecond=0) <= data.starts_at.replace(second=0, microsecond=0):
        errors["ends_at"] = _("The training must end after it starts.")
    elif data.ends_at - data.starts_at > MAX_DURATION:
        errors["ends_at"] = _("A training lasts at most 5 days.")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"] = _("Give a capacity from 1 to %(most)s.") % {"most": MAX_CAPACITY}
    if not data.location.strip() and not data.video_url.strip():
        errors["location"] = _("Give a place, a video link, or both.")
    if not data.host_agency.is_active:
        errors["host_agency"] = _("That agency is not active.")
    if errors:
        raise ValidationError(errors)


def _guard(*, actor: User, data: TrainingInput) -> None:
    """Title, description and place go on the public training page and feed: the guard reads all
    three, letting the description name its presenters and the place be a street address."""
    guard_meeting_text(
        actor=actor,
        fields={"title": data.title, "description": data.description, "location": data.location},
        allow_in={"description": STAFF_NAMES, "location": PLACE},
    )


def _fields(data: TrainingInput) -> dict[str, object]:
    values = {name: getattr(data, name) for name in data.__dataclass_fields__ if name != "sectors"}
    values["starts_at"] = data.starts_at.replace(second=0, microsecond=0)
    values["ends_at"] = data.ends_at.replace(second=0, microsecond=0)
    return {**values, "title": data.title.strip()}


def training_offer(*, actor: User, data: TrainingInput) -> Training:
    _check_may_host(actor=actor, agency=data.host_agency)
    _check(data)
    _guard(actor=actor, data=data)
    with transaction.atomic():
        training = Training.objects.create(**_fields(data), created_by=actor)
        TrainingAudience.objects.bulk_create([TrainingAudience(training=training, sector=s) for s in set(data.sectors)])
        audit_record(actor=actor, event=AuditEvent.TRAINING_CHANGED, target=training, detail={"offered": True})
    return training


def training_update(*, actor: User, training: Training, data: TrainingInput) -> Training:
    _check_may_host(actor=actor, agency=training.host_agency)
    _check_may_host(actor=actor, agency=data.host_agency)
    _check(data)
    _guard(actor=actor, data=data)
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        values = _fields(data)
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        for name in changed:
            setattr(locked, name, values[name])
        if set(changed) & set(_SCHEDULE_FIELDS):
            locked.sequence += 1
        locked.save()
        locked.audiences.exclude(sector__in=data.sectors).delete()
        TrainingAudience.objects.bulk_create(
            [TrainingAudience(training=locked, sector=s) for s in set(data.sectors)], ignore_conflicts=True
        )
        _promote_waitlist(locked)
        audit_record(actor=actor, event=AuditEvent.TRAINING_CHANGED, target=locked, detail={"fields": changed})
    return locked


@transaction.atomic
def training_cancel(*, actor: User, training: Training) -> Training:
    _check_may_host(actor=actor, agency=training.host_agency)
    locked = Training.objects.select_for_update().get(pk=training.pk)
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        audit_record(actor=actor, event=AuditEvent.TRAINING_CHANGED, target=locked, detail={"cancelled": True})
    return locked


def _seats_taken(training: Training) -> int:
    return training.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _promote_waitlist(training: Training) -> None:
    """Fills free seats from the waiting list, first come first served. The caller holds the row lock."""
    free = training.capacity - _seats_taken(training)
    if free <= 0:
        return
    waiting = training.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "id")[:free]
    TrainingRegistration.objects.filter(pk__in=[r.pk for r in waiting]).update(
        status=RegistrationStatus.REGISTERED, updated_at=timezone.now()
    )


def _check_open(training: Training) -> None:
    if training.is_cancelled:
        raise ValidationError(_("This training is cancelled."))
    if training.starts_at <= timezone.now():
        raise ValidationError(_("Registration closed when the training started."))


@transaction.atomic
def training_register(*, actor: User, training: Training) -> TrainingRegistration:
    """A seat if one is free, else a place on the waiting list. Registering again changes nothing."""
    if not actor.can(Action.VIEW_TASKFORCE_CONTENT):
        raise PermissionDenied
    locked = Training.objects.select_for_update().get(pk=training.pk)
    _check_open(locked)
    registration = TrainingRegistration.objects.filter(training=locked, person=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    full = _seats_taken(locked) >= locked.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    registration, _ = TrainingRegistration.objects.update_or_create(
        training=locked, person=actor, defaults={"status": status, "queued_at": timezone.now()}
    )
    return registration


@transaction.atomic
def training_unregister(*, actor: User, training: Training) -> TrainingRegistration | None:
    """Gives the seat back; the first person on the waiting list gets it."""
    locked = Training.objects.select_for_update().get(pk=training.pk)
    registration = TrainingRegistration.objects.filter(training=locked, person=actor).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return registration
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("The training has started; registrations can no longer change."))
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _promote_waitlist(locked)
    return registration


def people_trained_record(*, actor: User, training: Training, counts: dict[str, int]) -> list[PeopleTrained]:
    """After the training, the host records how many people were trained, by sector (grant report).
    Recording again replaces the earlier counts."""
    _check_may_host(actor=actor, agency=training.host_agency)
    if not training.has_ended():
        raise ValidationError(_("Record the people trained once the training has ended."))
    if set(counts) - set(TrainingSector.values) or any(not 0 <= n <= MAX_CAPACITY * 5 for n in counts.values()):
        raise ValidationError(_("Give a whole number of people for each sector."))
    with transaction.atomic():
        locked = Training.objects.select_for_update().get(pk=training.pk)
        locked.people_trained.all().delete()
        rows = PeopleTrained.objects.bulk_create(
            [PeopleTrained(training=locked, sector=s, count=n) for s, n in counts.items() if n > 0]
        )
        locked.people_trained_recorded_at = timezone.now()
        locked.save(update_fields=["people_trained_recorded_at", "updated_at"])
        audit_record(
            actor=actor, event=AuditEvent.TRAINING_PEOPLE_TRAINED, target=locked, detail={"total": sum(counts.values())}
        )
    return rows
