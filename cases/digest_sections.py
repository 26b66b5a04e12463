"""Referrals in email: a digest section of counts and two immediate notifications, all content-free.

Registered by dotted path in settings.DIGEST_SECTIONS and DIGEST_NOTIFICATIONS, like
meetings/digest_sections.py: the digests app is the framework and imports no domain app.

Everything goes through `Referral.objects.for_user(person)`, evaluated at send time, so a person
never gets a count from another agency, nor about a referral whose consent has ended.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agencies.models import User
from agencies.roles import PERMISSIONS, Action, Role
from agencies.templatetags.times import format_day_long
from cases.choices import Status, Urgency
from cases.models import Comment, Referral, TimelineEvent, consent_in_force
from digests.rendering import NotificationContent
from digests.sections import DigestItem, DigestWindow, SectionContent, portal_url


def referral_counts(*, person: User, window: DigestWindow) -> dict[str, int]:
    """Waiting for the person's agency, new to it in the window, and changed by another agency in the window.

    Neither statement reads the agency's referrals themselves, nor the consent table, beyond the rows
    counted: the waiting referrals come from a partial index (status "sent") and the new ones from
    (receiving agency, created_at); the changes are the window's timeline events and comments (read
    from their (created_at, ...) indexes alone) matched against the agency's referral ids (read from
    its (agency, id) indexes alone). Consent is checked for the rows found only.
    tests/digests/test_referral_counts_scale.py holds the statements to that."""
    agency_id = person.agency_id
    if agency_id is None or not person.can(Action.HANDLE_REFERRALS):  # as for_user(): no referrals
        return {"waiting": 0, "new": 0, "changed": 0}
    in_window = Q(created_at__gte=window.start, created_at__lt=window.end)
    received = Referral.objects.filter(consent_in_force(), receiving_agency_id=agency_id)
    counts = received.filter(Q(status=Status.SENT) | in_window).aggregate(
        waiting=Count("pk", filter=Q(status=Status.SENT)),
        new=Count("pk", filter=in_window),
    )
    # The agency's referral ids, each side from its (agency, id) index alone (no referral is on both sides:
    # an agency never refers to itself), matched against the window's changes by another agency. A referral
    # sent by another agency is "new", not "changed".
    sent, got = (Referral.objects.filter(**{side: agency_id}).order_by().values("pk") for side in _SIDES)
    ours = Q(referral_id__in=sent.union(got, all=True))
    moved = TimelineEvent.objects.filter(in_window, ours).exclude(agency_id=agency_id).exclude(move="send")
    commented = Comment.objects.filter(in_window, ours).exclude(agency_id=agency_id)
    touched = moved.order_by().values("referral_id").union(commented.order_by().values("referral_id"))
    changed = Referral.objects.for_user(person).filter(pk__in=touched).count()
    return {"waiting": counts["waiting"] or 0, "new": counts["new"] or 0, "changed": changed}


_SIDES = ("sending_agency_id", "receiving_agency_id")


class ReferralsSection:
    key = "referrals"
    title = gettext_lazy("Referrals")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        if not person.can(Action.HANDLE_REFERRALS):
            return None
        counts = referral_counts(person=person, window=window)
        items = []
        if counts["waiting"]:
            n = counts["waiting"]
            items.append(
                DigestItem(
                    text=ngettext(
                        "%(count)d referral is waiting for your agency to answer.",
                        "%(count)d referrals are waiting for your agency to answer.",
                        n,
                    )
                    % {"count": n},
                    url=portal_url("cases:referral_list", query="direction=incoming&status=sent"),
                )
            )
        if counts["new"]:
            n = counts["new"]
            items.append(
                DigestItem(
                    text=ngettext(
                        "%(count)d new referral was sent to your agency.",
                        "%(count)d new referrals were sent to your agency.",
                        n,
                    )
                    % {"count": n},
                    url=portal_url("cases:referral_list", query="direction=incoming"),
                )
            )
        if counts["changed"]:
            n = counts["changed"]
            items.append(
                DigestItem(
                    text=ngettext(
                        "%(count)d of your agency's referrals was updated by another agency.",
                        "%(count)d of your agency's referrals were updated by another agency.",
                        n,
                    )
                    % {"count": n},
                    url=portal_url("cases:referral_list"),
                )
            )
        return SectionContent(
            key=self.key,
            title=str(self.title),
            items=items,
            link_url=portal_url("cases:referral_list"),
            link_label=_("Open your referrals"),
        )


def _referral_handlers(agency_id: int) -> Iterable[User]:
    return User.objects.filter(
        agency_id=agency_id, is_active=True, role__in=list(PERMISSIONS[Action.HANDLE_REFERRALS])
    ).only("pk")


class ReferralReceived:
    key = "referral_received"
    switch = "notify_referral_received"
    label = gettext_lazy("emails when a referral is sent to your agency")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        referral = Referral.objects.filter(pk=target_id).only("receiving_agency_id").first()
        return _referral_handlers(referral.receiving_agency_id) if referral else []

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        visible = Referral.objects.for_user(person).filter(pk=target_id, receiving_agency_id=person.agency_id)
        if not visible.exists():
            return None
        return NotificationContent(
            subject=_("A new referral was sent to your agency"),
            message=_("A new referral was sent to your agency. Sign in to the portal to see it and answer."),
            link_url=portal_url("cases:referral_list", query="direction=incoming"),
            link_label=_("Open referrals sent to your agency"),
        )


class ConsentRevoked:
    key = "consent_revoked"
    switch = "notify_consent_revoked"
    label = gettext_lazy("emails when consent is withdrawn on a referral your agency received")

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
            subject=_("Consent was withdrawn for a referral to your agency"),
            message=_(
                "The survivor withdrew consent for a referral your agency received. Your agency can no "
                "longer see it; the sending agency keeps the record. Sign in to the portal for your list."
            ),
            link_url=portal_url("cases:referral_list", query="direction=incoming"),
            link_label=_("Open referrals sent to your agency"),
        )


# --- Escalation of an unanswered referral (cases/escalation.py) ------------------------------------------
ESCALATED_TO_ADMINS = "referral_escalated_admins"
ESCALATED_TO_COCHAIRS = "referral_escalated_cochairs"


def escalation_admins(agency_ids: Iterable[int]) -> QuerySet[User]:
    """Step 1 tells these: the active agency administrators of the receiving agencies."""
    return User.objects.filter(
        agency_id__in=list(agency_ids), agency__is_active=True, is_active=True, role=Role.AGENCY_ADMIN
    )


def cochairs() -> QuerySet[User]:
    """Step 2 tells these: the active coordinators of co-chair agencies."""
    return User.objects.filter(agency__is_cochair=True, agency__is_active=True, is_active=True, role=Role.COORDINATOR)


def _still_waiting(target_id: int, step: Q) -> Referral | None:
    """The referral if it is still unanswered, escalated at this step, and its consent holds."""
    return (
        Referral.objects.filter(step, consent_in_force(), pk=target_id, status=Status.SENT)
        .select_related("receiving_agency")
        .only("awaiting_since", "urgency", "receiving_agency__name")
        .first()
    )


def _unanswered(referral: Referral) -> str:
    """The one sentence both steps say: the agency, the day, the urgency. No reference code, no facts."""
    day = format_day_long(timezone.localtime(referral.awaiting_since))
    urgency = Urgency(referral.urgency).label
    return _("A referral sent to %(agency)s on %(day)s with urgency “%(urgency)s” has had no answer.") % {
        "agency": referral.receiving_agency.name,
        "day": day,
        "urgency": urgency,
    }


class ReferralEscalatedToAdmins:
    key = ESCALATED_TO_ADMINS
    switch = "notify_agency_alerts"
    label = gettext_lazy("alerts when a referral to your agency is left unanswered")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        referral = Referral.objects.filter(pk=target_id).only("receiving_agency_id").first()
        return escalation_admins([referral.receiving_agency_id]) if referral else []

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        if not person.has_role(Role.AGENCY_ADMIN):
            return None
        referral = _still_waiting(
            target_id, Q(escalated_to_admins_at__isnull=False, receiving_agency_id=person.agency_id)
        )
        if referral is None:
            return None
        return NotificationContent(
            subject=_("A referral to your agency has had no answer"),
            message=_("%(unanswered)s Please make sure someone at your agency who handles referrals answers it now.")
            % {"unanswered": _unanswered(referral)},
            link_url=portal_url("agencies:people"),
            link_label=_("See who handles referrals at your agency"),
        )


class ReferralEscalatedToCochairs:
    key = ESCALATED_TO_COCHAIRS
    switch = "notify_agency_alerts"
    label = gettext_lazy("alerts when a referral between partners is left unanswered after its agency was told")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        return cochairs()

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        if not cochairs().filter(pk=person.pk).exists():
            return None
        referral = _still_waiting(target_id, Q(escalated_to_cochairs_at__isnull=False))
        if referral is None:
            return None
        return NotificationContent(
            subject=_("A referral between partners has had no answer"),
            message=_("%(unanswered)s Its agency administrators were told earlier. Please contact the agency.")
            % {"unanswered": _unanswered(referral)},
            link_url=portal_url("agencies:detail", pk=referral.receiving_agency_id),
            link_label=_("Open %(agency)s in the directory") % {"agency": referral.receiving_agency.name},
        )
