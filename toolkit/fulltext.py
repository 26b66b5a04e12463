"""Full-text matching of free text: a stored, GIN-indexed tsvector on PostgreSQL, a plain substring on the
embedded SQLite.

A model that is searched keeps its text's tsvector in a generated column (`SearchDocument` below), which
PostgreSQL computes when a row is written. A search then reads the stored vector instead of parsing every
candidate's text again, which is what lets PostgreSQL walk an index in date order and stop at the first
page of matches.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.migrations import RunPython
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, TextField

from toolkit.compiled import CompiledQuery, StandIn

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps
    from django.db.models.sql.compiler import SQLCompiler

CONFIG = "english"


class SearchDocument(SearchVector):
    """The expression of a generated tsvector column: `to_tsvector('english', COALESCE(text, ''))` on
    PostgreSQL. SQLite has no full-text type: there the column stays NULL and `matching` reads the text."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        return "NULL", []


def matching(queryset: QuerySet, *, vector: str, text: str | StandIn, text_field: str) -> QuerySet:
    """The rows of `queryset` whose stored vector matches the words of `text` (all of them, stemmed);
    on SQLite, those whose `text_field` contains `text`."""
    return queryset.filter(_match(queryset, vector=vector, text=text, text_field=text_field))


def _match(queryset: QuerySet, *, vector: str, text: str | StandIn, text_field: str) -> Q:
    if connections[queryset.db].vendor == "postgresql":
        return Q(**{vector: SearchQuery(text, config=CONFIG)})
    return Q(**{f"{text_field}__icontains": text})


def newest_matching(
    queryset: QuerySet,
    *,
    key: Hashable,
    vector: str,
    text: str,
    text_field: str,
    fields: tuple[str, ...],
    limit: int,
    window: int,
) -> list[dict]:
    """The newest `limit` rows of `queryset` (by descending id) that match `text`, as dictionaries of
    `fields`: what `matching(...).order_by("-id").values(*fields)[:limit]` gives, sooner for words that
    often occur together. `key` names the queryset's shape for toolkit.compiled (equal keys, same SQL):
    each statement is compiled once per key and run with the words.

    PostgreSQL estimates the frequency of several words as the product of each one's: "legal help",
    in a sixth of the notes, is taken for 2.8%, so it collects every match through the GIN index and
    sorts them (about 10 ms over 200,000 referrals) rather than walk the newest rows. For more than one
    word, the newest `window` rows are read first, through the queryset's own index order, and
    searched (a subquery with a LIMIT, which the database reads lazily, stopping at `limit` matches);
    when they hold `limit` matches those are the answer, since every other match is older.
    Otherwise, and for one word (whose frequency PostgreSQL knows), the plain query answers."""
    arguments = {"vector": vector, "text_field": text_field}

    def newest(text: str | StandIn) -> QuerySet[Any, dict[str, Any]]:
        matches = ExpressionWrapper(_match(queryset, text=text, **arguments), output_field=BooleanField())
        return queryset.order_by("-id").values(*fields, matches=matches)[:window]

    def plain(text: str | StandIn) -> QuerySet[Any, dict[str, Any]]:
        return matching(queryset, text=text, **arguments).order_by("-id").values(*fields)[:limit]

    if len(text.split()) > 1:
        found = _WINDOWS.rows((key, vector, text_field, fields, window), newest, first=limit, text=text)
        if len(found) >= limit:
            return found
    return _SEARCHES.rows((key, vector, text_field, fields, limit), plain, text=text)


# The words searched are the only value that changes between two searches of one queryset. A window's
# rows are kept where their "matches" column is true, after the window's LIMIT (see toolkit.compiled).
_SEARCHES = CompiledQuery(text=TextField())
_WINDOWS = CompiledQuery(text=TextField(), keep="matches")


def gin_index(*, table: str, column: str, name: str, replaces: str, replaced_expression: str) -> RunPython:
    """A migration step, on PostgreSQL only: a GIN index on the stored vector `column` in place of the earlier
    expression index `replaces` (re-created on the way back). SQLite has no GIN indexes."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{replaces}"')
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}")')

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{replaces}" ON "{table}" USING gin ({replaced_expression})'
            )

    return RunPython(forwards, backwards)
