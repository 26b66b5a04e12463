"""A one-sheet XLSX workbook of a plain table, written row by row into a zip.

Why not openpyxl, which the grant reports use: its write-only mode builds a cell object and an
lxml element for every cell, 5-6 µs each, so a 17-column export ran at 3,000 to 9,000 rows a second
depending on the machine (benchmark 4 asks for 10,000). A referral export is a table of short,
often repeated texts: here each distinct text is escaped once into the shared-string table, and a
row is one formatted string. openpyxl still reads every file this writes, in the tests.

The package holds what SpreadsheetML (ECMA-376 part 1) requires for one worksheet, plus a style
sheet with a bold header row, which stays in view (frozen) while scrolling.

Cells: str (the empty string leaves the cell empty), bool, int, float, date (a serial day number
shown as yyyy-mm-dd, so that spreadsheets sort, filter and compute with it) and None (empty).

Memory is bounded whatever the row count: the shared-string table keeps at most SHARED_STRINGS_LIMIT
distinct texts (the coded values, seen in the first rows, fill it first); a text first seen after it is
full is written inline in its cell (`t="inlineStr"`), which every reader reads the same. An export of
millions of rows, each with its own reference code, then holds the first 50,000 codes, not all of them.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAX_ROWS = 1_048_576  # a worksheet's limit in Excel
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767  # characters in a cell
# Distinct texts kept in the shared-string table (about 5 MB of short texts); later ones are inline.
SHARED_STRINGS_LIMIT = 50_000
# What XML 1.0 cannot hold: C0 controls but tab and line ends, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_CONTENT_TYPES = f"""{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/sharedStrings.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

_PACKAGE_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

_WORKBOOK_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>\
<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""

# Style 0: the default; style 1: bold, for the header row; style 2: a date (custom number format 164,
# the first id free for custom formats, ISO as the CSV writes it).
_STYLES = f"""{DECLARATION}<styleSheet xmlns="{MAIN}">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_SHEET_START = f"""{DECLARATION}<worksheet xmlns="{MAIN}">\
<sheetViews><sheetView workbookViewId="0">\
<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
<selection pane="bottomLeft"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight="15"/><sheetData>"""
_SHEET_END = "</sheetData></worksheet>"

# Day 0 of spreadsheets' 1900 date system as Excel counts it (it keeps Lotus's 29 February 1900, so
# serial numbers from March 1900 on are days since 30 December 1899).
_EPOCH = date(1899, 12, 30)
_DATE_STYLE = ' s="2"'

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _escaped(text: str) -> str:
    # A bare carriage return would reach the reader as a line feed (XML normalises line ends).
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


def _quoted_attribute(text: str) -> str:
    return _escaped(text).replace('"', "&quot;")


def column_letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: the first `count` column names."""
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


class _SharedStrings:
    """Each distinct text once, in first-seen order, up to `limit` texts; a cell refers to it by position."""

    def __init__(self, limit: int = SHARED_STRINGS_LIMIT) -> None:
        self.index: dict[str, int] = {}
        self.references = 0
        self.limit = limit

    def position(self, text: str) -> int | None:
        """The text's position in the table, or None when the table is full and does not hold it."""
        position = self.index.get(text)
        if position is None:
            if len(self.index) >= self.limit:
                return None
            position = self.index[text] = len(self.index)
        self.references += 1
        return position

    def xml(self) -> Iterable[str]:
        yield f'{DECLARATION}<sst xmlns="{MAIN}" count="{self.references}" uniqueCount="{len(self.index)}">'
        for text in self.index:  # dicts keep insertion order: the positions given out
            yield f'<si><t xml:space="preserve">{_escaped(text)}</t></si>'
        yield "</sst>"


def write_table(
    rows: Iterable[Sequence[object]],
    *,
    sheet_name: str,
    target: IO[bytes],
    shared_strings_limit: int = SHARED_STRINGS_LIMIT,
) -> int:
    """Write the workbook to `target` (a writable binary file, seekable or not): one sheet named
    `sheet_name`, the first of `rows` as its bold header. Returns the number of rows written.

    Raises ValueError for a name Excel refuses, a cell of another type, a text longer than a cell
    holds, or more rows or columns than a sheet holds;
    `target` then holds an incomplete file, which the caller discards."""
    if not 1 <= len(sheet_name) <= 31 or any(character in sheet_name for character in "[]:*?/\\"):
        raise ValueError("A sheet's name has 1 to 31 characters, none of [ ] : * ? / \\.")
    strings = _SharedStrings(shared_strings_limit)
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr(
            "xl/workbook.xml",
            f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            f'<sheet name="{_quoted_attribute(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_START.encode())
            batch: list[str] = []
            letters: list[str] = []
            style = ' s="1"'  # the header's
            for count, row in enumerate(rows, start=1):
                if count > MAX_ROWS:
                    raise ValueError(f"A worksheet holds at most {MAX_ROWS:,} rows.")
                if len(row) > len(letters):
                    if len(row) > MAX_COLUMNS:
                        raise ValueError(f"A worksheet holds at most {MAX_COLUMNS:,} columns.")
                    letters = column_letters(len(row))
                batch.append(_row(count, row, letters, strings, style))
                style = ""
                if len(batch) == 1000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + _SHEET_END).encode())
        with package.open("xl/sharedStrings.xml", "w") as shared:
            for piece in strings.xml():
                shared.write(piece.encode())
    return count


def _row(number: int, values: Sequence[object], letters: list[str], strings: _SharedStrings, style: str) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=False):
        if value is None or value == "":
            # An empty cell, written all the same: readers then see every row as wide as the header.
            cells.append(f'<c r="{letter}{number}"{style}/>')
        elif isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise ValueError(f"A cell holds at most {MAX_TEXT:,} characters.")
            position = strings.position(value)
            if position is None:
                inline = f'<is><t xml:space="preserve">{_escaped(value)}</t></is>'
                cells.append(f'<c r="{letter}{number}" t="inlineStr"{style}>{inline}</c>')
            else:
                cells.append(f'<c r="{letter}{number}" t="s"{style}><v>{position}</v></c>')
        elif isinstance(value, bool):  # before int: a bool is an int in Python
            cells.append(f'<c r="{letter}{number}" t="b"{style}><v>{int(value)}</v></c>')
        elif isinstance(value, int):
            cells.append(f'<c r="{letter}{number}"{style}><v>{int(value)}</v></c>')  # int(): an IntEnum's value
        elif isinstance(value, float) and math.isfinite(value):
            cells.append(f'<c r="{letter}{number}"{style}><v>{float(value)!r}</v></c>')
        elif isinstance(value, date) and not isinstance(value, datetime):  # a datetime has a time of day
            cells.append(f'<c r="{letter}{number}"{_DATE_STYLE}><v>{(value - _EPOCH).days}</v></c>')
        else:
            raise ValueError(f"A cell holds text, a finite number, a date or true/false, not {value!r}.")
    return f'<row r="{number}">{"".join(cells)}</row>'
