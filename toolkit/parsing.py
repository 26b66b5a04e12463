"""Reading numbers that people and clients type into URLs."""

from __future__ import annotations

LARGEST_KEY = 2**63 - 1  # a 64-bit primary key's largest value


def whole_number(text: object) -> int | None:
    """`text` as a whole number of ASCII digits ("42") no larger than any primary key, else None.
    `str.isdigit()` alone also accepts "²", which `int()` then refuses, and a number beyond 64 bits
    made SQLite's driver raise: those URLs answered 500."""
    text = str(text)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= LARGEST_KEY else None
