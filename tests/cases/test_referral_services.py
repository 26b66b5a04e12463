"""Referral services and selectors: sending, the consent gate, who sees what, the closed loop, the guard."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from agencies.models import User
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from audit.models import Outcome as AuditOutcome
from cases.choices import DeclineReason, Need, Outcome, Status
from cases.models import Referral, ReferralNeed, TimelineEvent
from cases.selectors import referral_get, referrals_for, referrals_lost_count
from cases.services import (
    consent_revoke,
    referral_comment,
    referral_flag_for_review,
    referral_record_view,
    referral_transition,
)
from cases.transitions import TRANSITIONS, IllegalMove, Move, Side
from tests.cases.referral_helpers import (
    CLEAN_NOTE,
    PHONE_DIGITS,
    PHONE_NOTE,
    audit_rows,
    facts,
    legal_moves,
    move_arguments,
    referral_in,
    send,
    stored_counts,
    valid_consent,
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_REFERRAL_OFFICERS = ["member", "grant_manager", "coordinator", "agency_admin"]


@pytest.fixture
def third_officer(db: None) -> User:
    """A referral officer of an agency that neither sent nor received the referral."""
    third = AgencyFactory(name="Third Street Legal Aid", sector="legal")
    return UserFactory(agency=third, role=Role.REFERRAL_OFFICER, email="third-officer@test.example.org")


def _noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _sees(user: User | AnonymousUser, referral: Referral) -> bool:
    return Referral.objects.for_user(user).filter(pk=referral.pk).exists()


def _assert_no_audit_row_holds(*values: str) -> None:
    for row in AuditEntry.objects.values():
        text = str(row)
        for value in values:
            assert value not in text, f"audit row {row['id']} holds a refused value"


def _position_of(text: str, value: str) -> str:
    start = text.index(value)
    return f"characters {start + 1}-{start + len(value)}"


# --- sending ------------------------------------------------------------------------------------------


def test_it_gives_a_reference_code_of_prefix_year_and_five_digits(officer, other_agency):
    referral = send(officer, other_agency)
    year = timezone.localdate().year
    assert referral.reference_code == f"JUN-{year}-00001"
    assert re.fullmatch(r"[A-Z]{1,6}-\d{4}-\d{5}", referral.reference_code)


def test_it_increments_the_reference_number_for_each_referral(officer, other_agency):
    codes = [send(officer, other_agency).reference_code for _ in range(3)]
    year = timezone.localdate().year
    assert codes == [f"JUN-{year}-00001", f"JUN-{year}-00002", f"JUN-{year}-00003"]


def test_it_restarts_reference_numbers_in_a_new_year(officer, other_agency):
    send(officer, other_agency)
    next_year = timezone.localdate().year + 1
    with time_machine.travel(_noon(datetime(next_year, 1, 2).date()), tick=False):
        referral = send(officer, other_agency)
    assert referral.reference_code == f"JUN-{next_year}-00001"


def test_it_uses_the_county_initials_when_an_agency_has_no_prefix(other_agency):
    agency = AgencyFactory(referral_prefix="", county="Milwaukee County")
    sender = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER)
    referral = send(sender, other_agency)
    assert referral.reference_code.startswith(f"MIL-{timezone.localdate().year}-")


def test_it_stores_the_coded_facts_sender_and_agencies(officer, agency, other_agency):
    referral = send(officer, other_agency, note=CLEAN_NOTE)
    referral.refresh_from_db()
    for field, value in facts(note=CLEAN_NOTE).items():
        assert getattr(referral, field) == value, field
    assert (referral.sending_agency, referral.receiving_agency, referral.sent_by) == (agency, other_agency, officer)
    assert referral.status == Status.SENT


def test_it_stores_each_need_once(officer, other_agency):
    referral = send(officer, other_agency, needs=[Need.SHELTER, Need.LEGAL, Need.SHELTER])
    stored = sorted(ReferralNeed.objects.filter(referral=referral).values_list("need", flat=True))
    assert stored == [Need.LEGAL, Need.SHELTER]


def test_it_starts_the_timeline_with_a_send_event(officer, agency, other_agency):
    referral = send(officer, other_agency)
    events = list(referral.timeline.all())
    assert len(events) == 1
    event = events[0]
    assert (event.move, event.from_status, event.to_status) == ("send", "", Status.SENT)
    assert (event.actor, event.agency) == (officer, agency)


def test_it_audits_the_sending_and_the_consent(officer, agency, other_agency):
    referral = send(officer, other_agency)
    sent = audit_rows(AuditEvent.REFERRAL_SENT, referral)
    recorded = audit_rows(AuditEvent.CONSENT_RECORDED, referral)
    assert len(sent) == 1
    assert len(recorded) == 1
    assert (sent[0].actor, sent[0].agency, sent[0].outcome) == (officer, agency, AuditOutcome.SUCCESS)


def test_it_records_the_consent_for_the_receiving_agency(officer, agency, other_agency):
    consent = valid_consent(given_days_ago=3, valid_days=60)
    referral = send(officer, other_agency, consent=consent)
    row = referral.consent
    assert (row.sending_agency, row.receiving_agency, row.recorded_by) == (agency, other_agency, officer)
    assert (row.method, row.scope, row.given_on, row.expires_on) == (
        consent.method,
        consent.scope,
        consent.given_on,
        consent.expires_on,
    )
    assert row.revoked_at is None


def test_it_refuses_to_send_to_the_senders_own_agency(officer, agency):
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, agency)
    assert "receiving_agency" in error.value.message_dict
    assert stored_counts() == before


def test_it_refuses_to_send_to_an_inactive_agency(officer):
    inactive = AgencyFactory(is_active=False)
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, inactive)
    assert "receiving_agency" in error.value.message_dict
    assert stored_counts() == before


@pytest.mark.parametrize("needs", [[], ["shelter", "spa_day"], ["spa_day"]], ids=["none", "one-unknown", "unknown"])
def test_it_refuses_a_referral_without_known_needs(officer, other_agency, needs):
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, needs=needs)
    assert "needs" in error.value.message_dict
    assert stored_counts() == before


@pytest.mark.parametrize("person", NOT_REFERRAL_OFFICERS)
def test_it_refuses_sending_by_anyone_but_a_referral_officer(request, other_agency, person):
    actor = request.getfixturevalue(person)
    before = stored_counts()
    with pytest.raises(PermissionDenied):
        send(actor, other_agency)
    assert stored_counts() == before
    assert not AuditEntry.objects.filter(event=AuditEvent.REFERRAL_SENT).exists()


def test_it_writes_nothing_when_a_coded_fact_is_invalid(officer, other_agency):
    # This refusal comes from full_clean() inside the transaction, after the consent row and the
    # reference number were written: all of it must roll back.
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, age_band="42")
    assert "age_band" in error.value.message_dict
    assert stored_counts() == before
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.REFERRAL_SENT, AuditEvent.CONSENT_RECORDED]).exists()


# --- the consent gate -------------------------------------------------------------------------------


def test_it_refuses_a_confidential_provider_sending_without_consent(officer, other_agency):
    assert officer.agency.is_confidential_provider
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, consent=None)
    assert list(error.value.message_dict) == ["consent"]
    assert stored_counts() == before


def test_it_lets_a_non_confidential_agency_send_without_consent(outsider_officer, agency):
    assert not outsider_officer.agency.is_confidential_provider
    referral = send(outsider_officer, agency, consent=None)
    assert referral.consent is None
    assert len(audit_rows(AuditEvent.REFERRAL_SENT, referral)) == 1
    assert audit_rows(AuditEvent.CONSENT_RECORDED, referral) == []


@pytest.mark.parametrize(
    ("given", "expires", "field"),
    [
        (1, 30, "given_on"),  # dated in the future
        (-100, -1, "expires_on"),  # already expired
        (0, -1, "expires_on"),  # expires before it was given
        (0, 366, "expires_on"),  # not time-limited enough
        (-10, 356, "expires_on"),  # 366 days after it was given
    ],
    ids=["future", "expired", "expires-before-given", "over-a-year", "over-a-year-from-given"],
)
def test_it_refuses_consent_that_is_not_valid_now(officer, other_agency, given, expires, field):
    today = timezone.localdate()
    consent = valid_consent(given_on=today + timedelta(days=given), expires_on=today + timedelta(days=expires))
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, consent=consent)
    assert field in error.value.message_dict
    assert stored_counts() == before
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.REFERRAL_SENT, AuditEvent.CONSENT_RECORDED]).exists()


def test_it_accepts_consent_of_exactly_a_year(officer, other_agency):
    referral = send(officer, other_agency, consent=valid_consent(valid_days=365))
    assert referral.consent.expires_on == timezone.localdate() + timedelta(days=365)


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["officer", "colleague", "outsider_officer"])
def test_it_shows_the_referral_to_referral_officers_of_both_agencies(request, officer, other_agency, person):
    referral = send(officer, other_agency)
    viewer = request.getfixturevalue(person)
    assert list(referrals_for(user=viewer)) == [referral]
    assert referral_get(user=viewer, pk=referral.pk) == referral


@pytest.mark.parametrize("person", ["third_officer", "outsider", *NOT_REFERRAL_OFFICERS])
def test_it_hides_the_referral_from_everyone_else(request, officer, other_agency, person):
    referral = send(officer, other_agency)
    viewer = request.getfixturevalue(person)
    assert not _sees(viewer, referral)
    assert list(referrals_for(user=viewer)) == []
    with pytest.raises(Http404):
        referral_get(user=viewer, pk=referral.pk)


def test_it_hides_referrals_from_anonymous_visitors(officer, other_agency):
    referral = send(officer, other_agency)
    assert not _sees(AnonymousUser(), referral)


def test_it_answers_404_for_a_missing_referral_as_for_a_forbidden_one(officer):
    with pytest.raises(Http404):
        referral_get(user=officer, pk=999_999)


def test_it_hides_the_referral_from_the_receiver_once_consent_is_revoked(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    assert referrals_lost_count(user=outsider_officer) == 0
    consent_revoke(referral=referral, actor=officer)
    assert list(referrals_for(user=outsider_officer)) == []
    with pytest.raises(Http404):
        referral_get(user=outsider_officer, pk=referral.pk)
    assert referral_get(user=officer, pk=referral.pk) == referral
    assert referrals_lost_count(user=outsider_officer) == 1
    assert referrals_lost_count(user=officer) == 0


def test_it_hides_the_referral_from_the_receiver_once_consent_expires(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency, consent=valid_consent(valid_days=30))
    expires_on = referral.consent.expires_on
    with time_machine.travel(_noon(expires_on), tick=False):
        assert _sees(outsider_officer, referral)  # still in force on its last day
        assert referrals_lost_count(user=outsider_officer) == 0
    with time_machine.travel(_noon(expires_on + timedelta(days=1)), tick=False):
        assert list(referrals_for(user=outsider_officer)) == []
        with pytest.raises(Http404):
            referral_get(user=outsider_officer, pk=referral.pk)
        assert referral_get(user=officer, pk=referral.pk) == referral
        assert referrals_lost_count(user=outsider_officer) == 1


def test_it_keeps_a_referral_sent_without_consent_visible_to_the_receiver(outsider_officer, officer):
    referral = send(outsider_officer, officer.agency, consent=None)
    with time_machine.travel(timezone.now() + timedelta(days=800), tick=False):
        assert referral_get(user=officer, pk=referral.pk) == referral
        assert referrals_lost_count(user=officer) == 0


def test_it_audits_a_revocation_once(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    consent_revoke(referral=referral, actor=officer)
    revoked_at = Referral.objects.get(pk=referral.pk).consent.revoked_at
    consent_revoke(referral=Referral.objects.get(pk=referral.pk), actor=officer)
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at == revoked_at is not None
    assert referral.consent.revoked_by == officer
    assert len(audit_rows(AuditEvent.CONSENT_REVOKED, referral)) == 1


def test_it_lets_only_the_sending_agency_revoke_consent(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    with pytest.raises(PermissionDenied):
        consent_revoke(referral=referral, actor=outsider_officer)
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is None
    assert audit_rows(AuditEvent.CONSENT_REVOKED) == []


def test_it_refuses_to_revoke_consent_that_was_never_recorded(outsider_officer, officer):
    referral = send(outsider_officer, officer.agency, consent=None)
    with pytest.raises(ValidationError):
        consent_revoke(referral=referral, actor=outsider_officer)


# --- the closed loop ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("move", "source", "target", "side"),
    legal_moves(),
    ids=[f"{m}-from-{s}-by-{side}" for m, s, _, side in legal_moves()],
)
def test_it_makes_every_legal_move_for_the_right_side(officer, outsider_officer, move, source, target, side):
    referral = referral_in(source, sender=officer, receiver=outsider_officer)
    actor = officer if side == Side.SENDER else outsider_officer
    timeline_before = referral.timeline.count()
    moved = referral_transition(referral=referral, actor=actor, move=move, **move_arguments(move))
    referral.refresh_from_db()
    assert moved.status == referral.status == target
    assert referral.timeline.count() == timeline_before + 1
    event = referral.timeline.last()
    assert (event.move, event.from_status, event.to_status) == (move, source, target)
    assert (event.actor, event.agency) == (actor, actor.agency)
    entry = audit_rows(AuditEvent.REFERRAL_TRANSITIONED, referral)[-1]
    assert entry.detail == {"move": str(move), "from": str(source), "to": str(target)}
    assert (entry.actor, entry.outcome) == (actor, AuditOutcome.SUCCESS)


def _allowed_by_table(status: Status, side: Side | None) -> list[Move]:
    return [t.move for t in TRANSITIONS if status in t.source and t.side == side]


def _assert_illegal(referral: Referral, actor: User, move: str, allowed: list[Move]) -> None:
    status = referral.status
    timeline_count = TimelineEvent.objects.count()
    audit_count = AuditEntry.objects.count()
    with pytest.raises(IllegalMove) as error:
        referral_transition(referral=referral, actor=actor, move=move, **move_arguments(move))
    assert error.value.allowed == allowed
    referral.refresh_from_db()
    assert referral.status == status
    assert TimelineEvent.objects.count() == timeline_count
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.parametrize("side", [Side.SENDER, Side.RECEIVER, None], ids=["sender", "receiver", "third-agency"])
@pytest.mark.parametrize("status", list(Status))
def test_it_refuses_every_illegal_move_and_changes_nothing(officer, outsider_officer, third_officer, status, side):
    referral = referral_in(status, sender=officer, receiver=outsider_officer)
    actor = {Side.SENDER: officer, Side.RECEIVER: outsider_officer, None: third_officer}[side]
    allowed = _allowed_by_table(status, side)
    for move in [*(m for m in Move if m not in allowed), "teleport"]:
        _assert_illegal(referral, actor, move, allowed)


def test_it_tells_the_receiver_which_moves_are_allowed_instead(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    _assert_illegal(referral, outsider_officer, Move.CLOSE, [Move.ACCEPT, Move.DECLINE])
    _assert_illegal(referral, outsider_officer, Move.WITHDRAW, [Move.ACCEPT, Move.DECLINE])


def test_it_does_not_let_the_sender_accept_its_own_referral(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    _assert_illegal(referral, officer, Move.ACCEPT, [Move.WITHDRAW])


def test_it_lists_no_allowed_moves_for_a_third_agency(officer, outsider_officer, third_officer):
    referral = send(officer, outsider_officer.agency)
    _assert_illegal(referral, third_officer, Move.ACCEPT, [])


def _assert_refused(referral: Referral, actor: User, field: str, **arguments: str) -> None:
    status, timeline_count = referral.status, referral.timeline.count()
    audit_count = len(audit_rows(AuditEvent.REFERRAL_TRANSITIONED, referral))
    with pytest.raises(ValidationError) as error:
        referral_transition(referral=referral, actor=actor, **arguments)
    assert field in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == status
    assert referral.timeline.count() == timeline_count
    assert len(audit_rows(AuditEvent.REFERRAL_TRANSITIONED, referral)) == audit_count


@pytest.mark.parametrize("reason", ["", "too_busy", Outcome.SERVICES_PROVIDED])
def test_it_requires_a_decline_reason(officer, outsider_officer, reason):
    referral = send(officer, outsider_officer.agency)
    _assert_refused(referral, outsider_officer, "reason", move=Move.DECLINE, reason=reason)


def test_it_stores_the_decline_reason(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    referral = referral_transition(
        referral=referral, actor=outsider_officer, move=Move.DECLINE, reason=DeclineReason.NOT_ELIGIBLE
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, DeclineReason.NOT_ELIGIBLE)
    assert referral.timeline.last().reason == DeclineReason.NOT_ELIGIBLE


@pytest.mark.parametrize("reason", ["", "finished", DeclineReason.NO_CAPACITY])
def test_it_requires_an_outcome_to_close(officer, outsider_officer, reason):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    _assert_refused(referral, outsider_officer, "reason", move=Move.CLOSE, reason=reason)
    assert referral.closed_at is None


def test_it_sets_the_outcome_and_closed_at_when_closing(officer, outsider_officer):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    before = timezone.now()
    referral_transition(referral=referral, actor=outsider_officer, move=Move.CLOSE, reason=Outcome.REFERRED_ELSEWHERE)
    referral.refresh_from_db()
    assert referral.outcome == Outcome.REFERRED_ELSEWHERE
    assert referral.closed_at is not None
    assert before <= referral.closed_at <= timezone.now()


def test_it_sets_accepted_at_when_accepting(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    referral_transition(referral=referral, actor=outsider_officer, move=Move.ACCEPT)
    referral.refresh_from_db()
    assert referral.accepted_at is not None


def test_it_refuses_a_reason_for_a_move_that_takes_none(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    _assert_refused(referral, outsider_officer, "reason", move=Move.ACCEPT, reason=DeclineReason.NO_CAPACITY)


@pytest.mark.parametrize("note", ["", "   "])
def test_it_requires_a_note_to_reopen(officer, outsider_officer, note):
    referral = referral_in(Status.CLOSED, sender=officer, receiver=outsider_officer)
    _assert_refused(referral, outsider_officer, "note", move=Move.REOPEN, note=note)
    assert referral.closed_at is not None


def test_it_clears_the_outcome_when_reopening(officer, outsider_officer):
    referral = referral_in(Status.CLOSED, sender=officer, receiver=outsider_officer)
    referral_transition(referral=referral, actor=outsider_officer, move=Move.REOPEN, note="Client came back.")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.closed_at) == (Status.IN_PROGRESS, "", None)
    assert referral.timeline.last().note == "Client came back."


@pytest.mark.parametrize(
    ("status", "move"), [(Status.SENT, Move.DECLINE), (Status.IN_PROGRESS, Move.CLOSE)], ids=["decline", "close"]
)
def test_it_requires_a_note_when_the_reason_is_other(officer, outsider_officer, status, move):
    referral = referral_in(status, sender=officer, receiver=outsider_officer)
    _assert_refused(referral, outsider_officer, "note", move=move, reason="other")
    moved = referral_transition(
        referral=referral, actor=outsider_officer, move=move, reason="other", note="Moved out of the county."
    )
    assert moved.timeline.last().note == "Moved out of the county."


def test_it_refuses_moves_by_the_receiver_once_consent_is_revoked(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    stale = Referral.objects.get(pk=referral.pk)  # read by the receiver's request before the revocation
    consent_revoke(referral=referral, actor=officer)
    with pytest.raises((Http404, PermissionDenied, IllegalMove)):
        referral_transition(referral=stale, actor=outsider_officer, move=Move.ACCEPT)
    referral.refresh_from_db()
    assert referral.status == Status.SENT


# --- the de-identification guard --------------------------------------------------------------------


def _assert_refused_phone(error: ValidationError, field: str, text: str) -> None:
    messages = error.message_dict[field]
    assert len(messages) == 1
    assert "phone number" in messages[0]
    assert _position_of(text, "414-555-0137") in messages[0]
    for digits in PHONE_DIGITS:
        assert digits not in str(error)
        assert digits not in " ".join(error.messages)


def _assert_refusal_audited(actor: User, field: str) -> None:
    rows = audit_rows(AuditEvent.DEIDENTIFICATION_REFUSED)
    assert len(rows) == 1
    assert rows[0].detail == {"field": field, "kinds": ["phone"]}
    assert (rows[0].actor, rows[0].outcome) == (actor, AuditOutcome.DENIED)
    _assert_no_audit_row_holds(*PHONE_DIGITS)


def test_it_refuses_a_referral_note_holding_a_phone_number(officer, other_agency):
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, note=PHONE_NOTE)
    _assert_refused_phone(error.value, "note", PHONE_NOTE)
    assert stored_counts() == before
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.REFERRAL_SENT, AuditEvent.CONSENT_RECORDED]).exists()
    _assert_refusal_audited(officer, "note")


def test_it_refuses_a_comment_holding_a_phone_number(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    body = f"Please {PHONE_NOTE} after five."
    with pytest.raises(ValidationError) as error:
        referral_comment(referral=referral, actor=outsider_officer, body=body)
    _assert_refused_phone(error.value, "body", body)
    assert referral.comments.count() == 0
    assert audit_rows(AuditEvent.REFERRAL_COMMENTED) == []
    _assert_refusal_audited(outsider_officer, "body")


def test_it_refuses_a_transition_note_holding_a_phone_number(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    with pytest.raises(ValidationError) as error:
        referral_transition(
            referral=referral, actor=outsider_officer, move=Move.DECLINE, reason="other", note=PHONE_NOTE
        )
    _assert_refused_phone(error.value, "note", PHONE_NOTE)
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.SENT, "")
    assert referral.timeline.count() == 1
    assert audit_rows(AuditEvent.REFERRAL_TRANSITIONED) == []
    _assert_refusal_audited(outsider_officer, "note")


def test_it_accepts_clean_free_text(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency, note=CLEAN_NOTE)
    comment = referral_comment(referral=referral, actor=outsider_officer, body=f"  {CLEAN_NOTE}  ")
    moved = referral_transition(
        referral=referral, actor=outsider_officer, move=Move.DECLINE, reason="other", note=CLEAN_NOTE
    )
    assert Referral.objects.get(pk=referral.pk).note == CLEAN_NOTE
    assert comment.body == CLEAN_NOTE
    assert (comment.author, comment.agency) == (outsider_officer, outsider_officer.agency)
    assert moved.timeline.last().note == CLEAN_NOTE
    assert len(audit_rows(AuditEvent.REFERRAL_COMMENTED, referral)) == 1
    assert audit_rows(AuditEvent.DEIDENTIFICATION_REFUSED) == []


def test_it_refuses_an_empty_comment(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    with pytest.raises(ValidationError) as error:
        referral_comment(referral=referral, actor=outsider_officer, body="   ")
    assert "body" in error.value.message_dict
    assert referral.comments.count() == 0


def test_it_refuses_a_street_address_in_the_county_field(officer, other_agency):
    before = stored_counts()
    with pytest.raises(ValidationError) as error:
        send(officer, other_agency, county="1234 Oak Street")
    assert "county" in error.value.message_dict
    assert stored_counts() == before


# --- case review and views ----------------------------------------------------------------------------


def test_it_flags_a_referral_for_review_once(officer, other_agency):
    referral = send(officer, other_agency)
    referral_flag_for_review(referral=referral, actor=officer)
    flagged_at = Referral.objects.get(pk=referral.pk).flagged_for_review_at
    assert flagged_at is not None
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        referral_flag_for_review(referral=Referral.objects.get(pk=referral.pk), actor=officer)
    assert Referral.objects.get(pk=referral.pk).flagged_for_review_at == flagged_at
    rows = audit_rows(AuditEvent.REFERRAL_FLAGGED, referral)
    assert len(rows) == 1
    assert rows[0].actor == officer


def test_it_audits_each_view_of_a_referral(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    referral_record_view(referral=referral, actor=outsider_officer)
    referral_record_view(referral=referral, actor=outsider_officer)
    rows = audit_rows(AuditEvent.REFERRAL_VIEWED, referral)
    assert [row.actor for row in rows] == [outsider_officer, outsider_officer]
