"""The referral list opens on what is open, the most urgent and the oldest first, and its filters narrow it:
the same filters, with the same answers, on the web page and in the API (issue 18)."""

from __future__ import annotations

import base64
import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from audit.models import AuditEntry, AuditEvent
from cases.choices import AgeBand, Need, Status, Urgency
from cases.models import Referral
from tests.cases.referral_helpers import referral_in, send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# name: (urgency, status, age band, needs, days ago)
CAST = {
    "a": (Urgency.EMERGENCY, Status.SENT, AgeBand.AGE_18_24, [Need.SHELTER], 5),
    "b": (Urgency.URGENT, Status.ACCEPTED, AgeBand.AGE_25_59, [Need.LEGAL], 3),
    "c": (Urgency.ROUTINE, Status.IN_PROGRESS, AgeBand.AGE_12_17, [Need.SHELTER, Need.MEDICAL], 10),
    "d": (Urgency.EMERGENCY, Status.SENT, AgeBand.AGE_25_59, [Need.LEGAL], 1),
    "e": (Urgency.ROUTINE, Status.CLOSED, AgeBand.AGE_25_59, [Need.SHELTER], 20),
    "f": (Urgency.URGENT, Status.DECLINED, AgeBand.AGE_18_24, [Need.MEDICAL], 2),
    "g": (Urgency.ROUTINE, Status.SENT, AgeBand.AGE_25_59, [Need.LEGAL], 7),  # escalated
}
OPEN_ORDER = ["a", "d", "b", "c", "g"]  # emergency (oldest first), urgent, routine
EVERY_ORDER = ["a", "d", "b", "f", "e", "c", "g"]


def _day(days_ago: int) -> datetime:
    """Noon, local time, `days_ago` days before today: far from midnight, so days are days."""
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12)))


@pytest.fixture
def cast(officer: User, outsider_officer: User) -> dict[str, Referral]:
    """Referrals sent to the officer's agency by the sheriff's officer (no consent needed from a sheriff)."""
    made = {}
    for name, (urgency, status, age_band, needs, days_ago) in CAST.items():
        referral = referral_in(
            status,
            sender=outsider_officer,
            receiver=officer,
            consent=None,
            urgency=urgency,
            age_band=age_band,
            needs=list(needs),
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=_day(days_ago))
        made[name] = referral
    Referral.objects.filter(pk=made["g"].pk).update(escalated_to_admins_at=timezone.now())
    return made


def _web(user: User, query: dict | None = None) -> tuple[int, str]:
    response = client_for(user).get(reverse("cases:referral_list"), query or {})
    return response.status_code, response.content.decode()


def _web_order(cast: dict[str, Referral], page: str) -> list[str]:
    by_code = {referral.reference_code: name for name, referral in cast.items()}
    return [by_code[code] for code in re.findall(r'class="mono">([A-Z0-9-]+)</a>', page) if code in by_code]


def _api_order(cast: dict[str, Referral], user: User, query: dict | None = None) -> list[str]:
    response = client_for(user).get("/api/v1/referrals/", query or {})
    assert response.status_code == 200, response.content
    by_id = {referral.pk: name for name, referral in cast.items()}
    return [by_id[row["id"]] for row in response.json()["results"]]


def test_it_opens_on_open_referrals_the_most_urgent_then_the_oldest_first(officer, cast):
    status, page = _web(officer)
    assert status == 200
    assert _web_order(cast, page) == OPEN_ORDER
    assert "Open referrals sent to your agency: the most urgent first, then the oldest." in page


def test_the_api_sorts_the_same_way_and_lists_every_status_unless_asked(officer, cast):
    assert _api_order(cast, officer) == EVERY_ORDER
    assert _api_order(cast, officer, {"open": "true"}) == OPEN_ORDER
    assert _api_order(cast, officer, {"open": "false"}) == ["f", "e"]
    newest = sorted(cast, key=lambda name: cast[name].pk, reverse=True)
    assert _api_order(cast, officer, {"ordering": "newest"}) == newest


def _dates() -> dict[str, str]:
    return {
        "created_after": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "created_before": (timezone.localdate() - timedelta(days=2)).isoformat(),
    }


# (web query, API query, expected): the web opens on the open referrals, the API on every status.
CASES = [
    ({"status": "all"}, {}, EVERY_ORDER),
    ({"status": ["declined", "closed"]}, {"status": ["declined", "closed"]}, ["f", "e"]),
    ({"status": "sent"}, {"status": "sent"}, ["a", "d", "g"]),
    ({"urgency": "emergency"}, {"open": "true", "urgency": "emergency"}, ["a", "d"]),
    ({"age_band": "25_59"}, {"open": "true", "age_band": "25_59"}, ["d", "b", "g"]),
    ({"need": "shelter"}, {"open": "true", "need": "shelter"}, ["a", "c"]),
    ({"need": "medical", "status": "all"}, {"need": "medical"}, ["f", "c"]),
    (_dates(), {"open": "true", **_dates()}, ["a", "b"]),
    ({"escalated": "yes"}, {"open": "true", "escalated": "yes"}, ["g"]),
    ({"urgency": "urgent", "age_band": "18_24", "status": "all"}, {"urgency": "urgent", "age_band": "18_24"}, ["f"]),
]


@pytest.mark.parametrize(("web", "api", "expected"), CASES)
def test_each_filter_answers_the_same_on_the_web_and_in_the_api(officer, cast, web, api, expected):
    status, page = _web(officer, web)
    assert status == 200
    assert _web_order(cast, page) == expected
    assert _api_order(cast, officer, api) == expected


def test_a_reference_code_is_found_by_its_beginning_in_any_case_whatever_its_status(officer, cast):
    closed = cast["e"].reference_code
    for typed in (closed.lower(), f"  {closed}  "):
        assert _web_order(cast, _web(officer, {"reference": typed})[1]) == ["e"]
        assert _api_order(cast, officer, {"reference": typed.strip()}) == ["e"]
    prefix = closed.rsplit("-", 1)[0]  # "JUN-2026": every referral of the year
    assert _web_order(cast, _web(officer, {"reference": prefix.lower()})[1]) == EVERY_ORDER
    assert _api_order(cast, officer, {"reference": prefix, "open": "true"}) == OPEN_ORDER
    # A chosen status still applies.
    assert _web_order(cast, _web(officer, {"reference": closed, "status": "sent"})[1]) == []


def test_it_says_plainly_when_nothing_matches_and_how_to_clear_the_filters(officer, cast):
    status, page = _web(officer, {"urgency": "emergency", "need": "childcare"})
    assert status == 200
    assert "No open referrals match these filters;" in page
    assert '<a href="?direction=incoming">clear the filters</a>' in page
    status, page = _web(officer, {"direction": "outgoing"})
    assert "No open referrals sent by your agency." in page


@pytest.mark.parametrize(
    "query",
    [
        {"reference": "JUN%"},
        {"reference": "JUN_2026"},
        {"urgency": "soon"},
        {"status": "lost"},
        {"created_after": "2026-13-01"},
        {"created_after": "2026-03-02", "created_before": "2026-03-01"},
        {"escalated": "no"},
    ],
)
def test_it_refuses_a_filter_it_cannot_read_with_a_form_error(officer, cast, query):
    status, page = _web(officer, query)
    assert status == 400
    assert "Some filters could not be read." in page
    assert "the most urgent first" not in page and "No open referrals" not in page
    assert 'class="error"' in page
    assert not _web_order(cast, page)


@pytest.mark.parametrize(
    "query",
    [
        {"reference": "JUN%"},
        {"status": "lost"},
        {"open": "maybe"},
        {"need": "car"},
        {"escalated": "no"},
        {"ordering": "oldest"},
        {"age_band": ""},
    ],
)
def test_the_api_answers_400_to_a_filter_it_cannot_read(officer, cast, query):
    response = client_for(officer).get("/api/v1/referrals/", query)
    assert response.status_code == 400, response.content
    assert list(response.json()) == list(query)  # one list of messages per field (api/errors.py)


def test_the_api_pages_through_the_urgency_order_both_ways(officer, cast):
    client = client_for(officer)
    url, seen, pages = "/api/v1/referrals/?page_size=2", [], []
    while url:
        answer = client.get(url).json()
        pages.append(answer)
        seen += [row["id"] for row in answer["results"]]
        url = answer["next"]
    assert seen == [cast[name].pk for name in EVERY_ORDER]
    assert len(pages) == 4 and pages[0]["previous"] is None
    back, url = [], pages[-1]["previous"]
    while url:
        answer = client.get(url).json()
        back = [row["id"] for row in answer["results"]] + back
        url = answer["previous"]
    assert back == seen[:-1]  # every page before the last one, in order


def test_a_tampered_cursor_is_refused_not_a_server_error(officer, cast):
    client = client_for(officer)
    first = client.get("/api/v1/referrals/?page_size=2").json()["next"]
    cursor = parse_qs(urlsplit(first).query)["cursor"][0]
    for position in ("2~not-a-date~7", "2~2026-01-01T00:00:00~7", "9" * 30 + "~2026-01-01T00:00:00+00:00~1", "x"):
        forged = base64.b64encode(f"p={position}".encode()).decode()
        assert client.get(f"/api/v1/referrals/?cursor={forged}").status_code == 404
    assert client.get(f"/api/v1/referrals/?cursor={cursor}").status_code == 200


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows_or_the_page_size(officer, outsider_officer):
    client = client_for(officer)
    filtered = "need=shelter&reference=JUN&escalated=yes&age_band=25_59&urgency=routine"
    web = reverse("cases:referral_list") + "?status=all&" + filtered
    urls = [reverse("cases:referral_list"), web, "/api/v1/referrals/?page_size=1", f"/api/v1/referrals/?{filtered}"]
    send(outsider_officer, officer.agency, consent=None, urgency=Urgency.ROUTINE, needs=[Need.SHELTER])
    Referral.objects.update(escalated_to_admins_at=timezone.now())
    for url in urls:
        _count(client, url)  # warm: the kept querysets, the session
    few = {url: _count(client, url) for url in urls}
    for _ in range(8):
        send(outsider_officer, officer.agency, consent=None, urgency=Urgency.ROUTINE, needs=[Need.SHELTER])
    Referral.objects.update(escalated_to_admins_at=timezone.now())
    many = {url: _count(client, url) for url in urls}
    many["/api/v1/referrals/?page_size=1"] = _count(client, "/api/v1/referrals/?page_size=50")
    assert many == few


def test_each_list_shown_is_audited_and_a_refused_filter_shows_none(officer, cast):
    _web(officer, {"urgency": "emergency"})
    _web(officer, {"urgency": "soon"})
    rows = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_LISTED, actor=officer)
    assert [row.detail for row in rows] == [{"direction": "incoming"}]


def test_the_web_filters_keep_their_values_across_pages(officer, outsider_officer):
    for _ in range(51):
        send(outsider_officer, officer.agency, consent=None, urgency=Urgency.URGENT)
    status, page = _web(officer, {"urgency": "urgent", "page": "1"})
    assert status == 200
    assert 'href="?urgency=urgent&amp;page=2"' in page
