"""Full-text matching of free text, indexed on PostgreSQL, plain substring on the embedded SQLite.

On PostgreSQL the expression below is exactly the one the GIN indexes are built on
(cases and meetings migrations), so that the planner uses them.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import QuerySet

CONFIG = "english"


def matching(queryset: QuerySet, *, field: str, text: str) -> QuerySet:
    if connection.vendor == "postgresql":
        annotated = queryset.annotate(_fulltext=SearchVector(field, config=CONFIG))
        return annotated.filter(_fulltext=SearchQuery(text, config=CONFIG))
    return queryset.filter(**{f"{field}__icontains": text})
