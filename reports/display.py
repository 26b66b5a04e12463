"""Published content in the reader's language, for pages only.

Published content is data: computed in English, frozen, hashed and handed to files, the API and the funder
as it is (reports/engine.py). A page shows a copy whose words are looked up in the catalogs: a measure's
title, definition, notes, columns, rows and chart text are the English msgids their apps mark (gettext_noop),
or a wording the measures declared with reports.measures.phrase ("Declined: %(reason)s"), found again in the
English text and translated with each of its values; the period's label and the legend are made again in the
active language. A word no catalog holds stays as published.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, gettext_noop

from reports.measures import group_label, phrases
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


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Time zones by their everyday names (zoneinfo knows only ids); any other zone is shown by its id.
_ZONE_NAMES = {
    "America/New_York": gettext_noop("Eastern time"),
    "America/Detroit": gettext_noop("Eastern time"),
    "America/Indiana/Indianapolis": gettext_noop("Eastern time"),
    "America/Chicago": gettext_noop("Central time"),
    "America/Denver": gettext_noop("Mountain time"),
    "America/Boise": gettext_noop("Mountain time"),
    "America/Phoenix": gettext_noop("Mountain time (Arizona)"),
    "America/Los_Angeles": gettext_noop("Pacific time"),
    "America/Anchorage": gettext_noop("Alaska time"),
    "Pacific/Honolulu": gettext_noop("Hawaii time"),
    "America/Puerto_Rico": gettext_noop("Atlantic time"),
}


def time_zone_name(zone: str) -> str:
    """A time zone's everyday name in the active language ("Central time"), or its id when it has none."""
    name = _ZONE_NAMES.get(zone)
    return gettext(name) if name else zone


def period_days(period: dict[str, Any]) -> dict[str, Any]:
    """A published period's first and last days (dates, for `|day`) and its time zone's everyday name."""
    return {
        "start": date.fromisoformat(period["start"]),
        "end": date.fromisoformat(period["end"]),
        "zone": time_zone_name(period["time_zone"]),
    }


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """The English texts `template` makes: its fixed words as they are, each `%(name)s` any text."""
    pieces = _PLACEHOLDER.split(template)
    return re.compile(
        "".join(
            re.escape(piece.replace("%%", "%")) if i % 2 == 0 else f"(?P<{piece}>.+?)" for i, piece in enumerate(pieces)
        )
    )


def _word(text: str) -> str:
    """A published English text in the active language: a month row, a catalog's msgid, or a declared phrase
    whose values are translated in turn; anything else as it is."""
    if not text:  # gettext("") is the catalog's header, never a word
        return text
    month = _MONTH_ROW.fullmatch(text)
    if month:
        return f"{MONTHS[_ENGLISH_MONTHS[month[1]]]} {month[2]}"
    translated = gettext(text)
    if translated != text:
        return translated
    for template in phrases():
        found = _pattern(template).fullmatch(text)
        if found:
            return gettext(template) % {name: _word(value) for name, value in found.groupdict().items()}
    return text


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
            row["label"] = _word(row["label"])
            for cell in row["cells"]:
                if cell["display"] in CELL_WORDS:
                    cell["display"] = _word(cell["display"])
        if measure.get("chart"):
            measure["chart"]["alt"] = _word(measure["chart"]["alt"])
    return shown
