"""`{% load times %}`: the one style of dates and times on every page, email and export (issue 20), and the
machine-readable side of a `<time>` element.

The human-readable filters (`day`, `day_long`, `moment`, `moment_long`, `clock`, `clock_zone`, `month_year`,
`exact`) each name one shape, written per language below (Spanish: day first, month and weekday names in
Spanish, a 24-hour clock). Pages had twenty-odd `|date:"..."` strings in four styles ("11:53 a.m.." among
them); Python code (emails, messages) calls the same shapes through `format_day`, `format_moment`, ...

`|date:'c'` prints a timestamp's microseconds (`2026-12-04T11:28:31.849194-06:00`), and HTML accepts at
most three digits of a second's fraction, so every page that showed a stored `created_at` was invalid.
No reader needs fractions of a second: `machine_time` gives whole seconds and the offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()

# Django's date-format characters; `\d\e` is the literal "de". "A" is "AM"/"PM" ("a" printed "a.m.", which
# ended a sentence in "a.m..").
_SHAPES: dict[str, dict[str, str]] = {
    "en": {
        "day": "M j, Y",
        "day_long": "l, F j, Y",
        "moment": "M j, Y, g:i A",
        "moment_long": "l, F j, Y, g:i A T",
        "clock": "g:i A",
        "clock_zone": "g:i A T",
        "month_year": "F Y",
        "exact": "M j, Y, g:i:s A T",
    },
    "es": {
        "day": "j b Y",
        "day_long": "l, j \\d\\e F \\d\\e Y",
        "moment": "j b Y, H:i",
        "moment_long": "l, j \\d\\e F \\d\\e Y, H:i T",
        "clock": "H:i",
        "clock_zone": "H:i T",
        "month_year": "F \\d\\e Y",
        "exact": "j b Y, H:i:s T",
    },
}


def _shape(name: str) -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return _SHAPES.get(language, _SHAPES["en"])[name]


def _format(value: object, name: str) -> str:
    """A date or datetime in the named shape of the active language, in the current time zone; "" otherwise."""
    if isinstance(value, datetime):
        # In the current time zone (Python callers pass stored UTC times), unless the template put it in a
        # zone on purpose (`|utc`, `{% timezone %}`'s filters mark their result so, as `date` honours).
        if timezone.is_aware(value) and getattr(value, "convert_to_local_time", True):
            value = timezone.localtime(value)
        return dateformat.format(value, _shape(name))
    if isinstance(value, date):
        if name not in {"day", "day_long", "month_year"}:
            name = "day"
        return dateformat.format(value, _shape(name))
    return ""


def format_day(value: object) -> str:
    return _format(value, "day")


def format_day_long(value: object) -> str:
    return _format(value, "day_long")


def format_moment(value: object) -> str:
    return _format(value, "moment")


def format_moment_long(value: object) -> str:
    return _format(value, "moment_long")


def format_clock(value: object) -> str:
    return _format(value, "clock")


def format_clock_zone(value: object) -> str:
    return _format(value, "clock_zone")


def format_month_year(value: object) -> str:
    return _format(value, "month_year")


def format_exact(value: object) -> str:
    return _format(value, "exact")


# expects_localtime: an aware value arrives in the current time zone (`{% timezone %}` included), as `date` does.
register.filter("day", format_day, expects_localtime=True)
register.filter("day_long", format_day_long, expects_localtime=True)
register.filter("moment", format_moment, expects_localtime=True)
register.filter("moment_long", format_moment_long, expects_localtime=True)
register.filter("clock", format_clock, expects_localtime=True)
register.filter("clock_zone", format_clock_zone, expects_localtime=True)
register.filter("month_year", format_month_year, expects_localtime=True)
register.filter("exact", format_exact, expects_localtime=True)


# expects_localtime: like `date`, an aware value arrives in the current time zone (`{% timezone %}` included),
# so the offset printed is the one the human-readable text beside it uses.
@register.filter(expects_localtime=True)
def machine_time(value: object) -> str:
    """`YYYY-MM-DDTHH:MM:SS±HH:MM` for a datetime, `YYYY-MM-DD` for a date, "" for anything else (as `date` does).

    A value put in UTC on purpose (`|utc|machine_time`, the audit trail's times) ends in `Z`; a naive
    datetime gets no offset (an HTML "local date and time").
    """
    if isinstance(value, datetime):
        text = value.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")
        offset = value.utcoffset()
        if offset is None:
            return text
        return text + ("Z" if value.tzinfo is UTC else _offset(offset))
    if isinstance(value, date):
        return value.isoformat()
    return ""


def _offset(offset: timedelta) -> str:
    """±HH:MM. HTML has no seconds in an offset, which old zones' local mean time has (-5:50:36): round to a minute."""
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
