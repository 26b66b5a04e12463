"""The API's referral rows reuse one queryset per visibility key (cases.selectors.referral_rows), and
one referral one statement compiled from it (cases.selectors.referral_row_get).

What must hold: people with the same key see exactly the same referrals, so the key must hold all
that the rule reads; a change of role, agency or day makes a new key; a caller's filters stay in its
own clone; and the compiled statement answers what the ORM answers, 404 included.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.utils import timezone

import toolkit.compiled
from agencies.models import User
from agencies.roles import Role
from cases import selectors
from cases.models import Referral, visibility_key
from cases.services import consent_revoke
from tests.cases.referral_helpers import send, valid_consent
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_querysets():
    selectors._ROWS_BY_KEY.clear()
    selectors._ONE_ROW.forget()
    yield
    selectors._ROWS_BY_KEY.clear()
    selectors._ONE_ROW.forget()


def row_ids(user: User, direction: str = "") -> set[int]:
    return {row["id"] for row in selectors.referral_rows(user=user, direction=direction)}


def rule_ids(user: User) -> set[int]:
    return set(Referral.objects.for_user(user).values_list("id", flat=True))


def compiled(user: User) -> tuple[str, tuple] | None:
    queryset = Referral.objects.for_user(user)
    return None if queryset.query.is_empty() else queryset.query.sql_with_params()


@pytest.fixture
def cast(officer: User, outsider_officer: User) -> dict[str, User]:
    """People who differ in everything the rule might read, some of them sharing a key."""
    agency = officer.agency
    return {
        "officer": officer,
        "colleague officer": UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, is_staff=True),
        "admin": UserFactory(agency=agency, role=Role.AGENCY_ADMIN),
        "member": UserFactory(agency=agency, role=Role.MEMBER),
        "coordinator": UserFactory(agency=agency, role=Role.COORDINATOR),
        "inactive officer": UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, is_active=False),
        "outsider officer": outsider_officer,
        "outsider member": UserFactory(agency=outsider_officer.agency, role=Role.MEMBER),
    }


def test_people_with_the_same_key_are_given_the_same_rule(cast):
    """The key holds everything the rule reads: equal keys, equal SQL and parameters."""
    people = list(cast.values())
    for first in people:
        for second in people:
            if visibility_key(first) == visibility_key(second):
                assert compiled(first) == compiled(second), (first.email, second.email)
    keys = {name: visibility_key(person) for name, person in cast.items()}
    assert keys["officer"] == keys["colleague officer"] != keys["outsider officer"]
    assert keys["admin"] == keys["member"] == keys["inactive officer"] == keys["outsider member"]


def test_each_person_sees_what_the_rule_gives_whoever_came_first(cast, officer, outsider_officer):
    sent = send(officer, outsider_officer.agency)
    received = send(outsider_officer, officer.agency)
    lapsed = send(outsider_officer, officer.agency)
    consent_revoke(referral=lapsed, actor=outsider_officer)
    for _round in range(2):  # the first round builds the querysets, the second reuses them
        for name, person in cast.items():
            assert row_ids(person) == rule_ids(person), name
    assert row_ids(cast["colleague officer"]) == {sent.pk, received.pk}
    assert row_ids(cast["outsider officer"]) == {sent.pk, received.pk, lapsed.pk}
    assert row_ids(cast["admin"]) == set() and row_ids(cast["inactive officer"]) == set()
    assert row_ids(officer, "incoming") == {received.pk} and row_ids(officer, "outgoing") == {sent.pk}


def test_a_change_of_role_or_agency_changes_what_the_person_sees(officer, outsider_officer):
    sent = send(officer, outsider_officer.agency)
    assert row_ids(officer) == {sent.pk}
    officer.role = Role.MEMBER
    officer.save()
    assert row_ids(officer) == set()
    officer.role = Role.REFERRAL_OFFICER
    officer.agency = AgencyFactory()
    officer.save()
    assert row_ids(officer) == set()
    officer.agency = outsider_officer.agency
    officer.save()
    assert row_ids(officer) == {sent.pk}


def test_a_new_day_makes_a_new_key_so_lapsed_consent_hides_the_referral(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency, consent=valid_consent(valid_days=30))
    last_day = timezone.make_aware(datetime.combine(referral.consent.expires_on, time(12)))
    with time_machine.travel(last_day, tick=False):
        assert row_ids(outsider_officer) == {referral.pk}
    with time_machine.travel(last_day + timedelta(days=1), tick=False):
        assert row_ids(outsider_officer) == set()
        assert row_ids(officer) == {referral.pk}  # the sender still sees it


def test_a_callers_filters_stay_in_its_own_clone(officer, outsider_officer):
    first, second = send(officer, outsider_officer.agency), send(officer, outsider_officer.agency)
    assert [row["id"] for row in selectors.referral_rows(user=officer).filter(pk=first.pk)] == [first.pk]
    assert selectors.referral_rows(user=officer).order_by("id").first()["id"] == first.pk
    assert row_ids(officer) == {first.pk, second.pk}
    assert len(selectors._ROWS_BY_KEY) == 1


def test_the_kept_querysets_stay_few(settings, officer):
    settings.REFERRAL_QUERY_CACHE_KEYS = 2
    for direction in ("", "incoming", "outgoing", ""):
        selectors.referral_rows(user=officer, direction=direction)
        assert len(selectors._ROWS_BY_KEY) <= 2


# --- One referral: the compiled statement (selectors._ONE_ROW, toolkit.compiled) against the ORM -----


def orm_row(user: User, pk: int) -> dict | None:
    rows = selectors.with_needs(list(selectors.referral_rows(user=user).filter(pk=pk)))
    return rows[0] if rows else None


def test_one_referral_reads_as_the_orm_reads_it_and_hides_what_the_rule_hides(cast, officer, outsider_officer):
    sent = send(officer, outsider_officer.agency, note="Needs a bed tonight.")
    received = send(outsider_officer, officer.agency, consent=None, interpreter_needed=True)
    lapsed = send(outsider_officer, officer.agency)
    consent_revoke(referral=lapsed, actor=outsider_officer)
    elsewhere = send(outsider_officer, AgencyFactory())
    candidates = [sent.pk, received.pk, lapsed.pk, elsewhere.pk, elsewhere.pk + 1000, 0, -1, 10**30]
    for _round in range(2):  # the first compiles the statement, the second reuses it
        for name, person in cast.items():
            for pk in candidates:
                expected = orm_row(person, pk) if pk < 2**63 else None
                if expected is None:
                    with pytest.raises(Http404):
                        selectors.referral_row_get(user=person, pk=pk)
                else:
                    assert selectors.referral_row_get(user=person, pk=pk) == expected, (name, pk)
    row = selectors.referral_row_get(user=officer, pk=received.pk)
    assert row["interpreter_needed"] is True and row["consent_id"] is None and row["needs"]
    assert row["created_at"] == received.created_at and row["sending_agency_name"] == outsider_officer.agency.name
    statement = selectors._ONE_ROW._statements[(visibility_key(officer), connection.vendor)]
    assert statement is not False and statement.sql is not None  # compiled, not left to the ORM


def test_one_referral_falls_back_to_the_orm_for_a_statement_of_another_shape(monkeypatch, officer, outsider_officer):
    monkeypatch.setattr(toolkit.compiled, "_compile", lambda *arguments: False)
    sent = send(officer, outsider_officer.agency)
    assert selectors.referral_row_get(user=officer, pk=sent.pk) == orm_row(officer, sent.pk)
    with pytest.raises(Http404):
        selectors.referral_row_get(user=UserFactory(agency=officer.agency, role=Role.MEMBER), pk=sent.pk)
