"""Importing referrals from a CSV file (for agencies moving off spreadsheets).

All rows are checked first, through the same services and the same de-identification guard
as the web form and the API; then either every row is created, in one transaction, or none.
Errors name the row, the column and the kind of problem, never the refused value.

The file is read twice, a line at a time, and never held whole: a first pass checks every row
and keeps only the problems; a second writes. The file must be UTF-8 (a byte order mark is fine)
and within settings.IMPORT_MAX_BYTES (checked before reading) and IMPORT_MAX_ROWS. The reference
numbers are taken as one block in a short transaction of their own before the write, so referrals
sent meanwhile never wait for the import; a failed write leaves that block unused (a gap).

The optional column "person_code" holds the person's code from the agency's own records (accepted only
if a referral the agency can see carries it, as in the form); an empty cell (or no such column) is a
person new to the task force, for whom the portal issues a code. Issued codes are not printed: the
officer reads them on each referral's page (a console's output can end up in logs). A new person
referred twice in the same file gets two codes: import the first referral, then the second with its code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Agency, User
from agencies.roles import Action
from cases import choices
from cases.models import CODED_FIELDS
from cases.services import ConsentInput, guard_free_text, person_code_find, reference_codes_reserve, referral_send

COLUMNS = [
    "receiving_agency",
    *CODED_FIELDS,
    "needs",
    "note",
    "consent_method",
    "consent_given_on",
    "consent_scope",
    "consent_expires_on",
]
OPTIONAL_COLUMNS = ["person_code"]
_CODED = {
    "urgency": choices.Urgency,
    "trafficking_type": choices.TraffickingType,
    "victim_status": choices.VictimStatus,
    "age_band": choices.AgeBand,
    "gender": choices.Gender,
    "citizenship": choices.Citizenship,
    "language": choices.Language,
    "source_type": choices.SourceType,
}
_YES_NO = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "": False,
}
MAX_LISTED_ERRORS = 100  # a file that is wrong throughout says so without a wall of lines
_MAX_LINE_BYTES = 64 * 1024  # no row of this file is near it; a longer "line" is not a CSV of referrals
_NOT_UTF8 = (
    "The file is not UTF-8 text (line {line}): save the file as UTF-8 CSV "
    '(in Excel: Save As, "CSV UTF-8") and import it again.'
)


class _Refused(Exception):
    """The file as a whole cannot be imported; the message says why, naming no cell value."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    people_new: int = 0  # person codes issued, one per row without a code
    checked: int = 0
    problems: int = 0

    def add_errors(self, lines: list[str]) -> None:
        for line in lines:
            self.problems += 1
            if len(self.errors) < MAX_LISTED_ERRORS:
                self.errors.append(line)

    def close(self) -> ImportReport:
        unlisted = self.problems - min(self.problems, MAX_LISTED_ERRORS)
        if unlisted:
            self.errors.append(f"… and {unlisted} more problem(s).")
        return self


@dataclass
class _Row:
    number: int
    receiving_agency: Agency
    facts: dict[str, object]
    needs: list[str]
    consent: ConsentInput | None
    person_code: str | None


def referrals_import_csv(*, actor: User, stream: IO[bytes], dry_run: bool = False) -> ImportReport:
    """Imports the CSV in `stream` (binary, seekable: it is read twice) as `actor`, all rows or none."""
    report = ImportReport()
    if not actor.can(Action.HANDLE_REFERRALS):
        report.add_errors(["Only a referral officer can import referrals."])
        return report
    try:
        _check_size(stream)
        _check_rows(actor=actor, stream=stream, report=report)
        if report.problems or dry_run:
            return report.close()
        _write_rows(actor=actor, stream=stream, report=report)
    except _Refused as refusal:
        report.created.clear()
        report.add_errors([str(refusal)])
    return report.close()


def _check_size(stream: IO[bytes]) -> None:
    size = stream.seek(0, io.SEEK_END)  # the size, without reading anything
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise _Refused(f"The file is larger than the import limit of {limit} bytes (IMPORT_MAX_BYTES): split it.")
    if size == 0:
        raise _Refused("The file is empty.")


def _check_rows(*, actor: User, stream: IO[bytes], report: ImportReport) -> None:
    """The first pass: every row checked (the guard included), nothing kept but the problems."""
    agencies: dict[str, Agency | None] = {}
    limit = settings.IMPORT_MAX_ROWS
    for number, raw in _records(stream):
        if report.checked == limit:
            raise _Refused(f"The file has more than {limit} rows (IMPORT_MAX_ROWS): split it into smaller files.")
        report.checked += 1
        try:
            _parse(number, raw, actor, agencies)
        except ValidationError as error:
            report.add_errors(_describe(number, error))


def _write_rows(*, actor: User, stream: IO[bytes], report: ImportReport) -> None:
    """The second pass: the rows created in one transaction, with numbers reserved beforehand."""
    codes = iter(reference_codes_reserve(agency=actor.member_agency, count=report.checked))
    agencies: dict[str, Agency | None] = {}
    number = 0
    try:
        with transaction.atomic():
            for number, raw in _records(stream):
                # referral_send runs the guard again; the first pass already reported its refusals.
                row = _parse(number, raw, actor, agencies, guard=False)
                code = next(codes, None)
                if code is None:
                    raise _Refused("The file changed while it was being imported. Nothing was imported.")
                referral = referral_send(
                    actor=actor,
                    receiving_agency=row.receiving_agency,
                    facts=row.facts,
                    needs=row.needs,
                    consent=row.consent,
                    reference_code=code,
                    person_code=row.person_code,
                )
                report.created.append(referral.reference_code)
                if row.person_code is None:
                    report.people_new += 1
    except ValidationError as error:
        report.created.clear()
        report.people_new = 0
        report.add_errors(_describe(number, error))


def _records(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, values by column) for each data row; row 1 is the header. Raises _Refused."""
    reader = csv.DictReader(_lines(stream))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise _Refused(f"The header lacks these columns: {', '.join(missing)}.")
    try:
        yield from enumerate(reader, start=2)
    except csv.Error as error:
        # The csv module's messages describe the syntax ("unexpected end of data"), never a value.
        raise _Refused(f"The file is not a valid CSV file (line {reader.line_num}): {error}.") from None


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """The file's lines, decoded one at a time; refuses anything that is not UTF-8 text."""
    stream.seek(0)
    number = 0
    while line := stream.readline(_MAX_LINE_BYTES):
        number += 1
        if len(line) == _MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise _Refused(f"Line {number} of the file is too long: this is not a CSV file of referrals.")
        # A NUL byte is never in a CSV typed by a person: it is UTF-16 (whose ASCII decodes "cleanly") or binary.
        if b"\x00" in line:
            raise _Refused(_NOT_UTF8.format(line=number))
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(_NOT_UTF8.format(line=number)) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _parse(
    number: int, raw: dict[str, str], actor: User, agencies: dict[str, Agency | None], *, guard: bool = True
) -> _Row:
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS + OPTIONAL_COLUMNS}
    errors: dict[str, str] = {}
    agency = _agency_named(value["receiving_agency"], agencies)
    if agency is None:
        errors["receiving_agency"] = "no active member agency has this name"
    for column, coded in _CODED.items():
        if value[column] not in coded.values:
            errors[column] = "not one of: " + ", ".join(coded.values)
    if value["interpreter_needed"].lower() not in _YES_NO:
        errors["interpreter_needed"] = "use yes or no"
    needs = [need.strip() for need in value["needs"].split(";") if need.strip()]
    if not needs or set(needs) - set(choices.Need.values):
        errors["needs"] = "one or more of " + ", ".join(choices.Need.values) + ", separated by semicolons"
    consent = _consent(value, errors)
    if value["person_code"]:
        try:
            person_code_find(actor=actor, typed=value["person_code"])
        except ValidationError as error:
            errors["person_code"] = " ".join(error.messages)
    if errors or agency is None:  # no agency is among the errors
        raise ValidationError({column: [message] for column, message in errors.items()})
    if guard:  # the guard runs here too, so that a refused note is reported for its row before anything is written
        guard_free_text(actor=actor, fields={"note": value["note"], "county": value["county"]})
    facts: dict[str, object] = {column: value[column] for column in _CODED}
    facts.update(
        county=value["county"], note=value["note"], interpreter_needed=_YES_NO[value["interpreter_needed"].lower()]
    )
    return _Row(
        number=number,
        receiving_agency=agency,
        facts=facts,
        needs=needs,
        consent=consent,
        person_code=value["person_code"] or None,
    )


def _agency_named(name: str, agencies: dict[str, Agency | None]) -> Agency | None:
    """Looked up once per name and pass: a file names a handful of agencies thousands of times."""
    key = name.casefold()
    if key not in agencies:
        agencies[key] = Agency.objects.filter(name__iexact=name, is_active=True).first()
    return agencies[key]


def _consent(value: dict[str, str], errors: dict[str, str]) -> ConsentInput | None:
    if not value["consent_method"]:
        return None
    if value["consent_method"] not in choices.ConsentMethod.values:
        errors["consent_method"] = "not one of: " + ", ".join(choices.ConsentMethod.values)
    if value["consent_scope"] not in choices.ConsentScope.values:
        errors["consent_scope"] = "not one of: " + ", ".join(choices.ConsentScope.values)
    dates = {}
    for column in ("consent_given_on", "consent_expires_on"):
        try:
            dates[column] = date.fromisoformat(value[column])
        except ValueError:
            errors[column] = "use a date like 2026-11-21"
    if errors:
        return None
    return ConsentInput(
        method=value["consent_method"],
        given_on=dates["consent_given_on"],
        scope=value["consent_scope"],
        expires_on=dates["consent_expires_on"],
    )


def _describe(number: int, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"Row {number}, {column}: {' '.join(messages)}" for column, messages in error.message_dict.items()]
    return [f"Row {number}: {' '.join(error.messages)}"]
