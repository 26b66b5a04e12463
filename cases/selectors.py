from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]  # Django 5.2 has no stubs for it
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from agencies.models import Agency, User
from cases.models import (
    CODED_FIELDS,
    OPEN_STATUSES,
    URGENCY_RANK,
    URGENCY_RANKS,
    Comment,
    Referral,
    ReferralNeed,
    ReferralQuerySet,
    TimelineEvent,
    visibility_key,
)
from toolkit import fulltext
from toolkit.compiled import CompiledQuery


def _visible(user: User, direction: str) -> ReferralQuerySet:
    """`for_user`, or its narrower "incoming" / "outgoing" part (index-friendly for lists)."""
    manager = Referral.objects
    narrower = {"incoming": manager.incoming_for, "outgoing": manager.outgoing_for}
    return narrower.get(direction, manager.for_user)(user)


def referrals_for(*, user: User, direction: str = "") -> ReferralQuerySet:
    """The referrals a person may see (all, or only "incoming" / "outgoing"), with everything a
    list row shows loaded in a constant number of queries."""
    return (
        _visible(user, direction)
        .select_related("sending_agency", "receiving_agency", "consent", "person_code")
        .prefetch_related("needs")
    )


# The columns of a referral list row, fetched as plain values: the hot list skips model instances.
LIST_COLUMNS = {
    "sending_agency_name": F("sending_agency__name"),
    "receiving_agency_name": F("receiving_agency__name"),
    "consent_method": F("consent__method"),
    "consent_given_on": F("consent__given_on"),
    "consent_scope": F("consent__scope"),
    "consent_expires_on": F("consent__expires_on"),
    "consent_revoked_at": F("consent__revoked_at"),
    # Seen exactly as the referral is (the same row): "person_code" itself names the foreign key.
    "person_code_value": F("person_code__code"),
    # The hand-off contacts (staff, never a survivor): who sent it, and who handles it at the receiver.
    "sender_contact_first_name": F("sent_by__first_name"),
    "sender_contact_last_name": F("sent_by__last_name"),
    "sender_contact_email": F("sent_by__email"),
    "receiver_contact_first_name": F("receiver_contact__first_name"),
    "receiver_contact_last_name": F("receiver_contact__last_name"),
    "receiver_contact_email": F("receiver_contact__email"),
}
LIST_FIELDS = (
    "id",
    "reference_code",
    "status",
    *CODED_FIELDS,
    "note",
    "decline_reason",
    "outcome",
    "consent_id",
    "flagged_for_review_at",
    "created_at",
    "accepted_at",
    "closed_at",
    "awaiting_since",
    "escalated_to_admins_at",
    "escalated_to_cochairs_at",
    "receiver_contact_id",
)


# What the API reads for each visibility key (cases.models.visibility_key) and direction, made once per
# process as a view's class-level queryset is: building the rows' queryset (the rule's joins, the
# columns, the needs) took 0.7-0.9 ms of an API request, more than PostgreSQL took to run it. The
# queryset is never evaluated itself: every caller gets a clone (`.all()`), whose filters, ordering and
# slices are its own.
_ROWS_BY_KEY: dict[tuple, QuerySet[Referral, dict[str, Any]]] = {}
# Bounded by REFERRAL_QUERY_CACHE_KEYS (settings): keys hold an agency, a direction and a date, so a
# deployment needs about 3 per agency and day; past the bound every key is forgotten and rebuilt.


def referral_rows(*, user: User, direction: str = "") -> QuerySet[Referral, dict[str, Any]]:
    """The same referrals as `referrals_for`, as dictionaries of list columns."""
    return _kept(user, direction).all()


# The detail's statement, `rows.filter(pk=...)`, compiled once per visibility key: compiling it again
# took 0.6 ms of a detail request. tests/cases/test_referral_rows_reuse.py holds it to the ORM's answer.
_ONE_ROW = CompiledQuery(pk=Referral._meta.pk, max_keys=settings.REFERRAL_QUERY_CACHE_KEYS)


def referral_row_get(*, user: User, pk: int) -> dict:
    """One referral as `referral_rows` gives it; 404 as `referral_get` for one the person may not see."""
    key = (visibility_key(user), connection.vendor)
    rows = with_needs(_ONE_ROW.rows(key, lambda pk: _kept(user, "").filter(pk=pk), pk=pk))
    if not rows:
        raise Http404
    return rows[0]


def _kept(user: User, direction: str) -> QuerySet[Referral, dict[str, Any]]:
    key = (visibility_key(user), direction, connection.vendor)
    rows = _ROWS_BY_KEY.get(key)
    if rows is None:
        if len(_ROWS_BY_KEY) >= settings.REFERRAL_QUERY_CACHE_KEYS:
            _ROWS_BY_KEY.clear()
        rows = _ROWS_BY_KEY[key] = _rows_build(user, direction)
    return rows


def _rows_build(user: User, direction: str) -> QuerySet[Referral, dict[str, Any]]:
    rows = _visible(user, direction).values(*LIST_FIELDS, **LIST_COLUMNS)
    if connection.vendor == "postgresql":
        # The needs in the same query, as an array: one round trip fewer on the hot list (see with_needs).
        needs = ReferralNeed.objects.filter(referral=OuterRef("pk")).order_by("id").values("need")
        rows = rows.annotate(needs=ArraySubquery(needs))
    # Compiled once before it is shared, so that no two clones are the first to compile it. A person
    # without the referral role has nobody's rows: nothing to compile.
    with suppress(EmptyResultSet):
        rows.query.get_compiler(using=rows.db).as_sql()
    return rows


def with_needs(rows: list[dict]) -> list[dict]:
    """One page of `referral_rows`, each with its "needs": already there on PostgreSQL, one query elsewhere."""
    if rows and "needs" not in rows[0]:
        needs = needs_of(referral_ids=[row["id"] for row in rows])
        for row in rows:
            row["needs"] = needs[row["id"]]
    return rows


def needs_of(*, referral_ids: list[int]) -> dict[int, list[str]]:
    """Needs of one page of referrals, in one query (call it with the page's ids, never a whole list)."""
    needs: dict[int, list[str]] = {referral_id: [] for referral_id in referral_ids}
    for referral_id, need in ReferralNeed.objects.filter(referral_id__in=referral_ids).values_list(
        "referral_id", "need"
    ):
        needs[referral_id].append(need)
    return needs


def referral_get(*, user: User, pk: int, with_history: bool = True) -> Referral:
    """404 for a referral of another agency, or one whose consent ended, as for a missing one.
    `with_history` also loads the timeline, the comments and the services provided (the referral's page
    shows them; the API's representation does not, and skips their three queries)."""
    queryset = referrals_for(user=user)
    if with_history:
        queryset = queryset.prefetch_related(
            Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor", "agency")),
            Prefetch("comments", queryset=Comment.objects.select_related("author", "agency")),
            "services",
        )
    return get_object_or_404(queryset, pk=pk)


def referrals_lost_count(*, user: User) -> int:
    """How many referrals sent to the person's agency are no longer visible because consent ended."""
    if not user.agency_id:
        return 0
    return Referral.objects.lost_to_agency(user.member_agency).count()


SEARCH_HIT_FIELDS = ("id", "reference_code", "status", "created_at")
SEARCH_WINDOW = 300  # newest referrals of a side read first for a search of several words (fulltext.newest_matching)


def referrals_matching(*, user: User, text: str, limit: int) -> list[dict]:
    """The newest `limit` referrals the person may see whose note matches `text` (full-text on PostgreSQL),
    as rows of SEARCH_HIT_FIELDS.

    The referrals sent by the person's agency and those it received are searched apart, each newest first,
    and merged: together they are `for_user`, and a referral is never both (no agency refers to itself).
    With the OR of `for_user`, PostgreSQL had to collect every match of a common word before it could sort
    them; apart, it walks each agency's (agency, id) index and stops after `limit` matches."""
    parts = {"outgoing": Referral.objects.outgoing_for(user), "incoming": Referral.objects.incoming_for(user)}
    rows = [
        row
        for side, part in parts.items()
        for row in fulltext.newest_matching(
            part,
            key=("referrals", side, visibility_key(user), connection.vendor),
            vector="note_search",
            text=text,
            text_field="note",
            fields=SEARCH_HIT_FIELDS,
            limit=limit,
            window=SEARCH_WINDOW,
        )
    ]
    return sorted(rows, key=itemgetter("id"), reverse=True)[:limit]


# --- The referral list: open referrals first, the most urgent and the oldest on top --------------------

# OPEN_STATUSES (what the list opens on) and URGENCY_RANK (emergency, urgent, routine) live in cases.models,
# beside the indexes that serve this order: the list sorts on the rank, then on age (oldest first), ties
# broken by id so that every page (and the API's cursor) is stable.
URGENCY_THEN_AGE = (URGENCY_RANK.asc(), F("created_at").asc(), F("id").asc())

# A reference code, or its beginning ("JC-2026-00012", "jc-2026"): letters, digits and hyphens only.
REFERENCE_PREFIX = re.compile(r"\A[A-Za-z0-9-]{1,20}\Z")

_Q = TypeVar("_Q", bound=QuerySet)


@dataclass(frozen=True)
class ReferralListFilters:
    """What the referral list is narrowed to, on the web and in the API alike. Empty values filter nothing;
    `statuses` empty means every status. `created_from` is inclusive, `created_until` exclusive."""

    statuses: tuple[str, ...] = OPEN_STATUSES
    urgency: str = ""
    age_band: str = ""
    need: str = ""
    created_from: datetime | None = None
    created_until: datetime | None = None
    reference: str = ""
    escalated: bool = False

    def narrows(self) -> bool:
        """Anything other than the list's default (every open referral)?"""
        return self != ReferralListFilters()


def referrals_filtered(queryset: _Q, filters: ReferralListFilters) -> _Q:
    """`queryset` (model instances or `referral_rows`) narrowed to `filters`: the same conditions on the
    web list and in the API (whose ReferralFilter calls the single-filter functions below)."""
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.urgency:
        queryset = queryset.filter(urgency=filters.urgency)
    if filters.age_band:
        queryset = queryset.filter(age_band=filters.age_band)
    if filters.need:
        queryset = referrals_needing(queryset, filters.need)
    if filters.created_from:
        queryset = queryset.filter(created_at__gte=filters.created_from)
    if filters.created_until:
        queryset = queryset.filter(created_at__lt=filters.created_until)
    if filters.reference:
        queryset = referrals_with_reference(queryset, filters.reference)
    if filters.escalated:
        queryset = referrals_escalated(queryset)
    return queryset


def referrals_needing(queryset: _Q, need: str) -> _Q:
    # EXISTS, not a join: a row stays one row (values() and the API's cursor read rows, not distinct ones).
    return queryset.filter(Exists(ReferralNeed.objects.filter(referral=OuterRef("pk"), need=need)))


def referrals_with_reference(queryset: _Q, text: str) -> _Q:
    """The referrals whose reference code is `text` or begins with it, in any case. A reference code holds
    letters, digits and hyphens (ValueError for anything else: callers validate first)."""
    text = text.strip()
    if not REFERENCE_PREFIX.fullmatch(text):
        raise ValueError("not a reference code")
    return queryset.filter(reference_code__istartswith=text)


def referrals_escalated(queryset: _Q) -> _Q:
    """Escalated to the receiving agency's administrators (cases/escalation.py)."""
    return queryset.filter(escalated_to_admins_at__isnull=False)


def referrals_by_urgency(queryset: _Q) -> _Q:
    return queryset.order_by(*URGENCY_THEN_AGE)


def referrals_past(queryset: _Q, *, rank: int, created_at: datetime, pk: int, back: bool = False) -> _Q:
    """The rows after (before, `back`) the place (rank, created_at, id) in the urgency order, for a cursor.

    One row comparison, `(rank, created_at, id) > (...)`, which PostgreSQL reads as a range of the
    (receiving agency, rank, created_at, id) indexes: a page costs a page at any depth. Spelled as
    an OR of three conditions, it was a filter over every row before the place."""
    place = (TupleLessThan if back else TupleGreaterThan)(
        Tuple(URGENCY_RANK, F("created_at"), F("id")), (rank, created_at, pk)
    )
    return queryset.filter(place)


def urgency_rank(urgency: str) -> int:
    """URGENCY_RANK, for a row already read (the API's cursor names a row's place by it)."""
    return URGENCY_RANKS.get(urgency, len(URGENCY_RANKS))


def counties_known() -> list[str]:
    """The counties of the active member agencies: the referral form offers them, and only these are
    sent to the suggestions fragment (a county typed freely could hold anything; a URL must not)."""
    counties = Agency.objects.filter(is_active=True).exclude(county="").values_list("county", flat=True)
    return sorted(set(counties), key=str.casefold)
