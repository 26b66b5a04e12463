"""Row exports of a referral officer's own referrals, coded fields only.

No reference code, no note, no free text: what leaves the portal here is what the grant
report counts, one row per referral, for the agency's own records. That includes the person code
(the last column): reports count people by it, and this export is the agency's own case data, rows
its officers already see in the portal, so the agency can match the report's people to its own
offline records. It is the only export that holds it: the partner copies of reports hold counts only.

On PostgreSQL the CSV is PostgreSQL's own COPY of the scoped queryset, streamed in chunks; elsewhere
Python's csv writer encodes the same rows to the same bytes. XLSX is written by cases.xlsx_sheet, row by row.

Agency names and counties are typed by people: in the CSV, a text cell a spreadsheet would run as
a formula gets a quote in front (toolkit.spreadsheet_safety), by the same rule in Python and in SQL.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, islice

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, CharField, Expression, F, Func, QuerySet, Value, When
from django.db.models.functions import NullIf, TruncDate
from django.utils import timezone

from agencies.models import User
from cases.models import Referral
from cases.xlsx_sheet import write_table
from toolkit.spreadsheet_safety import spreadsheet_safe_row, spreadsheet_safe_sql

EXPORT_COLUMNS: dict[str, str] = {
    "created_at": "sent (date)",
    "direction": "direction",
    "status": "status",
    "sending_agency__name": "sending agency",
    "receiving_agency__name": "receiving agency",
    "urgency": "urgency",
    "trafficking_type": "trafficking type",
    "victim_status": "potential or confirmed",
    "age_band": "age band",
    "gender": "gender",
    "citizenship": "citizenship",
    "county": "county",
    "language": "language",
    "interpreter_needed": "interpreter needed",
    "source_type": "source type",
    "decline_reason": "decline reason",
    "outcome": "outcome",
    "person_code__code": "person code",
}
_FIELDS = [name for name in EXPORT_COLUMNS if name != "direction"]
_BOOLEAN_FIELDS = {"interpreter_needed"}
CHUNK = 2000  # rows per piece of the Python CSV path and per fetch of the server-side cursor
CHUNK_BYTES = 64 * 1024  # bytes per piece of the COPY path


def _exportable(user: User) -> QuerySet[Referral]:
    """The referrals a person's export holds: those the person may see, no other rule."""
    return Referral.objects.for_user(user)


def export_rows(*, user: User) -> Iterator[list[object]]:
    """Header, then one row per referral the person may see, read in chunks from a server-side cursor."""
    return coded_rows(_exportable(user), agency_id=user.agency_id)


def _local_date() -> TruncDate:
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def coded_rows(referrals: QuerySet[Referral], *, agency_id: int | None) -> Iterator[list[object]]:
    """Header, then one row per referral of `referrals`, which the caller has already scoped to a person
    (the benchmarks run it over every referral); "sent" when `agency_id` sent it, "received" otherwise."""
    yield list(EXPORT_COLUMNS.values())
    # The local date comes from the database: converting 200,000 datetimes in Python took most of the time.
    rows = (
        referrals.order_by("id")
        .annotate(sent_on=_local_date())
        .values_list("sending_agency_id", "sent_on", *_FIELDS[1:])
    )
    # In a transaction, PostgreSQL streams the server-side cursor; outside one, Django declares it WITH
    # HOLD and PostgreSQL computes and stores every row before sending the first.
    with transaction.atomic(using=referrals.db):
        for sending_agency_id, sent_on_date, *rest in rows.iterator(chunk_size=CHUNK):
            direction = "sent" if sending_agency_id == agency_id else "received"
            # A date: the CSV writes it as ISO text ("2025-01-14", as str() gives), the XLSX as a date cell.
            yield [sent_on_date, direction, *rest]


def csv_lines(*, user: User) -> Iterator[bytes]:
    """The CSV of `export_rows`, as UTF-8 bytes in pieces."""
    return csv_chunks(_exportable(user), agency_id=user.agency_id)


def csv_chunks(referrals: QuerySet[Referral], *, agency_id: int | None) -> Iterator[bytes]:
    """The CSV of `coded_rows(referrals, agency_id=...)`: COPY on PostgreSQL, Python's csv writer elsewhere.
    Both write the same bytes for the same rows: CRLF line ends (RFC 4180, as the report CSV), quotes
    only where needed."""
    if connections[referrals.db].vendor == "postgresql":
        return copy_csv(referrals, agency_id=agency_id)
    return (text.encode() for text in csv_encode(coded_rows(referrals, agency_id=agency_id)))


# --- Python path ----------------------------------------------------------------------------


def csv_encode(rows: Iterable[list[object]]) -> Iterator[str]:
    """CSV text in pieces of CHUNK rows: one write to the client per piece rather than per row.

    Quoting follows COPY's CSV format: a field is quoted when it holds a comma, a double quote, a
    line feed or a carriage return (Python's writer quotes the characters of its line terminator,
    CRLF, so both line ends). Records end with CRLF; a line end inside a quoted field stays as typed.

    Text a spreadsheet would run as a formula gets a quote in front, as `copy_select` does in SQL."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    rows = map(spreadsheet_safe_row, rows)
    while batch := list(islice(rows, CHUNK)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


# --- PostgreSQL path ------------------------------------------------------------------------


def _header() -> bytes:
    return next(csv_encode([list(EXPORT_COLUMNS.values())])).encode()


def copy_select(referrals: QuerySet[Referral], *, agency_id: int | None) -> QuerySet[Referral, Mapping[str, object]]:
    """The export's columns of `referrals`, formatted by PostgreSQL as `coded_rows` and Python's csv
    writer format them: a date that does not depend on DateStyle, "True"/"False", NULL for an
    empty string (COPY writes "" for an empty string and nothing for NULL), and a quote before text a
    spreadsheet would run as a formula (`csv_encode` adds it in Python)."""
    columns: dict[str, Expression] = {}
    for field in EXPORT_COLUMNS:
        column: Expression
        if field == "created_at":
            column = Func(_local_date(), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
        elif field == "direction":
            received = Value("received")
            column = (
                received
                if agency_id is None
                else Case(When(sending_agency_id=agency_id, then=Value("sent")), default=received)
            )
        elif field in _BOOLEAN_FIELDS:
            column = Case(When(**{field: True}, then=Value("True")), default=Value("False"))
        else:
            column = spreadsheet_safe_sql(NullIf(F(field), Value("")))
        # Aliases may not name a model field, nor hold spaces: the header is written apart.
        columns[f"c{len(columns)}"] = column
    return referrals.order_by("id").values(**columns)


def copy_csv(referrals: QuerySet[Referral], *, agency_id: int | None) -> Iterator[bytes]:
    """The header, then PostgreSQL's COPY of `copy_select(referrals)` in pieces of about CHUNK_BYTES.

    The SELECT is the compiled Django queryset, so that the scoping of `referrals` is never written
    twice. COPY takes no server-side parameters: psycopg merges them into the statement client-side,
    quoting each as a literal."""
    header = _header()
    queryset = copy_select(referrals, agency_id=agency_id)
    try:
        select, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a queryset.none(): nobody's rows
        yield header
        return
    statement = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
    with (
        transaction.atomic(using=queryset.db),
        connections[queryset.db].cursor() as cursor,
        cursor.cursor.copy(statement, params) as copy,
    ):
        yield from buffered(chain([header], map(_crlf, copy)))


def _crlf(row: memoryview | bytes) -> bytes:
    """One row of COPY, whose record end is LF whatever the platform (COPY has no option for it),
    ended with CRLF as the Python path ends it. PostgreSQL sends one COPY message per row, so the
    last byte is the record's end; a line end inside a field is quoted and stays as typed."""
    data = bytes(row)
    if not data.endswith(b"\n"):
        raise ValueError("A COPY message is one whole CSV row, ending with a line feed.")
    return data[:-1] + b"\r\n"


def buffered(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Pieces of at least CHUNK_BYTES (but the last): PostgreSQL sends one COPY message per row, and
    a write to the client per row would cost more than the row."""
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


# --- XLSX -----------------------------------------------------------------------------------


SHEET_NAME = "Referrals"


def xlsx_file(*, user: User) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook in a temporary file; memory stays bounded whatever the row count."""
    return xlsx_workbook(export_rows(user=user))


def xlsx_workbook(rows: Iterable[list[object]]) -> tempfile.SpooledTemporaryFile:
    """One sheet, "Referrals", with `rows` in it (the first being the header), by cases.xlsx_sheet."""
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    try:
        write_table(rows, sheet_name=SHEET_NAME, target=target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target
