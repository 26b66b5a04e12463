"""The quorum indicator: how many agencies of the meeting's audience are present, against the rule.

The rule is configurable (settings MEETINGS_QUORUM_FRACTION and MEETINGS_QUORUM_MINIMUM_AGENCIES):
quorum is reached when more than the fraction of the audience's agencies are present, and at
least the minimum (never more than the audience has). Task forces vote by agency, so people of
the same agency count once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from agencies.models import Agency
from meetings.choices import Audience
from meetings.models import Meeting


@dataclass(frozen=True)
class Quorum:
    present: int
    eligible: int
    needed: int

    @property
    def reached(self) -> bool:
        return self.eligible > 0 and self.present >= self.needed


def audience_agencies(meeting: Meeting) -> set[int]:
    """Ids of the active agencies whose people are in the meeting's audience."""
    agencies = Agency.objects.filter(is_active=True)
    if meeting.audience == Audience.COCHAIRS:
        agencies = agencies.filter(is_cochair=True)
    elif meeting.audience == Audience.COMMITTEE:
        agencies = agencies.filter(Q(committees=meeting.committee_id) | Q(people__committees=meeting.committee_id))
    return set(agencies.values_list("pk", flat=True))


def needed_for(eligible: int) -> int:
    by_fraction = math.floor(settings.MEETINGS_QUORUM_FRACTION * eligible) + 1
    return min(eligible, max(settings.MEETINGS_QUORUM_MINIMUM_AGENCIES, by_fraction))


def quorum_for(meeting: Meeting) -> Quorum:
    eligible = audience_agencies(meeting)
    present = set(meeting.attendance.values_list("agency_id", flat=True)) & eligible
    return Quorum(present=len(present), eligible=len(eligible), needed=needed_for(len(eligible)))
