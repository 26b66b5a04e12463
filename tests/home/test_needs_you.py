"""home.selectors.needs_you: what needs each person, by role, counted within what they may open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.roles import Role
from cases.choices import Status, Urgency
from cases.models import Referral
from directory.models import ServiceProfile
from home.selectors import ESCALATED_FIELD, Key, needs_you
from home.services import announcement_acknowledge
from meetings.choices import ActionStatus, Audience, RsvpResponse
from meetings.models import ActionItem, Meeting, Rsvp
from tests.cases.referral_helpers import referral_in, send
from tests.factories import AgencyFactory, UserFactory
from tests.home.conftest import send as announce
from tests.meetings.factories import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _items(person) -> dict[str, object]:
    return {item.key: item for item in needs_you(person)}


def _counts(person) -> dict[str, int]:
    return {item.key: item.count for item in needs_you(person)}


# --- by role -------------------------------------------------------------------------------------------


def test_each_role_gets_the_items_that_apply_to_it(agency):
    keys = {role: list(_counts(UserFactory(agency=agency, role=role))) for role in Role}
    common = [Key.ACTION_ITEMS_OVERDUE, Key.MEETINGS_THIS_WEEK, Key.ANNOUNCEMENTS]
    referrals = [Key.REFERRALS_WAITING, Key.REFERRALS_ESCALATED]
    assert keys[Role.MEMBER] == common
    assert keys[Role.GRANT_MANAGER] == common
    assert keys[Role.REFERRAL_OFFICER] == referrals + common
    assert keys[Role.AGENCY_ADMIN] == [Key.REFERRALS_ESCALATED_TO_YOU, *common[:2], Key.CAPACITY_STALE, common[2]]
    assert keys[Role.COORDINATOR] == [Key.REFERRALS_ESCALATED_TO_YOU, *common[:2], Key.CAPACITY_STALE, common[2]]


def test_a_person_without_an_agency_needs_nothing(db):
    assert needs_you(UserFactory(agency=None, is_superuser=True, is_staff=True)) == []


# --- referrals -----------------------------------------------------------------------------------------


def test_it_counts_referrals_waiting_for_the_persons_agency_most_urgent_named(officer, outsider_officer):
    send(outsider_officer, officer.agency, urgency=Urgency.EMERGENCY)
    send(outsider_officer, officer.agency, urgency=Urgency.ROUTINE)
    referral_in(Status.ACCEPTED, sender=outsider_officer, receiver=officer)  # answered: not waiting
    send(officer, outsider_officer.agency)  # sent by the person's agency: waiting for the other one
    item = _items(officer)[Key.REFERRALS_WAITING]
    assert item.count == 2
    assert item.label == "2 referrals are waiting for your agency's answer"
    assert item.url == "/referrals/?direction=incoming&status=sent"
    assert item.detail.startswith("1 emergency. The oldest has waited ")
    assert _items(outsider_officer)[Key.REFERRALS_WAITING].count == 1


def test_it_does_not_count_a_referral_whose_consent_ended(officer, outsider_officer, member):
    referral = send(officer, outsider_officer.agency)
    assert _counts(outsider_officer)[Key.REFERRALS_WAITING] == 1
    consent = referral.consent
    consent.revoked_at = timezone.now()
    consent.save()
    assert _counts(outsider_officer)[Key.REFERRALS_WAITING] == 0


def test_it_counts_escalated_referrals_on_both_sides(officer, outsider_officer):
    escalated = send(officer, outsider_officer.agency)
    send(officer, outsider_officer.agency)
    answered = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    Referral.objects.filter(pk__in=[escalated.pk, answered.pk]).update(**{ESCALATED_FIELD: timezone.now()})
    for person in (officer, outsider_officer):
        item = _items(person)[Key.REFERRALS_ESCALATED]
        assert item.count == 1, person
        assert item.url == "/referrals/?status=sent&escalated=yes"
    stranger = UserFactory(role=Role.REFERRAL_OFFICER)
    assert _counts(stranger)[Key.REFERRALS_ESCALATED] == 0


def test_it_tells_administrators_and_co_chairs_what_the_escalation_told_them_as_a_count(officer, outsider_officer):
    to_them = send(outsider_officer, officer.agency)
    send(outsider_officer, officer.agency)  # not escalated
    to_others = send(officer, outsider_officer.agency)
    Referral.objects.filter(pk__in=[to_them.pk, to_others.pk]).update(escalated_to_admins_at=timezone.now())
    admin = UserFactory(agency=officer.agency, role=Role.AGENCY_ADMIN)
    item = _items(admin)[Key.REFERRALS_ESCALATED_TO_YOU]
    assert (item.count, item.url) == (1, "/agencies/people/")
    assert item.label == "1 referral to your agency went unanswered past the deadline"

    cochair = AgencyFactory(is_cochair=True)
    coordinator = UserFactory(agency=cochair, role=Role.COORDINATOR)
    assert _counts(coordinator)[Key.REFERRALS_ESCALATED_TO_YOU] == 0
    Referral.objects.filter(pk=to_others.pk).update(escalated_to_cochairs_at=timezone.now())
    assert _counts(coordinator)[Key.REFERRALS_ESCALATED_TO_YOU] == 1


# --- action items and meetings -------------------------------------------------------------------------


def _action_item(owner, *, due_in_days: int, status: str = ActionStatus.OPEN, creator) -> ActionItem:
    meeting = MeetingFactory(host_agency=creator.agency, created_by=creator)
    return ActionItem.objects.create(
        meeting=meeting,
        title="Send the shelter list",
        owner_person=owner,
        owner_agency=owner.agency,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
        status=status,
        created_by=creator,
    )


def test_it_counts_the_persons_overdue_action_items_only(member, colleague, coordinator):
    _action_item(member, due_in_days=-3, creator=coordinator)
    _action_item(member, due_in_days=-1, creator=coordinator)
    _action_item(member, due_in_days=2, creator=coordinator)  # not due yet
    _action_item(member, due_in_days=-5, status=ActionStatus.DONE, creator=coordinator)
    _action_item(colleague, due_in_days=-3, creator=coordinator)  # someone else's
    item = _items(member)[Key.ACTION_ITEMS_OVERDUE]
    assert (item.count, item.label, item.url) == (2, "2 of your action items are overdue", "/action-items/")


def test_it_lists_this_weeks_meetings_of_the_persons_audiences_with_their_answer(member, coordinator, outsider):
    now = timezone.now()
    answered = MeetingFactory(title="Full task force", starts_at=now + timedelta(days=1), created_by=coordinator)
    open_question = MeetingFactory(title="Training committee", starts_at=now + timedelta(days=3))
    Rsvp.objects.create(meeting=answered, person=member, response=RsvpResponse.YES)
    MeetingFactory(title="Next month", starts_at=now + timedelta(days=30))
    MeetingFactory(title="Cancelled", starts_at=now + timedelta(days=2), cancelled_at=now)
    MeetingFactory(title="Yesterday", starts_at=now - timedelta(days=1))
    committee = CommitteeFactory(people=[outsider])
    MeetingFactory(
        title="Not my committee",
        audience=Audience.COMMITTEE,
        committee=committee,
        starts_at=now + timedelta(days=2),
    )
    item = _items(member)[Key.MEETINGS_THIS_WEEK]
    assert item.count == 2 and item.label == "2 meetings this week"
    assert [(entry.title, entry.note) for entry in item.entries] == [
        ("Full task force", "Your answer: attending"),
        ("Training committee", "Not answered yet"),
    ]
    assert item.entries[1].url == f"/meetings/{open_question.pk}/"
    assert item.detail == "You have not answered 1 of them."
    # A coordinator may see every meeting, but "this week" holds their own audiences' only.
    assert [entry.title for entry in _items(coordinator)[Key.MEETINGS_THIS_WEEK].entries] == [
        "Full task force",
        "Training committee",
    ]
    assert "Not my committee" in [e.title for e in _items(outsider)[Key.MEETINGS_THIS_WEEK].entries]
    assert Meeting.objects.count() == 6


# --- capacity ------------------------------------------------------------------------------------------


def test_it_asks_to_confirm_a_stale_or_missing_capacity_status(agency_admin, settings):
    settings.DIRECTORY_CAPACITY_STALE_DAYS = 30
    item = _items(agency_admin)[Key.CAPACITY_STALE]
    assert item.count == 1 and "no service profile yet" in item.detail
    profile = ServiceProfile.objects.create(agency=agency_admin.agency)
    assert _items(agency_admin)[Key.CAPACITY_STALE].detail == "It was never confirmed."
    profile.capacity_confirmed_at = timezone.now() - timedelta(days=45)
    profile.save()
    item = _items(agency_admin)[Key.CAPACITY_STALE]
    assert item.count == 1 and item.detail == "It was last confirmed 1\xa0month, 2\xa0weeks ago."
    profile.capacity_confirmed_at = timezone.now() - timedelta(days=3)
    profile.save()
    assert _counts(agency_admin)[Key.CAPACITY_STALE] == 0


# --- announcements -------------------------------------------------------------------------------------


def test_it_counts_announcements_until_acknowledged(coordinator, member):
    first = announce(coordinator, title="First")
    announce(coordinator, title="Second")
    item = _items(member)[Key.ANNOUNCEMENTS]
    assert (item.count, item.url) == (2, "/announcements/?show=unacknowledged")
    announcement_acknowledge(actor=member, announcement=first)
    assert _counts(member)[Key.ANNOUNCEMENTS] == 1
    assert _counts(coordinator)[Key.ANNOUNCEMENTS] == 0  # the sender


# --- cost ----------------------------------------------------------------------------------------------


def _queries(person) -> int:
    person.refresh_from_db()  # a fresh instance, as each request has
    with CaptureQueriesContext(connection) as captured:
        needs_you(person)
    return len(captured)


def _add_data(*, officer, outsider_officer, admin, coordinator, n: int) -> None:
    now = timezone.now()
    for _ in range(n):
        send(outsider_officer, officer.agency)
        meeting = MeetingFactory(starts_at=now + timedelta(days=1), host_agency=officer.agency, created_by=coordinator)
        Rsvp.objects.create(meeting=meeting, person=officer, response=RsvpResponse.MAYBE)
        _action_item(officer, due_in_days=-1, creator=coordinator)
        _action_item(admin, due_in_days=-1, creator=coordinator)
        announce(coordinator)


def test_the_number_of_queries_does_not_grow_with_the_data(officer, outsider_officer, agency_admin, coordinator):
    ServiceProfile.objects.create(agency=agency_admin.agency)
    people = dict(officer=officer, outsider_officer=outsider_officer, admin=agency_admin, coordinator=coordinator)
    _add_data(**people, n=1)
    few = (_queries(officer), _queries(agency_admin))
    _add_data(**people, n=6)
    assert (_queries(officer), _queries(agency_admin)) == few
    assert _counts(officer)[Key.MEETINGS_THIS_WEEK] == 7
    assert few[0] <= 8, few
