"""Benchmark-only ceiling views: the least work that can serve the same bytes in the same gunicorn.

Routed by benchmarks/urls.py only (benchmarks/settings.py); no sign-in, no audit, no throttle: they
measure what the server, the database and the encoder cost on their own, so that the portal's
figures can be given as a ratio of them (the machines are noisy; absolute figures are not).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from psycopg import sql

from cases import exports
from cases.models import Referral, consent_in_force
from cases.selectors import LIST_COLUMNS, LIST_FIELDS

PAGE = 50
ORJSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _json(data: object) -> HttpResponse:
    return HttpResponse(orjson.dumps(data, option=ORJSON_OPTIONS), content_type="application/json")


def referral_list_ceiling(request: HttpRequest) -> HttpResponse:
    """Benchmark 1: the rows of the first page of an agency's incoming list, values() and orjson, one query."""
    agency_id = int(request.GET["agency"])
    rows = Referral.objects.filter(Q(receiving_agency_id=agency_id) & consent_in_force()).order_by("-id")
    return _json({"results": list(rows.values(*LIST_FIELDS, **LIST_COLUMNS)[:PAGE])})


def referral_detail_ceiling(request: HttpRequest, pk: int) -> HttpResponse:
    """Benchmark 8: one referral by primary key, values() and orjson, one query."""
    return _json(Referral.objects.values(*LIST_FIELDS, **LIST_COLUMNS).get(pk=pk))


def _with_pid(response: StreamingHttpResponse) -> StreamingHttpResponse:
    # The client samples this worker's memory (/proc/<pid>/status) while the body streams.
    response["X-Worker-Pid"] = str(os.getpid())
    return response


def export_csv_all(request: HttpRequest) -> StreamingHttpResponse:
    """Benchmark 4: the portal's CSV export code path over all referrals (no role may export them all)."""
    chunks = exports.csv_chunks(Referral.objects.all(), agency_id=None)
    return _with_pid(StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8"))


# The same columns as cases.exports, in PostgreSQL: local date, direction ("received": no agency's
# own), names through joins, "True"/"False" and empty strings unquoted as Python's csv writes them.
_COPY = """
COPY (
  SELECT (r.created_at AT TIME ZONE {zone})::date AS "sent (date)", 'received' AS "direction", r.status AS "status",
         s.name AS "sending agency", v.name AS "receiving agency", r.urgency AS "urgency",
         r.trafficking_type AS "trafficking type", r.victim_status AS "potential or confirmed",
         r.age_band AS "age band", r.gender AS "gender", r.citizenship AS "citizenship", r.county AS "county",
         r.language AS "language", CASE WHEN r.interpreter_needed THEN 'True' ELSE 'False' END AS "interpreter needed",
         r.source_type AS "source type", NULLIF(r.decline_reason, '') AS "decline reason",
         NULLIF(r.outcome, '') AS "outcome"
  FROM cases_referral r
  JOIN agencies_agency s ON s.id = r.sending_agency_id
  JOIN agencies_agency v ON v.id = r.receiving_agency_id
  ORDER BY r.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def _copy_chunks() -> Iterator[bytes]:
    statement = sql.SQL(_COPY).format(zone=sql.Literal(settings.TIME_ZONE))
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        yield from exports.buffered(bytes(data) for data in copy)


def copy_csv_all(request: HttpRequest) -> StreamingHttpResponse:
    """Benchmark 4's ceiling: PostgreSQL's COPY of the same rows and columns, streamed in 64 KiB chunks."""
    return _with_pid(StreamingHttpResponse(_copy_chunks(), content_type="text/csv; charset=utf-8"))
