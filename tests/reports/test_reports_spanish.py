"""Grant reports for a person who reads Spanish: pages in Spanish, published figures and files in English."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from agencies.models import User
from reports.engine import figures_fingerprint
from reports.models import ExportJob
from reports.periods import period_build
from reports.selectors import report_content
from reports.services import report_create
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.reports.conftest import ALL_MEASURES, Q1_2025, approve, draft

pytestmark = pytest.mark.django_db


def _spanish(person: User) -> User:
    User.objects.filter(pk=person.pk).update(language="es")
    person.refresh_from_db()
    return person


def test_it_shows_the_reports_list_in_spanish(grant_manager, quarter):
    report = draft(grant_manager)
    page = client_for(_spanish(grant_manager)).get(reverse("reports:dashboard")).content.decode()
    assert "<h1>Informes de la subvención</h1>" in page and "Preparar un informe" in page
    assert "Los últimos cuatro trimestres publicados" in page and "Cómo leer las cifras" in page
    assert "Cero significa ninguno." in page  # the legend of the published figures, translated for the page
    assert "2025 T1 (enero-marzo 2025)</a>" in page and f"borrador {report.pk}, de {grant_manager}" in page
    assert "2025 Q1" not in page


def test_it_shows_a_draft_in_spanish(grant_manager, quarter):
    report = draft(grant_manager)
    page = client_for(_spanish(grant_manager)).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Informe de la subvención, 2025 T1 (enero-marzo 2025)" in page
    assert f"<strong>Borrador {report.pk}</strong>, guardado por {grant_manager}" in page
    assert "Descargar CSV" in page and "&lt;11" in page


def test_it_refuses_bad_input_in_spanish(grant_manager):
    client = client_for(_spanish(grant_manager))
    data = {"kind": "custom", "start": "2025-03-01", "end": "2025-02-01", "measures": ["gender"]}
    response = client.post(reverse("reports:new"), data)
    assert response.status_code == 400
    assert "El último día debe ser igual o posterior al primero." in response.content.decode()


def test_the_published_figures_are_the_same_in_every_language(grant_manager, coordinator, quarter):
    report = draft(grant_manager)
    with translation.override("es"):
        in_spanish = report_content(report=report)
    assert in_spanish["period"]["label"] == "2025 Q1 (January-March 2025)"
    assert figures_fingerprint(in_spanish) == figures_fingerprint(report_content(report=report))
    with translation.override("es"):  # a coordinator who reads Spanish approves what they reviewed
        approved = approve(report, _spanish(coordinator))
    assert approved.is_approved and "January-March 2025" in approved.content


def test_two_drafts_of_one_quarter_can_be_told_apart(grant_manager, coordinator, quarter):
    colleague = UserFactory(agency=grant_manager.agency, role=grant_manager.role, first_name="Rosa", last_name="Vega")
    approved = approve(draft(grant_manager), coordinator)  # drafts are listed as drafts beside approved reports
    first, second = draft(grant_manager), draft(colleague)
    page = client_for(coordinator).get(reverse("reports:dashboard")).content.decode()
    assert f"draft {first.pk}, by {grant_manager}" in page and f"draft {second.pk}, by Rosa Vega" in page
    assert f"report {approved.pk}</span>" in page and '<time datetime="">' not in page


def test_a_spanish_readers_csv_stays_english(grant_manager, quarter):
    report = draft(grant_manager)
    response = client_for(_spanish(grant_manager)).get(reverse("reports:csv", args=[report.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    text = " ".join(" ".join(row.values()) for row in rows)
    assert "Referrals by month" in text and "January 2025" in text and "withheld" in text
    assert "enero" not in text and "retenida" not in text


def test_a_spanish_readers_xlsx_stays_english(grant_manager, quarter, django_capture_on_commit_callbacks):
    report = draft(grant_manager)
    client = client_for(_spanish(grant_manager))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_request"), {"report": report.pk, "format": "xlsx"})
    job = ExportJob.objects.get(report=report)
    export_page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "Listo. El enlace funciona hasta" in export_page
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "Grant report, 2025 Q1 (January-March 2025)" in text and "withheld" in text
    assert "enero" not in text and "Informe" not in text


def test_a_spanish_readers_funder_copy_files_stay_english(grant_manager, coordinator, quarter):
    report = report_create(
        actor=grant_manager, period=period_build(**Q1_2025), measures=ALL_MEASURES, template="bja_taskforce_pmt"
    )
    approve(report, coordinator)
    client = client_for(_spanish(grant_manager))
    page = client.get(reverse("reports:funder_copy", args=[report.pk])).content.decode()
    assert "Copia del financiador, 2025 T1 (enero-marzo 2025)" in page
    assert "BJA Performance Measurement Tool" in page  # the funder's own form keeps its words
    response = client.get(reverse("reports:funder_xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Funder form"]
    text = " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    assert "2025 Q1 (January-March 2025)" in text and "enero" not in text
