"""Who reads which rows of the audit trail: a rule of the role map, stated here for the audit app.

The audit app sits below agencies (every app writes to the trail), so it cannot import the role
map; `AuditEntry.objects.for_user()` calls this function through settings.AUDIT_TRAIL_SCOPE.
"""

from __future__ import annotations

from django.db.models import Q

from agencies.models import User
from agencies.roles import Action


def audit_trail_scope(user: User) -> Q | None:
    """Coordinators see the task force's trail; agency administrators their agency's; others nothing."""
    if user.can(Action.VIEW_TASKFORCE_AUDIT):
        return Q()
    if user.can(Action.VIEW_AGENCY_AUDIT):
        return Q(agency_id=user.agency_id)
    return None
