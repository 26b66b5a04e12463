from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.models import Committee
from meetings.services.checks import STAFF_NAMES, guard_meeting_text


def committee_save(
    *,
    actor: User,
    committee: Committee | None,
    name: str,
    description: str,
    chair: User | None,
    members: Iterable[User],
    agencies: Iterable[Agency],
) -> Committee:
    """Creates (coordinators) or changes (coordinators and the chair) a committee. Only the
    coordinators choose its chair."""
    if committee is None and not actor.can(Action.RUN_MEETINGS):
        raise PermissionDenied(_("Only the coordinators create committees."))
    if committee is not None and not (actor.can(Action.RUN_MEETINGS) or committee.chair_id == actor.pk):
        raise PermissionDenied(_("Only the coordinators and the committee's chair change it."))
    if committee is not None and chair != committee.chair and not actor.can(Action.RUN_MEETINGS):
        raise PermissionDenied(_("Only the coordinators choose a committee's chair."))
    if not name.strip():
        raise ValidationError({"name": _("Give the committee a name.")})
    # Its name shows on every member's meeting list; its description names its chair (staff), nobody else.
    guard_meeting_text(
        actor=actor, fields={"name": name, "description": description}, allow_in={"description": STAFF_NAMES}
    )
    committee = committee or Committee()
    committee.name, committee.description, committee.chair = name.strip(), description.strip(), chair
    try:
        with transaction.atomic():
            committee.save()
            committee.members.set(members)
            committee.agencies.set(agencies)
            audit_record(actor=actor, event=AuditEvent.COMMITTEE_CHANGED, target=committee)
    except IntegrityError:
        raise ValidationError({"name": _("A committee with this name already exists.")}) from None
    return committee
