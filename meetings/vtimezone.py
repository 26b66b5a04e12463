"""A VTIMEZONE that every calendar app reads the same way.

icalendar's `add_missing_timezones()` lists every daylight-saving change of 1970-2037 as one value
of a single multi-valued RDATE. That is legal RFC 5545, but ical.js (Thunderbird, many web
calendars) reads only its first value and vobject gets the offset wrong, so summer meetings showed
an hour late there. Here the zone's current rules are written as two yearly RRULEs, the form that
calendar apps themselves publish and so the one every parser reads alike; it is short and has no
end year. Changes before those rules began, when a calendar reaches back that far, and every change
of a zone whose rules an RRULE cannot state, are written one observance each, with a single DTSTART
and no RDATE. The changes are read from the zone itself (zoneinfo) and the RRULEs are checked
against them (tests/meetings/test_ical_vtimezone.py).
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Years read past a calendar's last event, so that the RRULEs are checked over the coming years too.
YEARS_AHEAD = 5

_State = tuple[timedelta, timedelta, str]  # UTC offset, daylight-saving part, abbreviation
_Rule = tuple[str, str | int]  # ("BYDAY", "2SU"), ("BYDAY", "-1SU") or ("BYMONTHDAY", 8)


@dataclass(frozen=True)
class _Change:
    at: datetime  # the instant, in UTC
    before: timedelta  # the UTC offset until then
    after: _State

    @property
    def wall(self) -> datetime:
        """The local time of the change, read in the offset before it, as RFC 5545 writes DTSTART."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[object, ...]:
        """Changes of one kind fall in one month at one time of day, and may share an RRULE."""
        return (self.before, self.after, self.wall.month, self.wall.time())

    def rules(self) -> set[_Rule]:
        """The yearly rules that put this change on its day: the 2nd Sunday, the last one, the 8th."""
        wall = self.wall
        weekday, days = _WEEKDAYS[wall.weekday()], month_calendar.monthrange(wall.year, wall.month)[1]
        return {
            ("BYDAY", f"{(wall.day - 1) // 7 + 1}{weekday}"),
            ("BYDAY", f"-{(days - wall.day) // 7 + 1}{weekday}"),
            ("BYMONTHDAY", wall.day),
        }


def _state(zone: ZoneInfo, moment: datetime) -> _State:
    local = moment.astimezone(zone)
    return local.utcoffset() or timedelta(), local.dst() or timedelta(), local.tzname() or ""


def _change_within(zone: ZoneInfo, low: datetime, high: datetime, state: _State) -> datetime:
    """The first second after `low` (in `state`) that is no longer in it, before `high`."""
    below, above = 0, int((high - low).total_seconds())
    while above - below > 1:
        middle = (below + above) // 2
        below, above = (middle, above) if _state(zone, low + timedelta(seconds=middle)) == state else (below, middle)
    return low + timedelta(seconds=above)


@lru_cache(maxsize=8)
def _changes(key: str, last_year: int) -> tuple[_Change, ...]:
    """Every change of `key` from 1970 to the end of `last_year` (a day apart at least, as all are)."""
    zone, changes = ZoneInfo(key), []
    moment, state = _EPOCH, _state(zone, _EPOCH)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        following = moment + timedelta(days=1)
        if (new := _state(zone, following)) != state:
            changes.append(_Change(at=_change_within(zone, moment, following, state), before=state[0], after=new))
            state = new
        moment = following
    return tuple(changes)


def _current_rules(changes: tuple[_Change, ...], last_year: int) -> tuple[int, dict[tuple[object, ...], _Rule]]:
    """The changes that follow yearly rules up to `last_year`: from which one on, and the rules.

    Walks back from `last_year` while every year has the same kinds of change, each on a day that
    one rule (the same every year) gives. The rules are so checked up to `last_year`, past the
    calendar's times; after it they repeat, as in any calendar app, until zoneinfo says otherwise."""
    years = {year: list(group) for year, group in groupby(changes, key=lambda c: c.wall.year)}
    latest = years.get(last_year, [])
    candidates = {change.kind: change.rules() for change in latest}
    if not latest or len(candidates) != len(latest):
        return len(changes), {}
    year = last_year
    while (earlier := years.get(year - 1)) and {c.kind for c in earlier} == set(candidates):
        narrowed = {change.kind: candidates[change.kind] & change.rules() for change in earlier}
        if len(earlier) != len(candidates) or not all(narrowed.values()):
            break
        candidates, year = narrowed, year - 1
    first = next(i for i, change in enumerate(changes) if change.wall.year == year)
    # Deterministic, and the most usual form first: "2SU" over "-3SU" over "the 8th".
    return first, {
        kind: min(rules, key=lambda r: (r[0] == "BYMONTHDAY", str(r[1]).startswith("-")))
        for kind, rules in candidates.items()
    }


def _observance(change: _Change, rule: _Rule | None = None) -> TimezoneStandard | TimezoneDaylight:
    offset, daylight, name = change.after
    observance = TimezoneDaylight() if daylight else TimezoneStandard()
    observance.add("dtstart", change.wall)
    observance.add("tzoffsetfrom", change.before)
    observance.add("tzoffsetto", offset)
    observance.add("tzname", name)
    if rule is not None:
        observance.add("rrule", {"FREQ": "YEARLY", "BYMONTH": change.wall.month, rule[0]: rule[1]})
    return observance


def vtimezone(key: str, *, first: datetime, last: datetime) -> Timezone:
    """The VTIMEZONE of zone `key` (an IANA name) for a calendar whose times lie from `first` to `last`."""
    changes = _changes(key, last.year + YEARS_AHEAD)
    ruled, rules = _current_rules(changes, last.year + YEARS_AHEAD)
    ruled_from = changes[ruled : ruled + len(rules)]
    history = () if ruled_from and ruled_from[0].at <= first else changes[:ruled]
    # The change in force at `first`, and those after it: earlier ones are of no use to this calendar.
    in_force = sum(1 for change in history if change.at <= first)
    kept = history[max(in_force - 1, 0) :]
    component = Timezone()
    component.add("tzid", key)
    starts = [change.at for change in (*kept, *ruled_from)]
    if not starts or min(starts) > first:
        # Nothing changed between 1970 and `first`: the offset of 1970 holds from then on.
        state = _state(ZoneInfo(key), _EPOCH)
        component.add_component(_observance(_Change(at=_EPOCH - state[0], before=state[0], after=state)))
    for change in kept:
        component.add_component(_observance(change))
    for change in ruled_from:
        component.add_component(_observance(change, rules[change.kind]))
    return component
