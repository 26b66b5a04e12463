from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Expression

    from agencies.models import User


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_user(self, user: User | AnonymousUser) -> ApiTokenQuerySet:
        """A person sees and revokes their own tokens only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)

    def usable(self, *, at: datetime | Expression | None = None) -> ApiTokenQuerySet:
        """Tokens that authenticate `at` (now by default; the sign-in's compiled lookup passes its stand-in)."""
        moment = timezone.now() if at is None else at
        return self.filter(revoked_at__isnull=True, expires_at__gt=moment, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is kept; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise a token.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
