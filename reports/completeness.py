"""Missing figures: the completeness checks a grant manager runs before filing.

Before a report is filed the grant manager chases what is missing: an agency that has not entered
its quarter's activity figures, referrals without a person code. The apps that own those records
know what "missing" means, so they register a check here (from their report_measures.py, imported
by ReportsConfig.ready()), and reports stays free of domain imports:

    completeness_check_register(key="activity", check=missing_activity, remind=remind_activity)

A check returns Gaps in plain words with a count, never case data (no reference codes, no people).
`remind(period, agency_id)` asks an agency to fill its gap and returns how many people were asked
(queued through the outbox); None when there is nobody to remind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.periods import Period


@dataclass(frozen=True)
class Gap:
    agency_id: int | None  # None: a gap of the whole task force, nobody in particular to remind
    agency_name: str
    what: str  # plain words: "has not entered its activity figures for 2025 Q1"
    count: int


@dataclass(frozen=True)
class CompletenessCheck:
    key: str
    check: Callable[[Period], list[Gap]] = field(compare=False)
    remind: Callable[[Period, int], int] | None = field(compare=False)


_CHECKS: dict[str, CompletenessCheck] = {}


def completeness_check_register(
    *, key: str, check: Callable[[Period], list[Gap]], remind: Callable[[Period, int], int] | None
) -> None:
    known = _CHECKS.get(key)
    if known is not None and (known.check is not check or known.remind is not remind):
        raise ValueError(f"completeness check {key!r} is registered twice")
    _CHECKS[key] = CompletenessCheck(key=key, check=check, remind=remind)


def completeness_checks() -> list[CompletenessCheck]:
    return sorted(_CHECKS.values(), key=lambda check: check.key)


def completeness_gaps(period: Period) -> dict[str, list[Gap]]:
    """Every registered check's gaps for `period`, by check key; a check with no gap maps to []."""
    return {check.key: list(check.check(period)) for check in completeness_checks()}


def completeness_can_remind(*, key: str) -> bool:
    check = _CHECKS.get(key)
    return check is not None and check.remind is not None


def completeness_remind(*, key: str, period: Period, agency_id: int) -> int:
    """Run the check's reminder for one agency; KeyError when the check is unknown or cannot remind."""
    check = _CHECKS[key]
    if check.remind is None:
        raise KeyError(key)
    return check.remind(period, agency_id)
