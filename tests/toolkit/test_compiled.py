"""toolkit.compiled: a queryset compiled once per key answers, for every value, what the ORM answers.

The same tests run on SQLite and on PostgreSQL (DATABASE_URL): the compiled path is one code path.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import User
from agencies.roles import Role
from api.models import ApiToken
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from audit.services import audit_record
from cases.models import Referral, visibility_key
from cases.services import consent_revoke
from tests.cases.referral_helpers import send
from tests.factories import AgencyFactory, UserFactory
from toolkit.compiled import CompiledQuery, StandIn

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "reference_code", "status", "interpreter_needed", "consent_id", "created_at", "accepted_at")
RELATED = {"consent_given_on": F("consent__given_on"), "sender": F("sending_agency__name")}


def visible_one(user: User):
    """What a caller writes: the model's own rule, one value left open."""
    return lambda pk: Referral.objects.for_user(user).filter(pk=pk).values(*COLUMNS, **RELATED)


def key_of(user: User) -> tuple:
    return (visibility_key(user), connection.vendor)


@pytest.fixture
def referrals(officer: User, outsider_officer: User) -> dict[str, Referral]:
    lapsed = send(outsider_officer, officer.agency)
    consent_revoke(referral=lapsed, actor=outsider_officer)
    return {
        "sent": send(officer, outsider_officer.agency, note="Needs a bed tonight."),
        "received": send(outsider_officer, officer.agency, consent=None),
        "lapsed": lapsed,
        "elsewhere": send(outsider_officer, AgencyFactory()),
    }


def test_it_answers_what_the_orm_answers_for_every_id_and_person(referrals, officer, outsider_officer):
    people = {
        "officer": officer,
        "colleague": UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER),
        "member": UserFactory(agency=officer.agency, role=Role.MEMBER),
        "inactive officer": UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER, is_active=False),
        "outsider officer": outsider_officer,
    }
    known = [referral.pk for referral in referrals.values()]
    candidates = [*known, max(known) + 1000, 0, -1, 10**30, -(10**30), 2**63 - 1, -(2**63), 2**63, str(known[0])]
    one = CompiledQuery(pk=Referral._meta.pk)
    for _round in range(2):  # the first compiles one statement per key, the second runs them
        for name, person in people.items():
            for pk in candidates:
                assert one.rows(key_of(person), visible_one(person), pk=pk) == list(visible_one(person)(pk)), (name, pk)
    assert one.rows(key_of(officer), visible_one(officer), pk=referrals["sent"].pk)[0]["id"] == referrals["sent"].pk
    assert one.rows(key_of(officer), visible_one(officer), pk=referrals["elsewhere"].pk) == []
    assert one.rows(key_of(officer), visible_one(officer), pk=referrals["lapsed"].pk) == []


def test_it_reads_values_as_the_orm_converts_them(referrals, officer):
    sent = referrals["sent"]
    (row,) = CompiledQuery(pk=Referral._meta.pk).rows(key_of(officer), visible_one(officer), pk=sent.pk)
    assert row["created_at"] == sent.created_at and row["created_at"].tzinfo is not None
    assert row["interpreter_needed"] is True  # SQLite stores 1
    assert isinstance(row["consent_given_on"], date) and row["consent_given_on"] == sent.consent.given_on
    assert row["accepted_at"] is None and row["sender"] == officer.agency.name


def test_it_reads_json_as_the_orm_does(officer):
    entry = audit_record(actor=officer, event=AuditEvent.TOKEN_CREATED, detail={"count": 3, "codes": ["a", "b"]})
    compiled = CompiledQuery(pk=AuditEntry._meta.pk)
    build = lambda pk: AuditEntry.objects.filter(pk=pk).values("detail", "occurred_at")  # noqa: E731
    assert compiled.rows("entry", build, pk=entry.pk) == list(build(entry.pk))
    assert compiled.rows("entry", build, pk=entry.pk)[0]["detail"] == {"count": 3, "codes": ["a", "b"]}


def test_a_datetime_stand_in_is_prepared_as_the_orm_prepares_it(member):
    token, _raw = api_token_create(user=member, name="sync")
    compiled = CompiledQuery(at=ApiToken._meta.get_field("expires_at"))
    build = lambda at: ApiToken.objects.filter(expires_at__gt=at).values("id", "expires_at")  # noqa: E731
    expires = token.expires_at
    moments = [expires - timedelta(microseconds=1), expires, expires + timedelta(days=1), timezone.now()]
    moments.append(expires.astimezone(timezone.get_fixed_timezone(-360)) - timedelta(seconds=1))  # another zone
    for moment in moments:
        assert compiled.rows("tokens", build, at=moment) == list(build(moment)), moment
    assert compiled.rows("tokens", build, at=expires - timedelta(seconds=1))[0]["expires_at"] == expires


@pytest.mark.parametrize("text", ["bed", "BED", "a bed", "50%", "_", "t_night", "\\", "needs a bed tonight.", "x"])
def test_a_text_stand_in_matches_as_the_orm_matches_it(referrals, officer, text):
    """Pattern lookups escape a value in Python and a parameter in SQL: the answers are the same."""
    send(officer, referrals["received"].sending_agency, note="Tonight: 50% of beds_taken \\ t_night")
    compiled = CompiledQuery(text=Referral._meta.get_field("note"))
    build = lambda text: Referral.objects.filter(note__icontains=text).order_by("id").values("id")  # noqa: E731
    assert compiled.rows("notes", build, text=text) == list(build(text))


def test_it_compiles_once_per_key_and_runs_one_query(referrals, officer, outsider_officer):
    built = []

    def build(pk):
        built.append(pk)
        return visible_one(officer)(pk)

    compiled = CompiledQuery(pk=Referral._meta.pk)
    for referral in referrals.values():
        with CaptureQueriesContext(connection) as queries:
            compiled.rows(key_of(officer), build, pk=referral.pk)
        assert len(queries) == 1
    assert len(built) == 1 and isinstance(built[0], StandIn)
    compiled.rows(key_of(outsider_officer), visible_one(outsider_officer), pk=referrals["sent"].pk)
    assert len(compiled._statements) == 2


def test_the_kept_statements_stay_few(officer):
    compiled = CompiledQuery(max_keys=2, pk=Referral._meta.pk)
    for day in range(5):
        compiled.rows(("day", day), visible_one(officer), pk=1)
        assert len(compiled._statements) <= 2


def test_nobodys_rows_cost_no_query(referrals):
    member = UserFactory(agency=AgencyFactory(), role=Role.MEMBER)
    compiled = CompiledQuery(pk=Referral._meta.pk)
    compiled.rows(key_of(member), visible_one(member), pk=referrals["sent"].pk)
    with CaptureQueriesContext(connection) as queries:
        assert compiled.rows(key_of(member), visible_one(member), pk=referrals["sent"].pk) == []
    assert len(queries) == 0


# --- When the ORM answers -------------------------------------------------------------------------


def test_a_stand_in_found_twice_leaves_the_answer_to_the_orm(referrals, officer):
    calls = []

    def build(pk):
        calls.append(pk)
        return Referral.objects.filter(Q(pk=pk) | Q(sending_agency_id=pk)).order_by("id").values("id")

    compiled = CompiledQuery(pk=Referral._meta.pk)
    for pk in (referrals["sent"].pk, officer.agency_id, 0):
        assert compiled.rows("twice", build, pk=pk) == list(build(pk))
    sent, agency = referrals["sent"].pk, officer.agency_id
    assert isinstance(calls[0], StandIn) and calls[1:] == [sent, sent, agency, agency, 0, 0]  # the ORM's, ours
    assert compiled._statements["twice"] is False


def test_a_stand_in_left_out_leaves_the_answer_to_the_orm(referrals):
    compiled = CompiledQuery(pk=Referral._meta.pk)
    build = lambda pk: Referral.objects.filter(pk=referrals["sent"].pk).values("id")  # noqa: E731
    assert compiled.rows("unused", build, pk=0) == [{"id": referrals["sent"].pk}]
    assert compiled._statements["unused"] is False


def test_none_and_integers_out_of_range_are_answered_by_the_orm(referrals):
    """The ORM writes `IS NULL` for None and answers out-of-range integers without the database."""
    compiled = CompiledQuery(consent=Referral._meta.get_field("consent"))
    build = lambda consent: Referral.objects.filter(consent=consent).order_by("id").values("id")  # noqa: E731
    assert compiled.rows("consent", build, consent=None) == [{"id": referrals["received"].pk}]
    sent = referrals["sent"]
    assert compiled.rows("consent", build, consent=sent.consent_id) == [{"id": sent.pk}]
    assert compiled._statements["consent"] is not False
    one = CompiledQuery(pk=Referral._meta.pk)
    build = lambda pk: Referral.objects.filter(pk=pk).values("id")  # noqa: E731
    for pk in (10**30, -(2**63) - 1, 2**63):
        with CaptureQueriesContext(connection) as queries:
            assert one.rows("one", build, pk=pk) == []
        assert len(queries) == 0, pk
    assert one.rows("one", build, pk=2**63 - 1) == []


def test_it_refuses_model_instances_and_unknown_values(referrals):
    compiled = CompiledQuery(pk=Referral._meta.pk)
    with pytest.raises(TypeError, match="values"):
        compiled.rows("instances", lambda pk: Referral.objects.filter(pk=pk), pk=1)
    with pytest.raises(TypeError, match="pk"):
        compiled.rows("values", visible_one(referrals["sent"].sent_by), id=1)


def test_a_queryset_holding_a_stand_in_is_never_run_by_mistake(referrals):
    queryset: QuerySet = Referral.objects.filter(pk=StandIn("pk", Referral._meta.pk)).values("id")
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error: it cannot bind a stand-in
        list(queryset)


# --- keep: rows filtered after the queryset's slice ---------------------------------------------------


def newest_notes(window: int, order: str = "-id"):
    def build(text):
        matches = ExpressionWrapper(Q(note__icontains=text), output_field=BooleanField())
        return Referral.objects.order_by(order).values("id", "status", "created_at", matches=matches)[:window]

    return build


@pytest.mark.parametrize("text", ["bed", "BED", "tonight", "nothing like it", "%"])
def test_kept_rows_are_those_of_the_window_that_match_the_first_of_them(referrals, officer, outsider_officer, text):
    for note in ("A bed tonight.", "", "Bed and food.", "Tonight only.", "50% done"):
        send(officer, outsider_officer.agency, note=note)
    compiled = CompiledQuery(keep="matches", text=Referral._meta.get_field("note"))
    for window in (1, 2, 3, 6, 50):
        for first in (1, 2, 20):
            expected = [row for row in newest_notes(window)(text) if row.pop("matches")][:first]
            found = compiled.rows(("notes", window), newest_notes(window), first=first, text=text)
            assert found == expected, (window, first)
            assert all(row["created_at"].tzinfo is not None for row in found)
    assert compiled._statements[("notes", 50)] is not False


def test_kept_rows_in_an_order_the_columns_cannot_state_are_filtered_by_the_orm(referrals):
    compiled = CompiledQuery(keep="matches", text=Referral._meta.get_field("note"))
    build = newest_notes(3, order="-sending_agency_id")
    expected = [row for row in build("bed") if row.pop("matches")][:2]
    assert compiled.rows("by agency", build, first=2, text="bed") == expected
    assert compiled._statements["by agency"] is False


def test_first_goes_with_keep(referrals):
    with pytest.raises(TypeError, match="first"):
        CompiledQuery(keep="matches", text=Referral._meta.get_field("note")).rows("k", newest_notes(3), text="bed")
    with pytest.raises(TypeError, match="first"):
        CompiledQuery(pk=Referral._meta.pk).rows("k", visible_one(referrals["sent"].sent_by), first=1, pk=1)
