"""Sign-ins and failures, from Django's own signals: the portal login and the admin alike."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.models import AuditEvent, Outcome
from audit.services import audit_record


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, event=AuditEvent.SIGNED_IN, request=request)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, event=AuditEvent.SIGNED_OUT, request=request)


@receiver(user_login_failed)
def record_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = _attempted_person(credentials)
    audit_record(
        actor=attempted,
        event=AuditEvent.SIGN_IN_FAILED,
        outcome=Outcome.FAILURE,
        request=request,
        # The attempted login is staff's own address, never a survivor's; keep it for investigation.
        target_label=str(credentials.get("email") or credentials.get("username") or "")[:200],
    )


@receiver(user_locked_out)
def record_lockout(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        actor=_attempted_person({"email": username}),
        event=AuditEvent.LOCKED_OUT,
        outcome=Outcome.DENIED,
        request=request,
        target_label=str(username or "")[:200],
    )


def _attempted_person(credentials: dict[str, Any]) -> Any:
    login = credentials.get("email") or credentials.get("username")
    if not login:
        return None
    return get_user_model().objects.filter(email__iexact=str(login)).select_related("agency").first()
