"""XLSX of a report: an "About" sheet, then one sheet per measure, in openpyxl's write-only mode.

Shown counts are numbers; a suppressed cell holds its marker as text, and every text is text: openpyxl
would write a string starting with "=" as a formula, so each goes in as a cell typed string. An approved report gives
the same bytes on every download: the zip entries are stamped with the approval time.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.xml.functions import tostring

_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def write_xlsx(
    content: dict[str, Any], meta: dict[str, Any], path: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> None:
    stamp = datetime.fromisoformat(meta.get("approved_at") or content["computed_at"])
    book = Workbook(write_only=True)
    book.properties.creator = content["taskforce"]
    book.properties.title = f"Grant report, {content['period']['label']}"
    book.properties.created = book.properties.modified = stamp.replace(tzinfo=None)
    _about(book, content, meta)
    names = {"About"}
    measures = content["measures"]
    for done, measure in enumerate(measures, start=1):
        _measure(book, measure, content, _unique(measure.get("sheet") or measure["title"], names))
        if on_progress is not None:
            on_progress(done, len(measures))
    raw = path.with_suffix(".raw")
    try:
        book.save(raw)
        # save() stamps "modified" with the clock; put the report's own time back.
        book.properties.modified = stamp.replace(tzinfo=None)
        _restamp(raw, path, stamp, {"docProps/core.xml": tostring(book.properties.to_tree())})
    finally:
        raw.unlink(missing_ok=True)


def _about(book: Workbook, content: dict[str, Any], meta: dict[str, Any]) -> None:
    sheet = book.create_sheet("About")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    period = content["period"]
    sheet.append([_bold(sheet, content["taskforce"])])
    sheet.append([_bold(sheet, f"Grant report, {period['label']}")])
    sheet.append([])
    rows = [
        ("Period", f"{period['start']} to {period['end']} (days in {period['time_zone']})"),
        ("Status", _status(meta)),
        ("Figures computed", content["computed_at"]),
        ("Suppression threshold", content["threshold"]),
        ("Content hash (SHA-256)", meta["content_hash"]),
        ("Measures", ", ".join(measure["title"] for measure in content["measures"])),
    ]
    for label, value in rows:
        _append(sheet, [_bold(sheet, label), value])
    sheet.append([])
    sheet.append([_bold(sheet, "How to read the figures")])
    for line in content["legend"]:
        _append(sheet, [None, line])


def _measure(book: Workbook, measure: dict[str, Any], content: dict[str, Any], name: str) -> None:
    sheet = book.create_sheet(name)
    sheet.column_dimensions["A"].width = 52
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 22
    sheet.append([_bold(sheet, measure["title"])])
    _append(sheet, [content["period"]["label"]])
    _append(sheet, [measure["definition"]])
    sheet.append([])
    sheet.append([_bold(sheet, "")] + [_bold(sheet, column["label"], right=True) for column in measure["columns"]])
    for row in measure["rows"]:
        strong = row["kind"] != "item"
        cells = [_cell(sheet, cell, strong) for cell in row["cells"]]
        _append(sheet, [_bold(sheet, row["label"]) if strong else row["label"], *cells])
    sheet.append([])
    for note in [*measure["notes"], *content["legend"]]:
        _append(sheet, [note])


def _cell(sheet: Any, cell: dict[str, Any], strong: bool) -> Cell:
    value = cell["value"] if cell["status"] == "shown" else cell["display"]
    written = _text(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
    written.alignment = Alignment(horizontal="right")
    if strong:
        written.font = Font(bold=True)
    return written


def _text(sheet: Any, value: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took a value starting with "=" for a formula
    return cell


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([_text(sheet, value) if isinstance(value, str) else value for value in values])


def _bold(sheet: Any, value: str, *, right: bool = False) -> Cell:
    cell = _text(sheet, value)
    cell.font = Font(bold=True)
    if right:
        cell.alignment = Alignment(horizontal="right")
    return cell


def _status(meta: dict[str, Any]) -> str:
    if meta["status"] == "approved":
        return f"Approved {meta['approved_at']}: a frozen snapshot"
    return "Draft, not approved: figures are recomputed on every export"


def _unique(name: str, taken: set[str]) -> str:
    base = name.translate(_FORBIDDEN).strip()[:31] or "Measure"
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" {n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def _restamp(source: Path | IO[bytes], target: Path | IO[bytes], stamp: datetime, replace: dict[str, bytes]) -> None:
    """Copies the workbook's zip with every entry dated `stamp`, so equal content gives equal bytes."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            new.writestr(info, replace.get(entry.filename) or old.read(entry.filename))
