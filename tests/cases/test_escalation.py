"""Escalation of unanswered referrals (cases/escalation.py): who is told, when, once, and what they are told.

The sender is `officer` (Safe Harbor, a co-chair agency); the receiver is `outsider_officer`'s agency, whose
administrator is `outsider`. The co-chairs are the coordinators of co-chair agencies (`coordinator`).
Dates are local to the task force (America/Chicago); holidays are those of US / WI.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.roles import Role
from audit.models import AuditEvent
from cases.choices import Status
from cases.digest_sections import ESCALATED_TO_ADMINS, ReferralEscalatedToAdmins
from cases.escalation import Escalated, escalated, referrals_escalate
from cases.models import Referral
from cases.services import consent_revoke, referral_transition
from cases.tasks import referrals_escalate_task
from digests.delivery import deliveries_send
from digests.models import Delivery
from tests.cases.referral_helpers import audit_rows, send
from tests.conftest import client_for
from tests.digests.helpers import after_commit, bodies
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOTHING = Escalated(to_admins=[], to_cochairs=[])


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def _task_force_calendar(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.ESCALATION_HOLIDAYS_COUNTRY, settings.ESCALATION_HOLIDAYS_SUBDIV = "US", "WI"
    settings.ESCALATION_EMERGENCY_HOURS = 2
    settings.ESCALATION_URGENT_WORKING_DAYS, settings.ESCALATION_ROUTINE_WORKING_DAYS = 1, 5


def send_at(moment: datetime, sender, receiver, **facts) -> Referral:
    with time_machine.travel(moment, tick=False):
        return send(sender, receiver.agency, **facts)


def sweep_at(moment: datetime) -> Escalated:
    """What beat does at `moment`, with the notifications' outbox rows run on commit (in-process)."""
    with time_machine.travel(moment, tick=False), after_commit():
        return referrals_escalate()


def escalation_mail() -> list[mail.EmailMultiAlternatives]:
    return [message for message in mail.outbox if "has had no answer" in message.subject]


def page_text(client, referral: Referral) -> str:
    """The referral's page as words: tags dropped, whitespace collapsed."""
    page = client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" :", ":")


def told() -> list[str]:
    return sorted(message.to[0] for message in escalation_mail())


def test_it_tells_the_receivers_administrators_once_then_the_cochairs_once(
    officer, outsider_officer, outsider, agency_admin, coordinator
):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")  # a Monday

    assert sweep_at(local(2026, 3, 3, 9, 59)) == NOTHING
    # Three hours late (beat was down): step 1 now, and step 2 counts its window from here.
    assert sweep_at(local(2026, 3, 3, 13)) == Escalated(to_admins=[referral.pk], to_cochairs=[])
    assert told() == [outsider.email]  # the receiving agency's administrator only
    assert sweep_at(local(2026, 3, 3, 13, 5)) == NOTHING
    assert sweep_at(local(2026, 3, 4, 12, 59)) == NOTHING
    assert sweep_at(local(2026, 3, 4, 13)) == Escalated(to_admins=[], to_cochairs=[referral.pk])
    assert told() == sorted([outsider.email, coordinator.email])
    assert sweep_at(local(2026, 3, 4, 13, 5)) == NOTHING
    assert sweep_at(local(2026, 3, 20, 9)) == NOTHING
    assert len(escalation_mail()) == 2

    referral.refresh_from_db()
    assert referral.escalated_to_admins_at == local(2026, 3, 3, 13)
    assert referral.escalated_to_cochairs_at == local(2026, 3, 4, 13)
    rows = audit_rows(AuditEvent.REFERRAL_ESCALATED, referral)
    assert [(row.actor_id, row.detail) for row in rows] == [(None, {"step": "admins"}), (None, {"step": "cochairs"})]
    assert rows[0].target_label == referral.reference_code


def test_it_tells_only_active_administrators_and_coordinators_of_co_chair_agencies(
    officer, outsider_officer, outsider, coordinator, other_agency
):
    UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN, is_active=False, email="gone@test.example.org")
    plain = AgencyFactory(name="Not A Co-chair")
    UserFactory(agency=plain, role=Role.COORDINATOR, email="not-a-cochair@test.example.org")
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="emergency")
    assert sweep_at(local(2026, 3, 2, 12)).to_admins == [referral.pk]
    assert sweep_at(local(2026, 3, 2, 14)).to_cochairs == [referral.pk]
    assert told() == sorted([outsider.email, coordinator.email])


def test_it_stops_once_the_referral_is_answered_and_sends_nothing_left_pending(officer, outsider_officer, outsider):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    with time_machine.travel(local(2026, 3, 3, 10), tick=False):
        assert referrals_escalate().to_admins == [referral.pk]  # the email is not sent yet (no commit)...
    with time_machine.travel(local(2026, 3, 3, 10, 1), tick=False):
        referral_transition(referral=referral, actor=outsider_officer, move="accept")  # ...when it is answered
        report = deliveries_send(
            ids=list(Delivery.objects.filter(kind=ESCALATED_TO_ADMINS).values_list("pk", flat=True))
        )
    assert (report.sent, report.skipped) == (0, 1)
    assert Delivery.objects.get(kind=ESCALATED_TO_ADMINS).detail == "not_visible"
    assert sweep_at(local(2026, 3, 10, 10)) == NOTHING
    assert escalation_mail() == []


def test_it_waits_over_the_weekend_for_an_urgent_referral(officer, outsider_officer):
    referral = send_at(local(2026, 11, 20, 15), officer, outsider_officer, urgency="urgent")  # a Friday afternoon
    assert sweep_at(local(2026, 11, 21, 15)) == NOTHING
    assert sweep_at(local(2026, 11, 23, 14, 59)) == NOTHING
    assert sweep_at(local(2026, 11, 23, 15)).to_admins == [referral.pk]  # Monday afternoon


def test_it_waits_over_a_holiday_for_an_urgent_referral(officer, outsider_officer):
    referral = send_at(local(2026, 11, 25, 10), officer, outsider_officer, urgency="urgent")  # the eve of Thanksgiving
    assert sweep_at(local(2026, 11, 26, 10)) == NOTHING
    assert sweep_at(local(2026, 11, 27, 9, 59)) == NOTHING
    assert sweep_at(local(2026, 11, 27, 10)).to_admins == [referral.pk]


def test_it_gives_a_routine_referral_five_working_days(officer, outsider_officer):
    referral = send_at(local(2026, 6, 29, 9), officer, outsider_officer, urgency="routine")  # a Monday
    # Friday July 3rd is Independence Day (observed): five working days end on Tuesday, not Monday.
    assert sweep_at(local(2026, 7, 6, 9)) == NOTHING
    assert sweep_at(local(2026, 7, 7, 8, 59)) == NOTHING
    assert sweep_at(local(2026, 7, 7, 9)).to_admins == [referral.pk]


def test_it_escalates_an_emergency_after_two_hours_even_on_a_saturday_night(officer, outsider_officer, outsider):
    referral = send_at(local(2026, 10, 10, 22, 30), officer, outsider_officer, urgency="emergency")
    assert sweep_at(local(2026, 10, 11, 0, 29)) == NOTHING
    assert sweep_at(local(2026, 10, 11, 0, 30)).to_admins == [referral.pk]
    assert told() == [outsider.email]


def test_a_reopen_starts_the_clock_again_and_escalates_again(officer, outsider_officer, outsider):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    assert sweep_at(local(2026, 3, 3, 10)).to_admins == [referral.pk]
    with time_machine.travel(local(2026, 3, 3, 11), tick=False):
        referral = referral_transition(referral=referral, actor=outsider_officer, move="decline", reason="no_capacity")
    with time_machine.travel(local(2026, 3, 3, 12), tick=False):
        referral = referral_transition(referral=referral, actor=officer, move="reopen", note="A bed opened up.")
    assert referral.status == Status.SENT
    assert referral.awaiting_since == local(2026, 3, 3, 12)
    assert (referral.escalated_to_admins_at, referral.escalated_to_cochairs_at) == (None, None)

    assert sweep_at(local(2026, 3, 4, 10, 30)) == NOTHING  # step 2 of the first wait would have been due
    assert sweep_at(local(2026, 3, 4, 12)) == Escalated(to_admins=[referral.pk], to_cochairs=[])
    assert told() == [outsider.email, outsider.email]  # told again: it is news again


def test_it_leaves_alone_a_referral_whose_consent_ended(officer, outsider_officer):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    with time_machine.travel(local(2026, 3, 2, 11), tick=False):
        consent_revoke(referral=referral, actor=officer)
    assert sweep_at(local(2026, 3, 5, 10)) == NOTHING


def test_the_notification_says_who_when_and_how_urgent_and_nothing_of_the_case(
    officer, outsider_officer, outsider, coordinator, other_agency
):
    referral = send_at(
        local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent", note="Prefers afternoon calls."
    )
    sweep_at(local(2026, 3, 3, 10))
    sweep_at(local(2026, 3, 4, 10))
    to_admin, to_cochair = (
        next(m for m in escalation_mail() if m.to == [email]) for email in (outsider.email, coordinator.email)
    )
    for message, link in [
        (to_admin, reverse("agencies:people")),
        (to_cochair, reverse("agencies:detail", args=[other_agency.pk])),
    ]:
        text = bodies(message)
        assert "A referral sent to Elsewhere County Sheriff on Monday, March 2, 2026" in text
        assert "with urgency “Urgent (within 24 hours)” has had no answer." in text
        assert link in message.body
        assert referral.reference_code not in text and referral.person_code.code not in text
        for fact in ("afternoon", "Labor", "Spanish", "Shelter", "Legal", "Potential", "25-59", "Foreign", "Hotline"):
            assert fact not in text, fact
    assert to_admin.subject == "A referral to your agency has had no answer"
    assert to_cochair.subject == "A referral between partners has had no answer"


def test_it_can_be_switched_off_with_the_agency_alerts(officer, outsider_officer, outsider):
    from tests.digests.helpers import prefer

    prefer(outsider, notify_agency_alerts=False)
    send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    assert sweep_at(local(2026, 3, 3, 10)).to_admins
    assert escalation_mail() == []
    assert Delivery.objects.get(kind=ESCALATED_TO_ADMINS).detail == "switched_off"


def test_it_tells_nobody_through_the_kind_once_the_person_is_no_longer_an_administrator(
    officer, outsider_officer, outsider
):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    with time_machine.travel(local(2026, 3, 3, 10), tick=False):
        referrals_escalate()
        assert ReferralEscalatedToAdmins().build(person=outsider, target_id=referral.pk) is not None
        outsider.role = Role.MEMBER
        assert ReferralEscalatedToAdmins().build(person=outsider, target_id=referral.pk) is None
        assert ReferralEscalatedToAdmins().build(person=outsider_officer, target_id=referral.pk) is None


def test_it_escalates_many_referrals_in_the_same_number_of_queries_as_one(
    officer, outsider_officer, outsider, coordinator
):
    agencies = [outsider_officer.agency, *(AgencyFactory() for _ in range(4))]
    for number, agency in enumerate(agencies[1:]):
        UserFactory(agency=agency, role=Role.AGENCY_ADMIN, email=f"admin{number}@test.example.org")

    def send_to(moment: datetime, count: int) -> None:
        for index in range(count):
            receiver = UserFactory(agency=agencies[index % len(agencies)], role=Role.REFERRAL_OFFICER)
            send_at(moment, officer, receiver, urgency="urgent")

    def queries_at(moment: datetime, expected: tuple[int, int]) -> int:
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
            done = referrals_escalate()
        assert (len(done.to_admins), len(done.to_cochairs)) == expected
        return len(queries)

    send_to(local(2026, 3, 2, 10), 1)  # Monday
    assert queries_at(local(2026, 3, 3, 10), (1, 0))
    send_to(local(2026, 3, 3, 10, 1), 1)
    one_each = queries_at(local(2026, 3, 4, 10, 1), (1, 1))
    send_to(local(2026, 3, 4, 10, 2), 7)
    assert queries_at(local(2026, 3, 5, 10, 2), (7, 1))
    send_to(local(2026, 3, 5, 10, 3), 6)
    assert queries_at(local(2026, 3, 6, 10, 3), (6, 7)) == one_each
    assert queries_at(local(2026, 3, 6, 10, 4), (0, 0)) < one_each


def test_both_sides_see_that_it_was_escalated(officer, outsider_officer, coordinator):
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="urgent")
    sweep_at(local(2026, 3, 3, 10))
    with time_machine.travel(local(2026, 3, 3, 10, 30), tick=False):
        for person in (officer, outsider_officer):
            page = page_text(client_for(person), referral)
            assert "Escalated to Elsewhere County Sheriff's administrators on Mar 3, 2026, 10:00 AM:" in page
            assert "co-chairs" not in page
            answer = client_for(person).get(f"/api/v1/referrals/{referral.pk}/").json()
            assert answer["awaiting_since"] == "2026-03-02T16:00:00Z"
            assert answer["escalated_to_admins_at"] == "2026-03-03T16:00:00Z"
            assert answer["escalated_to_cochairs_at"] is None
    sweep_at(local(2026, 3, 4, 10))
    with time_machine.travel(local(2026, 3, 4, 10, 30), tick=False):
        assert "administrators on Mar 3, 2026, 10:00 AM and to the co-chairs on Mar 4, 2026, 10:00 AM:" in page_text(
            client_for(officer), referral
        )
        listed = client_for(officer).get("/api/v1/referrals/?direction=outgoing").json()["results"]
        assert listed[0]["escalated_to_cochairs_at"] == "2026-03-04T16:00:00Z"
        assert Referral.objects.filter(escalated()).get() == referral


def test_the_task_runs_the_sweep_and_beat_runs_the_task(settings, officer, outsider_officer):
    entry = settings.CELERY_BEAT_SCHEDULE["cases-escalate-unanswered-referrals"]
    assert entry["task"] == "cases.tasks.referrals_escalate_task"
    assert entry["schedule"] == timedelta(minutes=5)
    referral = send_at(local(2026, 3, 2, 10), officer, outsider_officer, urgency="emergency")
    with time_machine.travel(local(2026, 3, 2, 12), tick=False):
        assert referrals_escalate_task() == {"to_admins": 1, "to_cochairs": 0}
        assert referrals_escalate_task() == {"to_admins": 0, "to_cochairs": 0}
    referral.refresh_from_db()
    assert referral.escalated_to_admins_at == local(2026, 3, 2, 12)
