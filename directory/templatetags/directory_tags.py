"""Template filters of the directory: codes said in plain words, hours as a person reads them."""

from __future__ import annotations

from typing import Any

from django import template

from directory.vocabulary import WEEKDAYS, joined, labels

register = template.Library()


@register.filter
def code_labels(codes: list[str], field: str) -> str:
    """`{{ profile.needs|code_labels:"needs" }}`: "Shelter or housing, Legal and Medical"."""
    return joined(labels(field, codes))


@register.filter
def hours_lines(hours: list[dict[str, Any]]) -> list[str]:
    """["Monday 09:00-17:00", ...], by weekday (its name in the active language; times as typed, 24-hour)."""
    rows = sorted(hours, key=lambda row: row["weekday"])
    return [f"{WEEKDAYS.get(row['weekday'], '?')} {row['opens']}-{row['closes']}" for row in rows]
