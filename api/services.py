from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from agencies.models import User
from api.models import ApiToken
from audit.models import AuditEvent
from audit.services import audit_record

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


# Every API request runs this lookup. Through the ORM (select_related and an Exists annotation) it
# cost about 1.5 ms of CPU to build and compile each time, more than PostgreSQL spends answering it;
# its SQL never changes, so it is written once per process and only executed afterwards.
# The conditions are those of ApiTokenQuerySet.usable(); tests/api pin the refusals.


@functools.cache
def _token_lookup_statement(vendor: str) -> tuple[str, tuple[tuple[type[models.Model], list, list], ...]]:
    from allauth.mfa.models import Authenticator

    from agencies.models import Agency

    quote = connection.ops.quote_name
    parts = ((ApiToken, "t"), (User, "u"), (Agency, "a"))
    columns = ", ".join(f"{alias}.{quote(f.column)}" for model, alias in parts for f in model._meta.concrete_fields)
    # Only names from the models' metadata, quoted, are written into the text; values are bound.
    statement = (
        f"SELECT {columns}, EXISTS (SELECT 1 FROM {quote(Authenticator._meta.db_table)} m "  # noqa: S608
        f"WHERE m.{quote('user_id')} = u.{quote('id')} AND m.{quote('type')} = %s) "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
        f"LEFT JOIN {quote(Agency._meta.db_table)} a ON a.{quote('id')} = u.{quote('agency_id')} "
        f"WHERE t.{quote('digest')} = %s AND t.{quote('revoked_at')} IS NULL AND t.{quote('expires_at')} > %s "
        f"AND u.{quote('is_active')}"
    )
    # The database's values become Python ones as the ORM converts them (SQLite's text dates, say).
    layout = []
    for model, alias in parts:
        names = [field.attname for field in model._meta.concrete_fields]
        columns = [field.get_col(alias) for field in model._meta.concrete_fields]
        converters = [connection.ops.get_db_converters(c) + c.get_db_converters(connection) for c in columns]
        layout.append((model, names, list(zip(converters, columns, strict=True))))
    return statement, tuple(layout)


def _token_lookup(digest: str) -> ApiToken | None:
    from allauth.mfa.models import Authenticator

    statement, layout = _token_lookup_statement(connection.vendor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(statement, [Authenticator.Type.TOTP.value, digest, now])
        row = cursor.fetchone()
    if row is None:
        return None
    instances = []
    position = 0
    for model, names, conversions in layout:
        values = []
        for converters, column in conversions:
            value = row[position]
            for converter in converters:
                value = converter(value, column, connection)
            values.append(value)
            position += 1
        instances.append(None if values[0] is None else model.from_db(connection.alias, names, values))
    token, user, agency = instances
    user.agency = agency  # None for a person of no agency, as select_related would set it
    token.user = user
    user.has_totp_as_read = bool(row[position])
    return token
