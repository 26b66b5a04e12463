"""Row exports. CSV: COPY on PostgreSQL, Python's csv writer elsewhere, the same bytes either way;
XLSX: the same rows, read back by openpyxl.

Run on SQLite and on PostgreSQL (DATABASE_URL): on PostgreSQL `csv_lines` goes through COPY and each
CSV test compares it with the Python encoder run explicitly over the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Agency, User
from agencies.roles import Role
from cases import exports
from cases.choices import Status
from cases.models import Referral
from cases.services import consent_revoke
from tests.cases.referral_helpers import referral_in, send
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")
HEADER = (
    b"sent (date),direction,status,sending agency,receiving agency,urgency,trafficking type,"
    b"potential or confirmed,age band,gender,citizenship,county,language,interpreter needed,"
    b"source type,decline reason,outcome,person code\r\n"
)


def exported(user: User) -> bytes:
    """What the portal serves, with the Python encoder's bytes over the same rows checked against it."""
    served = b"".join(exports.csv_lines(user=user))
    assert served == python_encoded(user)
    return served


def python_encoded(user: User) -> bytes:
    return b"".join(text.encode() for text in exports.csv_encode(exports.export_rows(user=user)))


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def officer_of(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER)


@pytest.fixture
def chicago() -> Iterator[None]:
    with timezone.override(ZoneInfo("America/Chicago")):
        yield


def test_it_exports_the_same_bytes_as_the_python_encoder(officer, outsider_officer, other_agency):
    send(officer, other_agency)
    referral_in(Status.DECLINED, sender=officer, receiver=outsider_officer)
    referral_in(Status.CLOSED, sender=outsider_officer, receiver=officer, interpreter_needed=False)
    data = exported(officer)
    # RFC 4180, as the report CSV: every record ends with CRLF, in both paths (`exported` compares them).
    assert data.startswith(HEADER) and data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n") == 4
    rows = rows_of(data)
    assert [row[1] for row in rows[1:]] == ["sent", "sent", "received"]
    assert [row[13] for row in rows[1:]] == ["True", "True", "False"]
    assert [row[15:17] for row in rows[1:]] == [["", ""], ["no_capacity", ""], ["", "services_provided"]]


@on_postgresql
def test_it_streams_copy_on_postgresql(officer, other_agency):
    send(officer, other_agency)
    referrals = Referral.objects.for_user(officer)
    assert b"".join(exports.copy_csv(referrals, agency_id=officer.agency_id)) == python_encoded(officer)


def test_it_writes_empty_strings_as_empty_unquoted_fields(officer, other_agency):
    referral = send(officer, other_agency)
    line = exported(officer).splitlines()[1]
    assert line.endswith(b",hotline,,," + referral.person_code.code.encode()) and b'""' not in line


def test_it_exports_only_the_referrals_the_officer_may_see(officer, outsider_officer, other_agency):
    sent = send(officer, other_agency)
    received = send(outsider_officer, officer.agency)
    revoked = send(outsider_officer, officer.agency, county="Revoked County")
    consent_revoke(referral=revoked, actor=outsider_officer)
    send(outsider_officer, AgencyFactory(name="Unrelated Clinic"), county="Elsewhere County")
    rows = rows_of(exported(officer))
    assert len(rows) == 1 + 2
    assert {(row[1], row[3], row[4]) for row in rows[1:]} == {
        ("sent", sent.sending_agency.name, sent.receiving_agency.name),
        ("received", received.sending_agency.name, received.receiving_agency.name),
    }
    assert not {"Revoked County", "Elsewhere County"} & {row[11] for row in rows[1:]}
    # The sender still exports the referral whose consent it withdrew.
    assert "Revoked County" in {row[11] for row in rows_of(exported(outsider_officer))[1:]}


def test_it_exports_only_the_header_to_someone_who_handles_no_referrals(member, officer, other_agency):
    send(officer, other_agency)
    assert exported(member) == HEADER


@pytest.mark.parametrize(
    "name",
    ['Hope, "Light" & Co', 'Quote" only', "Comma, only", "\\.", "Line\nfeed", "Carriage\rreturn", "Ünïcode \u2013 ✓"],
)
def test_it_quotes_agency_names_as_copy_does(officer, name):
    tricky = AgencyFactory(name=name)
    send(officer, tricky)
    send(officer_of(tricky), officer.agency)
    data = exported(officer)
    rows = rows_of(data)
    assert [(row[3], row[4]) for row in rows[1:]] == [(officer.agency.name, name), (name, officer.agency.name)]
    encoded = name.encode()
    needs_quotes = any(char in name for char in ',"\r\n')
    field = b'"' + encoded.replace(b'"', b'""') + b'"' if needs_quotes else encoded
    assert data.count(b"," + field + b",") == 2
    # A line end inside a quoted field stays as typed; each record ends with CRLF.
    assert data.split(b"\r\n") == [HEADER[:-2], *data.split(b"\r\n")[1:3], b""]


@pytest.mark.parametrize(
    ("created_at", "local_date"),
    [
        (datetime(2025, 1, 15, 3, 0, tzinfo=UTC), "2025-01-14"),  # 21:00 the day before, CST
        (datetime(2025, 1, 15, 6, 0, tzinfo=UTC), "2025-01-15"),  # midnight CST
        (datetime(2025, 7, 1, 4, 30, tzinfo=UTC), "2025-06-30"),  # 23:30 CDT
        (datetime(2025, 7, 1, 5, 30, tzinfo=UTC), "2025-07-01"),  # 00:30 CDT
    ],
)
def test_it_gives_the_local_date_sent(chicago, officer, other_agency, created_at, local_date):
    referral = send(officer, other_agency)
    Referral.objects.filter(pk=referral.pk).update(created_at=created_at)
    assert rows_of(exported(officer))[1][0] == local_date


def test_it_streams_in_chunks_of_whole_rows(monkeypatch, officer, other_agency):
    for _ in range(6):
        send(officer, other_agency)
    whole = exported(officer)
    monkeypatch.setattr(exports, "CHUNK_BYTES", 300)
    monkeypatch.setattr(exports, "CHUNK", 2)
    chunks = list(exports.csv_lines(user=officer))
    assert len(chunks) > 2
    assert all(isinstance(chunk, bytes) and chunk.endswith(b"\r\n") for chunk in chunks)
    assert b"".join(chunks) == whole


def test_it_leaves_the_connection_usable_when_the_client_goes_away(monkeypatch, officer, other_agency):
    for _ in range(6):
        send(officer, other_agency)
    monkeypatch.setattr(exports, "CHUNK_BYTES", 1)
    monkeypatch.setattr(exports, "CHUNK", 1)
    chunks = exports.csv_lines(user=officer)
    assert next(chunks) == HEADER
    next(chunks)
    chunks.close()
    assert Referral.objects.count() == 6


# --- XLSX -----------------------------------------------------------------------------------


def workbook_rows(user: User, *, read_only: bool) -> tuple[list[tuple[object, ...]], str]:
    sheet = load_workbook(exports.xlsx_file(user=user), read_only=read_only)[exports.SHEET_NAME]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    return rows, sheet.calculate_dimension(force=True) if read_only else sheet.calculate_dimension()


@pytest.mark.parametrize("read_only", [False, True])
def test_it_writes_the_rows_to_an_xlsx_workbook(officer, outsider_officer, read_only):
    tricky = AgencyFactory(name=' <Hope> & "Light", Co\r\n')
    send(officer, tricky, interpreter_needed=False)
    referral_in(Status.DECLINED, sender=officer, receiver=outsider_officer)
    send(officer_of(tricky), officer.agency)
    rows, dimension = workbook_rows(officer, read_only=read_only)
    expected = [tuple(None if value == "" else value for value in row) for row in exports.export_rows(user=officer)]
    # The date sent is a date (openpyxl reads a date cell back as a datetime at midnight), not text.
    expected[1:] = [(datetime.combine(row[0], time()), *row[1:]) for row in expected[1:]]
    assert rows == expected and len(rows) == 4 and dimension == "A1:R4"
    assert rows[1][4] == tricky.name and rows[1][13] is False and rows[2][15] == "no_capacity"


def test_it_replaces_control_characters_that_xml_cannot_hold(officer):
    send(officer, AgencyFactory(name="Bell\x07 Center"))
    rows, _dimension = workbook_rows(officer, read_only=False)
    assert rows[1][4] == "Bell\ufffd Center"


def test_it_writes_a_header_only_workbook_when_there_are_no_rows(member):
    rows, dimension = workbook_rows(member, read_only=True)
    assert rows == [tuple(exports.EXPORT_COLUMNS.values())] and dimension == "A1:R1"
