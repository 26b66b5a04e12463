"""Importing referrals from a CSV file (for agencies moving off spreadsheets).

All rows are checked first, through the same services and the same de-identification guard
as the web form and the API; then either every row is created, in one transaction, or none.
Errors name the row, the column and the kind of problem, never the refused value.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import Agency, User
from agencies.roles import Action
from cases import choices
from cases.models import CODED_FIELDS
from cases.services import ConsentInput, guard_free_text, referral_send

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


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checked: int = 0


@dataclass
class _Row:
    number: int
    receiving_agency: Agency
    facts: dict[str, object]
    needs: list[str]
    consent: ConsentInput | None


def referrals_import_csv(*, actor: User, stream: TextIO, dry_run: bool = False) -> ImportReport:
    report = ImportReport()
    if not actor.can(Action.HANDLE_REFERRALS):
        report.errors.append("Only a referral officer can import referrals.")
        return report
    reader = csv.DictReader(stream)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(f"The header lacks these columns: {', '.join(missing)}.")
        return report
    rows = []
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        report.checked += 1
        try:
            rows.append(_parse(number, raw, actor))
        except ValidationError as error:
            report.errors.extend(_describe(number, error))
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                referral = referral_send(
                    actor=actor,
                    receiving_agency=row.receiving_agency,
                    facts=row.facts,
                    needs=row.needs,
                    consent=row.consent,
                )
                report.created.append(referral.reference_code)
    except ValidationError as error:
        report.created.clear()
        report.errors.extend(_describe(row.number, error))
    return report


def _parse(number: int, raw: dict[str, str], actor: User) -> _Row:
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    errors: dict[str, str] = {}
    agency = Agency.objects.filter(name__iexact=value["receiving_agency"], is_active=True).first()
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
    if errors:
        raise ValidationError({column: [message] for column, message in errors.items()})
    # The guard runs here too, so that a refused note is reported for its row before anything is written.
    guard_free_text(actor=actor, fields={"note": value["note"], "county": value["county"]})
    facts = {column: value[column] for column in _CODED}
    facts.update(
        county=value["county"], note=value["note"], interpreter_needed=_YES_NO[value["interpreter_needed"].lower()]
    )
    return _Row(number=number, receiving_agency=agency, facts=facts, needs=needs, consent=consent)


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
