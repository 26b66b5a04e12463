"""The one-sheet XLSX writer of the referral export: what openpyxl reads back from it, and its refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from enum import IntEnum

import pytest
from openpyxl import load_workbook

from cases import xlsx_sheet
from cases.xlsx_sheet import column_letters, write_table

TRICKY = [' <Hope> & "Light", Co\r\n', "tab\there", "  spaces  ", "Ünïcödé ✓ 🌻", "'quoted'", "]]>"]


def written(rows: list[list[object]], sheet_name: str = "Referrals") -> io.BytesIO:
    target = io.BytesIO()
    write_table(rows, sheet_name=sheet_name, target=target)
    target.seek(0)
    return target


@pytest.mark.parametrize("read_only", [False, True])
def test_openpyxl_reads_back_every_kind_of_cell(read_only):
    rows = [
        ["text", "flag", "whole", "decimal", "empty"],
        *[[text, True, 7, 2.5, None] for text in TRICKY],
        ["", False, -3, 1e-9, ""],
    ]
    book = load_workbook(written(rows, sheet_name='R&D "Q1"'), read_only=read_only)
    assert book.sheetnames == ['R&D "Q1"']
    read = [tuple(row) for row in book.active.iter_rows(values_only=True)]
    expected = [tuple(None if value == "" else value for value in row) for row in rows]
    assert read == expected


def test_the_header_is_bold_and_stays_in_view():
    sheet = load_workbook(written([["a", "b"], ["1", "2"]])).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["B1"].font.b and not sheet["A2"].font.b


def test_each_distinct_text_is_stored_once():
    rows = [["county"], *(["Juniper County"] for _ in range(500)), ["Aspen County"]]
    package = zipfile.ZipFile(written(rows))
    assert package.testzip() is None
    strings = package.read("xl/sharedStrings.xml").decode()
    assert 'count="502" uniqueCount="3"' in strings and strings.count("Juniper County") == 1


def test_characters_that_xml_cannot_hold_are_replaced():
    rows = [["name"], ["Bell\x07 Center\x00"], ["end\ufffe\uffff"], ["half \ud800 pair"], ["tab\tand\nline"]]
    sheet = load_workbook(written(rows)).active
    assert [cell.value for cell in sheet["A"]][1:] == [
        "Bell\ufffd Center\ufffd",
        "end\ufffd\ufffd",
        "half \ufffd pair",
        "tab\tand\nline",
    ]


def test_numbers_are_written_as_their_value():
    class Size(IntEnum):
        LARGE = 3

    sheet = load_workbook(written([["n"], [Size.LARGE], [2**40], [-0.25]])).active
    assert [cell.value for cell in sheet["A"]][1:] == [3, 2**40, -0.25]


def test_it_refuses_a_text_longer_than_a_cell_holds():
    assert write_table([["a"], ["x" * 32_767]], sheet_name="S", target=io.BytesIO()) == 2
    with pytest.raises(ValueError, match="A cell holds at most 32,767 characters"):
        write_table([["a"], ["x" * 32_768]], sheet_name="S", target=io.BytesIO())


def test_columns_past_z_are_named_as_spreadsheets_name_them():
    letters = column_letters(703)
    assert letters[:3] == ["A", "B", "C"] and letters[25:28] == ["Z", "AA", "AB"]
    assert letters[701:] == ["ZZ", "AAA"]
    sheet = load_workbook(written([[f"c{n}" for n in range(30)]])).active
    assert sheet["AD1"].value == "c29" and sheet.max_column == 30


def test_a_header_alone_is_a_valid_workbook():
    read = list(load_workbook(written([["a", "b"]]), read_only=True).active.iter_rows(values_only=True))
    assert read == [("a", "b")]


@pytest.mark.parametrize("read_only", [False, True])
def test_dates_are_stored_as_dates_with_a_date_format(read_only):
    """Text "2026-03-08" sorted and filtered as text in a spreadsheet; a date is a serial number shown
    through a date format, which every reader turns back into a date."""
    days = [date(2026, 3, 8), date(1900, 3, 1), date(2099, 12, 31)]
    sheet = load_workbook(written([["sent"], *([day] for day in days)]), read_only=read_only).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [datetime(day.year, day.month, day.day) for day in days]
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in cells)


@pytest.mark.parametrize("value", [datetime(2026, 1, 1, 9), float("nan"), float("inf"), object()])
def test_it_refuses_a_cell_it_cannot_write(value):
    with pytest.raises(ValueError, match="A cell holds text, a finite number, a date or true/false"):
        write_table([["a"], [value]], sheet_name="S", target=io.BytesIO())


def test_it_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(xlsx_sheet, "MAX_ROWS", 3)
    assert write_table([["a"], ["1"], ["2"]], sheet_name="S", target=io.BytesIO()) == 3
    with pytest.raises(ValueError, match="at most 3 rows"):
        write_table([["a"], ["1"], ["2"], ["3"]], sheet_name="S", target=io.BytesIO())


@pytest.mark.parametrize("name", ["", "x" * 32, "a/b", "Q[1]", "what?"])
def test_it_refuses_a_sheet_name_excel_refuses(name):
    with pytest.raises(ValueError, match="A sheet's name has 1 to 31 characters"):
        write_table([["a"]], sheet_name=name, target=io.BytesIO())


@pytest.mark.parametrize("read_only", [False, True])
def test_texts_beyond_the_shared_table_are_written_inline_and_read_back_the_same(read_only):
    rows = [["code", "county"], *([f"JUN-2026-{n:05d}", "Juniper County"] for n in range(40)), ["<a & b>", "x"]]
    target = io.BytesIO()
    write_table(rows, sheet_name="Referrals", target=target, shared_strings_limit=5)
    target.seek(0)
    strings = zipfile.ZipFile(target).read("xl/sharedStrings.xml").decode()
    assert 'uniqueCount="5"' in strings  # the header's two texts, the first code, the county, the second code
    target.seek(0)
    read = [tuple(row) for row in load_workbook(target, read_only=read_only).active.iter_rows(values_only=True)]
    assert read == [tuple(row) for row in rows]


def test_memory_stays_bounded_whatever_the_number_of_distinct_texts(tmp_path):
    import tracemalloc

    def peak(count: int, limit: int) -> int:
        rows = ([f"JUN-{n:09d}", "Juniper County", n] for n in range(count))
        with (tmp_path / f"{count}-{limit}.xlsx").open("wb") as target:  # a file: the output is not in memory
            tracemalloc.start()
            write_table(rows, sheet_name="Referrals", target=target, shared_strings_limit=limit)
            _, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return top

    # Ten times the rows, each with its own code: the same memory with the limit, and ten times the
    # codes' memory without it (the test fails so when the limit is taken away).
    small, large = peak(2_000, 500), peak(20_000, 500)
    assert large < 1.5 * small, (small, large)
    unbounded = peak(20_000, 10**9)
    assert unbounded > 3 * large, (large, unbounded)
