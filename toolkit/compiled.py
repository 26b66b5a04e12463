"""A queryset compiled once and run again with new values: Django's own SQL and converters, without
building and compiling the query on every call.

Building and compiling a queryset costs Python time on every request: 0.6 to 1.5 ms for the portal's
hottest reads (a referral's detail, the API token), more than the database takes to answer them. When
only some values change between calls (a primary key, a token's digest, the words searched), the query
can be compiled once with a named `StandIn` in place of each of those values, and run afterwards with
the real ones:

    ONE_REFERRAL = CompiledQuery(pk=Referral._meta.pk)

    def referral_row(user, pk):
        key = visibility_key(user)  # all that shapes the query's SQL
        return ONE_REFERRAL.rows(key, lambda pk: Referral.objects.for_user(user).filter(pk=pk).values(), pk=pk)

- The queryset is a real one, built by the caller with the model's own rules (`for_user()`, `usable()`):
  no rule is written twice, the helper only puts values in the compiled parameters' places.
- The caller's `key` names the queryset's shape: calls with equal keys must build the same SQL, apart
  from the stand-ins' values (for a queryset scoped to a person, say, everything the scope reads of the
  person, and the database). One statement is kept per key, per process.
- Rows come back as `values()` gives them: dictionaries, each value through the converters the
  compiler names for its column (`get_converters`), so SQLite's dates, booleans and JSON read as the
  ORM reads them, and datetimes are aware.
- `keep` (optional) names a boolean column: only the rows where it is true come back, the first
  `first` of them. The condition applies *after* the queryset's slice, which a QuerySet cannot say
  (Django refuses to filter a sliced queryset: it takes a subquery in FROM). The statement is then
  `SELECT ... FROM (<the queryset's SQL>) AS w WHERE w.keep ORDER BY <its ordering> LIMIT first`,
  which the database reads lazily: a search of the newest N rows stops at the first matches.
- The ORM answers instead, by evaluating `build` with the real values (with `keep`, its rows filtered
  in Python, also when the ordering names a column the rows do not show), when a stand-in is not found
  exactly once among the compiled parameters (a shape this does not know: the value was copied,
  transformed or dropped), and for a value that the ORM would write otherwise than as one bound
  parameter: None (the ORM writes `IS NULL`) or an integer outside its column's range (the ORM answers
  without asking the database). tests/toolkit/test_compiled.py holds the answers to the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, Field, IntegerField, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.fields.related import RelatedField
from django.db.models.query import ValuesIterable


class StandIn(Expression):
    """The place of a value given at run time, named: compiled as one bound parameter (`%s`) whose
    value is the stand-in itself, so that `CompiledQuery` finds its place among the parameters.

    Use it where the queryset takes a value: `filter(pk=StandIn("pk", field))`, `SearchQuery(StandIn(...))`.
    `field` is the model field the value is compared with: its `get_db_prep_value` prepares the value
    at run time, as the ORM's lookup does. A queryset holding a stand-in is never evaluated itself."""

    def __init__(self, name: str, field: Field) -> None:
        super().__init__(output_field=field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return "%s", [self]

    def __repr__(self) -> str:
        return f"StandIn({self.name!r})"


@dataclass(frozen=True)
class _Statement:
    alias: str  # the database it was compiled for, and runs on
    sql: str | None  # None: the queryset can have no rows (Django raised EmptyResultSet)
    params: tuple
    places: tuple[tuple[int, StandIn], ...]  # where each stand-in's value goes
    names: tuple[str, ...]  # the columns' names, as values() gives them (less `keep`)
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converters, expression), as get_converters
    limited: bool = False  # the statement ends with `LIMIT %s`, for `first`


_ORM: Literal[False] = False  # kept for a key whose queryset this cannot run: the ORM answers


class CompiledQuery:
    """A `values()` queryset compiled once per key, run with new values for its stand-ins.

    `fields` names each stand-in and the model field its value is compared with (see `StandIn`);
    `keep`, a boolean column that filters the rows after the queryset's slice (see the module)."""

    def __init__(self, *, keep: str | None = None, max_keys: int = 1024, **fields: Field) -> None:
        self.fields = fields
        self.keep = keep
        self.max_keys = max_keys  # keys often hold an agency and a date: forget them all past this
        self._statements: dict[Hashable, _Statement | Literal[False]] = {}

    def rows(
        self, key: Hashable, build: Callable[..., QuerySet], /, *, first: int | None = None, **values: Any
    ) -> list[dict]:
        """The rows of `build(**values)`, as a list of dictionaries; `build` returns the same
        `values()` queryset for every call with this `key`, whatever the values. It is called with
        a `StandIn` for each value the first time a key is seen, and with the values themselves
        when the ORM answers. `first`: at most that many rows where `keep` is true."""
        if values.keys() != self.fields.keys():
            raise TypeError(f"give a value for each of {sorted(self.fields)}, and only those")
        if (self.keep is None) != (first is None):
            raise TypeError("`first` goes with `keep`, and only with it")
        statement = self._statements.get(key)
        if statement is None:
            if len(self._statements) >= self.max_keys:
                self._statements.clear()
            stand_ins = {name: StandIn(name, field) for name, field in self.fields.items()}
            statement = self._statements[key] = _compile(build(**stand_ins), stand_ins, self.keep)
        if statement is _ORM or (params := _bound(statement, values)) is None:
            return self._orm_rows(build(**values), first)
        return _run(statement, [*params, first] if statement.limited else params)

    def _orm_rows(self, queryset: QuerySet, first: int | None) -> list[dict]:
        if self.keep is None:
            return list(queryset)
        return [row for row in queryset if row.pop(self.keep)][:first]

    def forget(self) -> None:
        """Drop every compiled statement (tests; a schema change)."""
        self._statements.clear()


def _compile(queryset: QuerySet, stand_ins: dict[str, StandIn], keep: str | None) -> _Statement | Literal[False]:
    # Only values() rows: model instances need select_related's and deferred fields' machinery.
    if queryset._iterable_class is not ValuesIterable:  # how values() marks a queryset
        raise TypeError("CompiledQuery runs values() querysets only")
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # `none()`, or a rule that lets nobody see anything
        return _Statement(queryset.db, None, (), (), (), ())
    places = []
    for name in stand_ins:
        found = [at for at, value in enumerate(params) if isinstance(value, StandIn) and value.name == name]
        if len(found) != 1:
            return _ORM
        places.append((found[0], params[found[0]]))
    # As django.db.models.query.ValuesIterable names the columns.
    names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
    if len(names) != compiler.col_count or len(places) != sum(isinstance(value, StandIn) for value in params):
        return _ORM
    selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = tuple(
        (at, tuple(functions), expression) for at, (functions, expression) in compiler.get_converters(selected).items()
    )
    statement = _Statement(queryset.db, sql, tuple(params), tuple(places), names, converters)
    return statement if keep is None else _kept(statement, keep, query.order_by, compiler.connection.ops.quote_name)


def _kept(
    statement: _Statement, keep: str, order_by: Sequence[str | Combinable], quote: Callable[[str], str]
) -> _Statement | Literal[False]:
    """`statement` as a subquery, filtered on its column `keep` and read in its own order, which the
    outer query states again from `order_by` (names of the shown columns, "-" for descending)."""
    if statement.sql is None:
        return statement  # nobody's rows
    shown = [name for name in statement.names if name != keep]
    named = [name for name in order_by if isinstance(name, str)]  # an expression has no shown column's name
    if (
        keep not in statement.names
        or len(named) != len(order_by)
        or not all(name.lstrip("-") in shown for name in named)
    ):
        return _ORM  # the ORM's rows, filtered in Python
    order = [(name.removeprefix("-"), "DESC" if name.startswith("-") else "ASC") for name in named]
    columns = ", ".join(f"w.{quote(name)}" for name in shown)
    ordering = f" ORDER BY {', '.join(f'w.{quote(name)} {direction}' for name, direction in order)}" if order else ""
    # Only names from the queryset (quoted) are written into the text; values stay bound parameters.
    sql = f"SELECT {columns} FROM ({statement.sql}) AS w WHERE w.{quote(keep)}{ordering} LIMIT %s"  # noqa: S608
    moved = {statement.names.index(name): at for at, name in enumerate(shown)}
    converters = tuple((moved[at], *rest) for at, *rest in statement.converters if at in moved)
    return replace(statement, sql=sql, names=tuple(shown), converters=converters, limited=True)


def _bound(statement: _Statement, values: dict[str, Any]) -> list | None:
    """The statement's parameters with the values in the stand-ins' places; None when the ORM would
    not bind a value as one parameter (None, an integer outside its column's range)."""
    database = connections[statement.alias]
    params = list(statement.params)
    for at, stand_in in statement.places:
        field = stand_in.output_field
        value = field.get_db_prep_value(values[stand_in.name], database, prepared=False)
        if value is None:
            return None
        while isinstance(field, RelatedField):  # a foreign key holds its target's values
            field = field.target_field
        if isinstance(field, IntegerField):
            low, high = database.ops.integer_field_range(field.get_internal_type())
            if not low <= value <= high:
                return None
        params[at] = value
    return params


def _run(statement: _Statement, params: list) -> list[dict]:
    if statement.sql is None:
        return []
    database = connections[statement.alias]
    with database.cursor() as cursor:
        cursor.execute(statement.sql, params)
        found = cursor.fetchall()
    width = len(statement.names)
    rows = []
    for selected in found:
        values = list(selected[:width])  # past the names: columns Django adds for ordering, never shown
        # What the compiler's apply_converters does, with this thread's connection.
        for at, functions, expression in statement.converters:
            for function in functions:
                values[at] = function(values[at], expression, database)
        rows.append(dict(zip(statement.names, values, strict=True)))
    return rows
