"""The list's default order (urgency, then age) is read a page at a time (issue 21): the API's cursor pages
through ties exactly, both ways, and on PostgreSQL a page reads about a page of referrals from the
(receiving agency, rank, created_at, id) indexes, at any depth, whatever the agency's history."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import User
from cases.choices import Status, Urgency
from cases.models import Referral
from cases.selectors import urgency_rank
from tests.cases.referral_helpers import send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _many(sender: User, receiver: User, count: int, *, status: str = Status.SENT) -> list[Referral]:
    """`count` copies of one referral (no consent: a sheriff sends it), in bulk: urgency and age cycle,
    and every third one shares its created_at with the one before, so that ties are broken by id."""
    template = send(sender, receiver.agency, consent=None)
    start, now = Referral.objects.count(), timezone.now()
    urgencies = [Urgency.ROUTINE, Urgency.EMERGENCY, Urgency.URGENT, Urgency.ROUTINE]
    skip = {"id", "note_search"}
    fields = {f.attname: getattr(template, f.attname) for f in Referral._meta.concrete_fields if f.attname not in skip}
    copies = [
        Referral(
            **fields
            | {
                "reference_code": f"BULK-{start + index}",
                "urgency": urgencies[index % len(urgencies)],
                "status": status,
                "created_at": now - timedelta(minutes=index - index % 3),
            }
        )
        for index in range(count)
    ]
    return Referral.objects.bulk_create(copies)


def _expected(receiver: User) -> list[int]:
    rows = Referral.objects.filter(receiving_agency_id=receiver.agency_id).values("id", "urgency", "created_at")
    return [row["id"] for row in sorted(rows, key=lambda r: (urgency_rank(r["urgency"]), r["created_at"], r["id"]))]


def test_the_cursor_pages_through_ties_both_ways(officer, outsider_officer):
    _many(outsider_officer, officer, 23)
    client = client_for(officer)
    url, seen, pages = "/api/v1/referrals/?page_size=4", [], []
    while url:
        answer = client.get(url).json()
        pages.append(answer)
        seen += [row["id"] for row in answer["results"]]
        url = answer["next"]
    assert seen == _expected(officer)
    assert len(pages) == 6
    back, url = [], pages[-1]["previous"]
    while url:
        answer = client.get(url).json()
        back = [row["id"] for row in answer["results"]] + back
        url = answer["previous"]
    assert back == seen[:20]  # every page before the last one, in order


def _scan_rows(sql: str) -> tuple[int, list[str]]:
    """Rows PostgreSQL read from cases_referral for `sql`, and the nodes of the plan."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    rows, nodes, stack = 0, [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        nodes.append(node["Node Type"])
        if node.get("Relation Name") == "cases_referral" and node["Node Type"] != "Bitmap Index Scan":
            rows += (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
    return rows, nodes


def _page_statement(client, url: str) -> tuple[str, dict]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url).json()
    [sql] = [q["sql"] for q in captured.captured_queries if "ORDER BY CASE WHEN" in q["sql"]]
    return sql, answer


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans")
@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/referrals/?direction=incoming&page_size=10", Status.CLOSED), ("/referrals/", Status.SENT)],
)
def test_a_page_reads_a_page_of_referrals_at_any_depth(officer, outsider_officer, path, status):
    """With sorts and sequential scans disabled (the planner would rather sort a tiny test table), the
    order has an index path, and the first page and a deep page each read about a page of rows, from an
    agency with 300 referrals (the API lists every status; the web list only the open ones, so its
    history of closed referrals is left out by its index)."""
    _many(outsider_officer, officer, 300, status=status)
    _many(outsider_officer, officer, 300, status=Status.CLOSED)  # history the web list does not show
    client = client_for(officer)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    try:
        if path.startswith("/api/"):
            first, answer = _page_statement(client, path)
            for _ in range(10):  # 11 pages deep
                answer = client.get(answer["next"]).json()
            deep, _answer = _page_statement(client, answer["next"])
        else:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            first = next(q["sql"] for q in captured.captured_queries if "ORDER BY CASE WHEN" in q["sql"])
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path + "?page=5").status_code == 200
            deep = next(q["sql"] for q in captured.captured_queries if "ORDER BY CASE WHEN" in q["sql"])
        first_rows, first_nodes = _scan_rows(first)
        deep_rows, deep_nodes = _scan_rows(deep)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    assert "Sort" not in first_nodes and "Sort" not in deep_nodes
    page = 10 if path.startswith("/api/") else 50
    assert first_rows <= page + 5
    if path.startswith("/api/"):  # a cursor: a page at any depth
        assert deep_rows <= page + 5
    else:  # the web list's pages count an offset, within the open referrals only
        assert deep_rows <= 5 * page + 5
