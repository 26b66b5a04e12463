"""Row exports of a referral officer's own referrals, coded fields only.

No reference code, no note, no free text: what leaves the portal here is what the grant
report counts, one row per referral, for the agency's own records. CSV streams from a
server-side cursor in constant memory; XLSX uses openpyxl's write-only mode.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
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
    return coded_rows(Referral.objects.for_user(user), agency_id=user.agency_id)


def coded_rows(referrals: QuerySet[Referral], *, agency_id: int | None) -> Iterator[list[object]]:
    """Header, then one row per referral of `referrals`, which the caller has already scoped to a person
    (the benchmarks run it over every referral); "sent" when `agency_id` sent it, "received" otherwise."""
    yield list(EXPORT_COLUMNS.values())
    # The local date comes from the database: converting 200,000 datetimes in Python took most of the time.
    sent_on = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    rows = referrals.order_by("id").annotate(sent_on=sent_on).values_list("sending_agency_id", "sent_on", *_FIELDS[1:])
    # In a transaction, PostgreSQL streams the server-side cursor; outside one, Django declares it WITH
    # HOLD and PostgreSQL computes and stores every row before sending the first.
    with transaction.atomic():
        for sending_agency_id, sent_on_date, *rest in rows.iterator(chunk_size=CHUNK):
            direction = "sent" if sending_agency_id == agency_id else "received"
            yield [sent_on_date.isoformat(), direction, *rest]


def csv_lines(*, user: User) -> Iterator[str]:
    return csv_encode(export_rows(user=user))


def csv_encode(rows: Iterable[list[object]]) -> Iterator[str]:
    """CSV text in pieces of CHUNK rows: one write to the client per piece rather than per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = iter(rows)
    while batch := list(islice(rows, CHUNK)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_file(*, user: User) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook in a temporary file; memory stays bounded whatever the row count."""
    return xlsx_workbook(export_rows(user=user))


def xlsx_workbook(rows: Iterable[list[object]]) -> tempfile.SpooledTemporaryFile:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Referrals")
    for row in rows:
        sheet.append(row)
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    workbook.save(target)
    target.seek(0)
    return target
