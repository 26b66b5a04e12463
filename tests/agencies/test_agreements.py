"""Data-sharing agreements: recording and ending them (audited), and every agency's standing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.agreements import (
    Standing,
    agencies_covered_for_referrals,
    agency_agreement,
    agreement_end,
    agreement_gaps,
    agreement_record,
    agreement_today,
    agreements_for,
)
from agencies.models import AgreementKind, DataSharingAgreement
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

# 10:00 in Chicago (the task force's time zone in the tests' settings).
NOON_ISH = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON_ISH, tick=False) as traveller:
        yield traveller


def record(actor, agency, **overrides):
    values = {
        "kind": AgreementKind.INFO_SHARING_PROTOCOL,
        "signed_on": agreement_today() - timedelta(days=30),
        "expires_on": agreement_today() + timedelta(days=365),
        "covers_referrals": True,
        "covers_case_review": False,
        "covers_reports": True,
        "note": "",
    }
    values.update(overrides)
    return agreement_record(actor=actor, agency=agency, **values)


def test_it_records_an_agreement_with_an_audit_row_that_holds_no_note(coordinator, clock):
    bridgeway = AgencyFactory(name="Bridgeway Family Services", with_agreement=False)
    agreement = record(coordinator, bridgeway, note="Signed copy in the co-chairs' binder.")
    assert (agreement.agency, agreement.recorded_by, agreement.note) == (
        bridgeway,
        coordinator,
        "Signed copy in the co-chairs' binder.",
    )
    row = AuditEntry.objects.get(event=AuditEvent.AGREEMENT_RECORDED)
    assert (row.actor, row.target_id) == (coordinator, str(agreement.pk))
    assert row.detail == {
        "agency": bridgeway.pk,
        "kind": "info_sharing_protocol",
        "signed_on": "2026-05-16",
        "expires_on": "2027-06-15",
        "scope": ["referrals", "reports"],
    }
    assert "binder" not in str(row.detail) and "binder" not in row.target_label


@pytest.mark.parametrize("role", [Role.MEMBER, Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN, Role.GRANT_MANAGER])
def test_it_lets_only_coordinators_record_and_end_agreements(agency, coordinator, role):
    person = UserFactory(agency=agency, role=role)
    with pytest.raises(PermissionDenied):
        record(person, agency)
    existing = DataSharingAgreement.objects.get(agency=agency)
    with pytest.raises(PermissionDenied):
        agreement_end(actor=person, agreement=existing)
    with pytest.raises(PermissionDenied):
        agreement_gaps(user=person)
    assert DataSharingAgreement.objects.filter(ended_at__isnull=True).count() == 1


def test_it_refuses_every_mistake_at_once_and_stores_nothing(coordinator, clock):
    agency = AgencyFactory(with_agreement=False)
    today = agreement_today()
    with pytest.raises(ValidationError) as refused:
        record(
            coordinator,
            agency,
            kind="treaty",
            signed_on=today + timedelta(days=1),
            expires_on=today,
            covers_referrals=False,
            covers_reports=False,
            note="x" * 301,
        )
    assert set(refused.value.message_dict) == {"kind", "signed_on", "expires_on", "scope", "note"}
    assert "cannot expire before it was signed" in refused.value.message_dict["expires_on"][0]
    assert "at least one" in refused.value.message_dict["scope"][0]
    assert not DataSharingAgreement.objects.filter(agency=agency).exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.AGREEMENT_RECORDED).exists()


def test_it_refuses_an_agreement_that_has_already_expired_and_an_inactive_agency(coordinator, clock):
    today = agreement_today()
    with pytest.raises(ValidationError) as expired:
        record(
            coordinator, AgencyFactory(), signed_on=today - timedelta(days=400), expires_on=today - timedelta(days=1)
        )
    assert "already expired" in expired.value.message_dict["expires_on"][0]
    gone = AgencyFactory(is_active=False, with_agreement=False)
    with pytest.raises(ValidationError) as inactive:
        record(coordinator, gone)
    assert list(inactive.value.message_dict) == ["agency"]
    # The last day in force is a valid expiry; no end date is too.
    assert record(coordinator, AgencyFactory(), expires_on=today).expires_on == today
    assert record(coordinator, AgencyFactory(), expires_on=None).expires_on is None


def test_it_refuses_an_identifier_in_the_note_without_repeating_it(coordinator):
    agency = AgencyFactory(with_agreement=False)
    with pytest.raises(ValidationError) as refused:
        record(coordinator, agency, note="Call Maria at 414-555-0137 about it.")
    message = " ".join(refused.value.message_dict["note"])
    assert "phone number" in message and "555" not in message
    assert not DataSharingAgreement.objects.filter(agency=agency).exists()
    row = AuditEntry.objects.get(event=AuditEvent.DEIDENTIFICATION_REFUSED)
    assert row.detail["field"] == "note" and "555" not in str(row.detail)


def test_it_ends_an_agreement_recorded_in_error_once_and_keeps_it(coordinator, clock):
    agency = AgencyFactory(with_agreement=False)
    agreement = record(coordinator, agency)
    ended = agreement_end(actor=coordinator, agreement=agreement)
    assert ended.ended_by == coordinator and ended.ended_at == timezone.now()
    again = agreement_end(actor=coordinator, agreement=agreement)
    assert again.ended_at == ended.ended_at
    assert AuditEntry.objects.filter(event=AuditEvent.AGREEMENT_ENDED, target_id=str(agreement.pk)).count() == 1
    assert DataSharingAgreement.objects.filter(pk=agreement.pk).exists()
    assert agency_agreement(user=coordinator, agency=agency).standing == Standing.MISSING


def test_it_tells_where_every_active_agency_stands(coordinator, settings, clock):
    settings.AGREEMENT_LAPSING_DAYS = 60
    today = agreement_today()
    current, lapsing, expired, missing, reports_only, ended, renewed = (
        AgencyFactory(name=name, with_agreement=False)
        for name in ("A current", "B lapsing", "C expired", "D missing", "E reports only", "F ended", "G renewed")
    )
    AgencyFactory(name="H inactive", is_active=False, with_agreement=False)

    def stored(agency, signed, expires, **scope):
        values = {"covers_referrals": True, **scope}
        return DataSharingAgreement.objects.create(
            agency=agency, kind=AgreementKind.MOU, signed_on=signed, expires_on=expires, **values
        )

    stored(current, today - timedelta(days=10), today + timedelta(days=61))
    stored(lapsing, today - timedelta(days=300), today + timedelta(days=60))
    stored(expired, today - timedelta(days=400), today - timedelta(days=1))
    stored(reports_only, today, None, covers_referrals=False, covers_reports=True)
    agreement_end(actor=coordinator, agreement=stored(ended, today, None))
    stored(renewed, today - timedelta(days=400), today + timedelta(days=5))
    renewal = stored(renewed, today, today + timedelta(days=700))

    gaps = agreement_gaps(user=coordinator)
    standings = {row.agency.name: row.standing for row in gaps.rows if row.agency != coordinator.agency}
    assert standings == {
        "A current": Standing.CURRENT,
        "B lapsing": Standing.LAPSING,
        "C expired": Standing.EXPIRED,
        "D missing": Standing.MISSING,
        "E reports only": Standing.MISSING,
        "F ended": Standing.MISSING,
        "G renewed": Standing.CURRENT,
    }
    by_name = {row.agency.name: row for row in gaps.rows}
    assert by_name["G renewed"].agreement == renewal
    assert by_name["E reports only"].agreement.covers_reports
    assert by_name["D missing"].agreement is None
    assert [row.agency.name for row in gaps.lapsing] == ["B lapsing"]
    assert {row.agency.name for row in gaps.without} >= {"C expired", "D missing", "E reports only", "F ended"}
    assert [row.agency.name for row in gaps.expired] == ["C expired"]
    assert not missing.agreements.exists()
    assert agencies_covered_for_referrals() == {current.pk, lapsing.pk, renewed.pk, coordinator.agency_id}


def test_it_counts_the_days_in_the_task_forces_time_zone(coordinator, settings):
    settings.TIME_ZONE = "America/Chicago"
    agency = AgencyFactory(with_agreement=False)
    DataSharingAgreement.objects.create(
        agency=agency,
        kind=AgreementKind.MOU,
        signed_on=date(2025, 3, 1),
        expires_on=date(2026, 2, 28),
        covers_referrals=True,
    )
    # 21:00 on February 28 in Chicago is already March 1 in UTC, and in Tokyo where the reader lives.
    with time_machine.travel(datetime(2026, 3, 1, 3, 0, tzinfo=UTC), tick=False), timezone.override("Asia/Tokyo"):
        assert agreement_today() == date(2026, 2, 28)
        assert agency_agreement(user=coordinator, agency=agency).standing == Standing.LAPSING
    with time_machine.travel(datetime(2026, 3, 1, 6, 0, tzinfo=UTC), tick=False):
        assert agency_agreement(user=coordinator, agency=agency).standing == Standing.EXPIRED


def test_it_reads_every_agencys_standing_in_two_queries(coordinator, django_assert_num_queries):
    for _ in range(3):
        AgencyFactory()
    with django_assert_num_queries(2):
        few = agreement_gaps(user=coordinator)
    for _ in range(30):
        AgencyFactory()
    with django_assert_num_queries(2):
        many = agreement_gaps(user=coordinator)
    assert len(many.rows) == len(few.rows) + 30


def test_it_shows_agreements_to_coordinators_only(agency, coordinator, agency_admin, member, outsider):
    assert agreements_for(user=coordinator).count() == 2  # every agency's: the home agency's and the outsider's
    for person in (agency_admin, member, outsider):
        assert not agreements_for(user=person).exists()
        assert agency_agreement(user=person, agency=agency) is None


def test_it_refuses_in_the_database_an_agreement_that_covers_nothing_or_expires_before_signing(agency):
    for values in (
        {"covers_referrals": False},
        {"covers_referrals": True, "expires_on": date(2019, 12, 31)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DataSharingAgreement.objects.create(
                agency=agency, kind=AgreementKind.MOU, signed_on=date(2020, 1, 1), **values
            )
