"""Published content in the reader's language, for pages only.

Published content is data: computed in English, frozen, hashed and handed to files, the API and the funder
as it is (reports/engine.py). A page shows a copy whose words are looked up in the catalogs: a measure's
title, definition, notes, columns, rows and chart text are the English msgids their apps mark; the period's
label and the legend are made again in the active language. A word no catalog holds stays as published.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, gettext_noop

from reports.measures import group_label
from reports.periods import Period
from reports.releases import DERIVED_NOTE
from reports.suppression import legend

# The cell words the engine publishes ("withheld" is also the legend's marker).
CELL_WORDS = (gettext_noop("withheld"), gettext_noop("none"))
_MONTH_ROW = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})"
)
_ENGLISH_MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6,
    "July": 7, "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
}  # fmt: skip


def _word(text: str) -> str:
    # gettext("") is the catalog's header, never a word.
    return gettext(text) if text else text


def _row_label(text: str) -> str:
    found = _MONTH_ROW.fullmatch(text)
    if found:
        return f"{MONTHS[_ENGLISH_MONTHS[found[1]]]} {found[2]}"
    return _word(text)


def _legend(lines: list[str], threshold: int) -> list[str]:
    with translation.override("en"):
        english = [*legend(threshold), DERIVED_NOTE]
    translated = dict(zip(english, [*legend(threshold), gettext(DERIVED_NOTE)], strict=True))
    return [translated.get(line, _word(line)) for line in lines]


def content_for_reader(content: dict[str, Any]) -> dict[str, Any]:
    """A copy of `content` in the active language; `content` itself is left as published."""
    if (translation.get_language() or "en") == "en":
        return content
    shown = copy.deepcopy(content)
    period = shown["period"]
    period["label"] = Period(
        period["kind"], date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    ).label
    shown["legend"] = _legend(shown.get("legend", []), shown["threshold"])
    for measure in shown["measures"]:
        for name in ("title", "definition"):
            measure[name] = _word(measure[name])
        measure["group"] = group_label(measure["group"])
        measure["notes"] = [_word(note) for note in measure["notes"]]
        for column in measure["columns"]:
            column["label"] = _word(column["label"])
        for row in measure["rows"]:
            row["label"] = _row_label(row["label"])
            for cell in row["cells"]:
                if cell["display"] in CELL_WORDS:
                    cell["display"] = _word(cell["display"])
        if measure.get("chart"):
            measure["chart"]["alt"] = _word(measure["chart"]["alt"])
    return shown
