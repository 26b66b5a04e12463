"""Training requests from the public form: received, routed by coordinators to a host agency, tracked to done."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from cases.deidentification import IdentifierKind
from meetings.choices import RequestStatus
from meetings.models import Training, TrainingRequest
from meetings.services.checks import guard_meeting_text

# Who may move a request where: coordinators anywhere, the assigned agency along its own work.
_HOST_MOVES = {RequestStatus.ASSIGNED: {RequestStatus.SCHEDULED}, RequestStatus.SCHEDULED: {RequestStatus.DONE}}


def training_request_submit(
    *, organization: str, contact_email: str, topic: str, preferred_dates: str
) -> TrainingRequest:
    """The public form's write. Limits and spam checks happen in the view, before this."""
    values = {
        "organization": organization.strip(),
        "contact_email": contact_email.strip().lower(),
        "topic": topic.strip(),
        "preferred_dates": preferred_dates.strip(),
    }
    if not all(values.values()):
        raise ValidationError({name: _("This field is required.") for name, value in values.items() if not value})
    validate_email(values["contact_email"])
    # The request is read by coordinators and host agencies: no one's story belongs in it. Its dates
    # field is meant to hold dates, which alone identify nobody; a date of birth (a cue such as "DOB"
    # or "born" before it) is still refused.
    guard_meeting_text(
        actor=None,
        fields={name: values[name] for name in ("organization", "topic", "preferred_dates")},
        allow=frozenset({IdentifierKind.DATE}),
    )
    with transaction.atomic():
        request = TrainingRequest.objects.create(**values)
        audit_record(
            actor=None, event=AuditEvent.TRAINING_REQUEST_RECEIVED, target=request, target_label=f"request {request.pk}"
        )
        from outbox.services import outbox_enqueue  # database-first: a broker outage delays it, loses nothing

        outbox_enqueue(task="meetings.tasks.notify_coordinators_of_training_request", args=[request.pk])
    return request


@transaction.atomic
def training_request_assign(*, actor: User, request: TrainingRequest, agency: Agency) -> TrainingRequest:
    if not actor.can(Action.MANAGE_TRAINING_REQUESTS):
        raise PermissionDenied(_("Only the coordinators route training requests."))
    if not agency.is_active:
        raise ValidationError({"agency": _("That agency is not active.")})
    locked = TrainingRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status in RequestStatus.closed():
        raise ValidationError(_("This request is closed."))
    locked.assigned_agency, locked.status = agency, RequestStatus.ASSIGNED
    locked.save(update_fields=["assigned_agency", "status", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.TRAINING_REQUEST_CHANGED,
        target=locked,
        target_label=f"request {locked.pk}",
        detail={"status": locked.status, "agency": agency.pk},
    )
    return locked


def _check_move(*, actor: User, request: TrainingRequest, status: str) -> None:
    if status not in RequestStatus.values or status in (RequestStatus.NEW, RequestStatus.ASSIGNED):
        raise ValidationError({"status": _("Choose scheduled, done or declined (assign an agency to route it).")})
    if request.status in RequestStatus.closed():
        raise ValidationError(_("This request is closed."))
    if actor.can(Action.MANAGE_TRAINING_REQUESTS):
        if status != RequestStatus.DECLINED and request.assigned_agency_id is None:
            raise ValidationError({"status": _("Assign a host agency first.")})
        return
    if status not in _HOST_MOVES.get(RequestStatus(request.status), set()):
        raise ValidationError(
            {
                "status": _("A request with the status “%(now)s” cannot become “%(then)s”.")
                % {"now": request.get_status_display(), "then": RequestStatus(status).label}
            }
        )


@transaction.atomic
def training_request_set_status(
    *, actor: User, request: TrainingRequest, status: str, training: Training | None = None
) -> TrainingRequest:
    """Tracks a request to done. The host agency's administrators move their own requests forward."""
    if not TrainingRequest.objects.for_user(actor).filter(pk=request.pk).exists():
        raise PermissionDenied
    locked = TrainingRequest.objects.select_for_update().get(pk=request.pk)
    _check_move(actor=actor, request=locked, status=status)
    if training is not None and training.host_agency_id != locked.assigned_agency_id:
        raise ValidationError({"training": _("Choose a training of the assigned agency.")})
    locked.status = status
    locked.training = training or locked.training
    locked.closed_at = timezone.now() if status in RequestStatus.closed() else None
    locked.save(update_fields=["status", "training", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.TRAINING_REQUEST_CHANGED,
        target=locked,
        target_label=f"request {locked.pk}",
        detail={"status": status},
    )
    return locked
