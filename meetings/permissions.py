"""Object-level rules of this area. Role rules live in agencies/roles.py; these add who holds the object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agencies.roles import Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User
    from meetings.models import ActionItem, Meeting


def may_run(user: User | AnonymousUser, meeting: Meeting) -> bool:
    """Coordinators run every meeting; a designated organizer (a committee chair) runs their own."""
    if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
        return False
    return user.can(Action.RUN_MEETINGS) or meeting.organizer_id == user.pk


def may_update_action_item(user: User | AnonymousUser, item: ActionItem) -> bool:
    """The owner, an administrator of the owning agency, or whoever runs the meeting it came from."""
    if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
        return False
    if item.owner_person_id == user.pk or may_run(user, item.meeting):
        return True
    return user.can(Action.MANAGE_OWN_AGENCY_PEOPLE) and item.owner_agency_id == user.agency_id
