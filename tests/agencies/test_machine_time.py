"""`|machine_time`: the `datetime` attribute of a `<time>` element, in a form HTML accepts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
CHICAGO = ZoneInfo("America/Chicago")
# A stored timestamp: microseconds, as `timezone.now()` gives (HTML allows at most three digits of fraction).
STORED = datetime(2026, 12, 4, 17, 28, 31, 849194, tzinfo=UTC)


def _render(source: str, **context: object) -> str:
    with timezone.override(CHICAGO):
        return Template("{% load times %}" + source).render(Context(context))


def test_it_gives_whole_seconds_and_the_offset_of_the_current_time_zone() -> None:
    assert _render("{{ when|machine_time }}", when=STORED) == "2026-12-04T11:28:31-06:00"
    summer = STORED.replace(month=7)
    assert _render("{{ when|machine_time }}", when=summer) == "2026-07-04T12:28:31-05:00"


def test_it_follows_a_timezone_block_as_the_date_filter_does() -> None:
    source = "{% load tz %}{% timezone 'Asia/Kolkata' %}{{ when|machine_time }} {{ when|date:'H:i' }}{% endtimezone %}"
    assert _render(source, when=STORED) == "2026-12-04T22:58:31+05:30 22:58"


def test_it_ends_a_time_put_in_utc_with_z() -> None:
    assert _render("{% load tz %}{{ when|utc|machine_time }}", when=STORED) == "2026-12-04T17:28:31Z"


def test_it_gives_a_date_as_a_date_and_nothing_for_no_value() -> None:
    assert _render("{{ day|machine_time }}", day=date(2026, 3, 8)) == "2026-03-08"
    assert (
        _render("[{{ none|machine_time }}][{{ text|machine_time }}][{{ missing|machine_time }}]", none=None, text="x")
        == "[][][]"
    )


def test_it_leaves_a_naive_datetime_without_an_offset() -> None:
    assert _render("{{ when|machine_time }}", when=datetime(2026, 12, 4, 11, 28, 31, 5)) == "2026-12-04T11:28:31"


def test_it_rounds_an_offset_with_seconds_to_the_minute() -> None:
    # Before 1883 Chicago kept local mean time, -5:50:36; HTML offsets have no seconds.
    assert (
        _render("{{ when|machine_time }}", when=datetime(1880, 1, 1, 12, tzinfo=CHICAGO)) == "1880-01-01T12:00:00-05:51"
    )


def test_it_is_what_every_time_element_of_the_portal_uses() -> None:
    """`|date:'c'` printed stored microseconds into `datetime`: every `<time>` goes through the one filter.

    Inside `{% blocktranslate %}` no filter may be written: there the attribute names a variable that the
    same line binds to `...|machine_time` in the tag's `with`."""
    attribute = re.compile(r"""datetime=["']\{\{([^}]*)\}\}""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {value.strip()}"
        for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for value in attribute.findall(line)
        if not value.strip().endswith("|machine_time") and not _bound_to_machine_time(value.strip(), line)
    ]
    assert offenders == []


def _bound_to_machine_time(name: str, line: str) -> bool:
    return bool(re.fullmatch(r"\w+", name)) and re.search(rf"\b{name}=[^\s%]+\|machine_time(\s|%)", line) is not None
