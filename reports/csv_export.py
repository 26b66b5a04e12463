"""CSV of a report's published figures: one line per cell, streamed line by line.

Tidy columns so that a spreadsheet or a script can filter by measure; a suppressed cell carries
its marker ("<11", "withheld") in `value` and says why in `status`. Labels come from code only;
every text cell still passes through toolkit.spreadsheet_safety, like every CSV the portal writes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from toolkit.spreadsheet_safety import spreadsheet_safe_row

HEADER = [
    "period_start",
    "period_end",
    "measure",
    "measure_title",
    "row",
    "row_label",
    "row_kind",
    "column",
    "column_label",
    "value",
    "status",
]


class _Echo:
    """A file-like object whose write() hands the line back, for StreamingHttpResponse."""

    def write(self, value: str) -> str:
        return value


def lines(content: dict[str, Any]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    period = content["period"]
    yield writer.writerow(spreadsheet_safe_row(HEADER))
    for measure in content["measures"]:
        for row in measure["rows"]:
            for column, cell in zip(measure["columns"], row["cells"], strict=True):
                if cell["status"] == "empty" and not cell["display"]:
                    continue
                value = cell["value"] if cell["status"] == "shown" else cell["display"]
                yield writer.writerow(
                    spreadsheet_safe_row(
                        [
                            period["start"],
                            period["end"],
                            measure["key"],
                            measure["title"],
                            row["key"],
                            row["label"],
                            row["kind"],
                            column["key"],
                            column["label"],
                            value,
                            cell["status"],
                        ]
                    )
                )
