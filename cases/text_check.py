"""The check before submit (issue "the kept note"): the one de-identification guard asked about text still in
the person's form, so that a refusal points at the text that is still there instead of wiping it.

`POST /referrals/check-text/` (the pages, cases/views.py) and `POST /api/v1/text-check/` (api/v1/text_check.py)
both answer `text_check_report`: per field, the kind of each finding, its label in plain words, its position
and a sentence, never the text. Nothing is stored, audited or logged: the write that follows is still guarded
(and audited) by `services.guard_free_text`; a check is not a write.

Positions are counted as JavaScript counts a string's characters (UTF-16 code units: an emoji is two), so that
a script can select the range in the textarea (`setSelectionRange`). The guard counts code points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from cases.deidentification import Finding
from cases.models import NOTE_MAX_LENGTH
from cases.services import free_text_findings

# Per person, like the API's other limits (toolkit.ratelimit): a check runs on submit, not on each key. The
# pages and the API count in one window (`rate_key`): a person gets RATE checks, whichever way they ask.
RATE = "120/m"
# A form has one free-text field or two; and the guard's work grows with the text (a ligature such as U+FDFA
# unfolds into 18 letters before matching), so a check takes at most MAX_TOTAL characters in all: 20 fields of
# 2,000 characters took 5 s of a worker (attacker's review), this bound keeps the worst case near 0.3 s.
MAX_FIELDS = 4
MAX_TEXT = NOTE_MAX_LENGTH * 2
MAX_TOTAL = MAX_TEXT
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


class TextCheckRefused(ValueError):
    """The body could not be read as fields of text; its message says what to send (never the text)."""


class Found(TypedDict):
    kind: str
    label: str
    start: int
    end: int
    message: str


def utf16_offset(text: str, index: int) -> int:
    """The position in UTF-16 code units of the code point `index` of `text` (a character beyond the Basic
    Multilingual Plane, such as most emoji, counts two)."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def _found(text: str, finding: Finding) -> Found:
    start, end = utf16_offset(text, finding.start), utf16_offset(text, finding.end)
    label = finding.kind.label
    return {
        "kind": finding.kind.value,
        "label": label,
        "start": start,
        "end": end,
        # 1-based and inclusive, as a person counts, as the guard's other messages.
        "message": _("Looks like %(label)s at characters %(first)d-%(last)d.")
        % {"label": label, "first": start + 1, "last": end},
    }


def text_fields(body: Any) -> dict[str, str]:
    """The fields of a check's body ({"fields": {"note": "..."}}), or TextCheckRefused saying what to send."""
    fields = body.get("fields") if isinstance(body, Mapping) else None
    if not isinstance(fields, Mapping) or not fields:
        raise TextCheckRefused(_('Send JSON: {"fields": {"note": "the text"}}.'))
    if len(fields) > MAX_FIELDS:
        raise TextCheckRefused(_("Send at most %(count)d fields.") % {"count": MAX_FIELDS})
    for name, text in fields.items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise TextCheckRefused(_("A field's name holds letters, digits, hyphens and underscores only."))
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise TextCheckRefused(
                _("Each field's text is a string of at most %(count)d characters.") % {"count": MAX_TEXT}
            )
    if sum(len(text) for text in fields.values()) > MAX_TOTAL:
        raise TextCheckRefused(_("Send at most %(count)d characters in all.") % {"count": MAX_TOTAL})
    return dict(fields)


def rate_key(person_pk: int) -> str:
    """The one rate window of a person's checks, web and API."""
    return f"cases:text-check:{person_pk}"


def text_check_report(*, fields: Mapping[str, str]) -> dict[str, list[Found]]:
    """Per field, what the guard finds (an empty list for a field it accepts)."""
    findings = free_text_findings(fields=fields)
    return {field: [_found(fields[field], finding) for finding in found] for field, found in findings.items()}
