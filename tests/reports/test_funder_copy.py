"""Two copies of one report (issue 17): the funder copy, exact figures laid out by the award's form, for grant
managers with MFA only; the partner copy, suppressed as before. Both come from one approval."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from activity import services as activity_services
from activity.choices import ActivityMeasure
from agencies.roles import Role
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from reports import csv_export, pdf_export, selectors, xlsx_export
from reports.engine import canonical_json, sha256_hex
from reports.figures import figures_compute, frozen_figures
from reports.funder import funder_items, funder_templates
from reports.measures import measures_by_key
from reports.models import Report, SnapshotImmutable
from reports.periods import PeriodKind, period_build
from reports.selectors import report_content
from reports.services import report_create, report_template_set
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.reports.conftest import ALL_MEASURES, Q1_2025, approve

pytestmark = pytest.mark.django_db

M = ActivityMeasure
Q1 = period_build(**Q1_2025)
TEMPLATE = "bja_taskforce_pmt"
# What the sheriff and the co-chair entered for the quarter: small figures, one large.
ENTERED = {M.INVESTIGATIONS_SEX: 3, M.ARRESTS_SEX: 2, M.ARRESTS_LABOR: 1}
OUTREACH = {M.AWARENESS_EVENTS: 4, M.AWARENESS_PEOPLE: 300, M.TA_RECEIVED: 1, M.TA_ANSWERED: 1}


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}


@pytest.fixture
def demo_like_quarter(quarter, other_agency, agency, coordinator):
    """The hand-counted referrals of 2025 Q1 (tests/reports/conftest.py) and the quarter's activity figures."""
    sheriff_admin = UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)
    activity_services.activity_figures_enter(agency=other_agency, period=Q1, values=ENTERED, actor=sheriff_admin)
    activity_services.activity_figures_enter(agency=agency, period=Q1, values=OUTREACH, actor=coordinator)
    return quarter


@pytest.fixture
def approved(demo_like_quarter, grant_manager, coordinator) -> Report:
    report = report_create(actor=grant_manager, period=Q1, measures=ALL_MEASURES, template=TEMPLATE)
    return approve(report, coordinator)


def _answers(copy: dict) -> dict[str, object]:
    return {item["code"]: item["answer"] for item in copy["items"]}


# --- who ------------------------------------------------------------------------------------------------
def test_it_shows_exact_small_figures_to_a_grant_manager_with_mfa(approved, grant_manager):
    assert grant_manager.has_totp  # MFA is required of the role now: the factory enrols them, as the portal would
    response = client_for(grant_manager).get(reverse("reports:funder_copy", args=[approved.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = {item["code"]: item["answer"] for item in response.context["copy"]["items"]}
    assert rows["LE-arrests-sex"] == 2 and rows["LE-arrests-labor"] == 1 and rows["LE-investigations-sex"] == 3
    assert rows["TF-ta-received"] == 1 and rows["TF-awareness-people"] == 300
    page = response.content.decode()
    assert (
        "Exact figures, for the funder&#x27;s system only" in page or "Exact figures, for the funder's system" in page
    )
    assert '<th scope="row">LE-arrests-sex</th>' in page and "&lt;11" in page  # explained, never used for a figure


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN])
def test_it_answers_404_to_everyone_else_for_the_funder_copy(approved, agency, role):
    person = UserFactory(agency=agency, role=role)
    web, bearer = client_for(person), _bearer(person)
    for name in ("reports:funder_copy", "reports:funder_xlsx", "reports:funder_pdf"):
        assert web.get(reverse(name, args=[approved.pk])).status_code == 404, name
    for name in ("api:v1:report-funder", "api:v1:report-funder-xlsx", "api:v1:report-funder-pdf"):
        assert Client().get(reverse(name, args=[approved.pk]), **bearer).status_code == 404, name
    assert not AuditEntry.objects.filter(event__in=[AuditEvent.FUNDER_COPY_VIEWED, AuditEvent.FUNDER_COPY_EXPORTED])


def test_a_grant_manager_without_mfa_gets_no_exact_figure(approved, agency):
    person = UserFactory(agency=agency, role=Role.GRANT_MANAGER, with_mfa=False)
    response = client_for(person).get(reverse("reports:funder_copy", args=[approved.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client_for(person).get(reverse("api:v1:report-funder", args=[approved.pk])).status_code == 403
    with pytest.raises(Http404):  # and where the figures are read, whatever let the request through
        selectors.funder_report_get(user=person, pk=approved.pk)


def test_mfa_is_required_of_grant_managers():
    assert UserFactory.build(role=Role.GRANT_MANAGER).requires_mfa


# --- two copies, one approval --------------------------------------------------------------------------------
def test_the_partner_copy_shows_lt11_for_the_same_cells(approved, grant_manager):
    partner = report_content(report=approved)
    enforcement = next(m for m in partner["measures"] if m["key"] == "activity_enforcement")
    arrests = next(row for row in enforcement["rows"] if row["key"] == "arrests")
    assert [cell["display"] for cell in arrests["cells"]] == ["<11", "<11", "<11"]
    api = client_for(grant_manager).get(reverse("api:v1:report-detail", args=[approved.pk]))
    assert api.json()["content"] == partner
    funder = client_for(grant_manager).get(reverse("api:v1:report-funder", args=[approved.pk])).json()
    assert _answers(funder)["LE-arrests-sex"] == 2


def _cells(report: Report):
    """(measure, row, column, partner cell, exact figure, counts people) for every cell of every measure, by the
    measures' own layout. Counts that are not of people (agencies, events) are shown as they are, by design."""
    partner = {m["key"]: m for m in report_content(report=report)["measures"]}
    exact = frozen_figures(report=report)["measures"]
    for measure in measures_by_key(report.measures):
        layout = measure.compute(report.period)
        people = {count.key for count in layout.counts if count.sensitive}
        published = {row["key"]: row for row in partner[measure.key]["rows"]}
        for row in layout.rows:
            for index, key in enumerate(row.cells):
                if key is None:
                    continue
                found = exact[measure.key]
                value = found["counts"][key] if key in found["counts"] else found["statistics"][key]
                column = layout.columns[index].key
                yield measure.key, row.key, column, published[row.key]["cells"][index], value, key in people


def test_both_copies_come_from_the_same_frozen_figures(approved, grant_manager):
    small = 0
    for measure, _, _, cell, exact, people in _cells(approved):
        if cell["status"] == "shown":
            assert cell["value"] == (round(exact, 1) if isinstance(exact, float) else exact), (measure, cell, exact)
        if people and 1 <= exact <= 10:
            assert cell["display"] == "<11" and cell["value"] is None, (measure, cell, exact)
            small += 1
    assert small > 10  # the quarter is small: most counts of people are 1 to 10
    copy = client_for(grant_manager).get(reverse("api:v1:report-funder", args=[approved.pk])).json()
    figures = json.loads(approved.figures)
    for item in copy["items"]:
        assert item["answer"] == figures["measures"][item["measure"]]["counts"][item["statistic"]]
    assert copy["figures_hash"] == approved.figures_hash == sha256_hex(approved.figures)


SMALL = {str(n) for n in range(1, 11)}


def test_the_partner_copy_never_holds_a_count_of_people_from_1_to_10(approved, tmp_path, monkeypatch):
    """Everywhere: JSON, CSV, XLSX and PDF. The only small figures in them are the shown counts that are not of
    people (agencies, events: reports/measures.py), as many as there are such cells."""
    cells = list(_cells(approved))
    assert [c for c in cells if c[5] and c[4] and 1 <= c[4] <= 10]  # there are small counts of people to hide
    assert not [c for c in cells if c[5] and (c[3]["display"] in SMALL or c[3]["value"] in range(1, 11))]
    allowed = sorted(c[3]["display"] for c in cells if not c[5] and c[3]["display"] in SMALL)
    content = report_content(report=approved)
    shown = [cell["display"] for m in content["measures"] for row in m["rows"] for cell in row["cells"]]
    assert sorted(d for d in shown if d in SMALL) == allowed

    people = {(m, r, col) for m, r, col, _, _, p in cells if p}
    rows = list(csv.DictReader(io.StringIO("".join(csv_export.lines(content)))))
    assert not [row for row in rows if (row["measure"], row["row"], row["column"]) in people and row["value"] in SMALL]
    assert sorted(row["value"] for row in rows if row["value"] in SMALL) == allowed

    meta = selectors.document_meta(report=approved, content=content)
    xlsx_export.write_xlsx(content, meta, tmp_path / "partner.xlsx")
    book = load_workbook(tmp_path / "partner.xlsx", read_only=True)
    numbers = [c for sheet in book.worksheets[1:] for row in sheet.iter_rows(values_only=True) for c in row]
    assert sorted(str(n) for n in numbers if isinstance(n, int) and 1 <= n <= 10) == allowed

    printed: list[str] = []
    real = pdf_export.Paragraph

    def capture(text, style, *args, **kwargs):
        if style is pdf_export.CELL_RIGHT:  # every figure of a table is a right-aligned cell
            printed.append(text.replace("<b>", "").replace("</b>", ""))
        return real(text, style, *args, **kwargs)

    monkeypatch.setattr(pdf_export, "Paragraph", capture)
    pdf_export.write_pdf(content, meta, tmp_path / "partner.pdf")
    assert "&lt;11" in printed
    assert sorted(text for text in printed if text in SMALL) == allowed


def test_approval_freezes_the_exact_figures_once(approved, grant_manager, other_agency, coordinator):
    before = approved.figures
    sheriff_admin = UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN)
    activity_services.activity_figures_enter(
        agency=other_agency, period=Q1, values={**ENTERED, M.ARRESTS_SEX: 7}, actor=sheriff_admin
    )
    copy = client_for(grant_manager).get(reverse("api:v1:report-funder", args=[approved.pk])).json()
    assert _answers(copy)["LE-arrests-sex"] == 2  # the correction came after approval
    assert (
        figures_compute(period=Q1, measure_keys=["activity_enforcement"])["measures"]["activity_enforcement"]["counts"][
            "activity.arrests_sex"
        ]
        == 7
    )
    with pytest.raises(SnapshotImmutable):
        Report.objects.filter(pk=approved.pk).update(figures="{}")
    assert Report.objects.get(pk=approved.pk).figures == before
    row = AuditEntry.objects.get(event=AuditEvent.REPORT_APPROVED)
    assert row.detail["figures_hash"] == approved.figures_hash and "arrests" not in json.dumps(row.detail)


def test_it_refuses_figures_that_no_longer_match_their_hash(approved, grant_manager):
    with connection.cursor() as cursor:  # the model refuses any change: go underneath it, as an attacker would
        cursor.execute("UPDATE reports_report SET figures = %s WHERE id = %s", ['{"tampered": 1}', approved.pk])
    response = client_for(grant_manager).get(reverse("reports:funder_copy", args=[approved.pk]))
    assert response.status_code == 409
    api = client_for(grant_manager).get(reverse("api:v1:report-funder-xlsx", args=[approved.pk]))
    assert api.status_code == 409
    refused = AuditEntry.objects.filter(event__in=[AuditEvent.FUNDER_COPY_VIEWED, AuditEvent.FUNDER_COPY_EXPORTED])
    assert {row.outcome for row in refused} == {"failure"} and refused.count() == 2


# --- audit ----------------------------------------------------------------------------------------------------
def test_it_audits_every_view_and_export_of_the_funder_copy(approved, grant_manager):
    client = client_for(grant_manager)
    for name in ("reports:funder_copy", "reports:funder_xlsx", "reports:funder_pdf"):
        assert client.get(reverse(name, args=[approved.pk])).status_code == 200
    for name in ("api:v1:report-funder", "api:v1:report-funder-xlsx", "api:v1:report-funder-pdf"):
        assert client.get(reverse(name, args=[approved.pk])).status_code == 200
    rows = AuditEntry.objects.filter(actor=grant_manager, target_id=str(approved.pk)).exclude(
        event=AuditEvent.REPORT_SAVED
    )
    seen = sorted((row.event, row.detail["format"]) for row in rows)
    viewed, exported = AuditEvent.FUNDER_COPY_VIEWED, AuditEvent.FUNDER_COPY_EXPORTED
    assert seen == sorted(
        [
            (viewed, "html"),
            (viewed, "json"),
            (exported, "xlsx"),
            (exported, "xlsx"),
            (exported, "pdf"),
            (exported, "pdf"),
        ]
    )
    for row in rows:
        assert row.detail["template"] == TEMPLATE and row.detail["figures_hash"] == approved.figures_hash
        assert set(row.detail) == {"format", "period", "template", "status", "figures_hash"}  # never a figure


# --- the files -------------------------------------------------------------------------------------------------
def test_the_funder_xlsx_is_laid_out_like_the_form(approved, grant_manager, tmp_path):
    response = client_for(grant_manager).get(reverse("reports:funder_xlsx", args=[approved.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="funder-bja_taskforce_pmt-2025-q1-approved.xlsx"'
    (tmp_path / "f.xlsx").write_bytes(response.content)
    sheet = load_workbook(tmp_path / "f.xlsx", read_only=True)["Funder form"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(value) for row in rows for value in row if value is not None)
    assert "BJA Performance Measurement Tool" in text and "2025 Q1 (January-March 2025)" in text
    header = rows.index(("Item", "Question", "Answer", "Note"))
    items = {row[0]: row[2] for row in rows[header + 1 :]}
    assert items["LE-arrests-sex"] == 2 and items["TF-awareness-people"] == 300
    assert list(items) == [item.code for item in funder_items(TEMPLATE)]
    again = client_for(grant_manager).get(reverse("api:v1:report-funder-xlsx", args=[approved.pk]))
    assert again.content == response.content  # frozen: the same bytes on every download


def test_the_funder_pdf_names_the_form_period_and_items(approved, grant_manager):
    response = client_for(grant_manager).get(reverse("reports:funder_pdf", args=[approved.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BJA Performance Measurement Tool" in text and "2025 Q1 (January-March 2025)" in text
    assert "LE-arrests-sex" in text and "Exact figures for the funder" in text


# --- templates ---------------------------------------------------------------------------------------------------
def test_a_template_adds_its_measures_and_must_fit_the_period(demo_like_quarter, grant_manager):
    report = report_create(actor=grant_manager, period=Q1, measures=["trafficking_type"], template=TEMPLATE)
    assert {"trafficking_type", "activity_enforcement", "activity_outreach"} <= set(report.measures)
    with pytest.raises(ValidationError, match="half-year"):
        report_create(actor=grant_manager, period=Q1, measures=["trafficking_type"], template="ovc_tims")
    with pytest.raises(ValidationError):
        report_create(actor=grant_manager, period=Q1, measures=["trafficking_type"], template="no_such_form")


def test_a_drafts_template_can_change_and_an_approved_reports_cannot(approved, demo_like_quarter, grant_manager):
    draft = report_create(actor=grant_manager, period=Q1, measures=["trafficking_type"])
    assert draft.template == ""
    response = client_for(grant_manager).post(reverse("reports:template"), {"report": draft.pk, "template": "ovc_pmt"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:funder_copy", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.template == "ovc_pmt" and "activity_outreach" in draft.measures
    with pytest.raises(ValidationError, match="already approved"):
        report_template_set(report=approved, actor=grant_manager, template="ovc_pmt")


def test_a_drafts_funder_copy_is_computed_now(demo_like_quarter, grant_manager):
    draft = report_create(actor=grant_manager, period=Q1, measures=[], template=TEMPLATE)
    response = client_for(grant_manager).get(reverse("reports:funder_copy", args=[draft.pk]))
    assert response.status_code == 200 and response.context["copy"]["status"] == "draft"
    assert _answers(response.context["copy"])["LE-arrests-sex"] == 2
    assert "Download the funder copy" not in response.content.decode()  # files once approved


def test_every_registered_funder_item_names_a_count_of_its_measure(db):
    half = period_build(kind=PeriodKind.HALF, year=2025, part=1)
    for template in funder_templates():
        for item in funder_items(template.key):
            period = half if template.period_kinds == ("half",) else Q1
            result = measures_by_key([item.measure])[0].compute(period)
            keys = {count.key for count in result.counts} | {statistic.key for statistic in result.statistics}
            assert item.statistic in keys, (template.key, item.code)


def test_the_frozen_figures_are_canonical_json_with_their_hash(approved):
    figures = frozen_figures(report=approved)
    assert canonical_json(figures) == approved.figures
    assert set(figures["measures"]) == set(approved.measures)
