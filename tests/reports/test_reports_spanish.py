"""Grant reports for a person who reads Spanish: pages in Spanish, published figures and files in English."""

from __future__ import annotations

import copy
import csv
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from agencies.models import User
from reports.display import content_for_reader
from reports.engine import figures_fingerprint, sha256_hex
from reports.measures import measure_keys
from reports.models import ExportJob, Report
from reports.periods import period_build
from reports.selectors import report_content, snapshot_content
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


# --- the measures' own words: titles, definitions, notes, columns, rows and chart texts --------------------------
def _every_measure(actor: User) -> Report:
    return report_create(actor=actor, period=period_build(**Q1_2025), measures=measure_keys())


def _english_words(content: dict) -> dict[str, list[str]]:
    """Every word of the published measures that a page shows, by kind (agency names are names, not words)."""
    words: dict[str, list[str]] = {"title": [], "definition": [], "note": [], "column": [], "row": [], "chart": []}
    for measure in content["measures"]:
        words["title"].append(measure["title"])
        words["definition"].append(measure["definition"])
        words["note"] += measure["notes"]
        words["column"] += [column["label"] for column in measure["columns"]]
        if measure["key"] != "attendance_by_agency":
            words["row"] += [row["label"] for row in measure["rows"]]
        if measure["chart"]:
            words["chart"].append(measure["chart"]["alt"])
    return words


def test_every_word_of_every_measure_has_a_spanish_reading(grant_manager, quarter):
    content = report_content(report=_every_measure(grant_manager))
    english = _english_words(content)
    assert "Declined: No capacity" in english["row"] and "Minors: 12-17" in english["row"]  # composed labels
    with translation.override("es"):
        spanish = _english_words(content_for_reader(content))
    untranslated = {
        kind: [word for word, shown in zip(english[kind], spanish[kind], strict=True) if word == shown]
        for kind in english
    }
    assert untranslated == {kind: [] for kind in english}
    rows = dict(zip(english["row"], spanish["row"], strict=True))
    assert rows["Declined: No capacity"] == "Rechazadas: Sin capacidad"
    assert rows["Closed: Services provided"].startswith("Cerradas: ") and rows["January 2025"] == "enero 2025"
    assert rows["Minors: 12-17"] == "Menores: 12-17"


def test_a_spanish_readers_report_page_shows_no_english_measure_words(grant_manager, quarter):
    report = _every_measure(grant_manager)
    english = {word for words in _english_words(report_content(report=report)).values() for word in words}
    page = client_for(_spanish(grant_manager)).get(reverse("reports:detail", args=[report.pk])).content.decode()
    shown = [
        html.unescape(text)
        for pattern in (
            r'<h2 id="m-[\w-]+">([^<]*)</h2>',
            r'<p class="definition">([^<]*)</p>',
            r'<th scope="(?:col|row)"[^>]*>([^<]*)</th>',
            r'<p class="small">([^<]*)</p>',
            r'<img src="data:image/svg\+xml;base64,[^"]*" alt="([^"]*)"',
        )
        for text in re.findall(pattern, page)
    ]
    assert len(shown) > 300
    assert sorted(english & set(shown)) == []
    assert '<h2 id="m-referrals_by_month">Derivaciones por mes</h2>' in page
    assert "Gráfico de columnas del número de derivaciones enviadas cada mes, 2025 T1 (enero-marzo 2025)." in page
    # The period's days in the one date style, and the task force's time zone by its everyday name.
    assert (
        "del 1 ene 2025 al 31 mar 2025, días contados en la zona horaria del grupo de trabajo (hora del Centro)" in page
    )
    assert "America/Chicago" not in page and "2025-01-01" not in page


def test_the_english_page_names_the_time_zone_too(grant_manager, quarter):
    report = draft(grant_manager)
    page = client_for(grant_manager).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Jan 1, 2025 to Mar 31, 2025, days counted in the task force's time zone (Central time)" in page


def test_the_report_form_lists_the_measures_in_spanish(grant_manager, quarter):
    page = client_for(_spanish(grant_manager)).get(reverse("reports:new")).content.decode()
    assert "Derivaciones por mes" in page and "Resultados y motivos de rechazo" in page
    assert "Referrals by month" not in page and "Outcomes and decline reasons" not in page


def test_translating_for_a_page_leaves_the_published_figures_english(grant_manager, quarter):
    with translation.override("es"):  # a Spanish reader is the first to open the quarter: it is published in English
        content = report_content(report=_every_measure(grant_manager))
    published = copy.deepcopy(content)
    with translation.override("es"):
        shown = content_for_reader(content)
    assert content == published and figures_fingerprint(content) == figures_fingerprint(published)
    outcomes = next(m for m in content["measures"] if m["key"] == "outcomes")
    assert outcomes["title"] == "Outcomes and decline reasons"
    assert "Declined: No capacity" in [row["label"] for row in outcomes["rows"]]
    assert next(m for m in shown["measures"] if m["key"] == "outcomes")["title"] == "Resultados y motivos de rechazo"


def test_an_approved_report_still_verifies_and_reads_in_spanish(grant_manager, coordinator, quarter):
    report = approve(_every_measure(grant_manager), coordinator)
    frozen = Report.objects.get(pk=report.pk)
    assert sha256_hex(frozen.content) == frozen.content_hash
    assert snapshot_content(report=frozen)["measures"][0]["title"] == "Referrals by month"
    page = client_for(_spanish(grant_manager)).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Derivaciones por mes" in page and "Referrals by month" not in page


def test_a_word_no_catalog_holds_stays_as_published(grant_manager, quarter):
    """A snapshot frozen with wording since changed still shows: the words found are translated, the rest not."""
    content = report_content(report=draft(grant_manager, ["outcomes"]))
    rows = content["measures"][0]["rows"]
    rows[0]["label"], rows[1]["label"] = "Declined: A reason since retired", "Something since renamed"
    with translation.override("es"):
        shown = content_for_reader(content)["measures"][0]["rows"]
    assert [shown[0]["label"], shown[1]["label"]] == ["Rechazadas: A reason since retired", "Something since renamed"]
