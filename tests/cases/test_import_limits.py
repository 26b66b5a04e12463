"""The CSV import of referrals: encodings, size limits, streaming, and reference numbers taken as a block."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.imports import referrals_import_csv
from cases.models import ReferenceSequence, Referral
from tests.cases.referral_helpers import send

pytestmark = pytest.mark.django_db

HEADER = (
    "receiving_agency,urgency,trafficking_type,victim_status,age_band,gender,citizenship,county,language,"
    "interpreter_needed,source_type,needs,note,consent_method,consent_given_on,consent_scope,consent_expires_on\n"
)


def _row(agency_name: str, note: str = "") -> str:
    given = timezone.localdate()
    expires = given + timedelta(days=60)
    return (
        f"{agency_name},routine,labor,potential,25_59,man,unknown,Juniper County,es,yes,hotline,"
        f"shelter;legal,{note},written,{given},facts,{expires}\n"
    )


class CountingStream(io.BytesIO):
    """A file that records how much was read, and the largest single read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0
        self.largest_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        self.largest_read = max(self.largest_read, len(chunk))
        return chunk

    def read1(self, size: int = -1) -> bytes:
        chunk = super().read1(size)
        self.bytes_read += len(chunk)
        self.largest_read = max(self.largest_read, len(chunk))
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.bytes_read += len(line)
        self.largest_read = max(self.largest_read, len(line))
        return line

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        count = super().readinto(buffer)
        self.bytes_read += count
        self.largest_read = max(self.largest_read, count)
        return count


def _run(path, officer, *extra: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    out, errors = io.StringIO(), io.StringIO()
    try:
        call_command("import_referrals", str(path), "--as", officer.email, *extra, stdout=out, stderr=errors)
    except CommandError as error:
        errors.write(str(error))
    return out.getvalue(), errors.getvalue()


@pytest.mark.parametrize(
    ("label", "encode"),
    [
        ("latin-1", lambda text: text.replace("Juniper", "Juñiper").encode("latin-1")),
        ("utf-16", lambda text: text.encode("utf-16")),
        ("utf-16-le without a BOM", lambda text: text.encode("utf-16-le")),
        ("binary", lambda text: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00" * 50),
    ],
)
def test_it_refuses_a_file_that_is_not_utf8_with_a_clear_message(officer, other_agency, tmp_path, label, encode):
    path = tmp_path / "referrals.csv"
    path.write_bytes(encode(HEADER + _row(other_agency.name) * 3))
    _, errors = _run(path, officer)
    assert "save the file as UTF-8 CSV" in errors, (label, errors)
    assert "Traceback" not in errors and "UnicodeDecodeError" not in errors
    assert "Juñiper" not in errors and "Juniper" not in errors  # no cell value is repeated back
    assert not Referral.objects.exists()


def test_it_refuses_latin1_found_late_in_the_file_and_writes_nothing(officer, other_agency, tmp_path):
    rows = _row(other_agency.name) * 300 + _row(other_agency.name).replace("Juniper", "Juñiper")
    path = tmp_path / "referrals.csv"
    path.write_bytes((HEADER + rows).encode("latin-1"))
    _, errors = _run(path, officer)
    assert "save the file as UTF-8 CSV" in errors and "line 302" in errors
    assert not Referral.objects.exists()


def test_it_accepts_utf8_with_a_byte_order_mark(officer, other_agency, tmp_path):
    # As Excel's "CSV UTF-8" writes it: a byte order mark and CRLF line ends.
    path = tmp_path / "referrals.csv"
    path.write_bytes((HEADER + _row(other_agency.name) * 2).replace("\n", "\r\n").encode("utf-8-sig"))
    out, errors = _run(path, officer)
    assert "Imported 2 referral(s)" in out, errors
    assert Referral.objects.count() == 2


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(officer, other_agency, settings):
    settings.IMPORT_MAX_BYTES = 1000
    stream = CountingStream((HEADER + _row(other_agency.name) * 20).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    assert report.errors == ["The file is larger than the import limit of 1000 bytes (IMPORT_MAX_BYTES): split it."]
    assert stream.bytes_read == 0
    assert not Referral.objects.exists()


def test_it_refuses_more_rows_than_the_limit_and_stops_reading(officer, other_agency, settings):
    settings.IMPORT_MAX_ROWS = 5
    stream = CountingStream((HEADER + _row(other_agency.name) * 2000).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    assert report.errors == ["The file has more than 5 rows (IMPORT_MAX_ROWS): split it into smaller files."]
    assert stream.bytes_read < len(stream.getvalue()) // 4
    assert not Referral.objects.exists()


def test_it_reads_the_file_in_small_chunks_not_all_at_once(officer, other_agency):
    stream = CountingStream((HEADER + _row(other_agency.name) * 3000).encode())
    report = referrals_import_csv(actor=officer, stream=stream, dry_run=True)
    assert report.errors == [] and report.checked == 3000
    assert stream.largest_read <= 64 * 1024 < len(stream.getvalue())


def test_it_lists_a_bounded_number_of_problems(officer, other_agency):
    stream = io.BytesIO((HEADER + _row("No Such Agency") * 500).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    assert report.problems == 500 and len(report.errors) == 101
    assert report.errors[-1] == "… and 400 more problem(s)."


def test_it_takes_the_import_reference_numbers_as_one_consecutive_block(officer, other_agency):
    before = send(officer, other_agency)
    stream = io.BytesIO((HEADER + _row(other_agency.name) * 4).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    after = send(officer, other_agency)
    numbers = [int(code.rsplit("-", 1)[1]) for code in [before.reference_code, *report.created, after.reference_code]]
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert ReferenceSequence.objects.get().last == 6


def test_it_reserves_disjoint_blocks_of_reference_codes(officer):
    from cases.services import reference_codes_reserve

    first = reference_codes_reserve(agency=officer.agency, count=3)
    second = reference_codes_reserve(agency=officer.agency, count=2)
    year = timezone.localdate().year
    prefix = first[0].split("-")[0]
    assert first == [f"{prefix}-{year}-{n:05d}" for n in (1, 2, 3)]
    assert second == [f"{prefix}-{year}-{n:05d}" for n in (4, 5)]
    assert reference_codes_reserve(agency=officer.agency, count=0) == []


def test_it_keeps_the_all_or_nothing_rule_when_a_row_fails_while_writing(officer, other_agency, monkeypatch):
    # A row valid when checked but refused when written (say its agency was deactivated in between):
    # nothing is kept, and the numbers reserved for the import are left as a gap, never reused.
    import cases.imports as imports

    real = imports.referral_send
    calls = []

    def refuse_the_third(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise ValidationError({"receiving_agency": "That agency is not active."})
        return real(**kwargs)

    monkeypatch.setattr(imports, "referral_send", refuse_the_third)
    stream = io.BytesIO((HEADER + _row(other_agency.name) * 4).encode())
    report = referrals_import_csv(actor=officer, stream=stream)
    assert report.created == [] and report.errors == ["Row 4, receiving_agency: That agency is not active."]
    assert not Referral.objects.exists()
    assert ReferenceSequence.objects.get().last == 4
    assert send(officer, other_agency).reference_code.endswith("-00005")
