from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from agencies.roles import Action

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from agencies.models import User


class HasRequiredMFA(BasePermission):
    """Token or session, a person whose role needs MFA must have enrolled an authenticator."""

    message = gettext_lazy("Set up two-factor authentication in the portal first.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not (request.user.is_authenticated and request.user.lacks_required_mfa())


def action_permission(action: Action) -> type[BasePermission]:
    """A DRF permission class for one action of the role map."""

    class CanDo(BasePermission):
        message = gettext_lazy("Your role does not allow this.")

        def has_permission(self, request: Request, view: APIView) -> bool:
            return request.user.is_authenticated and request.user.can(action)

    CanDo.__name__ = f"Can_{action.value}"
    return CanDo


def acting_user(request: Request | HttpRequest) -> User:
    """The person a request acts as, for an endpoint's handler, queryset or filters.

    Every endpoint requires a signed-in person (DEFAULT_PERMISSION_CLASSES) and DRF checks the
    permissions before any of these run, so the anonymous visitor never gets here: the check only
    narrows `User | AnonymousUser` for the type checker, once, instead of a cast in every method.
    """
    user = request.user
    assert user.is_authenticated, "an endpoint let an anonymous request past its permissions"
    return user
