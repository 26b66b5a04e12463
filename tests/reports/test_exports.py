"""Exports read back: streamed CSV, XLSX in openpyxl, PDF through pdftotext; audited; expiring; idempotent."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry, AuditEvent
from cases.models import Referral
from reports import services
from reports.models import ExportJob, ExportStatus
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.reports.conftest import ALL_MEASURES, approve, draft

pytestmark = pytest.mark.django_db
NOTE = "Prefers afternoon calls at the library on Elm"


@pytest.fixture
def noted(quarter, officer):
    """A referral with a note in the quarter: no export may carry the note or any reference code."""
    with time_machine.travel(quarter[0].created_at + timedelta(hours=1), tick=False):
        return send(officer, quarter[0].receiving_agency, note=NOTE)


def _prepare(client, report, file_format: str, capture) -> ExportJob:
    with capture(execute=True):
        response = client.post(reverse("reports:export_request"), {"report": report.pk, "format": file_format})
    job = ExportJob.objects.get(report=report, format=file_format)
    assert response.status_code == 302 and response["Location"] == reverse("reports:export", args=[job.pk])
    return job


def _download(client, job: ExportJob) -> bytes:
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def _no_case_detail(text: str, referrals: list[Referral]) -> None:
    for referral in referrals:
        assert referral.reference_code not in text
    assert "library" not in text and "Elm" not in text


def test_it_streams_the_csv_of_the_published_figures_and_audits_it(as_grant_manager, grant_manager, noted, quarter):
    report = draft(grant_manager)
    response = as_grant_manager.get(reverse("reports:csv", args=[report.pk]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="grant-report-2025-q1-draft.csv"'
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    types = {row["row"]: row["value"] for row in rows if row["measure"] == "trafficking_type"}
    assert types == {"sex": "<11", "labor": "<11", "both": "<11", "unknown": "<11", "total": "<11"}
    assert {row["status"] for row in rows} <= {"shown", "small", "withheld", "empty"}
    agencies = {
        row["row"]: row["value"] for row in rows if row["measure"] == "active_agencies" and row["column"] == "active"
    }
    assert agencies["total"] == "3"  # agencies are not people: shown as they are
    _no_case_detail(text, [*quarter, noted])
    row = AuditEntry.objects.get(event=AuditEvent.EXPORTED)
    assert row.actor == grant_manager and row.detail["format"] == "csv" and row.target_id == str(report.pk)
    assert row.detail["period"] == "2025-01-01/2025-03-31" and row.detail["measures"] == ALL_MEASURES


def test_it_writes_the_xlsx_with_one_sheet_per_measure_and_reads_back(
    as_grant_manager, grant_manager, noted, quarter, django_capture_on_commit_callbacks
):
    report = draft(grant_manager)
    job = _prepare(as_grant_manager, report, "xlsx", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.expires_at > timezone.now()
    book = load_workbook(io.BytesIO(_download(as_grant_manager, job)))
    assert book.sheetnames[0] == "About" and len(book.sheetnames) == 1 + len(ALL_MEASURES)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row and row[0]}
    assert about["Suppression threshold"] == 11 and len(about["Content hash (SHA-256)"]) == 64
    agencies = {row[0]: row[1:3] for row in book["Active partner agencies"].iter_rows(values_only=True) if row[0]}
    assert agencies["All agencies"] == (3, 4) and agencies["Health care"] == (1, 1)
    for sheet in book.worksheets[1:]:  # every figure is a number, or a marker in words
        for row in sheet.iter_rows(min_row=6, values_only=True):
            if row[0] and len(row) > 1 and row[1] is not None:
                assert all(
                    isinstance(v, int | float) or v in ("<11", "withheld", "none") for v in row[1:] if v is not None
                )
    markers = {v for sheet in book.worksheets[1:] for row in sheet.iter_rows(values_only=True) for v in row}
    assert "<11" in markers and "withheld" in markers
    everything = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    _no_case_detail(everything, [*quarter, noted])
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORTED, detail__format="xlsx").count() == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_it_writes_a_printable_pdf_with_the_task_force_period_charts_and_tables(
    as_grant_manager, grant_manager, noted, quarter, django_capture_on_commit_callbacks, settings
):
    report = draft(grant_manager)
    job = _prepare(as_grant_manager, report, "pdf", django_capture_on_commit_callbacks)
    pdf = _download(as_grant_manager, job)
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf  # the charts
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert settings.TASKFORCE_NAME in text
    assert "Grant report, 2025 Q1 (January-March 2025)" in text and "DRAFT, not approved" in text
    for title in ("Trafficking type", "Median days to accept and to close", "Active partner agencies", "Needs"):
        assert title in text
    assert "<11" in text and "withheld" in text
    _no_case_detail(text, [*quarter, noted])


def test_it_hands_out_an_approved_report_byte_for_byte_the_same_after_the_data_changes(
    as_grant_manager, grant_manager, coordinator, quarter, officer, django_capture_on_commit_callbacks
):
    report = approve(draft(grant_manager), coordinator)
    capture = django_capture_on_commit_callbacks
    first = {
        fmt: _download(as_grant_manager, _prepare(as_grant_manager, report, fmt, capture)) for fmt in ("xlsx", "pdf")
    }
    ExportJob.objects.all().delete()
    for _ in range(15):
        send(officer, quarter[0].receiving_agency)
    Referral.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        again = {
            fmt: _download(as_grant_manager, _prepare(as_grant_manager, report, fmt, capture))
            for fmt in ("xlsx", "pdf")
        }
    for fmt in ("xlsx", "pdf"):
        assert hashlib.sha256(first[fmt]).digest() == hashlib.sha256(again[fmt]).digest(), fmt
    about = {r[0]: r[1] for r in load_workbook(io.BytesIO(again["xlsx"]))["About"].iter_rows(values_only=True) if r}
    assert about["Content hash (SHA-256)"] == report.content_hash and about["Status"].startswith("Approved")


def test_it_queues_the_export_after_commit_and_shows_progress_until_a_worker_runs_it(
    as_grant_manager, grant_manager, quarter, django_capture_on_commit_callbacks
):
    """As with a real broker: the request only queues the job; a worker prepares the file later."""
    report = draft(grant_manager, ["gender"])
    from outbox.models import OutboxTask

    queue = mock.patch("outbox.services.outbox_dispatch")  # the broker: enqueued through the outbox
    with queue as dispatch, django_capture_on_commit_callbacks(execute=True) as callbacks:
        as_grant_manager.post(reverse("reports:export_request"), {"report": report.pk, "format": "pdf"})
        assert not dispatch.called  # nothing is queued before the job row is committed
    job = ExportJob.objects.get()
    (row,) = OutboxTask.objects.filter(task="reports.tasks.export_prepare_task")
    assert len(callbacks) == 1 and row.args == [str(job.id)] and row.pk in dispatch.call_args.kwargs["ids"]
    status = as_grant_manager.get(reverse("reports:export_status", args=[job.pk])).json()
    assert status == {"status": "queued", "progress": 0, "message": "Waiting to start", "download_url": None,
                      "expires_at": None}  # fmt: skip
    page = as_grant_manager.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert 'data-export-status-url="' in page and "<progress" in page
    assert as_grant_manager.get(reverse("reports:export_download", args=[job.pk])).status_code == 409

    from reports.tasks import export_prepare_task

    export_prepare_task.run(str(job.id))  # the worker
    export_prepare_task.run(str(job.id))  # delivered twice: nothing breaks, nothing changes
    status = as_grant_manager.get(reverse("reports:export_status", args=[job.pk])).json()
    assert status["status"] == "ready" and status["progress"] == 100
    assert status["download_url"] == reverse("reports:export_download", args=[job.pk])
    assert _download(as_grant_manager, ExportJob.objects.get()).startswith(b"%PDF")


def test_it_notes_progress_while_the_figures_are_computed(grant_manager, quarter):
    report = draft(grant_manager, ["gender", "needs"])
    job = ExportJob.objects.create(report=report, requested_by=grant_manager, format="xlsx")
    seen: list[int] = []
    real = services.progress_note

    def spy(*, job_id, progress):
        seen.append(progress)
        real(job_id=job_id, progress=progress)

    with mock.patch("reports.services.progress_note", spy):
        services.export_prepare(job_id=job.pk)
    # One note per quarter read (a quarter is published once, every measure together), one per measure written.
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] < 100 and len(seen) == 3


def test_it_expires_the_download_link_and_deletes_the_file(
    as_grant_manager, grant_manager, quarter, django_capture_on_commit_callbacks, settings
):
    report = draft(grant_manager, ["gender"])
    job = _prepare(as_grant_manager, report, "xlsx", django_capture_on_commit_callbacks)
    path = settings.REPORT_EXPORT_DIR / job.file_name
    assert path.exists() and str(path).startswith(str(settings.REPORT_EXPORT_DIR))
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = as_grant_manager.get(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 410 and "This download link has expired" in response.content.decode()
    assert as_grant_manager.get(reverse("reports:export_status", args=[job.pk])).json()["status"] == "expired"
    assert not path.exists()


def test_it_purges_expired_files(grant_manager, quarter, settings):
    report = draft(grant_manager, ["gender"])
    job = ExportJob.objects.create(report=report, requested_by=grant_manager, format="xlsx")
    services.export_prepare(job_id=job.pk)
    path = settings.REPORT_EXPORT_DIR / job.file_name
    assert path.exists() and services.exports_purge_expired() == 0
    with time_machine.travel(timezone.now() + settings.REPORT_EXPORT_LINK_LIFETIME + timedelta(minutes=1)):
        assert services.exports_purge_expired() == 1
    assert not path.exists()


def test_it_keeps_each_prepared_file_to_the_person_who_asked_for_it(
    as_grant_manager, grant_manager, coordinator, quarter, django_capture_on_commit_callbacks
):
    job = _prepare(as_grant_manager, draft(grant_manager, ["gender"]), "xlsx", django_capture_on_commit_callbacks)
    other = client_for(coordinator)
    for name in ("reports:export", "reports:export_status", "reports:export_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORTED).exists()


def test_it_marks_a_job_failed_with_a_message_when_preparing_breaks(
    as_grant_manager, grant_manager, quarter, django_capture_on_commit_callbacks
):
    report = draft(grant_manager, ["gender"])
    with mock.patch.dict(services._WRITERS, {"xlsx": mock.Mock(side_effect=OSError("disk full"))}):
        job = _prepare(as_grant_manager, report, "xlsx", django_capture_on_commit_callbacks)  # no server error
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "Please try again" in job.failure
    page = as_grant_manager.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "Please try again" in page and "Prepare it again" in page
    assert not any(services.export_folder().iterdir())  # no half-written file left behind


# --- formula-looking text -------------------------------------------------------------------------

# Labels come from code today; a label starting with one of these must still never run as a formula.
FORMULA_LOOKING = ["=1+2*cmd|calc!A1", "+1", "-5 mg", "@SUM(A1)", "\t=1+2", "\r=1+2", "\uff1d1+2", "\uff20x"]


def _with_labels(content: dict, labels: list[str]) -> dict:
    """The report's content with its first measure's title, columns and rows labelled `labels`, in turn."""
    measure = content["measures"][0]
    texts = iter(labels * 100)
    measure["title"] = next(texts)
    for part in (*measure["columns"], *measure["rows"]):
        part["label"] = next(texts)
    return content


def test_it_puts_a_quote_before_formula_looking_labels_in_the_csv(grant_manager, quarter):
    from reports import csv_export
    from reports.selectors import report_content

    content = _with_labels(report_content(report=draft(grant_manager)), FORMULA_LOOKING)
    rows = list(csv.DictReader(io.StringIO("".join(csv_export.lines(content)), newline="")))
    first = [row for row in rows if row["measure"] == content["measures"][0]["key"]]
    labels = {row["measure_title"] for row in first} | {
        row[key] for row in first for key in ("row_label", "column_label")
    }
    assert labels and all(label[:1] == "'" and label[1:] in FORMULA_LOOKING for label in labels)
    assert {"'\t=1+2", "'\r=1+2"} & labels  # a leading tab or carriage return is caught too
    shown = [row["value"] for row in rows if row["status"] == "shown"]
    assert shown and all(value.isdigit() for value in shown)  # numbers stay numbers


def test_it_keeps_formula_looking_labels_as_text_in_the_xlsx(grant_manager, quarter, tmp_path):
    from reports.selectors import document_meta, report_content
    from reports.xlsx_export import write_xlsx

    report = draft(grant_manager)
    content = _with_labels(report_content(report=report), FORMULA_LOOKING)
    path = tmp_path / "report.xlsx"
    write_xlsx(content, document_meta(report=report, content=content), path)
    with zipfile.ZipFile(path) as package:
        sheets = [package.read(name) for name in package.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet for sheet in sheets)
    sheet = load_workbook(path).worksheets[1]
    texts = {cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "s"}
    measure = content["measures"][0]
    labels = {measure["title"]} | {part["label"] for part in (*measure["columns"], *measure["rows"])}
    assert len(labels) > 4 and labels <= texts  # as typed, no quote: XLSX text is text
