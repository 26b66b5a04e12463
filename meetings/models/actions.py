from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from meetings.choices import ActionStatus
from meetings.models.meetings import Meeting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def for_user(self, user: User | AnonymousUser) -> ActionItemQuerySet:
        """An action item is seen by the audience of the meeting it came from."""
        return self.filter(meeting_id__in=Meeting.objects.for_user(user).values("pk"))

    def overdue(self) -> ActionItemQuerySet:
        return self.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField(max_length=300)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    # Not a column: meetings.selectors.with_permissions sets it on the items a page lists, for its forms.
    may_update: bool

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner_person", "status"]), models.Index(fields=["owner_agency", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()
