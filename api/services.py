from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from api.models import ApiToken
from audit.models import AuditEvent
from audit.services import audit_record

TOKEN_PREFIX = "tfp_"  # noqa: S105 - a visible prefix, not a secret


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and cannot be shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
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
    token = ApiToken.objects.usable().select_related("user", "user__agency").filter(digest=token_digest(raw)).first()
    if token is not None and (token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5)):
        # Written at most every five minutes so that a busy client does not write on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
