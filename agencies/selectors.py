from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404

from agencies.models import Agency, AgencyQuerySet, Invitation, InvitationQuerySet, User, UserQuerySet


def agencies_for(*, user: User | AnonymousUser) -> AgencyQuerySet:
    return Agency.objects.for_user(user)


def agency_get(*, user: User, pk: int) -> Agency:
    return get_object_or_404(Agency.objects.for_user(user), pk=pk)


def people_for(*, user: User) -> UserQuerySet:
    return User.objects.for_user(user).select_related("agency")


def person_get(*, user: User, pk: int) -> User:
    """404 for a person of another agency, exactly as for a missing one."""
    return get_object_or_404(User.objects.for_user(user).select_related("agency"), pk=pk)


def invitations_for(*, user: User) -> InvitationQuerySet:
    return Invitation.objects.for_user(user).select_related("agency", "invited_by")


def invitation_get(*, user: User, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.for_user(user), pk=pk)
