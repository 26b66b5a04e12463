"""A person's referral counts cost the same whatever the agency's history (issue 21).

The history here is old closed referrals between the two agencies, each with its consent, its timeline and
a comment, all outside the window. The counts, the statements and (on PostgreSQL) the table rows read must
not change when that history grows from 10 referrals to 1,000: only index entries may grow.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import User
from cases.choices import Status
from cases.digest_sections import referral_counts
from cases.models import Comment, Consent, Referral, TimelineEvent
from cases.services import referral_comment, referral_transition
from digests.sections import DigestWindow
from tests.cases.referral_helpers import send

ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans")
# Tables whose rows (not index entries) a count may read.
TABLES = ("cases_referral", "cases_consent", "cases_timelineevent", "cases_comment")


def _window() -> DigestWindow:
    now = timezone.now()
    return DigestWindow(start=now - timedelta(days=1), end=now + timedelta(seconds=1), now=now)


def _recent(officer: User, outsider_officer: User) -> None:
    """The window's news: one referral each way, one accepted by the other agency, one comment from it."""
    ours = send(officer, outsider_officer.agency)
    theirs = send(outsider_officer, officer.agency)
    referral_transition(referral=ours, actor=outsider_officer, move="accept")
    referral_comment(referral=theirs, actor=outsider_officer, body="We can talk Tuesday.")


def _history(officer: User, outsider_officer: User, count: int) -> None:
    """`count` closed referrals of a year ago, half each way, with consent, timeline and a comment."""
    template = send(officer, outsider_officer.agency)
    assert template.consent is not None
    long_ago = timezone.now() - timedelta(days=365)
    start = Referral.objects.count()
    consents = Consent.objects.bulk_create(
        [Consent(**_copied(template.consent, recorded_at=long_ago)) for _ in range(count)]
    )
    referrals = []
    for index, consent in enumerate(consents):
        sender, receiver = (officer, outsider_officer) if index % 2 else (outsider_officer, officer)
        fields = _copied(template, reference_code=f"OLD-{start + index}", consent_id=consent.pk)
        fields |= {"sending_agency_id": sender.agency_id, "receiving_agency_id": receiver.agency_id}
        fields |= {"sent_by_id": sender.pk, "status": Status.CLOSED, "created_at": long_ago, "closed_at": long_ago}
        referrals.append(Referral(**fields))
    Referral.objects.bulk_create(referrals)
    events, comments = [], []
    for referral in Referral.objects.filter(reference_code__startswith="OLD-", timeline__isnull=True):
        sender, receiver = (
            (officer, outsider_officer)
            if referral.sending_agency_id == officer.agency_id
            else (outsider_officer, officer)
        )
        for move, actor, status in (("send", sender, Status.SENT), ("close", receiver, Status.CLOSED)):
            events.append(
                TimelineEvent(
                    referral=referral,
                    actor=actor,
                    agency_id=actor.agency_id,
                    move=move,
                    to_status=status,
                    created_at=long_ago,
                )
            )
        comments.append(
            Comment(referral=referral, author=receiver, agency_id=receiver.agency_id, body="Done.", created_at=long_ago)
        )
    TimelineEvent.objects.bulk_create(events)
    Comment.objects.bulk_create(comments)
    # The template itself is old news too.
    Referral.objects.filter(pk=template.pk).update(status=Status.CLOSED, created_at=long_ago)
    TimelineEvent.objects.filter(referral=template).update(created_at=long_ago)


def _copied(instance: object, **changes: object) -> dict[str, object]:
    skip = {"id", "note_search"}
    fields = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields  # type: ignore[attr-defined]
        if field.attname not in skip
    }
    return fields | changes


def _counted(officer: User) -> tuple[dict[str, int], list[str]]:
    with CaptureQueriesContext(connection) as captured:
        counts = referral_counts(person=officer, window=_window())
    return counts, [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_the_counts_and_their_statements_do_not_change_with_history(officer, outsider_officer):
    _recent(officer, outsider_officer)
    expected = {"waiting": 1, "new": 1, "changed": 2}
    _history(officer, outsider_officer, 10)
    small, small_statements = _counted(officer)
    _history(officer, outsider_officer, 990)
    large, large_statements = _counted(officer)
    assert small == large == expected
    assert len(small_statements) == len(large_statements) == 2


def _rows_read(statements: list[str]) -> dict[str, int]:
    """Per table, the rows PostgreSQL fetched from the table itself (not from an index alone)."""
    rows = dict.fromkeys(TABLES, 0)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            stack = [plan[0]["Plan"]]
            while stack:
                node = stack.pop()
                stack.extend(node.get("Plans", []))
                table = node.get("Relation Name")
                if table not in rows:
                    continue
                assert node["Node Type"] != "Seq Scan", f"{table} is read whole"
                loops = node["Actual Loops"]
                if node["Node Type"] == "Index Only Scan":
                    rows[table] += node.get("Heap Fetches", 0)
                elif node["Node Type"] != "Bitmap Index Scan":
                    rows[table] += node["Actual Rows"] * loops + node.get("Rows Removed by Filter", 0) * loops
    return rows


def _vacuumed() -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_postgresql_reads_the_same_rows_whatever_the_history(officer, outsider_officer):
    """With sequential scans disabled (tiny test tables would otherwise be read whole, cheaply), every
    statement has an index path, and the rows it reads from the tables do not grow from 10 old
    referrals to 1,000: the agency's history costs index entries at most, never table rows."""
    _recent(officer, outsider_officer)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        _history(officer, outsider_officer, 10)
        _vacuumed()
        small_counts, statements = _counted(officer)
        small = _rows_read(statements)
        _history(officer, outsider_officer, 990)
        _vacuumed()
        large_counts, statements = _counted(officer)
        large = _rows_read(statements)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    assert small_counts == large_counts
    # Not one more table row for 990 more old referrals (a tiny table may be read a little more than a
    # larger one: the planner chooses between a bitmap and an index-only scan by size).
    assert {table: max(small[table], 10) for table in TABLES} == {
        table: max(small[table], large[table], 10) for table in TABLES
    }, (small, large)
    # Consent is looked up for the rows counted only: the one waiting and new, the two changed.
    assert large["cases_consent"] <= 3
