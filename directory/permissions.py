"""Who may edit which service profile: the role map's right, and for an agency administrator their own agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agencies.roles import Action, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import Agency, User


def may_edit_profile(user: User | AnonymousUser, agency: Agency) -> bool:
    if not user.is_authenticated or not user.can(Action.EDIT_SERVICE_PROFILE):
        return False
    return user.has_role(Role.COORDINATOR) or user.agency_id == agency.pk
