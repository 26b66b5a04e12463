"""Reads of the home page (what needs the person) and of announcements. Every query starts from a
model's `for_user()`, so a count never includes what the person could not open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.models import Agency, User
from agencies.roles import Action, Role
from cases.choices import Status, Urgency
from cases.models import Referral, consent_in_force
from directory.models import ServiceProfile
from home.models import Announcement, AnnouncementAcknowledgement, Audience
from meetings.choices import ActionStatus, RsvpResponse
from meetings.models import Meeting, Rsvp
from meetings.models.meetings import audience_q
from meetings.selectors import my_action_items

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The field another part of issue 18 adds to Referral (cases/escalation.py). Looked up at run time, so
# that the home page works before and after that migration.
ESCALATED_FIELD = "escalated_to_admins_at"
AWAITING_FIELD = "awaiting_since"
MEETING_DAYS = 7  # "this week": today and the six days after it, in the task force's time zone


class Key:
    """The keys of the items of `needs_you`, stable for API clients."""

    REFERRALS_WAITING = "referrals_waiting"
    REFERRALS_ESCALATED = "referrals_escalated"
    REFERRALS_ESCALATED_TO_YOU = "referrals_escalated_to_you"
    ACTION_ITEMS_OVERDUE = "action_items_overdue"
    MEETINGS_THIS_WEEK = "meetings_this_week"
    CAPACITY_STALE = "capacity_stale"
    ANNOUNCEMENTS = "announcements_unacknowledged"


@dataclass(frozen=True)
class NeedEntry:
    """One thing inside an item (a meeting of the week, with the person's answer)."""

    title: str
    url: str
    starts_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class NeedItem:
    key: str
    count: int
    label: str  # a sentence with the count: "2 referrals are waiting for your agency's answer"
    url: str  # where to act: "" when the page is not there (yet)
    detail: str = ""  # a second sentence: "1 emergency. The oldest was sent 3 hours ago."
    entries: tuple[NeedEntry, ...] = field(default=())


def _url(viewname: str, *, query: str = "", args: tuple[object, ...] = ()) -> str:
    """The link of an item; "" if the page does not exist (a part of the portal built elsewhere)."""
    try:
        path = reverse(viewname, args=args or None)
    except NoReverseMatch:
        return ""
    return f"{path}?{query}" if query else path


# --- what needs you ----------------------------------------------------------------------------------


def needs_you(user: User) -> list[NeedItem]:
    """What needs `user`, in the order of the home page: one item per thing that applies to their role,
    with its count (0 included: the page shows the items that are not 0, the API answers them all).

    A bounded number of queries whatever the data: one per item at most (tests/home pin it).
    """
    if not user.can(Action.VIEW_TASKFORCE_CONTENT):
        return []
    items: list[NeedItem] = []
    if user.can(Action.HANDLE_REFERRALS):
        items += _referral_items(user)
    if user.has_role(Role.AGENCY_ADMIN) or user.has_role(Role.COORDINATOR):
        items.append(_escalated_to_you_item(user))
    items.append(_action_items_item(user))
    items.append(_meetings_item(user))
    if user.can(Action.EDIT_SERVICE_PROFILE):
        items.append(_capacity_item(user))
    items.append(_announcements_item(user))
    return items


def _referral_items(user: User) -> list[NeedItem]:
    """Waiting for the person's agency (most urgent and oldest first on the list) and escalated, both
    sides: one aggregate over `Referral.objects.for_user`."""
    agency_id = user.agency_id
    waiting = Q(status=Status.SENT, receiving_agency_id=agency_id)
    aggregates = {
        "waiting": Count("pk", filter=waiting),
        "emergency": Count("pk", filter=waiting & Q(urgency=Urgency.EMERGENCY)),
        "urgent": Count("pk", filter=waiting & Q(urgency=Urgency.URGENT)),
        "oldest": Min(AWAITING_FIELD, filter=waiting),
        "escalated": Count("pk", filter=Q(status=Status.SENT, **{f"{ESCALATED_FIELD}__isnull": False})),
    }
    row = Referral.objects.for_user(user).aggregate(**aggregates)
    n = row["waiting"] or 0
    items = [
        NeedItem(
            key=Key.REFERRALS_WAITING,
            count=n,
            label=ngettext(
                "%(number)s referral is waiting for your agency's answer",
                "%(number)s referrals are waiting for your agency's answer",
                n,
            )
            % {"number": n},
            url=_url("cases:referral_list", query="direction=incoming&status=sent"),
            detail=_waiting_detail(emergency=row["emergency"] or 0, urgent=row["urgent"] or 0, oldest=row["oldest"]),
        )
    ]
    e = row["escalated"] or 0
    items.append(
        NeedItem(
            key=Key.REFERRALS_ESCALATED,
            count=e,
            label=ngettext(
                "%(number)s referral was escalated: still unanswered after the deadline",
                "%(number)s referrals were escalated: still unanswered after the deadline",
                e,
            )
            % {"number": e},
            url=_url("cases:referral_list", query="status=sent&escalated=yes"),
            detail=_("Sent by your agency or to it. The receiving agency's administrators were told."),
        )
    )
    return items


def _escalated_to_you_item(user: User) -> NeedItem:
    """What the escalation told this person, as a count without any case detail (administrators and
    co-chairs do not read referrals): for an agency administrator, the referrals to their agency still
    unanswered after the deadline; for a coordinator, those still unanswered after the second deadline,
    across the task force (cases/escalation.py)."""
    if user.has_role(Role.COORDINATOR):
        # consent_in_force: a referral whose consent ended is no longer the receiver's, nor escalated.
        n = Referral.objects.filter(
            consent_in_force(), status=Status.SENT, escalated_to_cochairs_at__isnull=False
        ).count()
        return NeedItem(
            key=Key.REFERRALS_ESCALATED_TO_YOU,
            count=n,
            label=ngettext(
                "%(number)s referral is still unanswered after the second deadline",
                "%(number)s referrals are still unanswered after the second deadline",
                n,
            )
            % {"number": n},
            url=_url("agencies:directory"),
            detail=_("The co-chairs were told. Ask the receiving agencies' administrators to have them answered."),
        )
    n = Referral.objects.filter(
        consent_in_force(), status=Status.SENT, receiving_agency_id=user.agency_id, escalated_to_admins_at__isnull=False
    ).count()
    return NeedItem(
        key=Key.REFERRALS_ESCALATED_TO_YOU,
        count=n,
        label=ngettext(
            "%(number)s referral to your agency went unanswered past the deadline",
            "%(number)s referrals to your agency went unanswered past the deadline",
            n,
        )
        % {"number": n},
        url=_url("agencies:people"),
        detail=_("No case detail is shown here: ask your referral officers to accept or decline them."),
    )


def _waiting_detail(*, emergency: int, urgent: int, oldest: datetime | None) -> str:
    parts = []
    if emergency:
        parts.append(_("%(number)s emergency") % {"number": emergency})
    if urgent:
        parts.append(_("%(number)s urgent") % {"number": urgent})
    text = (", ".join(parts) + ". ") if parts else ""
    if oldest is not None:
        text += _("The oldest has waited %(duration)s.") % {"duration": timesince(oldest)}
    return text.strip()


def _action_items_item(user: User) -> NeedItem:
    today = timezone.localdate()
    n = my_action_items(user=user).filter(status=ActionStatus.OPEN, due_on__lt=today).count()
    return NeedItem(
        key=Key.ACTION_ITEMS_OVERDUE,
        count=n,
        label=ngettext("%(number)s of your action items is overdue", "%(number)s of your action items are overdue", n)
        % {"number": n},
        url=_url("meetings:my_action_items"),
    )


def _meetings_item(user: User) -> NeedItem:
    """The meetings of the person's audiences (not every meeting a coordinator may see) from now to the
    end of the sixth day after today, not cancelled, each with the person's answer. One query."""
    now = timezone.now()
    last_day = timezone.localdate() + timedelta(days=MEETING_DAYS)
    end = timezone.make_aware(datetime.combine(last_day, datetime.min.time()))
    answer = Rsvp.objects.filter(meeting=OuterRef("pk"), person_id=user.pk).values("response")[:1]
    meetings = list(
        Meeting.objects.for_user(user)
        .filter(audience_q(user), cancelled_at__isnull=True, ends_at__gt=now, starts_at__lt=end)
        .annotate(my_rsvp=Subquery(answer))
        .order_by("starts_at", "id")
        .values("pk", "title", "starts_at", "my_rsvp")
    )
    labels = dict(RsvpResponse.choices)
    entries = tuple(
        NeedEntry(
            title=m["title"],
            url=reverse("meetings:meeting_detail", args=[m["pk"]]),
            starts_at=m["starts_at"],
            note=_("Your answer: %(answer)s") % {"answer": str(labels[m["my_rsvp"]]).lower()}
            if m["my_rsvp"]
            else _("Not answered yet"),
        )
        for m in meetings
    )
    unanswered = sum(1 for m in meetings if not m["my_rsvp"])
    return NeedItem(
        key=Key.MEETINGS_THIS_WEEK,
        count=len(meetings),
        label=ngettext("%(number)s meeting this week", "%(number)s meetings this week", len(meetings))
        % {"number": len(meetings)},
        url=_url("meetings:calendar_list"),
        detail=_("You have not answered %(number)s of them.") % {"number": unanswered} if unanswered else "",
        entries=entries,
    )


def _capacity_item(user: User) -> NeedItem:
    """The person's own agency's capacity status, when it is stale (or was never confirmed)."""
    agency_id = user.agency_id
    assert agency_id is not None  # EDIT_SERVICE_PROFILE holds only for a person of an agency
    profile = ServiceProfile.objects.filter(agency_id=agency_id).only("capacity_confirmed_at").first()
    stale = profile is None or profile.capacity_stale
    if profile is None:
        detail = _("Your agency has no service profile yet: partners cannot find it in the service directory.")
    elif profile.capacity_confirmed_at is None:
        detail = _("It was never confirmed.")
    else:
        detail = _("It was last confirmed %(duration)s ago.") % {"duration": timesince(profile.capacity_confirmed_at)}
    return NeedItem(
        key=Key.CAPACITY_STALE,
        count=1 if stale else 0,
        label=_("Your agency's capacity status needs confirming"),
        url=_url("directory:edit", args=(agency_id,)),
        detail=detail if stale else "",
    )


def _announcements_item(user: User) -> NeedItem:
    n = Announcement.objects.unacknowledged_by(user).count()
    return NeedItem(
        key=Key.ANNOUNCEMENTS,
        count=n,
        label=ngettext(
            "%(number)s announcement to read and acknowledge", "%(number)s announcements to read and acknowledge", n
        )
        % {"number": n},
        url=_url("home:announcement_list", query="show=unacknowledged"),
    )


# --- announcements -----------------------------------------------------------------------------------


def announcements_for(*, user: User | AnonymousUser) -> QuerySet[Announcement]:
    """The list: every announcement for coordinators, those addressed to them for the others, each with
    when the person acknowledged it (`my_acknowledged_at`, None if not) and how many did."""
    mine = AnnouncementAcknowledgement.objects.filter(announcement=OuterRef("pk"), person_id=user.pk)
    return (
        Announcement.objects.for_user(user)
        .select_related("sent_by")
        .annotate(
            my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
            acknowledged_count=Count("acknowledgements", distinct=True),
        )
        .order_by("-sent_at", "-id")  # an aggregate drops Meta.ordering
    )


def announcements_unacknowledged(*, user: User) -> QuerySet[Announcement]:
    """Shown on the person's home page until they acknowledge them, oldest first (read in order)."""
    return Announcement.objects.unacknowledged_by(user).select_related("sent_by").order_by("sent_at", "id")


def announcement_get(*, user: User | AnonymousUser, pk: int) -> Announcement:
    """404 for an announcement outside the person's audience, exactly as for a missing one."""
    return get_object_or_404(announcements_for(user=user), pk=pk)


def is_addressed_to(*, user: User, announcement: Announcement) -> bool:
    return Announcement.objects.addressed_to(user).filter(pk=announcement.pk).exists()


@dataclass(frozen=True)
class AudienceSize:
    people: int
    agencies: int


def audience_agencies(*, audience: str, sector: str = "", agency_ids: tuple[int, ...] = ()) -> QuerySet[Agency]:
    """The active agencies an audience addresses now."""
    agencies = Agency.objects.filter(is_active=True)
    if audience == Audience.SECTOR:
        return agencies.filter(sector=sector)
    if audience == Audience.AGENCIES:
        return agencies.filter(pk__in=agency_ids)
    return agencies


def audience_people(*, agencies: QuerySet[Agency], sent_by_id: int | None) -> QuerySet[User]:
    """The active people of those agencies, but the sender."""
    people = User.objects.filter(is_active=True, agency__in=agencies)
    return people.exclude(pk=sent_by_id) if sent_by_id is not None else people


def audience_size(*, audience: str, sector: str, agency_ids: tuple[int, ...], sent_by_id: int) -> AudienceSize:
    """ "This goes to N people at M agencies": two counts."""
    agencies = audience_agencies(audience=audience, sector=sector, agency_ids=agency_ids)
    people = audience_people(agencies=agencies, sent_by_id=sent_by_id).count()
    return AudienceSize(people=people, agencies=agencies.count())


def announcement_agencies(announcement: Announcement) -> QuerySet[Agency]:
    """The active agencies the announcement addresses now (one query when evaluated)."""
    if announcement.audience == Audience.AGENCIES:
        return Agency.objects.filter(is_active=True, pk__in=announcement.agencies.values("pk"))
    return audience_agencies(audience=announcement.audience, sector=announcement.sector)


# --- who acknowledged --------------------------------------------------------------------------------


def may_see_acknowledgements(user: User) -> bool:
    """Coordinators see who acknowledged, across the task force; agency administrators, in their agency."""
    return user.can(Action.SEND_ANNOUNCEMENTS) or user.can(Action.MANAGE_OWN_AGENCY_PEOPLE)


@dataclass(frozen=True)
class Acknowledged:
    person: User
    acknowledged_at: datetime


@dataclass(frozen=True)
class AgencyAcknowledgements:
    agency: Agency
    acknowledged: list[Acknowledged]
    not_yet: list[User]


@dataclass(frozen=True)
class AcknowledgementReport:
    agencies: list[AgencyAcknowledgements]

    @property
    def acknowledged(self) -> int:
        return sum(len(row.acknowledged) for row in self.agencies)

    @property
    def people(self) -> int:
        return self.acknowledged + sum(len(row.not_yet) for row in self.agencies)


def acknowledgement_report(*, user: User, announcement: Announcement) -> AcknowledgementReport | None:
    """Per agency of the audience, who acknowledged it (and when) and who has not yet: every agency for
    a coordinator, their own for an agency administrator, None for everyone else. Three queries.

    People who acknowledged and left since stay listed as having acknowledged; the active people who
    have not are the ones still to reach. The sender is not counted."""
    if not may_see_acknowledgements(user):
        return None
    agencies = announcement_agencies(announcement)
    if not user.can(Action.SEND_ANNOUNCEMENTS):
        assert user.agency_id is not None  # may_see_acknowledgements holds only for a person of an agency
        agencies = agencies.filter(pk=user.agency_id)
    rows = {agency.pk: AgencyAcknowledgements(agency, [], []) for agency in agencies.order_by("name", "pk")}
    acknowledgements = (
        AnnouncementAcknowledgement.objects.filter(announcement=announcement, person__agency_id__in=list(rows))
        .select_related("person")
        .order_by("acknowledged_at", "id")
    )
    done = set()
    for ack in acknowledgements:
        assert ack.person.agency_id is not None  # filtered on it
        rows[ack.person.agency_id].acknowledged.append(Acknowledged(ack.person, ack.acknowledged_at))
        done.add(ack.person_id)
    people = User.objects.filter(is_active=True, agency_id__in=list(rows)).exclude(pk=announcement.sent_by_id)
    for person in people.order_by("last_name", "first_name", "email"):
        if person.pk not in done:
            assert person.agency_id is not None
            rows[person.agency_id].not_yet.append(person)
    return AcknowledgementReport(agencies=list(rows.values()))


def acknowledged_exists(*, announcement: Announcement, person: User) -> bool:
    return AnnouncementAcknowledgement.objects.filter(announcement=announcement, person=person).exists()
