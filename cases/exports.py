"""Row exports of a referral officer's own referrals, coded fields only.

No reference code, no note, no free text: what leaves the portal here is what the grant
report counts, one row per referral, for the agency's own records. CSV streams from a
server-side cursor in constant memory; XLSX uses openpyxl's write-only mode.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.utils import timezone
from openpyxl import Workbook

from agencies.models import User
from cases.models import Referral

EXPORT_COLUMNS: dict[str, str] = {
    "created_at": "sent (date)",
    "direction": "direction",
    "status": "status",
    "sending_agency__name": "sending agency",
    "receiving_agency__name": "receiving agency",
    "urgency": "urgency",
    "trafficking_type": "trafficking type",
    "victim_status": "potential or confirmed",
    "age_band": "age band",
    "gender": "gender",
    "citizenship": "citizenship",
    "county": "county",
    "language": "language",
    "interpreter_needed": "interpreter needed",
    "source_type": "source type",
    "decline_reason": "decline reason",
    "outcome": "outcome",
}
_FIELDS = [name for name in EXPORT_COLUMNS if name != "direction"]
CHUNK = 2000


def export_rows(*, user: User) -> Iterator[list[object]]:
    """Header, then one row per referral the person may see, read in chunks from a server-side cursor."""
    yield list(EXPORT_COLUMNS.values())
    rows = Referral.objects.for_user(user).order_by("id").values_list("sending_agency_id", *_FIELDS)
    for sending_agency_id, created_at, *rest in rows.iterator(chunk_size=CHUNK):
        direction = "sent" if sending_agency_id == user.agency_id else "received"
        yield [timezone.localdate(created_at).isoformat(), direction, *rest]


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(*, user: User) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in export_rows(user=user):
        yield writer.writerow(row)


def xlsx_file(*, user: User) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook in a temporary file; memory stays bounded whatever the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Referrals")
    for row in export_rows(user=user):
        sheet.append(row)
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    workbook.save(target)
    target.seek(0)
    return target
