"""The view decorator that applies the role map."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from agencies.roles import Action

if TYPE_CHECKING:
    from agencies.models import User


class AuthenticatedRequest(HttpRequest):
    """The request a `requires` view receives: it is signed in, so `user` is a `User`, never the
    anonymous visitor. Only a type: Django builds a plain HttpRequest (django-stubs' documented way)."""

    user: User


def requires(
    action: Action, *, hide: bool = False
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Signed in, and the role may do `action`; otherwise sign-in redirect, or 403.

    With `hide`, a role without the right gets 404 as for a missing object: for views of
    a single record whose very existence is information (a referral).
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @login_required
        def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.can(action):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
