"""Audit rows for reads of case data that no service writes: a referral's comments read, and a referral
id asked for and not shown.

A 404 answers "missing" and "not yours" alike, so the person learns nothing; the trail still shows who
tried which ids (enumeration). The row names the id only: never what, if anything, exists under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.models import Referral

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User

# Longer ids are no row's (the key is a 64-bit integer) and do not fit the trail's target_id column.
_ID_DIGITS_MAX = 20


def referral_comments_record_view(*, referral: Referral, actor: User, request: HttpRequest | None = None) -> None:
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_COMMENTS_VIEWED,
        target=referral,
        request=request,
        detail={"via": "api"},
    )


def referral_record_not_found(*, pk: int | None, actor: User, request: HttpRequest | None = None) -> None:
    """`pk` None: the URL's id was not a number at all."""
    if pk is None or len(str(pk)) > _ID_DIGITS_MAX:
        label = "referral id (not a number)" if pk is None else "referral id (out of range)"
        audit_record(
            actor=actor,
            event=AuditEvent.REFERRAL_NOT_FOUND,
            outcome=Outcome.DENIED,
            target_label=label,
            request=request,
        )
        return
    # An unsaved stand-in names the id: the label is the id, never a reference code of what may exist.
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_NOT_FOUND,
        outcome=Outcome.DENIED,
        target=Referral(pk=pk),
        target_label=f"referral #{pk}",
        request=request,
    )
