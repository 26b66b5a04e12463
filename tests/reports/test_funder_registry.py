"""The shared contract of issue 17: funder templates and items, and the completeness-check registry."""

from __future__ import annotations

from datetime import date

import pytest

from reports import completeness, funder
from reports.completeness import Gap, completeness_check_register, completeness_gaps, completeness_remind
from reports.funder import FunderItem, funder_item_register, funder_items, funder_templates
from reports.periods import Period, PeriodKind

Q1 = Period(kind=PeriodKind.QUARTER, start=date(2025, 1, 1), end=date(2025, 3, 31))


@pytest.fixture
def items(monkeypatch) -> dict:
    """An empty item registry for the test; the real one is left as the apps registered it."""
    empty: dict = {}
    monkeypatch.setattr(funder, "_ITEMS", empty)
    return empty


@pytest.fixture
def checks(monkeypatch) -> dict:
    empty: dict = {}
    monkeypatch.setattr(completeness, "_CHECKS", empty)
    return empty


def item(code: str = "A.1", order: int = 10, template: str = "ovc_pmt", question: str = "Victims served") -> FunderItem:
    return FunderItem(template=template, code=code, question=question, measure="m", statistic="m.total", order=order)


def test_it_offers_the_three_award_templates_with_their_periods():
    kinds = {template.key: template.period_kinds for template in funder_templates()}
    assert kinds == {"ovc_tims": ("half",), "ovc_pmt": ("quarter",), "bja_taskforce_pmt": ("quarter",)}


def test_it_lists_a_templates_items_in_the_forms_order(items):
    funder_item_register(item(code="B.1", order=20))
    funder_item_register(item(code="A.1", order=10))
    funder_item_register(item(code="X.1", order=5, template="ovc_tims"))
    assert [i.code for i in funder_items("ovc_pmt")] == ["A.1", "B.1"]
    assert [i.code for i in funder_items("ovc_tims")] == ["X.1"]


def test_it_refuses_a_second_item_with_the_same_code(items):
    funder_item_register(item())
    funder_item_register(item())  # the same item again (a module imported twice) is harmless
    with pytest.raises(ValueError, match="registered twice"):
        funder_item_register(item(question="Something else"))


def test_it_refuses_an_item_of_an_unknown_template(items):
    with pytest.raises(ValueError, match="unknown template"):
        funder_item_register(item(template="no_such_award"))
    with pytest.raises(KeyError):
        funder_items("no_such_award")


def test_it_collects_the_gaps_of_every_check_by_key(checks):
    gap = Gap(agency_id=7, agency_name="County Sheriff", what="has not entered its figures", count=1)
    completeness_check_register(key="b", check=lambda period: [gap], remind=None)
    completeness_check_register(key="a", check=lambda period: [], remind=None)
    assert completeness_gaps(Q1) == {"a": [], "b": [gap]}


def test_it_runs_the_registered_reminder_for_one_agency(checks):
    asked: list = []

    def remind(period: Period, agency_id: int) -> int:
        asked.append((period, agency_id))
        return 2

    completeness_check_register(key="activity", check=lambda period: [], remind=remind)
    completeness_check_register(key="quiet", check=lambda period: [], remind=None)
    assert completeness_remind(key="activity", period=Q1, agency_id=7) == 2
    assert asked == [(Q1, 7)]
    with pytest.raises(KeyError):
        completeness_remind(key="quiet", period=Q1, agency_id=7)


def test_it_refuses_a_second_check_with_the_same_key(checks):
    def check(period: Period) -> list[Gap]:
        return []

    completeness_check_register(key="activity", check=check, remind=None)
    completeness_check_register(key="activity", check=check, remind=None)
    with pytest.raises(ValueError, match="registered twice"):
        completeness_check_register(key="activity", check=lambda period: [], remind=None)


def test_the_system_check_names_an_item_whose_measure_is_not_registered(items):
    from reports.checks import check_funder_items

    assert check_funder_items() == []
    funder_item_register(item(code="Z.9"))  # measure "m" does not exist
    assert [error.id for error in check_funder_items()] == ["reports.E003"]
