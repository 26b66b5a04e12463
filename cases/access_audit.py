"""Audit rows for reads of case data that no service writes: a referral list shown, a referral shown
from its row, a referral's comments read, and a referral id asked for and not shown. The web pages and
the API write them through these functions, so that both leave the same rows.

A 404 answers "missing" and "not yours" alike, so the person learns nothing; the trail still shows who
tried which ids (enumeration). The row names the id only: never what, if anything, exists under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit.models import AuditEvent, Outcome
from audit.services import TargetRef, audit_record
from cases.models import Referral

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User

# Longer ids are no row's (the key is a 64-bit integer) and do not fit the trail's target_id column.
_ID_DIGITS_MAX = 20


def referral_list_record_view(
    *, actor: User, direction: str, via: str = "", request: HttpRequest | None = None
) -> None:
    """`direction` "" (the API's default: both directions) is recorded as "all"; `via` names the channel
    when it is not the web pages ("api")."""
    detail = {"direction": direction or "all"}
    if via:
        detail["via"] = via
    audit_record(actor=actor, event=AuditEvent.REFERRAL_LISTED, request=request, detail=detail)


def referral_row_record_view(
    *, referral_id: int, reference_code: str, actor: User, request: HttpRequest | None = None
) -> None:
    """A referral shown from its plain-values row (the API's detail loads no model instance): the row
    names it as `cases.services.referral_record_view` names a loaded one (type, id, reference code)."""
    shown = TargetRef.of(Referral, pk=referral_id, text=reference_code)
    audit_record(actor=actor, event=AuditEvent.REFERRAL_VIEWED, target=shown, request=request)


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
    # The label is the id, never a reference code of what may exist.
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_NOT_FOUND,
        outcome=Outcome.DENIED,
        target=TargetRef.of(Referral, pk=pk, text=f"referral #{pk}"),
        request=request,
    )
