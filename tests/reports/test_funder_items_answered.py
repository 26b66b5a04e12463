"""Every item of every award template names a statistic its measure really computes: a typo in a
statistic key would leave the funder's answer blank without any error."""

from __future__ import annotations

from datetime import date

import pytest

from reports.funder import funder_items, funder_templates
from reports.measures import measures_by_key
from reports.periods import Period, PeriodKind

pytestmark = pytest.mark.django_db

PERIOD = Period(PeriodKind.QUARTER, date(2025, 1, 1), date(2025, 3, 31))


@pytest.mark.parametrize("template", [template.key for template in funder_templates()])
def test_every_item_of_the_template_is_a_statistic_its_measure_computes(template):
    items = funder_items(template)
    measures = {measure.key: measure for measure in measures_by_key(sorted({item.measure for item in items}))}
    computed = {key: measure.compute(PERIOD) for key, measure in measures.items()}
    missing = [
        item.code
        for item in items
        if item.statistic not in {count.key for count in computed[item.measure].counts}
        and item.statistic not in {statistic.key for statistic in computed[item.measure].statistics}
    ]
    assert missing == []


def test_the_task_force_form_asks_for_meetings_partners_and_people_trained():
    codes = {item.code for item in funder_items("bja_taskforce_pmt")}
    assert {"TF-meetings-held", "TF-agencies-attending", "TR-delivered", "TR-people"} <= codes
    assert {"TR-delivered", "TR-people"} <= {item.code for item in funder_items("ovc_pmt")}
