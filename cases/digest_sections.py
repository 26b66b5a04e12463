"""Referrals in email: a digest section of counts and two immediate notifications, all content-free.

Registered by dotted path in settings.DIGEST_SECTIONS and DIGEST_NOTIFICATIONS, like
meetings/digest_sections.py: the digests app is the framework and imports no domain app.

Everything goes through `Referral.objects.for_user(person)`, evaluated at send time, so a person
never gets a count from another agency, nor about a referral whose consent has ended.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q

from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from cases.choices import Status
from cases.models import Comment, Referral, TimelineEvent
from digests.rendering import NotificationContent
from digests.sections import DigestItem, DigestWindow, SectionContent, portal_url


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def referral_counts(*, person: User, window: DigestWindow) -> dict[str, int]:
    """Waiting for the person's agency, new to it in the window, and changed by another agency in the window."""
    agency_id = person.agency_id
    if agency_id is None:  # no agency, no referrals: for_user() below would find none
        return {"waiting": 0, "new": 0, "changed": 0}
    in_window = Q(created_at__gte=window.start, created_at__lt=window.end)
    moved_by_others = TimelineEvent.objects.filter(in_window, referral=OuterRef("pk")).exclude(agency_id=agency_id)
    commented_by_others = Comment.objects.filter(in_window, referral=OuterRef("pk")).exclude(agency_id=agency_id)
    counts = Referral.objects.for_user(person).aggregate(
        waiting=Count("pk", filter=Q(receiving_agency_id=agency_id, status=Status.SENT)),
        new=Count("pk", filter=Q(in_window, receiving_agency_id=agency_id)),
        # A referral sent by another agency is "new", not "changed".
        changed=Count("pk", filter=Exists(moved_by_others.exclude(move="send")) | Exists(commented_by_others)),
    )
    return {key: value or 0 for key, value in counts.items()}


class ReferralsSection:
    key = "referrals"
    title = "Referrals"

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        if not person.can(Action.HANDLE_REFERRALS):
            return None
        counts = referral_counts(person=person, window=window)
        items = []
        if counts["waiting"]:
            n = counts["waiting"]
            items.append(
                DigestItem(
                    text=f"{n} {_plural(n, 'referral is', 'referrals are')} waiting for your agency to answer.",
                    url=portal_url("cases:referral_list", query="direction=incoming&status=sent"),
                )
            )
        if counts["new"]:
            n = counts["new"]
            items.append(
                DigestItem(
                    text=f"{n} new {_plural(n, 'referral was', 'referrals were')} sent to your agency.",
                    url=portal_url("cases:referral_list", query="direction=incoming"),
                )
            )
        if counts["changed"]:
            n = counts["changed"]
            items.append(
                DigestItem(
                    text=f"{n} of your agency's referrals {_plural(n, 'was', 'were')} updated by another agency.",
                    url=portal_url("cases:referral_list"),
                )
            )
        return SectionContent(
            key=self.key,
            title=self.title,
            items=items,
            link_url=portal_url("cases:referral_list"),
            link_label="Open your referrals",
        )


def _referral_handlers(agency_id: int) -> Iterable[User]:
    return User.objects.filter(
        agency_id=agency_id, is_active=True, role__in=list(PERMISSIONS[Action.HANDLE_REFERRALS])
    ).only("pk")


class ReferralReceived:
    key = "referral_received"
    switch = "notify_referral_received"
    label = "emails when a referral is sent to your agency"

    def recipients(self, *, target_id: int) -> Iterable[User]:
        referral = Referral.objects.filter(pk=target_id).only("receiving_agency_id").first()
        return _referral_handlers(referral.receiving_agency_id) if referral else []

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        visible = Referral.objects.for_user(person).filter(pk=target_id, receiving_agency_id=person.agency_id)
        if not visible.exists():
            return None
        return NotificationContent(
            subject="A new referral was sent to your agency",
            message="A new referral was sent to your agency. Sign in to the portal to see it and answer.",
            link_url=portal_url("cases:referral_list", query="direction=incoming"),
            link_label="Open referrals sent to your agency",
        )


class ConsentRevoked:
    key = "consent_revoked"
    switch = "notify_consent_revoked"
    label = "emails when consent is withdrawn on a referral your agency received"

    def recipients(self, *, target_id: int) -> Iterable[User]:
        referral = Referral.objects.filter(pk=target_id).only("receiving_agency_id").first()
        return _referral_handlers(referral.receiving_agency_id) if referral else []

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        # The receivers can no longer see the referral (that is the news); so the check is that they
        # still handle referrals for the agency that held it, and that consent is indeed withdrawn.
        referral = Referral.objects.select_related("consent").filter(pk=target_id).first()
        if referral is None or referral.consent is None or referral.consent.revoked_at is None:
            return None
        if not person.can(Action.HANDLE_REFERRALS) or person.agency_id != referral.receiving_agency_id:
            return None
        return NotificationContent(
            subject="Consent was withdrawn for a referral to your agency",
            message=(
                "The survivor withdrew consent for a referral your agency received. Your agency can no "
                "longer see it; the sending agency keeps the record. Sign in to the portal for your list."
            ),
            link_url=portal_url("cases:referral_list", query="direction=incoming"),
            link_label="Open referrals sent to your agency",
        )
