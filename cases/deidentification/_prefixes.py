"""Which reference-code prefixes the portal issues codes under, for the guard's allow-list.

A code shape ("CR-2024-01234") is the portal's own vocabulary only under a prefix it uses: one a
sequence has drawn codes from, or one an agency is set up with. Court, jail and police numbers share
the shape under other prefixes, so anything else is refused.

Asked per guard call, and only when the text holds a code shape: one query on two small tables
(measured through Django: about 0.1 ms on SQLite, 0.3 ms on PostgreSQL on the same machine), so no
cache can go stale between processes when an agency is added or renamed.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

MAX_PREFIXES_ASKED = 100


def issued_prefixes(candidates: Collection[str]) -> frozenset[str]:
    """The upper-case prefixes among `candidates` that the portal uses; none when it cannot tell.

    Failing closed: without Django or without a database (a script, a broken connection) every code
    shape is refused, which a caseworker can rephrase; a court number let through cannot be unsent.
    """
    # A text holds a handful; past this many, the rest are refused rather than sent as query parameters.
    wanted = sorted({candidate.upper() for candidate in candidates})[:MAX_PREFIXES_ASKED]
    if not wanted:
        return frozenset()
    try:
        from django.apps import apps

        if not apps.ready:
            return frozenset()
        from django.db import connection

        from agencies.models import Agency
        from cases.models import ReferenceSequence

        # Plain SQL: the ORM would spend longer building this than the database spends answering it.
        quote = connection.ops.quote_name
        slots = ", ".join(["%s"] * len(wanted))
        sequences, agencies = quote(ReferenceSequence._meta.db_table), quote(Agency._meta.db_table)
        prefix = quote(ReferenceSequence._meta.get_field("prefix").column)
        configured = quote(Agency._meta.get_field("referral_prefix").column)
        # Only quoted table and column names and %s placeholders are formatted in; the values are parameters.
        statement = (
            f"SELECT {prefix} FROM {sequences} WHERE {prefix} IN ({slots}) "  # noqa: S608 - names only
            f"UNION SELECT UPPER({configured}) FROM {agencies} WHERE UPPER({configured}) IN ({slots})"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*wanted, *wanted])
            return frozenset(str(row[0]).upper() for row in cursor.fetchall())
    except Exception as error:  # no database, no allowance (see above)
        # The kind of failure only: a query error could quote the text's prefixes, never the text itself.
        logging.getLogger(__name__).warning("reference prefixes unavailable: %s", type(error).__name__)
        return frozenset()
