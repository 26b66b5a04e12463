"""Text cells a spreadsheet would run as a formula, made inert for CSV ("CSV injection").

Excel, LibreOffice and Google Sheets read a CSV cell that starts with = + - or @ as a formula
(`=HYPERLINK(...)`, `=cmd|' /C calc'!A1`); some also skip a leading tab or carriage return before
deciding, and some read the fullwidth forms of those signs as the signs themselves. OWASP's advice
is followed: such a cell gets a single quote in front, which the spreadsheet shows as text.

Every CSV the portal writes passes its text cells through `spreadsheet_safe` (Python) or
`spreadsheet_safe_sql` (a CASE on the first character, for PostgreSQL's COPY): both apply
`FORMULA_STARTS`, so the two paths write the same bytes. Numbers are left alone: a negative
number the portal writes as a number is a number; "-5 mg" typed by a person is text and is quoted.
XLSX needs none of this: a cell there is typed, and text stays text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Expression, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Concat, Left
from django.db.models.lookups import In

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # the last four: fullwidth = + - @
QUOTE = "'"


def spreadsheet_safe(text: str) -> str:
    """`text`, with a single quote in front when a spreadsheet would read it as a formula."""
    return QUOTE + text if text[:1] in FORMULA_STARTS else text


def spreadsheet_safe_row(row: Iterable[object]) -> list[object]:
    """The row's text cells through `spreadsheet_safe`; numbers, booleans and None as they are."""
    return [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]


def spreadsheet_safe_sql(text: Expression) -> Case:
    """`spreadsheet_safe` in SQL, for a text column that PostgreSQL writes itself (COPY); NULL stays NULL."""
    return Case(
        When(In(Left(text, 1), sorted(FORMULA_STARTS)), then=Concat(Value(QUOTE), text)),
        default=text,
        output_field=CharField(),
    )
