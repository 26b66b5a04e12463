"""`{% load times %}`: the machine-readable side of a `<time>` element.

`|date:'c'` prints a timestamp's microseconds (`2026-12-04T11:28:31.849194-06:00`), and HTML accepts at
most three digits of a second's fraction, so every page that showed a stored `created_at` was invalid.
No reader needs fractions of a second: `machine_time` gives whole seconds and the offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django import template

register = template.Library()


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
