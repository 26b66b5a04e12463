"""What the mail holds: counts of one's own agency only, no case data, two parts, one-click unsubscribe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agencies.roles import Role
from cases import choices
from cases.digest_sections import referral_counts
from cases.models import Referral
from cases.services import consent_revoke, referral_comment, referral_transition
from digests.delivery import deliveries_send
from digests.models import Delivery
from digests.notifications import notification_fan_out
from digests.planner import digests_plan
from digests.rendering import unsubscribe_from_token
from digests.sections import DigestWindow
from tests.cases.referral_helpers import send
from tests.digests.helpers import REFERENCE_CODE, bodies, digest_rows, parsed, prefer, sent_to
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]

NOTE = "Needs a Spanish-speaking advocate; prefers afternoon calls."
# The coded facts of the referrals below, as stored and as shown: none may reach an email.
CASE_FACTS = [
    NOTE,
    "Spanish-speaking",
    choices.TraffickingType.LABOR.label,
    choices.VictimStatus.POTENTIAL.label,
    choices.AgeBand.AGE_25_59.label,
    choices.Gender.PREFERS_NOT_TO_SAY.label,
    choices.Citizenship.FOREIGN_NATIONAL.label,
    choices.Language.SPANISH.label,
    choices.Need.SHELTER.label,
    choices.Need.LEGAL.label,
    choices.SourceType.HOTLINE.label,
    choices.Urgency.URGENT.label,
    choices.DeclineReason.NO_CAPACITY.label,
    "foreign_national",
    "prefers_not_to_say",
    "25_59",
]


def _window(days: int = 1) -> DigestWindow:
    now = timezone.now()
    return DigestWindow(start=now - timedelta(days=days), end=now + timedelta(seconds=1), now=now)


def test_it_counts_only_referrals_of_the_persons_own_agency(officer, outsider_officer):
    third = AgencyFactory(name="Third Clinic", sector="health")
    third_officer = UserFactory(agency=third, role=Role.REFERRAL_OFFICER)
    send(outsider_officer, officer.agency)  # to us
    for _ in range(3):
        send(officer, third)  # from us, to a third agency
    for _ in range(5):
        send(third_officer, outsider_officer.agency)  # between two other agencies
    assert referral_counts(person=officer, window=_window()) == {"waiting": 1, "new": 1, "changed": 0}
    assert referral_counts(person=outsider_officer, window=_window()) == {"waiting": 5, "new": 5, "changed": 0}


def test_it_never_counts_a_referral_whose_consent_ended(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    consent_revoke(referral=referral, actor=outsider_officer)
    assert referral_counts(person=officer, window=_window()) == {"waiting": 0, "new": 0, "changed": 0}


def test_it_counts_changes_made_by_another_agency_within_the_window(officer, outsider_officer):
    sent_by_us = send(officer, outsider_officer.agency)
    sent_to_us = send(outsider_officer, officer.agency)
    referral_transition(referral=sent_by_us, actor=outsider_officer, move="accept")
    referral_comment(referral=sent_to_us, actor=outsider_officer, body="We can talk Tuesday.")
    referral_comment(referral=sent_to_us, actor=officer, body="Thank you.")  # our own change: not news to us
    assert referral_counts(person=officer, window=_window())["changed"] == 2
    now = timezone.now()
    later = DigestWindow(start=now + timedelta(minutes=1), end=now + timedelta(hours=1), now=now)
    assert referral_counts(person=officer, window=later)["changed"] == 0


def test_it_gives_no_referral_counts_to_roles_that_do_not_handle_referrals(member, agency_admin, outsider_officer):
    send(outsider_officer, member.agency)
    for person in (member, agency_admin):
        prefer(person)
    digests_plan(now=datetime(2026, 11, 21, 13, 30, tzinfo=UTC))
    deliveries_send(ids=[row.pk for row in digest_rows()])
    assert mail.outbox == []


def _every_email(officer, outsider_officer) -> list[mail.EmailMultiAlternatives]:
    """A digest and both notifications about referrals full of coded facts and notes."""
    prefer(officer)
    referrals = [send(outsider_officer, officer.agency, note=NOTE) for _ in range(2)]
    referral_transition(referral=referrals[0], actor=officer, move="decline", reason="no_capacity")
    digests_plan(now=timezone.now() + timedelta(days=1))  # tomorrow's digest: today's referrals are news
    ids = [row.pk for row in digest_rows()]
    ids += notification_fan_out(kind="referral_received", target_id=referrals[1].pk, now=timezone.now())
    deliveries_send(ids=ids)
    consent_revoke(referral=referrals[1], actor=outsider_officer)
    deliveries_send(ids=notification_fan_out(kind="consent_revoked", target_id=referrals[1].pk, now=timezone.now()))
    return sent_to(officer.email)


def test_it_keeps_reference_codes_notes_and_case_facts_out_of_every_email(officer, outsider_officer):
    emails = _every_email(officer, outsider_officer)
    assert len(emails) == 3
    codes = list(Referral.objects.values_list("reference_code", flat=True))
    for message in emails:
        text = bodies(message) + str(parsed(message))
        assert not REFERENCE_CODE.search(text)
        assert not [code for code in codes if code in text]
        assert not [fact for fact in CASE_FACTS if fact.lower() in text.lower()], message.subject


def test_it_sends_html_and_text_parts_with_one_click_unsubscribe(officer, outsider_officer):
    (message,) = [
        m for m in _every_email(officer, outsider_officer) if m.extra_headers["Message-ID"].startswith("<digest.")
    ]
    email = parsed(message)
    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.get_payload()] == ["text/plain", "text/html"]
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = "".join(email["List-Unsubscribe"].split()).strip("<>")  # unfolded
    assert url.startswith("http://127.0.0.1:8000/email/unsubscribe/")
    assert unsubscribe_from_token(url.rstrip("/").rsplit("/", 1)[1]) == (officer.pk, "digest")
    html = message.alternatives[0][0]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "1 referral is waiting for your agency to answer." in message.body
    assert "2 new referrals were sent to your agency." in message.body
    assert "/digests/preferences/" in message.body and url in message.body


def test_it_gives_every_attempt_of_a_delivery_the_same_message_id(officer, outsider_officer):
    prefer(officer)
    send(outsider_officer, officer.agency)
    digests_plan(now=timezone.now())
    (row,) = digest_rows(officer)
    deliveries_send(ids=[row.pk])
    Delivery.objects.filter(pk=row.pk).update(status="pending")  # as if the mark "sent" had been lost
    deliveries_send(ids=[row.pk])
    first, second = sent_to(officer.email)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == f"<digest.{row.pk}@127.0.0.1>"
