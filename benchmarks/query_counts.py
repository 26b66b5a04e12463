"""Benchmark 3: the number of queries of every list, at 1 row and at 50 rows, must be equal.

In this process, with Django's test client, against the scale database, inside one transaction that
is rolled back at the end: the rows the dataset lacks (public trainings, training requests, committees,
someone's 50 open action items, API tokens, approved reports) are created in it and vanish with it.

- API lists (every `-list` route of the v1 router): `page_size=1` against `page_size=50`.
- Web lists: their pages are not sized by the client, so the model's `for_user()` (where every list
  starts, see STYLE.md) is narrowed to 1, then 50, of the rows the page would show. The narrowing is
  one `pk IN (...)` condition on the same query: it adds no query.

The views' transactions become savepoints inside the benchmark's transaction; savepoint statements
are not counted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, User
from api.models import ApiToken
from api.services import api_token_create
from api.v1.urls import router
from audit.models import AuditEntry
from benchmarks.people import Cast
from cases.models import Referral
from meetings.choices import ActionStatus, MeetingKind, RequestStatus, TrainingSector
from meetings.models import ActionItem, Committee, Meeting, Training, TrainingRequest
from meetings.services import action_item_create, committee_save, training_offer, training_request_submit
from meetings.services.trainings import TrainingInput
from reports.engine import figures_fingerprint, report_compute
from reports.models import Report
from reports.periods import PeriodKind, period_build
from reports.services import report_approve, report_create

SIZES = (1, 50)
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
FOR_USER = ("for_user",)
PEOPLE_ORDER = ("officer", "coordinator", "grant_manager", "admin", "member")

# (model, narrowed methods, the rows the page would show) for a person
Narrowing = tuple[type[Model], tuple[str, ...], QuerySet]


@dataclass
class WebList:
    name: str
    url: str
    person: str  # a Cast role name; "" for an anonymous visitor
    rows: Callable[[User | AnonymousUser], list[Narrowing]]


def _signed_in(person: User | AnonymousUser) -> User:
    """The person of a list of one's own rows: always a cast member, never the anonymous visitor."""
    assert isinstance(person, User), "a list of one's own rows needs a cast member"
    return person


def _window(queryset: QuerySet, days: int = 92) -> QuerySet:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return queryset.filter(starts_at__lt=start + timedelta(days=days), ends_at__gt=start)


WEB_LISTS = [
    WebList(
        "web: referrals (incoming)",
        "/referrals/?direction=incoming",
        "officer",
        lambda u: [
            (Referral, ("for_user", "incoming_for", "outgoing_for"), Referral.objects.incoming_for(u).order_by("-id"))
        ],
    ),
    WebList("web: people", "/agencies/people/", "admin", lambda u: [(User, FOR_USER, User.objects.for_user(u))]),
    WebList(
        "web: agency directory", "/agencies/", "member", lambda u: [(Agency, FOR_USER, Agency.objects.for_user(u))]
    ),
    WebList(
        "web: audit trail",
        "/audit/",
        "admin",
        lambda u: [(AuditEntry, FOR_USER, AuditEntry.objects.for_user(u).order_by("-id"))],
    ),
    WebList(
        "web: calendar list",
        "/calendar/list/",
        "member",
        lambda u: [
            (Meeting, FOR_USER, _window(Meeting.objects.for_user(u))),
            (Training, FOR_USER, _window(Training.objects.for_user(u))),
        ],
    ),
    WebList(
        "web: my action items",
        "/action-items/",
        "member",
        lambda u: [
            (
                ActionItem,
                FOR_USER,
                ActionItem.objects.for_user(u).filter(status=ActionStatus.OPEN, owner_person=_signed_in(u)),
            )
        ],
    ),
    WebList(
        "web: trainings (past)",
        "/trainings/?when=past",
        "member",
        lambda u: [(Training, FOR_USER, Training.objects.for_user(u).filter(ends_at__lt=timezone.now()))],
    ),
    WebList(
        "web: training requests",
        "/trainings/requests/",
        "coordinator",
        lambda u: [
            (TrainingRequest, FOR_USER, TrainingRequest.objects.for_user(u).exclude(status__in=RequestStatus.closed()))
        ],
    ),
    WebList(
        "web: committees",
        "/meetings/committees/",
        "coordinator",
        lambda u: [(Committee, FOR_USER, Committee.objects.for_user(u))],
    ),
    WebList(
        "web: public trainings",
        "/public/trainings/",
        "",
        lambda u: [
            (
                Training,
                FOR_USER,
                Training.objects.for_user(u).filter(cancelled_at__isnull=True, ends_at__gte=timezone.now()),
            )
        ],
    ),
    WebList(
        "web: API tokens", "/account/tokens/", "officer", lambda u: [(ApiToken, FOR_USER, ApiToken.objects.for_user(u))]
    ),
    WebList(
        "web: grant reports", "/reports/", "coordinator", lambda u: [(Report, FOR_USER, Report.objects.for_user(u))]
    ),
]


def query_counts(cast: Cast) -> list[dict]:
    with transaction.atomic():
        _fixtures(cast)
        results = [*_api_lists(cast), *(_web_list(cast, page) for page in WEB_LISTS)]
        transaction.set_rollback(True)
    return results


# --- API ------------------------------------------------------------------------------------------------


def _api_urls() -> list[str]:
    urls = [f"/api/v1/{prefix}/" for prefix, viewset, _ in router.registry if hasattr(viewset, "list")]
    return [*urls, "/api/v1/referrals/?direction=incoming", "/api/v1/referrals/?direction=outgoing"]


def _api_lists(cast: Cast) -> Iterator[dict]:
    client = Client()
    for url in _api_urls():
        person, headers = _best_person(client, cast, url)
        counts, rows = {}, {}
        for size in SIZES:
            sized = f"{url}{'&' if '?' in url else '?'}page_size={size}"
            status, counts[size], body = _count(client, sized, headers)
            rows[size] = _rows(json.loads(body)) if status == 200 else None
        yield _result(f"api: {url}", url, person, counts, rows)


def _best_person(client: Client, cast: Cast, url: str) -> tuple[str, dict[str, str]]:
    """The person who sees the most rows of this list (ties: the first in PEOPLE_ORDER)."""
    best, best_rows = PEOPLE_ORDER[0], -1
    for name in PEOPLE_ORDER:
        with _quiet():  # the roles without the right get 403, logged as a warning
            response = client.get(url, {"page_size": 50}, headers=_bearer(cast, name))
        rows = _rows(response.json()) if response.status_code == 200 else -1
        if rows > best_rows:
            best, best_rows = name, rows
    return best, _bearer(cast, best)


def _rows(body: object) -> int:
    """Rows of a page: DRF's paginated body, or a plain list (an endpoint without pagination)."""
    if isinstance(body, dict):
        return len(body.get("results", []))
    return len(body) if isinstance(body, list) else 0


@contextmanager
def _quiet() -> Iterator[None]:
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _bearer(cast: Cast, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {cast.tokens[name]}"}


# --- web ------------------------------------------------------------------------------------------------


def _web_list(cast: Cast, page: WebList) -> dict:
    client = Client()
    person: User | AnonymousUser = AnonymousUser()
    if page.person:
        person = cast.by_name()[page.person]
        client.force_login(person, backend="allauth.account.auth_backends.AuthenticationBackend")
    narrowings = page.rows(person)
    counts, rows = {}, {}
    for size in SIZES:
        chosen = [
            (model, methods, list(shown.values_list("pk", flat=True)[:size])) for model, methods, shown in narrowings
        ]
        with _narrowed(chosen):
            status, counts[size], _ = _count(client, page.url, {})
        rows[size] = sum(len(pks) for _, _, pks in chosen) if status == 200 else None
    return _result(page.name, page.url, page.person or "anonymous", counts, rows)


@contextmanager
def _narrowed(chosen: list[tuple[type[Model], tuple[str, ...], list]]) -> Iterator[None]:
    with ExitStack() as stack:
        for model, methods, pks in chosen:
            # The class the manager builds its querysets from (none of the project's overrides get_queryset).
            queryset_class = type(model._default_manager.get_queryset())
            for name in methods:
                original = getattr(queryset_class, name)

                def narrowed(
                    self: QuerySet,
                    *args: Any,
                    _original: Callable[..., QuerySet] = original,
                    _pks: list = pks,
                    **kwargs: Any,
                ) -> QuerySet:
                    return _original(self, *args, **kwargs).filter(pk__in=_pks)

                stack.enter_context(mock.patch.object(queryset_class, name, narrowed))
        yield


# --- counting -------------------------------------------------------------------------------------------


def _count(client: Client, url: str, headers: dict[str, str]) -> tuple[int, int | None, bytes]:
    """The second request's queries (the first of a session records it, and warms caches)."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    queries = [query for query in captured.captured_queries if not query["sql"].startswith(SAVEPOINTS)]
    return response.status_code, len(queries) if response.status_code == 200 else None, response.content


def _result(name: str, url: str, person: str, counts: dict[int, int | None], rows: dict[int, int | None]) -> dict:
    one, fifty = counts[SIZES[0]], counts[SIZES[1]]
    exercised = (rows[SIZES[1]] or 0) > (rows[SIZES[0]] or 0) > 0
    return {
        "list": name,
        "url": url,
        "as": person,
        "rows": [rows[SIZES[0]], rows[SIZES[1]]],
        "queries": [one, fifty],
        "equal": one is not None and one == fifty,
        "full_page": (rows[SIZES[1]] or 0) >= SIZES[1],
        "exercised": exercised,
    }


# --- rows the scale dataset lacks (rolled back with the transaction) --------------------------------------


def _fixtures(cast: Cast) -> None:
    coordinator, member = cast.coordinator, cast.member
    meeting = (
        Meeting.objects.run_by(coordinator)
        .filter(kind=MeetingKind.FULL, cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    host, owner = coordinator.agency, member.agency
    if meeting is None or host is None or owner is None:
        raise SystemExit(
            "The dataset lacks an upcoming full meeting run by the coordinator, or an agency of the coordinator or"
            " member: rebuild it with python -m benchmarks.seed_scale."
        )
    quarter = period_build(kind=PeriodKind.QUARTER, year=timezone.localdate().year, part=1)
    soon = timezone.now() + timedelta(days=3)
    for index in range(50):
        training_offer(
            actor=coordinator,
            data=TrainingInput(
                title=f"Benchmark training {index}",
                description="Recognising the signs of trafficking",
                host_agency=host,
                starts_at=soon,
                ends_at=soon + timedelta(hours=2),
                capacity=30,
                is_public=True,
                sectors=[TrainingSector.values[0]],
                location="County building, room 2",
            ),
        )
        training_request_submit(
            organization=f"Benchmark organization {index}",
            contact_email=f"bench{index}@example.org",
            topic="Recognising labor trafficking",
            preferred_dates="Any weekday morning",
        )
        committee_save(
            actor=coordinator,
            committee=None,
            name=f"Benchmark committee {index}",
            description="",
            chair=None,
            members=[coordinator],
            agencies=[host],
        )
        action_item_create(
            actor=coordinator,
            meeting=meeting,
            title=f"Benchmark follow-up {index}",
            owner_agency=owner,
            owner_person=member,
            due_on=timezone.localdate() + timedelta(days=7),
        )
        api_token_create(user=cast.officer, name=f"benchmark fixture {index}")
        report = report_create(actor=coordinator, period=quarter, measures=["gender"])
        reviewed = figures_fingerprint(report_compute(period=quarter, measure_keys=["gender"]))
        report_approve(report=report, actor=coordinator, reviewed=reviewed)
