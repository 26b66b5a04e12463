from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from audit.models import AuditEntry, AuditEntryQuerySet

if TYPE_CHECKING:
    from agencies.models import User


def audit_entries_for(*, user: User) -> AuditEntryQuerySet:
    return AuditEntry.objects.for_user(user).select_related("actor")


def audit_entries_about(*, target: models.Model) -> AuditEntryQuerySet:
    """Who viewed or changed this object. The caller has already checked access to `target`."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
