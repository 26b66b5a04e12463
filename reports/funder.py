"""Funder templates and items: how the funder copy of a report is laid out.

A funder's form (OVC TIMS, OVC PMT, BJA's task-force PMT) asks numbered questions; each answer is an
exact count that a registered measure already computes. A FunderItem ties one question of one
template to one count key of one measure, so the funder copy is a layout of the report's frozen
exact figures, never a second computation: both copies of a report come from the same numbers.

Templates are the awards the task force files for, declared here. Items come from the apps that
own the measures, in their report_measures.py (imported by ReportsConfig.ready()):

    funder_item_register(FunderItem(template="ovc_pmt", code="A.1", question="...",
                                    measure="people_identified", statistic="people.total", order=10))

`code` is how the funder's form labels the question. Where the form has no stable number (PMT
questionnaires renumber with each solicitation), the code is descriptive and the question says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.periods import PeriodKind


@dataclass(frozen=True)
class FunderTemplate:
    key: str
    title: str
    period_kinds: tuple[str, ...]  # reports.periods.PeriodKind values the form is filed for


@dataclass(frozen=True)
class FunderItem:
    template: str  # FunderTemplate.key
    code: str  # the item's label on the funder's form ("A.1"), descriptive where the form has none
    question: str  # the item's wording
    measure: str  # a registered reports Measure key
    statistic: str  # the Count key in that measure's result whose exact value answers the item
    order: int


_TEMPLATES: dict[str, FunderTemplate] = {
    template.key: template
    for template in (
        FunderTemplate(
            key="ovc_tims",
            title="OVC Trafficking Information Management System (TIMS), services to victims",
            period_kinds=(PeriodKind.HALF.value,),
        ),
        FunderTemplate(
            key="ovc_pmt",
            title="OVC Performance Measurement Tool (PMT), services to victims of trafficking",
            period_kinds=(PeriodKind.QUARTER.value,),
        ),
        FunderTemplate(
            key="bja_taskforce_pmt",
            title="BJA Performance Measurement Tool (PMT), enhanced collaborative model task force",
            period_kinds=(PeriodKind.QUARTER.value,),
        ),
    )
}
_ITEMS: dict[tuple[str, str], FunderItem] = {}


def funder_item_register(item: FunderItem) -> FunderItem:
    """Add an item to its template; the same (template, code) twice is a mistake, unless it is the same item."""
    if item.template not in _TEMPLATES:
        raise ValueError(f"funder item {item.code!r}: unknown template {item.template!r}")
    known = _ITEMS.get((item.template, item.code))
    if known is not None and known != item:
        raise ValueError(f"funder item {item.code!r} is registered twice for template {item.template!r}")
    _ITEMS[(item.template, item.code)] = item
    return item


def funder_templates() -> list[FunderTemplate]:
    return list(_TEMPLATES.values())


def funder_template(key: str) -> FunderTemplate:
    """The template named; KeyError when there is none."""
    return _TEMPLATES[key]


def funder_items(template: str) -> list[FunderItem]:
    """The template's items in the form's order; KeyError for an unknown template."""
    if template not in _TEMPLATES:
        raise KeyError(template)
    items = [item for item in _ITEMS.values() if item.template == template]
    return sorted(items, key=lambda item: (item.order, item.code))


def funder_measure_keys(template: str) -> list[str]:
    """The measures a template's items read, each once, in the items' order."""
    return list(dict.fromkeys(item.measure for item in funder_items(template)))
