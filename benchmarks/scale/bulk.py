"""Bulk loading for the scale dataset: PostgreSQL's COPY (text format, written by hand), or multi-row
INSERTs on other databases (the tests' SQLite), through one function, so that both run the same builders.

Rows are plain tuples with explicit ids (`IdBlock`): a builder knows each row's id before it is written,
so children need no round trip; `sequences_reset` moves the id sequences past them at the end. Columns a
builder leaves out take the field's default, computed once per call (a constant, as a bulk load does).
Indexes, constraints and triggers stay as the migrations made them: the load pays for them as a
deployment's inserts do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

COPY_CHUNK = 1 << 20  # bytes handed to COPY at a time


class IdBlock:
    """The next ids of a table whose rows this load writes with explicit ids (the table starts empty
    for the builders that use it; seed_scale refuses a database that is not)."""

    def __init__(self, model: type[models.Model]) -> None:
        last = model._default_manager.aggregate(last=models.Max("pk"))["last"]
        self.next = (last or 0) + 1

    def take(self) -> int:
        taken, self.next = self.next, self.next + 1
        return taken


def rows_copy(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write `rows` (values in the order of the field names `names`) into `model`'s table; returns the count."""
    named = [str(model._meta.get_field(name).column) for name in names]  # type: ignore[union-attr]
    missing = _defaults(model, names)
    columns = named + list(missing)
    constants = tuple(missing.values())
    full = (tuple(row) + constants for row in rows)
    if connection.vendor == "postgresql":
        return _copy(model._meta.db_table, columns, full)
    return _insert(model._meta.db_table, columns, full)


def _defaults(model: type[models.Model], names: Sequence[str]) -> dict[str, Any]:
    now = timezone.now()
    out: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in names or field.attname in names or field.generated or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out[field.column] = now
            continue
        value = field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{model._meta.label}.{field.name} has no default: give it to rows_copy")
        # JSON as its text: the backend's own adapter (psycopg's Jsonb) is not a COPY cell.
        is_json = isinstance(field, models.JSONField)
        out[field.column] = json.dumps(value) if is_json else field.get_db_prep_save(value, connection)
    return out


def _copy(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    count, buffer, size = 0, [], 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            line = "\t".join([_cell(value) for value in row]) + "\n"
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= COPY_CHUNK:
                copy.write("".join(buffer).encode())
                buffer, size = [], 0
        if buffer:
            copy.write("".join(buffer).encode())
    return count


def _cell(value: Any) -> str:
    # The builders write no tab, newline or backslash in text: only None needs COPY's escape.
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _insert(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    ops = connection.ops
    quoted = ", ".join(ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    adapted = [tuple(_adapt(value) for value in row) for row in rows]
    per_statement = max(1, 500 // len(columns))  # SQLite allows 999 parameters per statement
    with connection.cursor() as cursor:
        for start in range(0, len(adapted), per_statement):
            chunk = adapted[start : start + per_statement]
            values = ", ".join([f"({placeholders})"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({quoted}) VALUES {values}", [v for row in chunk for v in row])  # noqa: S608 - names from the models
    return len(adapted)


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def sequences_reset(model_list: Sequence[type[models.Model]]) -> None:
    """Move the id sequences past the explicit ids written (PostgreSQL; SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
