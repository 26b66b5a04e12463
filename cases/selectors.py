from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from agencies.models import User
from cases.models import Comment, Referral, ReferralQuerySet, TimelineEvent


def referrals_for(*, user: User) -> ReferralQuerySet:
    """The list of referrals a person may see, with everything a list row shows in one query."""
    return (
        Referral.objects.for_user(user)
        .select_related("sending_agency", "receiving_agency", "consent")
        .prefetch_related("needs")
    )


def referral_get(*, user: User, pk: int) -> Referral:
    """404 for a referral of another agency, or one whose consent ended, as for a missing one."""
    queryset = referrals_for(user=user).prefetch_related(
        Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor", "agency")),
        Prefetch("comments", queryset=Comment.objects.select_related("author", "agency")),
    )
    return get_object_or_404(queryset, pk=pk)


def referrals_lost_count(*, user: User) -> int:
    """How many referrals sent to the person's agency are no longer visible because consent ended."""
    return Referral.objects.lost_to_agency(user.agency).count() if user.agency_id else 0
