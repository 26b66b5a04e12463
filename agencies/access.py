"""The view decorator that applies the role map."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from agencies.roles import Action


def requires(
    action: Action, *, hide: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in, and the role may do `action`; otherwise sign-in redirect, or 403.

    With `hide`, a role without the right gets 404 as for a missing object: for views of
    a single record whose very existence is information (a referral).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.can(action):
                raise Http404 if hide else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
