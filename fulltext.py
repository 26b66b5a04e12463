"""Full-text matching of free text: a stored, GIN-indexed tsvector on PostgreSQL, a plain substring on the
embedded SQLite.

A model that is searched keeps its text's tsvector in a generated column (`SearchDocument` below), which
PostgreSQL computes when a row is written. A search then reads the stored vector instead of parsing every
candidate's text again, which is what lets PostgreSQL walk an index in date order and stop at the first
page of matches.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.migrations import RunPython
from django.db.models import F, QuerySet

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


def newest_matching(
    queryset: QuerySet, *, vector: str, text: str, text_field: str, fields: tuple[str, ...], limit: int, window: int
) -> list[dict]:
    """The newest `limit` rows of `queryset` (by descending id) that match `text`, as dictionaries of
    `fields`: what `matching(...).order_by("-id").values(*fields)[:limit]` gives, sooner for words that
    often occur together.

    PostgreSQL estimates the frequency of several words as the product of each one's: "legal help",
    in a sixth of the notes, is taken for 2.8%, so it collects every match through the GIN index and
    sorts them (about 10 ms over 200,000 referrals) rather than walk the newest rows. For more than one
    word, the newest `window` rows are read first, through the queryset's own index order, and
    searched; when they hold `limit` matches those are the answer, since every other match is older.
    Otherwise, and for one word (whose frequency PostgreSQL knows), the plain query answers."""
    plain = matching(queryset, vector=vector, text=text, text_field=text_field).order_by("-id").values(*fields)
    database = connections[queryset.db]
    if database.vendor != "postgresql" or len(text.split()) < 2:
        return list(plain[:limit])
    # The window's columns under aliases of our own (c0, c1, ..., the vector as v, the id as k), whatever
    # the fields' column names or tables.
    aliases = {f"c{position}": F(field) for position, field in enumerate(fields)}
    newest = queryset.order_by("-id").values(**aliases, v=F(vector), k=F("id"))[:window]
    try:
        inner, params = newest.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # nobody's rows
        return []
    # The LIMIT keeps the window a subquery of its own: PostgreSQL reads it first (newest first, as
    # ordered inside), then applies the match to its rows. Only our aliases are written; values are bound.
    columns = ", ".join(f"w.{alias}" for alias in aliases)
    statement = (
        f"SELECT {columns} FROM ({inner}) AS w "  # noqa: S608
        "WHERE w.v @@ plainto_tsquery(%s::regconfig, %s) ORDER BY w.k DESC LIMIT %s"
    )
    with database.cursor() as cursor:
        cursor.execute(statement, [*params, CONFIG, text, limit])
        found = [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]
    return found if len(found) >= limit else list(plain[:limit])


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
