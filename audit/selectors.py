from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from audit.models import AuditEntry, AuditEntryQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def audit_entries_for(*, user: AbstractBaseUser | AnonymousUser) -> AuditEntryQuerySet:
    return AuditEntry.objects.for_user(user).select_related("actor")


def audit_entries_about(*, target: models.Model) -> AuditEntryQuerySet:
    """Who viewed or changed this object. The caller has already checked access to `target`."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
