"""The sizes of the scale dataset: a county task force (the benchmarks' default since issue 7) and a
statewide one (issue 21: 500 agencies, 50,000 people, 2,000,000 referrals over five years)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Size:
    agencies: int
    people: int
    referrals: int
    meetings: int
    trainings: int
    counties: int  # agencies share a county (and its reference prefix) in turn
    years: int  # referrals, meetings and trainings spread over this many years back from today

    def divided(self, divisor: int) -> Size:
        """Every count divided (the tests' tiny statewide build); at least two agencies, as a referral needs."""
        if divisor < 1:
            raise ValueError("The divisor is a whole number of at least 1.")
        counts = {f.name: getattr(self, f.name) // divisor for f in fields(self) if f.name not in ("years", "counties")}
        counts["agencies"] = max(2, counts["agencies"])
        counts["people"] = max(counts["agencies"] * 5, counts["people"])
        return replace(self, **counts, counties=max(1, min(self.counties, counts["agencies"] // 2)))


SIZES = {
    "county": Size(agencies=50, people=5000, referrals=200_000, meetings=2000, trainings=500, counties=20, years=2),
    # Ten times the county in every table; Wisconsin has 72 counties.
    "state": Size(
        agencies=500, people=50_000, referrals=2_000_000, meetings=20_000, trainings=5000, counties=72, years=5
    ),
}
