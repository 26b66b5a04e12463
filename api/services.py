from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from agencies.models import Agency, User
from api.models import ApiToken
from audit.models import AuditEvent
from audit.services import audit_record
from toolkit.compiled import CompiledQuery, StandIn

TOKEN_PREFIX = "tfp_"  # noqa: S105 - a visible prefix, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str, lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and cannot be shown again.

    The name is free text shown in the token list, the admin and the audit trail: it goes through the
    de-identification guard (ValidationError keyed "name"), before the transaction so that the
    refusal's audit row stays."""
    from cases.services import guard_free_text  # cases imports the API's neighbours; keep this one lazy

    guard_free_text(actor=user, fields={"name": name})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=token_digest(raw),
            expires_at=timezone.now() + (lifetime or settings.API_TOKEN_LIFETIME),
        )
        audit_record(actor=user, event=AuditEvent.TOKEN_CREATED, target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, event=AuditEvent.TOKEN_REVOKED, target=token)
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token with this value, with its person, the person's agency and whether the person has
    enrolled an authenticator app (what the permission checks of an API request read), in one query."""
    token = _token_lookup(token_digest(raw))
    if token is not None and (token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5)):
        # Written at most every five minutes so that a busy client does not write on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


# Every API request runs this lookup. Built and compiled by the ORM on each request it cost about
# 1.5 ms of CPU, more than PostgreSQL spends answering it: it is compiled once per process
# (toolkit.compiled) from `ApiToken.objects.usable()` itself, and run with the digest and the moment.
_TOKEN_LOOKUP = CompiledQuery(digest=ApiToken._meta.get_field("digest"), at=ApiToken._meta.get_field("expires_at"))


# The token, its person and the person's agency (None for a person of no agency), as select_related reads
# them: each model, and its fields' names and their columns in the lookup's rows.
def _layout(model: type[models.Model], prefix: str) -> tuple[type[models.Model], list[str], list[str]]:
    names = [field.attname for field in model._meta.concrete_fields]  # the primary key first
    return model, names, [prefix + name for name in names]


_PARTS = (_layout(ApiToken, ""), _layout(User, "user__"), _layout(Agency, "user__agency__"))


def _token_rows(*, digest: str | StandIn, at: datetime | StandIn) -> QuerySet[ApiToken, dict[str, Any]]:
    columns = [column for _model, _names, columns in _PARTS for column in columns]
    has_totp = Exists(User.totp_authenticators(OuterRef("user_id")))
    # One digest, one row: the model's ordering would only add a sort.
    return ApiToken.objects.usable(at=at).filter(digest=digest).values(*columns, has_totp=has_totp).order_by()


def _token_lookup(digest: str) -> ApiToken | None:
    rows = _TOKEN_LOOKUP.rows(connection.alias, _token_rows, digest=digest, at=timezone.now())
    if not rows:
        return None
    token, user, agency = (_instance(model, names, columns, rows[0]) for model, names, columns in _PARTS)
    user.agency = agency
    user.has_totp = rows[0]["has_totp"]  # the annotation User.has_totp documents, set as the ORM sets one
    token.user = user
    return token


def _instance(model: type[models.Model], names: list[str], columns: list[str], row: dict) -> Any:
    """The instance of `model` whose values `row` holds in `columns`; None when its key is NULL (a LEFT JOIN)."""
    values = [row[column] for column in columns]
    return None if values[0] is None else model.from_db(connection.alias, names, values)
