"""The allowed shapes: the portal's own vocabulary that looks like an identifier, allowed by exact match only.

Statute citations and money amounts, the portal's reference codes, and the numbers the task force
publishes (settings.DEIDENTIFICATION_PUBLIC_NUMBERS). No allowance ever cancels a finding announced
by a cue ("docket", "case no.", "SSN", "DOB"): that check is the caller's (`guard.py`).

A reference-code shape ("CR-2024-01234") is the portal's vocabulary only under a prefix it uses: one a
sequence has drawn codes from, or one an agency is set up with. Court, jail and police numbers share
the shape under other prefixes, so anything else is refused. The prefixes are asked per guard call,
and only when the text holds a code shape: one query on two small tables (measured through Django:
about 0.1 ms on SQLite, 0.3 ms on PostgreSQL on the same machine), so no cache can go stale between
processes when an agency is added or renamed.

This is the only part of the guard that reads Django's settings or database, and it does so lazily:
the guard itself must not need Django.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Collection, Iterable

from cases.deidentification.findings import Candidate, IdentifierKind
from cases.deidentification.rules import digits_of

K = IdentifierKind

# Things that look like identifiers but are the portal's own vocabulary: statute citations and
# money amounts, and referral reference codes (below). Each shape is matched whole and tight (a title
# and section in the citation, an amount a caseworker would write), so that it cannot hide a number
# inside it: "$5035550123" is a phone, not an amount.
_ALLOWED = re.compile(
    r"(?<![\w.])\d{1,2}\s+(?:U\.?\s?S\.?\s?C\.?|C\.?\s?F\.?\s?R\.?)\s*(?:§+\s*)?"
    r"\d{1,5}[a-z]?(?:\.\d{1,4})?(?:-\d{1,3})?(?:\([a-zA-Z0-9]{1,4}\))*(?![\w-]|[.,]\d)"
    r"|\$\s?(?:\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.\d{1,2})?(?![\w,]|\.\d)"
)

# Referral reference codes: prefix, year, sequence (cases.services._next_reference_code). Court and
# police numbers share the shape ("CR-2024-01234"), so a code counts only under a prefix the portal
# uses (`issued_prefixes`); the database is asked only when the text holds the shape.
_CODE = re.compile(r"(?<![\w-])(?P<prefix>[A-Za-z]{2,6})-20\d{2}-\d{5}(?![\w-])")

MAX_PREFIXES_ASKED = 100


def allowed_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds a citation, an amount or one of the portal's reference codes."""
    return [m.span() for m in _ALLOWED.finditer(text)] + _portal_codes(text)


def _portal_codes(text: str) -> list[tuple[int, int]]:
    codes = list(_CODE.finditer(text))
    if not codes:
        return []
    known = issued_prefixes({m["prefix"] for m in codes})
    return [m.span() for m in codes if m["prefix"].upper() in known]


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


# Numbers the task force publishes itself (the national hotline printed in the footer, 988, 211):
# allowed when a finding is exactly one of them, never when one is part of a longer number.
_DEFAULT_PUBLIC_NUMBERS = ("1-888-373-7888", "988", "211")
_PHONE_LIKE = re.compile(r"\+?[\d\s().-]+")


def _national(number: str) -> str:
    digits = digits_of(number)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def public_numbers() -> frozenset[str]:
    """settings.DEIDENTIFICATION_PUBLIC_NUMBERS, or the national hotline, 988 and 211 without Django."""
    numbers: Iterable[str] = _DEFAULT_PUBLIC_NUMBERS
    try:
        from django.conf import settings

        if settings.configured:
            hotline = getattr(settings, "TASKFORCE_HOTLINE", _DEFAULT_PUBLIC_NUMBERS[0])
            numbers = getattr(settings, "DEIDENTIFICATION_PUBLIC_NUMBERS", (hotline, *_DEFAULT_PUBLIC_NUMBERS[1:]))
    except ImportError:  # the guard itself must not need Django
        pass
    return frozenset(_national(number) for number in numbers if digits_of(number))


@functools.lru_cache(maxsize=8)
def _public_number_pattern(public: frozenset[str]) -> re.Pattern[str] | None:
    """The published numbers of 7 digits or more, in any layout ("1 (888) 373-7888", "888.373.7888")."""
    gap = r"[\s().-]{0,2}"
    shapes = [gap.join(number) for number in sorted(public) if len(number) >= 7]
    if not shapes:
        return None
    # No right boundary: the number is blanked even when more digits are glued to it.
    return re.compile(rf"(?<![\w+])(?:\+?1{gap})?(?:{'|'.join(shapes)})(?!\d)")


def without_public_numbers(text: str, public: frozenset[str]) -> str:
    """The text with each published number blanked out (same length, so positions hold), so that digits
    glued to one ("1-888-373-7888-503-555-0123") are read on their own rather than hidden by it."""
    pattern = _public_number_pattern(public)
    if pattern is None or not any(ch.isdigit() for ch in text):
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def is_public_number(text: str, cand: Candidate, public: frozenset[str]) -> bool:
    if cand.kind not in (K.PHONE, K.ID_NUMBER, K.CARD_OR_ACCOUNT):
        return False
    value = text[cand.start : cand.end]
    return _PHONE_LIKE.fullmatch(value) is not None and _national(value) in public
