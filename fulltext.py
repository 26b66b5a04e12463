"""Full-text matching of free text: a stored, GIN-indexed tsvector on PostgreSQL, a plain substring on the
embedded SQLite.

A model that is searched keeps its text's tsvector in a generated column (`SearchDocument` below), which
PostgreSQL computes when a row is written. A search then reads the stored vector instead of parsing every
candidate's text again, which is what lets PostgreSQL walk an index in date order and stop at the first
page of matches.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.migrations import RunPython
from django.db.models import QuerySet

CONFIG = "english"


class SearchDocument(SearchVector):
    """The expression of a generated tsvector column: `to_tsvector('english', COALESCE(text, ''))` on
    PostgreSQL. SQLite has no full-text type: there the column stays NULL and `matching` reads the text."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def matching(queryset: QuerySet, *, vector: str, text: str, text_field: str) -> QuerySet:
    """The rows of `queryset` whose stored vector matches the words of `text` (all of them, stemmed);
    on SQLite, those whose `text_field` contains `text`."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(**{vector: SearchQuery(text, config=CONFIG)})
    return queryset.filter(**{f"{text_field}__icontains": text})


def gin_index(*, table: str, column: str, name: str, replaces: str, replaced_expression: str) -> RunPython:
    """A migration step, on PostgreSQL only: a GIN index on the stored vector `column` in place of the earlier
    expression index `replaces` (re-created on the way back). SQLite has no GIN indexes."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{replaces}"')
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}")')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{replaces}" ON "{table}" USING gin ({replaced_expression})'
            )

    return RunPython(forwards, backwards)
