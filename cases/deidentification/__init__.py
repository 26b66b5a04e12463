"""The de-identification guard: free text that identifies a survivor is refused, never stored.

VAWA/VOCA/FVPSA grantees may not share personally identifying information (34 U.S.C. 12291(b)(2)),
so every free-text field that can hold case information goes through `ensure_deidentified` (or the
Django validator `validate_deidentified`) in forms, the API and imports.

Design notes:
- Detection favours recall: a caseworker can always rephrase, a leaked identifier cannot be unsent.
- Findings and messages carry the kind and the position, never the value, so that nothing refused
  can reach a response, a log line or an email. This module logs nothing.
- Matching runs on a shadow of the text (`_shadow.py`): NFKC, invisible characters dropped,
  confusable letters folded (Unicode's confusables data, via `confusable-homoglyphs`), letters
  typed for digits and spelled-out numbers written as digits. Positions map back to the text as typed.
- Structured identifiers are found with regexes compiled once at import (and `phonenumbers` for
  phones); personal names with the US census name lists bundled in the `names` package, the
  world's names of Faker's locale lists (`_world_names.py`) and context cues, loaded lazily once.
- The portal's own vocabulary (reference codes, statute citations, money amounts) and the numbers
  it publishes (settings.DEIDENTIFICATION_PUBLIC_NUMBERS) are allowed by exact match only. A
  reference code counts only under a prefix the portal issues codes under (`_prefixes.py`, asked
  only when the text holds the shape), so "CR-2024-01234" is a court's number. No allowance ever
  cancels a finding announced by a cue ("docket", "case no.", "SSN", "DOB"). A published number
  glued to more digits is blanked out and the rest read on its own.
- A date after a birth cue is its own kind (`DATE_OF_BIRTH`), so that a field meant for dates
  (a training request's preferred dates) can allow plain dates and still refuse a date of birth.
- Overlapping findings are resolved by confidence tier, then length: a cue such as "SSN" or
  "passport" makes a number more specific than its bare shape.
"""

from __future__ import annotations

import bisect
import enum
import functools
import ipaddress
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import phonenumbers

from cases.deidentification._shadow import shadow_of
from cases.deidentification._world_names import world_names

__all__ = [
    "DeidentificationError",
    "Finding",
    "IdentifierKind",
    "describe_findings",
    "ensure_deidentified",
    "find_identifiers",
    "validate_deidentified",
]


class IdentifierKind(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SSN = "ssn"
    ID_NUMBER = "id_number"
    CARD_OR_ACCOUNT = "card_or_account"
    STREET_ADDRESS = "street_address"
    DATE = "date"
    DATE_OF_BIRTH = "date_of_birth"
    PERSON_NAME = "person_name"
    LICENSE_PLATE = "license_plate"
    SOCIAL_HANDLE = "social_handle"
    URL = "url"
    IP_ADDRESS = "ip_address"
    CASE_NUMBER = "case_number"

    @property
    def label(self) -> str:
        return _LABELS[self]


K = IdentifierKind  # short alias for the tables below; not exported

_LABELS: dict[IdentifierKind, str] = {
    K.PHONE: "a phone number",
    K.EMAIL: "an email address",
    K.SSN: "a Social Security number",
    K.ID_NUMBER: "an ID number",
    K.CARD_OR_ACCOUNT: "a card or account number",
    K.STREET_ADDRESS: "a street address",
    K.DATE: "a full date",
    K.DATE_OF_BIRTH: "a date of birth",
    K.PERSON_NAME: "a person's name",
    K.LICENSE_PLATE: "a license plate",
    K.SOCIAL_HANDLE: "a social media handle",
    K.URL: "a web address",
    K.IP_ADDRESS: "an IP address",
    K.CASE_NUMBER: "a case or docket number",
}

_WHY = "the portal must not hold anything that identifies a survivor."
# What to write instead, where that is not obvious.
_HINTS: dict[IdentifierKind, str] = {
    K.DATE: " Month and year alone are fine.",
    K.DATE_OF_BIRTH: " An age (or 'a minor') is fine.",
    K.CASE_NUMBER: " A referral's reference code alone is fine, without 'docket' or 'case number' before it.",
    K.PERSON_NAME: " Refer to people by their role (client, mother, employer) or by the reference code.",
}


@dataclass(frozen=True)
class Finding:
    """Where an identifier sits: `start` is 0-based, `end` exclusive (like a slice)."""

    kind: IdentifierKind
    start: int
    end: int

    def describe(self) -> str:
        """Kind and 1-based inclusive character range; never the value itself."""
        return f"{self.kind.label}, characters {self.start + 1}-{self.end}"

    def message(self) -> str:
        """One sentence for the caseworker who typed the text."""
        return (
            f"This text looks like it contains {self.kind.label} "
            f"(characters {self.start + 1}-{self.end}). Remove it: {_WHY}{_HINTS.get(self.kind, '')}"
        )


class DeidentificationError(ValueError):
    """Raised by `ensure_deidentified`; its text lists kinds and positions, never values."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: list[Finding] = list(findings)
        super().__init__(_summary(self.findings))


def _summary(findings: list[Finding]) -> str:
    if len(findings) == 1:
        return findings[0].message()
    listed = "; ".join(f.describe() for f in findings)
    return f"This text looks like it contains identifying details: {listed}. Remove them: {_WHY}"


def find_identifiers(text: str, *, allow: frozenset[IdentifierKind] = frozenset()) -> list[Finding]:
    """All identifiers in `text`, sorted by position, overlaps resolved to the most specific.

    `allow`: kinds the field exists to hold (a meeting's place holds a street address). They are set
    aside before overlaps are resolved, so that an allowed finding never hides another kind under it.
    """
    if not text:
        return []
    view = shadow_of(text)
    public = _public_numbers()
    matched = _without_public_numbers(view.text, public)
    allowed = [m.span() for m in _ALLOWED.finditer(matched)] + _portal_codes(matched)
    candidates = [
        c
        for c in _candidates(matched)
        if c.kind not in allow and (c.cued or not (_within_any(c, allowed) or _is_public_number(matched, c, public)))
    ]
    findings: list[Finding] = []
    for found in _resolve(candidates):
        start, end = view.original(found.start, found.end)
        if not findings or findings[-1].end <= start:  # two findings in one spelled-out number: keep one
            findings.append(Finding(found.kind, start, end))
    return findings


def ensure_deidentified(text: str) -> None:
    findings = find_identifiers(text)
    if findings:
        raise DeidentificationError(findings)


def describe_findings(findings: Iterable[Finding]) -> list[str]:
    """One caseworker-facing sentence per finding (kind and position, never the value)."""
    return [finding.message() for finding in findings]


def validate_deidentified(value: str) -> None:
    """Django validator for model and form fields: one error (code "identifier") per finding."""
    from django.core.exceptions import ValidationError  # lazy: the guard itself must not need Django

    findings = find_identifiers(value)
    if findings:
        raise ValidationError([ValidationError(m, code="identifier") for m in describe_findings(findings)])


# --- Candidates and their resolution -------------------------------------------------------------


class _Candidate(NamedTuple):
    kind: IdentifierKind
    start: int
    end: int
    tier: int  # 3: confirmed by a cue or checksum, 2: a distinctive shape, 1: a bare long number, 0: a name
    cued: bool = False  # announced by a cue ("docket", "SSN"): no allowed shape ever cancels it


# Tie-break between kinds when tier and length are equal: the more specific kind first.
_KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            K.EMAIL,
            K.URL,
            K.IP_ADDRESS,
            K.SSN,
            K.CARD_OR_ACCOUNT,
            K.CASE_NUMBER,
            K.ID_NUMBER,
            K.DATE_OF_BIRTH,
            K.DATE,
            K.LICENSE_PLATE,
            K.PHONE,
            K.STREET_ADDRESS,
            K.SOCIAL_HANDLE,
            K.PERSON_NAME,
        ]
    )
}


def _resolve(candidates: list[_Candidate]) -> list[Finding]:
    """Keep the most confident, then longest, candidate wherever candidates overlap."""
    accepted: list[_Candidate] = []  # sorted by start, never overlapping
    for cand in sorted(candidates, key=lambda c: (-c.tier, c.start - c.end, _KIND_ORDER[c.kind])):
        i = bisect.bisect(accepted, cand.start, key=lambda c: c.start)
        if (i == 0 or accepted[i - 1].end <= cand.start) and (i == len(accepted) or cand.end <= accepted[i].start):
            accepted.insert(i, cand)
    return [Finding(c.kind, c.start, c.end) for c in accepted]


def _within_any(cand: _Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(start <= cand.start and cand.end <= end for start, end in spans)


def _candidates(text: str) -> Iterator[_Candidate]:
    lowered = text.lower()
    for rule in _RULES:
        yield from rule.scan(text, lowered)
    yield from _phones(text)
    yield from _names(text)


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
# uses (`_prefixes.py`); the database is asked only when the text holds the shape.
_CODE = re.compile(r"(?<![\w-])(?P<prefix>[A-Za-z]{2,6})-20\d{2}-\d{5}(?![\w-])")


def _portal_codes(text: str) -> list[tuple[int, int]]:
    codes = list(_CODE.finditer(text))
    if not codes:
        return []
    from cases.deidentification._prefixes import issued_prefixes

    known = issued_prefixes({m["prefix"] for m in codes})
    return [m.span() for m in codes if m["prefix"].upper() in known]


# Numbers the task force publishes itself (the national hotline printed in the footer, 988, 211):
# allowed when a finding is exactly one of them, never when one is part of a longer number.
_DEFAULT_PUBLIC_NUMBERS = ("1-888-373-7888", "988", "211")
_PHONE_LIKE = re.compile(r"\+?[\d\s().-]+")


def _national(number: str) -> str:
    digits = _digits(number)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _public_numbers() -> frozenset[str]:
    """settings.DEIDENTIFICATION_PUBLIC_NUMBERS, or the national hotline, 988 and 211 without Django."""
    numbers: Iterable[str] = _DEFAULT_PUBLIC_NUMBERS
    try:
        from django.conf import settings

        if settings.configured:
            hotline = getattr(settings, "TASKFORCE_HOTLINE", _DEFAULT_PUBLIC_NUMBERS[0])
            numbers = getattr(settings, "DEIDENTIFICATION_PUBLIC_NUMBERS", (hotline, *_DEFAULT_PUBLIC_NUMBERS[1:]))
    except ImportError:  # the guard itself must not need Django
        pass
    return frozenset(_national(number) for number in numbers if _digits(number))


@functools.lru_cache(maxsize=8)
def _public_number_pattern(public: frozenset[str]) -> re.Pattern[str] | None:
    """The published numbers of 7 digits or more, in any layout ("1 (888) 373-7888", "888.373.7888")."""
    gap = r"[\s().-]{0,2}"
    shapes = [gap.join(number) for number in sorted(public) if len(number) >= 7]
    if not shapes:
        return None
    # No right boundary: the number is blanked even when more digits are glued to it.
    return re.compile(rf"(?<![\w+])(?:\+?1{gap})?(?:{'|'.join(shapes)})(?!\d)")


def _without_public_numbers(text: str, public: frozenset[str]) -> str:
    """The text with each published number blanked out (same length, so positions hold), so that digits
    glued to one ("1-888-373-7888-503-555-0123") are read on their own rather than hidden by it."""
    pattern = _public_number_pattern(public)
    if pattern is None or not any(ch.isdigit() for ch in text):
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _is_public_number(text: str, cand: _Candidate, public: frozenset[str]) -> bool:
    if cand.kind not in (K.PHONE, K.ID_NUMBER, K.CARD_OR_ACCOUNT):
        return False
    value = text[cand.start : cand.end]
    return _PHONE_LIKE.fullmatch(value) is not None and _national(value) in public


# --- Rules for structured identifiers ------------------------------------------------------------


def _always(_match: re.Match[str]) -> bool:
    return True


@dataclass(frozen=True)
class _Rule:
    kind: IdentifierKind
    tier: int
    pattern: re.Pattern[str]
    accept: Callable[[re.Match[str]], bool] = _always
    # Lower-case substrings of which one must occur for the pattern to have a chance: a cheap
    # test that keeps the guard fast, since most notes mention no email, URL or plate at all.
    needs: tuple[str, ...] = ()
    # Whether a match was announced by a cue word, which no allowed shape may cancel.
    cued: bool | Callable[[re.Match[str]], bool] = False

    def scan(self, text: str, lowered: str) -> Iterator[_Candidate]:
        """Yield the span of group "v" when the pattern has one (the value after a cue)."""
        if self.needs and not any(word in lowered for word in self.needs):
            return
        has_value = "v" in self.pattern.groupindex
        for match in self.pattern.finditer(text):
            if self.accept(match):
                start, end = match.span("v") if has_value else match.span()
                cued = self.cued(match) if callable(self.cued) else self.cued
                yield _Candidate(self.kind, start, end, self.tier, cued)


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags | re.VERBOSE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.upper().split())


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _card(match: re.Match[str]) -> bool:
    digits = _digits(match.group())
    return 13 <= len(digits) <= 19 and _luhn_ok(digits)


def _iban(match: re.Match[str]) -> bool:
    compact = match.group().replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _ipv6(match: re.Match[str]) -> bool:
    value = match.group()
    if "::" not in value and value.count(":") != 7:
        return False  # a time such as 10:30:15 is not an address
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _numeric_date(match: re.Match[str]) -> bool:
    a, b, year = int(match["a"]), int(match["b"]), match["y"]
    if match["sep"] == "." and len(year) != 4:
        return False  # 2.1.10 is a version number, 11.23.2007 a date
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def _day_of_month(match: re.Match[str]) -> bool:
    day = re.match(r"\d+", match["d"] or match["d2"])
    return day is not None and 1 <= int(day.group()) <= 31


# Values after a cue that are vocabulary, not identifiers: a bare year, a year range or quarter,
# a form or visa class (I-914, T-1, H-2A).
_NOT_AN_ID = re.compile(
    r"(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d|-?[QH][1-4])?|[QH][1-4]-?(?:19|20)\d\d|[A-Z]-\d{1,4}[A-Z]?",
    re.IGNORECASE,
)


def _cued_value(min_digits: int) -> Callable[[re.Match[str]], bool]:
    def accept(match: re.Match[str]) -> bool:
        value = match["v"]
        return len(_digits(value)) >= min_digits and not _NOT_AN_ID.fullmatch(value)

    return accept


def _plate(match: re.Match[str]) -> bool:
    compact = re.sub(r"[\s-]", "", match["v"])
    return 4 <= len(compact) <= 9 and any(ch.isdigit() for ch in compact) and not _NOT_AN_ID.fullmatch(compact)


# After a phone cue, values that are not phones: an amount with thousands separators ("1,250,000"),
# a numeric date ("3/14/2026").
_NOT_A_PHONE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}([/.-])\d{1,2}\1\d{2,4}")


def _phone_after_cue(match: re.Match[str]) -> bool:
    value = match["v"]
    return (
        7 <= len(_digits(value)) <= 15
        and not _ISO_DATE.fullmatch(value)
        and not _NOT_A_PHONE.fullmatch(value)
        and not _NOT_AN_ID.fullmatch(value)
    )


# A case cue that names a court or police number. "case" and "file" alone also name a referral in
# this portal ("case JUN-2026-00042 reopened"); with "number", "no." or "#" they name a court's.
_WEAK_CASE_CUES = frozenset({"case", "file"})


def _court_cue(match: re.Match[str]) -> bool:
    return match["cue"].lower() not in _WEAK_CASE_CUES or re.search(r"num|nbr|no|\#", match["filler"], re.I) is not None


_COURT_WORDS = _words(
    "family juvenile municipal district circuit supreme superior probate drug tribal federal criminal civil traffic"
)


def _street(match: re.Match[str]) -> bool:
    # "2 Family Court hearings" counts hearings; it is not 2 Family Court.
    return not (match["type"].lower() in {"court", "ct"} and match["name"].split()[-1].upper() in _COURT_WORDS)


_TLDS = (
    r"com|org|net|edu|gov|mil|info|biz|io|co|us|me|ly|app|ai|tv|xyz|online|site|link|gg|ru|uk|ca|mx|gt"
    r"|hn|sv|de|fr|es|nl|br|ph|cn|au|eu|club|live|shop|store|top|vip|cc|ws"
)
_URL_TAIL = r"""[^\s<>"']*[^\s<>"'.,;:!?)\]]"""
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# Between a month and its day: spaces, after a period only when the month is abbreviated ("Jan. 5").
_MONTH_DAY_GAP = r"(?:(?:(?<=Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|(?<=Sept))\.)?[ \t]+"
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STATE_CODES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM"
    r"|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_STREET_TYPES = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|ter"
    r"|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|plaza|alley|loop|pike|turnpike|crescent"
    r"|grove|heights|crossing|expressway|freeway"
)
_STREET_WORD = r"(?:[A-Z][\w'.-]*|\d{1,3}(?i:st|nd|rd|th))"  # "Maple", "O'Connor", "27th"
# Any separator someone may type between groups of digits after a cue.
_ANY_SEP = r"[-\s./_,:\u00b7\u2022|~*]"
# Optional words between a cue and its value: "passport number is X", "acct ending in 4821".
_FILLER = r"(?:[\s:\#=]*(?:number|num|nbr|no\.|no|is|was|reads|ending\s+in|ending|ends\s+in|of|id)(?!\w))*[\s:\#=-]*"
_ISO_DATE = _rx(r"(?<![\w.-])(?:19|20)\d{2}(?P<s>[-/.])(?:0?[1-9]|1[0-2])(?P=s)(?:0?[1-9]|[12]\d|3[01])(?![\w-]|\.\d)")

_VEHICLES = (
    "car|truck|van|suv|sedan|pickup|vehicle|minivan|camry|civic|accord|corolla|altima|impala|tahoe|explorer"
    "|honda|toyota|ford|chevy|chevrolet|nissan|dodge|jeep|kia|hyundai"
)
_PLATFORMS = (
    "ig|insta|instagram|snap|snapchat|tiktok|tik tok|twitter|fb|facebook|telegram|kik|discord|threads|onlyfans"
    "|reddit|youtube|twitch|tumblr|skype"
)
_ORDINAL_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"

_RULES: tuple[_Rule, ...] = (
    # Email, plain and obfuscated ("name at domain dot org", "name[at]domain[dot]org").
    _Rule(K.EMAIL, 3, _rx(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"), needs=("@",)),
    _Rule(
        K.EMAIL,
        3,
        _rx(
            rf"""
        \b[\w+-]+(?:(?:\s+dot\s+|\.)[\w+-]+){{0,3}}
        (?:\s*[(\[{{<]\s*at\s*[)\]}}>]\s*|\s+at\s+)
        [\w-]+(?:(?:\s*[(\[{{<]\s*dot\s*[)\]}}>]\s*|\s+dot\s+|\.)[\w-]+){{0,3}}?
        (?:\s*[(\[{{<]\s*dot\s*[)\]}}>]\s*|\s+dot\s+)(?:{_TLDS})\b
        """,
            re.IGNORECASE,
        ),
        needs=("dot",),
    ),
    _Rule(
        K.EMAIL,
        3,
        _rx(
            rf"""
        \b[\w.+-]+\s*[(\[{{<]\s*at\s*[)\]}}>]\s*[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b
        """,
            re.IGNORECASE,
        ),
        needs=("at)", "at]", "at}", "at>", "at )", "at ]"),
    ),
    # Web addresses: with a scheme, with www., or a bare domain with a known top-level domain.
    _Rule(K.URL, 3, _rx(rf"\b(?:https?|ftp)://{_URL_TAIL}", re.IGNORECASE), needs=("://",)),
    _Rule(K.URL, 3, _rx(rf"\bwww\.{_URL_TAIL}", re.IGNORECASE), needs=("www.",)),
    _Rule(
        K.URL,
        2,
        _rx(
            rf"""
        (?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?!\.\w|@)(?:/{_URL_TAIL})?
        """,
            re.IGNORECASE,
        ),
        needs=tuple(f".{tld}" for tld in _TLDS.split("|")),
    ),
    # Social media handles: @name (starting with a letter, so "@3pm" stays a time), or a platform
    # cue followed by a user name.
    _Rule(K.SOCIAL_HANDLE, 2, _rx(r"(?<![\w@.])@[A-Za-z_][\w.]{1,29}\w"), needs=("@",)),
    _Rule(
        K.SOCIAL_HANDLE,
        3,
        _rx(
            rf"""
        \b(?:{_PLATFORMS})\b
        (?:[^\S\n]*[:=][^\S\n]*
          |\s+(?:handle|user(?:name)?|account|profile|name|id)(?:\s+(?:is|was))?[\s:=]*(?=@|[\w.]*[\d_.])
          |\s+(?:is|was|as)\s+(?=@|[\w.]*[\d_.]))
        (?P<v>@?\w[\w.\#]{{1,29}}\w)
        """,
            re.IGNORECASE,
        ),
        needs=tuple(_PLATFORMS.split("|")),
        cued=True,
    ),
    # IP addresses.
    _Rule(
        K.IP_ADDRESS,
        3,
        _rx(r"""
        (?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)
        """),
        needs=(".",),
    ),
    _Rule(
        K.IP_ADDRESS,
        3,
        _rx(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"),
        _ipv6,
        needs=("::", ":0", ":1", ":2", ":3", ":4", ":5", ":6", ":7", ":8", ":9", ":a", ":b", ":c", ":d", ":e", ":f"),
    ),
    # Social Security numbers: the 3-2-4 shape, or nine (or the last four) digits after a cue.
    _Rule(
        K.SSN,
        3,
        _rx(r"(?<![\d.,/_-])(?!000)\d{3}(?P<s>[-\s._\u00b7\u2022])(?!00)\d{2}(?P=s)(?!0000)\d{4}(?![\d-]|[.,/]\d)"),
    ),
    _Rule(
        K.SSN,
        3,
        _rx(
            rf"""
        (?:\bSSN\b|\bS\.S\.N\.?|\bSS\s?\#|\bSS\s?No\.?|\bsoc(?:ial)?\.?\s+sec(?:urity)?\b\.?(?:\s+card)?)
        {_FILLER}(?:last\s+(?:4|four)(?:\s+digits)?[\s:]*)?
        (?P<v>\d{{3}}{_ANY_SEP}?\d{{2}}{_ANY_SEP}?\d{{4}}(?!\d)|\d{{4}}(?![\d-]))
        """,
            re.IGNORECASE,
        ),
        needs=("ss", "s.s.", "soc"),
        cued=True,
    ),
    # Cards (Luhn-valid), IBANs, and numbers after an account cue.
    _Rule(K.CARD_OR_ACCOUNT, 3, _rx(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])"), _card),
    _Rule(K.CARD_OR_ACCOUNT, 3, _rx(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"), _iban),
    _Rule(
        K.CARD_OR_ACCOUNT,
        3,
        _rx(
            rf"""
        \b(?:(?<!green\s)(?<!\bid\s)card|account|acct\.?|a/c|routing|iban|checking|savings)
        {_FILLER}(?:[.*x\u2022]{{2,}}\s?)?(?P<v>\d(?:[ -]?\d){{3,30}})(?![\w-])
        """,
            re.IGNORECASE,
        ),
        _cued_value(4),
        needs=("card", "acc", "acct", "a/c", "routing", "iban", "checking", "savings"),
        cued=True,
    ),
    # Case, docket and report numbers: after a cue, or in a court's format.
    _Rule(
        K.CASE_NUMBER,
        3,
        _rx(
            rf"""
        \b(?P<cue>case|docket|cause|complaint|incident|report|citation|warrant|indictment|petition|file)\b
        (?P<filler>{_FILLER})(?P<v>(?=[\w:/-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-:/](?=[A-Za-z0-9])){{3,24}})(?![\w-])
        """,
            re.IGNORECASE,
        ),
        _cued_value(3),
        needs=(
            "case",
            "docket",
            "cause",
            "complaint",
            "incident",
            "report",
            "citation",
            "warrant",
            "indictment",
            "petition",
            "file",
        ),
        cued=_court_cue,
    ),
    _Rule(
        K.CASE_NUMBER,
        2,
        _rx(r"""
        (?<![\w-])(?:\d:\d{2}-[A-Za-z]{2,4}-\d{3,6}
                    |(?:19|20)?\d{2}-?[A-Z]{1,4}-?\d{3,7}
                    |[A-Z]{1,4}-?\d{2,4}-\d{3,7})(?:-[A-Z0-9]{1,3})?(?![\w-])
        """),
    ),
    # The reference-code shape under any prefix ("FELONY-2024-00017", "cr-2024-01234"): the portal's own
    # codes are allowed by prefix (`_portal_codes`), everything else of this shape is a court's.
    _Rule(K.CASE_NUMBER, 2, _rx(r"(?<![\w-])[A-Za-z]{1,10}-(?:19|20)\d{2}-\d{3,7}(?![\w-])")),
    # ID numbers: A-numbers, values after an ID cue, and bare long numbers as a last resort.
    _Rule(K.ID_NUMBER, 3, _rx(r"(?<![\w-])A(?:[-\s\#]?\d{3}[-\s]?\d{3}[-\s]?\d{3}|-?\d{8})(?![\w-])")),
    _Rule(
        K.ID_NUMBER,
        3,
        _rx(
            rf"""
        (?:\b(?:passports?|pasaporte|(?:driver['\u2019]?s?|driving)\s+licen[cs]e|licen[cs]e(?!\s+plate)
            |(?-i:DL|D\.L\.)|(?-i:ID|I\.D\.)|id\s+card|(?-i:A)[-\s]?(?:number|no\.?|\#)
            |alien\s+(?:registration\s+)?(?:number|no\.?|\#)|uscis|receipt\s+(?:number|no\.?|\#)|(?-i:EAD)
            |green\s+card|visa\s+(?:number|no\.?|\#|foil)|i-94|medicaid|medicare|(?-i:MRN)|medical\s+record
            |(?:inmate|booking|jail)\s+(?:number|no\.?|\#)|(?-i:SID|FBI|NCIC)\s+(?:number|no\.?|\#)
            |matr[ií]cula|c[ée]dula|(?-i:DNI|CURP|ITIN|EIN|TIN)|birth\s+certificate|work\s+permit)(?!\w))
        {_FILLER}
        (?P<v>\d{{2,5}}(?:\s\d{{2,5}}){{1,4}}(?![\w-])
             |(?=[\w-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){{3,24}}(?![\w-]))
        """,
            re.IGNORECASE,
        ),
        _cued_value(3),
        cued=True,
    ),
    _Rule(K.ID_NUMBER, 1, _rx(r"(?<![\w-])[A-Z]{1,3}\d{6,12}(?![\w-])")),
    # Groups of digits chained with dashes, 11 digits or more: one number glued to another
    # ("1-888-373-7888503-555-0123", a code with a phone appended) is still someone's number.
    _Rule(
        K.ID_NUMBER,
        1,
        _rx(r"(?<![\w.-])(?:[A-Za-z]{1,10}-)?\d{1,7}(?:-\d{1,7}){2,}(?![\w-])"),
        lambda match: len(_digits(match.group())) >= 11,
    ),
    _Rule(K.ID_NUMBER, 1, _rx(r"(?<![\w.,$-])\d{8,}(?![\w-]|[.,]\d)")),
    # Dates with day and year (numeric, ISO, or with a month name), and any day after a birth cue.
    # A day without a year ("report due July 30") is allowed: alone it rarely points at a person.
    _Rule(
        K.DATE_OF_BIRTH,
        3,
        _rx(
            rf"""
        (?:\bDOB\b|\bD\.O\.B\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bbirthday\b|\bborn(?:\s+on)?\b)
        [\s:.-]*(?:(?:is|was|of)\s+)?(?:the\s+)?
        (?P<v>\d{{1,2}}[/.-]\d{{1,2}}(?:[/.-]\d{{2,4}})?|\d{{6}}(?:\d{{2}})?|(?:19|20)\d\d[/.-]\d{{1,2}}[/.-]\d{{1,2}}
             |(?:(?-i:{_MONTH}){_MONTH_DAY_GAP}{_ORDINAL_DAY}|{_ORDINAL_DAY}[ \t]+(?:of[ \t]+)?(?-i:{_MONTH}))
              (?:,?[ \t]+(?:19|20)\d{{2}})?)
        (?![\w/-]|\.\d)
        """,
            re.IGNORECASE,
        ),
        needs=("dob", "d.o.b", "birth", "born"),
        cued=True,
    ),
    _Rule(
        K.DATE,
        2,
        _rx(r"""
        (?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\w/-]|\.\d)
        """),
        _numeric_date,
    ),
    _Rule(K.DATE, 2, _ISO_DATE),
    _Rule(K.DATE, 2, _rx(rf"\b(?:\d{{1,2}}-{_MONTH}|{_MONTH}-\d{{1,2}})-(?:\d{{4}}|\d{{2}})\b")),  # 14-Mar-2009
    _Rule(
        K.DATE,
        2,
        _rx(rf"""
        \b{_MONTH}{_MONTH_DAY_GAP}(?P<d>{_ORDINAL_DAY}),?[ \t]+(?:19|20)\d{{2}}\b
        |\b(?P<d2>{_ORDINAL_DAY})[ \t]+(?:of[ \t]+)?{_MONTH}\b\.?,?[ \t]+(?:19|20)\d{{2}}\b
        """),
        _day_of_month,
        needs=_MONTH_PREFIXES,
    ),
    # License plates: after a plate cue (optionally with the state), or a plate shape near a vehicle.
    _Rule(
        K.LICENSE_PLATE,
        3,
        _rx(
            rf"""
        \b(?:(?:licen[cs]e|registration|number)\s+plates?|plates?|tags?)\b
        (?:\s+(?:number|no\.?|\#|is|was|reads|read|shows?))*[\s:\#,]*
        (?:\(?(?-i:{_STATE_CODES})\)?\s+)?
        (?P<v>[A-Z0-9]{{1,4}}(?:[ -]?[A-Z0-9]{{1,6}})?)(?![\w-])
        """,
            re.IGNORECASE,
        ),
        _plate,
        needs=("plate", "tag"),
        cued=True,
    ),
    _Rule(
        K.LICENSE_PLATE,
        2,
        _rx(rf"""
        \b(?i:{_VEHICLES})\b[^.;\n]{{0,40}}?
        (?<![\w-])(?P<v>[A-Z]{{3}}[ -]?\d{{3,4}}|\d[A-Z]{{3}}\d{{3}}|[A-Z]{{2}}\d{{2}}\s?[A-Z]{{3}})(?![\w-])
        """),
        _plate,
        needs=tuple(_VEHICLES.split("|")),
    ),
    # Phones after a phone cue, for foreign local numbers that phonenumbers cannot place.
    _Rule(
        K.PHONE,
        3,
        _rx(
            r"""
        (?:\b(?:phone|cell(?:\s*phone)?|mobile|tel|telephone|whats\s?app|signal|celular|cel|text|call)\b\.?
          |\b(?:her|his|their|my|your|whose|contact|home|work|local|family|new|old|foreign|other)
           \s+(?:[a-z]+\s+)?(?:number|num|n[uú]mero)\b)
        [^\S\n]*(?:(?:is|at|on|was|:|\#|no\.?)[^\S\n]*)*
        (?P<v>\+?\d(?:[\d\s().,/_\u00b7\u2022-]){5,18}\d)(?!\d)
        """,
            re.IGNORECASE,
        ),
        _phone_after_cue,
        needs=("phone", "cel", "mobile", "tel", "whats", "signal", "text", "call", "num"),
        cued=True,
    ),
    # A North American number with separators no phone matcher knows, even mixed ("503_555_0123",
    # "503·555·0123", "503.555_0123").
    _Rule(
        K.PHONE,
        2,
        _rx(r"""
        (?<![\w.,/$-])\(?[2-9]\d{2}\)?[-._\u00b7\u2022,/|~*:;\s][2-9]\d{2}[-._\u00b7\u2022,/|~*:;\s]\d{4}
        (?![\w]|[.,/:-]\d)
        """),
    ),
    # Street addresses (with a house number, or a street someone is "on"), highway addresses, foreign
    # and PO box addresses, apartments, ZIP codes.
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(rf"""
        \b\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?\s+
        (?:(?i:[NSEW]|N[EW]|S[EW]|north|south|east|west)\.?\s+)?
        (?P<name>{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,3}})
        \s+(?P<type>(?i:{_STREET_TYPES}))\b\.?
        (?:,?\s*(?i:apt|apartment|unit|suite|ste|lot|trailer|\#)\.?\s*\#?\s*\w{{1,5}}\b)?
        """),
        _street,
    ),
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(rf"""
        \b(?:on|at|off|near)\s+(?P<v>{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,2}}
        \s+(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|terrace|parkway|pkwy)\b)
        """),
        needs=("on ", "at ", "off ", "near "),
    ),
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(r"""
        \b\d{1,6}\s+(?:(?i:[NSEW]|north|south|east|west)\.?\s+)?
        (?i:highway|hwy\.?|route|rte\.?|state\s+road|county\s+(?:road|rd\.?)|farm\s+road|(?-i:FM|US|SR|CR))
        [\s-]*\d{1,4}[A-Z]?\b
        """),
    ),
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(r"""
        \b\d{1,6}[A-Za-z]?\s+(?:Calle|Avenida|Av\.|Rue|Carrera|Camino|Via)\s+\w[\w'-]*
        (?:\s+(?:de|del|la|las|los|le|du|[A-Z][\w'-]*))*
        """),
    ),
    # Intersections: "5th and Main", "corner of Elm and 3rd".
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(r"""
        \b(?:\d{1,3}(?i:st|nd|rd|th)\s+(?:and|&)\s+[A-Z][a-z]+|[A-Z][a-z]+\s+(?:and|&)\s+\d{1,3}(?i:st|nd|rd|th))\b
        |\b(?i:corner\s+of)\s+[A-Z0-9][\w'-]*(?:\s+[A-Z][\w'-]*)?\s+(?:and|&)\s+[A-Z0-9][\w'-]*
        """),
        needs=(" and ", "&"),
    ),
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(r"\b(?:p\.?\s?o\.?\s*box|post\s+office\s+box)\s*\#?\s*\d{1,6}\b", re.IGNORECASE),
        needs=("box",),
    ),
    _Rule(
        K.STREET_ADDRESS,
        2,
        _rx(r"\b(?:(?i:apt|apartment|unit|trailer)|Lot)\.?\s*\#?\s*\d{1,5}[A-Za-z]?\b"),
        needs=("apt", "apartment", "unit", "trailer", "lot"),
    ),
    _Rule(K.STREET_ADDRESS, 2, _rx(rf"\b(?:(?:{_STATE_CODES})|(?i:zip(?:\s*code)?:?))\s+\d{{5}}(?:-\d{{4}})?\b")),
)


_DIAL_OUT = re.compile(r"(?<![\w+.,/$:-])00(?=[1-9]\d)")


def _phones(text: str) -> Iterator[_Candidate]:
    """US numbers in any common layout, and international numbers written with +, 011 or 00."""
    # "0052 55 1234 5678": 00 is how most of the world dials out; read it as "+" (same length).
    typed, text = text, _DIAL_OUT.sub(" +", text)
    for match in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.POSSIBLE):
        if text[match.start - 1 : match.start].isalnum() or text[match.end : match.end + 1].isalnum():
            continue  # digits inside a longer code (WAC2190054321) are not a phone
        number = match.number
        # A North American area code (or a local 7-digit number) never starts with 0 or 1: such a
        # digit run is an ID number, not a phone.
        if number.country_code == 1 and not re.fullmatch(r"[2-9](?:\d{9}|\d{6})", str(number.national_number)):
            continue
        start = match.start - 1 if typed[match.start - 1 : match.start + 1] == "00" else match.start
        yield _Candidate(K.PHONE, start, match.end, 2)


# --- Personal names ------------------------------------------------------------------------------

# How many of the census names count as names: beyond these the lists are mostly rare names and
# ordinary words ("Client", "Needs" and "Harbor" are all census surnames).
_FIRST_NAMES_PER_LIST = {"dist.female.first": 1500, "dist.male.first": 700}
_LAST_NAMES = 25000


@dataclass(frozen=True)
class _Lexicon:
    first: frozenset[str]
    last: frozenset[str]
    known: frozenset[str]  # first | last, kept to avoid building the union on every lookup
    prefixes: frozenset[str] = frozenset()  # how compound given names start ("OLUWA")
    census_first: frozenset[str] = frozenset()

    def is_first(self, token: _Token) -> bool:
        return token.in_any(self.first) or self._compound(token)

    def knows(self, token: _Token) -> bool:
        return token.in_any(self.known) or self._compound(token)

    def _compound(self, token: _Token) -> bool:
        key = token.key
        return len(key) >= 7 and key[:5] in self.prefixes and key not in _NOT_A_NAME


@functools.cache
def _lexicon() -> _Lexicon:
    """The census lists (cut where they turn into ordinary words) and the world's names from Faker."""
    census_first = frozenset().union(*(_read_names(name, n) for name, n in _FIRST_NAMES_PER_LIST.items()))
    census_last = _read_names("dist.all.last", _LAST_NAMES)
    world_first, world_last, prefixes = world_names(_NOT_A_NAME | _TITLES | _RELATIONS | _WORDLIKE_FIRST_NAMES)
    first, last = census_first | world_first, census_last | world_last
    return _Lexicon(first=first, last=last, known=first | last, prefixes=prefixes, census_first=census_first)


def _read_names(filename: str, limit: int) -> frozenset[str]:
    """The `limit` most frequent names of one census list (lines are ordered by frequency)."""
    with (resources.files("names") / filename).open(encoding="ascii") as lines:
        return frozenset(line.split(maxsplit=1)[0] for line in itertools.islice(lines, limit) if line.strip())


# Capitalised for reasons other than being a name.
_STOP = _words("""
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    english spanish french portuguese creole haitian kiche quiche mam qeqchi kaqchikel qanjobal kanjobal
    ixil tzotzil tzeltal mixtec mixteco zapotec nahuatl garifuna arabic chinese mandarin cantonese
    vietnamese korean japanese tagalog filipino filipina hindi urdu punjabi bengali nepali somali swahili
    amharic tigrinya russian ukrainian polish romanian albanian turkish farsi persian dari pashto hmong
    thai khmer lao burmese indonesian asl
    american mexican guatemalan honduran salvadoran salvadorian nicaraguan cuban dominican puerto rican
    colombian venezuelan ecuadorian peruvian brazilian indian nigerian ghanaian kenyan ethiopian eritrean
    sudanese congolese moldovan latino latina latinx hispanic black white asian native indigenous african
    european canadian mayan maya
    mexico guatemala honduras nicaragua panama cuba haiti jamaica colombia venezuela ecuador peru brazil
    chile argentina bolivia china india philippines vietnam thailand korea japan nigeria ghana kenya
    ethiopia eritrea somalia sudan congo ukraine russia moldova romania albania turkey iran iraq
    afghanistan pakistan bangladesh nepal jordan israel chad canada america usa europe africa asia
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada hampshire jersey york carolina dakota ohio oklahoma
    oregon pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin wyoming
    christian catholic muslim islamic jewish hindu buddhist sikh mormon evangelical protestant lutheran
    methodist baptist pentecostal orthodox christmas easter thanksgiving ramadan eid god lord
    visa continued presence certification declaration form supplement section act code title tvpa vawa
    voca fvpsa asylum parole
    zoom teams google facebook instagram snapchat tiktok whatsapp telegram uber lyft greyhound amtrak
    walmart amazon craigslist honda toyota ford chevy chevrolet nissan dodge jeep kia hyundai camry civic
""")

# A capitalised group holding one of these is an organisation, a place or an event, not a person.
_ORG_WORDS = _words("""
    county office department dept police center centre services service shelter house home homes church
    parish mosque temple synagogue hospital clinic health medical court courthouse district task force
    coalition alliance network project program programme foundation association ministries ministry
    charities society university college school schools academy unit division bureau agency commission
    council board committee authority legal aid welfare family families children women men human
    witness immigration homeland security investigations federal state national patrol
    probation corrections jail detention customs border labor justice public defender advocacy crisis
    hotline sanctuary haven inc llc corp company bank restaurant hotel motel inn farm farms dairy market
    salon spa store mall airport station park lake river valley hills mountain city town village township
    region consulate embassy resource resources outreach partnership trust fund institute library army
    law training meeting conference summit workshop webinar review report plan policy protocol guide
    manual intake advisory impact statement international day alert housing camp
    street avenue road boulevard drive lane way place terrace circle parkway highway trail
""")

_NOT_A_NAME = _STOP | _ORG_WORDS

# Words that start the name of a place ("El Salvador", "San Diego", "New York").
_PLACE_LEADS = _words("el la los las san santa santo puerto costa new north south east west united")

# Titles and roles: whatever capitalised word follows is a name ("Detective Ramirez", "Sra. Gutierrez").
_TITLES = _words("""
    mr mrs ms miss mx dr prof sr sra srta senor senora senorita don dona tio tia
    detective det officer ofc deputy dep sgt sergeant lt lieutenant capt captain chief agent special
    trooper judge sheriff marshal investigator inv attorney atty advocate counselor nurse pastor rev
    reverend coach teacher principal director coordinator commissioner superintendent practitioner
    president chair cochair secretary treasurer
""")

# People the note talks about: the following word is a name when it is a known name
# ("her boyfriend Marcus") or set off by commas ("Victim, Ixchel Tzul, speaks ...").
_RELATIONS = _words("""
    client victim survivor youth minor juvenile patient resident student mother father sister brother aunt
    auntie uncle mom mum mama dad papa stepfather stepmother stepdad stepmom cousin grandmother grandma
    grandfather grandpa boyfriend girlfriend husband wife partner fiance fiancee son daughter child baby
    niece nephew friend roommate coworker neighbor trafficker pimp employer boss recruiter suspect manager
    supervisor foreman owner landlord sponsor guardian caregiver
""")

# First names that are also everyday words: at the start of a sentence they are probably the word.
_WORDLIKE_FIRST_NAMES = _words("""
    rose ruby crystal dawn grace amber april june holly sue joy pearl constance misty daisy sandy iris opal
    melody candy faith may hope angel ginger olive jewel charity autumn summer ivy dale dee lee gay cherry
    queen jade sierra princess precious raven ivory sunny brook fawn windy soon sun lacy robin violet merry
    venus santa cruz ma mi lan son will mark bill frank guy ray don jack dean glen gene chase sterling
    august junior buddy rocky rusty cliff clay cole drew miles reed ward grant rex max pat chuck rod rob
    hal nick ty van al mack brain young kay eve lynn jan carol trinidad
""")

# Particles inside a name ("Juan de la Cruz"); other connectors join organisation names.
_NAME_PARTICLES = {
    "de",
    "del",
    "la",
    "las",
    "los",
    "da",
    "di",
    "du",
    "dos",
    "das",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "al",
    "el",
    "y",
}
_CONNECTORS = _NAME_PARTICLES | {"of", "for", "and", "the", "on", "against", "in", "&"}
# Abbreviations whose period does not end a sentence inside a name ("Det. Ramirez", "St. Luke's").
_ABBREVIATIONS = _words("mr mrs ms mx dr prof sr sra srta det ofc dep sgt lt capt inv atty rev st mt ft jr")

_STRONG_CUE = (
    r"named|goes\s+by|go\s+by|went\s+by|aka|a\.k\.a\.?|alias|known\s+as|calls\s+(?:him|her|them)sel(?:f|ves)"
    r"|(?:nick|first|last|real|street|middle|sur)\s*name(?:\s+(?:is|was))?"
    r"|names?(?:\s+(?:is|was|are|were)|['\u2019]s|\s*:)"
    r"|(?:man|woman|guy|girl|boy|person|someone|somebody|lady|dude|trafficker|pimp|recruiter|boss)"
    r"\s+(?:is\s+|was\s+)?called"
)
# A strong cue ends where the name it announces starts (after an opening quote, if any).
_STRONG_CUE_RE = re.compile(rf"\b(?:{_STRONG_CUE})\s*[:,]?\s*(?P<quote>[\"\u201c'\u2018])?", re.IGNORECASE)
_CLOSING_QUOTE = re.compile(r"[^\"\u201d'\u2019\n]{1,30}(?=[\"\u201d'\u2019])")
_TITLE_GAP = re.compile(r"(?P<period>\.)?\s*[\"\u201c']?\s*")  # "Det. Ramirez", 'Detective "Ray"'
_RELATION_GAP = re.compile(r"(?P<comma>,)?\s+[\"\u201c']?")  # "her boyfriend Marcus", "Victim, Ixchel Tzul,"
_APPOSITION_END = re.compile(r"[\"\u201d']?[,)\-]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+|-[^\W\d_]+)*")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, match: re.Match[str]) -> _Token:
        return cls(match.start(), match.end(), match.group())

    @functools.cached_property
    def key(self) -> str:
        """Upper case, no accents, apostrophes or possessive 's: how the census lists spell it."""
        if self.text.isalpha() and self.text.isascii():  # the common case, kept cheap
            return self.text.upper()
        bare = re.sub(r"['\u2019]s$", "", self.text)
        plain = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode()
        return plain.replace("'", "").replace("\u2019", "").upper()

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.key.split("-"))

    def in_any(self, words: frozenset[str]) -> bool:
        return not words.isdisjoint(self.parts)


def _names(text: str) -> Iterator[_Candidate]:
    lexicon = _lexicon()
    tokens = [_Token.of(m) for m in _WORD.finditer(text)]
    strong_cues = list(_STRONG_CUE_RE.finditer(text))
    cues = _cue_positions(text, tokens, strong_cues)
    for group in _capitalised_groups(text, tokens):
        if _is_organisation(group):
            continue
        for segment in _segments(group):
            for part, cue in _cued_parts(segment, cues):
                span = _name_span(text, part, cue, lexicon)
                if span:
                    yield _Candidate(K.PERSON_NAME, *span, 0)
    yield from _all_caps_names(text, tokens, lexicon)
    yield from _names_after_strong_cues(text, tokens, strong_cues, lexicon)


def _is_capitalised(text: str, token: _Token) -> bool:
    if len(token.text) == 1:  # an initial: "Juan C. Mendoza"
        return token.text.isupper() and text[token.end : token.end + 1] == "."
    return token.text[0].isupper() and any(ch.islower() for ch in token.text)


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if re.fullmatch(r"[ \t]+", gap):
        return True
    abbreviated = len(left.text) == 1 or left.key in _ABBREVIATIONS
    return abbreviated and re.fullmatch(r"\.[ \t]*", gap) is not None


def _capitalised_groups(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Runs of capitalised words, joined across connectors ("Department of Labor")."""
    groups: list[list[_Token]] = []
    current: list[_Token] = []
    for i, token in enumerate(tokens):
        if _is_capitalised(text, token):
            if current and not _adjacent(text, current[-1], token):
                groups.append(current)
                current = []
            current.append(token)
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            current
            and following
            and token.text.lower() in _CONNECTORS
            and _is_capitalised(text, following)
            and _adjacent(text, current[-1], token)
            and _adjacent(text, token, following)
        ):
            current.append(token)
            continue
        if current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_organisation(group: list[_Token]) -> bool:
    if len(group) > 1 and group[0].key in _PLACE_LEADS:
        return True
    return any(token.in_any(_ORG_WORDS) for token in group)


def _segments(group: list[_Token]) -> Iterator[list[_Token]]:
    """Split a group at connectors that are not name particles ("Maria and Jose")."""
    segment: list[_Token] = []
    for token in group:
        if token.text.lower() in _CONNECTORS - _NAME_PARTICLES:
            yield segment
            segment = []
        else:
            segment.append(token)
    yield segment


def _sentence_start(text: str, token: _Token) -> bool:
    before = text[max(0, token.start - 12) : token.start].rstrip(" \t\"'\u201c\u2018([*\u2022-")
    return not before or before[-1] in ".!?:;\n"


def _cue_positions(text: str, tokens: list[_Token], strong_cues: list[re.Match[str]]) -> dict[int, str]:
    """Where a word is announced as a name, and by what: "title", "relation" or "apposition"."""
    cues: dict[int, str] = {}
    for previous, token in itertools.pairwise(tokens):
        cue = _cue_between(text[previous.end : token.start], previous)
        if cue:
            cues[token.start] = cue
    cues.update((match.end(), "title") for match in strong_cues)
    return cues


def _cue_between(gap: str, previous: _Token) -> str | None:
    if previous.in_any(_TITLES) and gap:
        title = _TITLE_GAP.fullmatch(gap)
        if title and (not title["period"] or previous.key in _ABBREVIATIONS):
            return "title"
    if previous.in_any(_RELATIONS):
        relation = _RELATION_GAP.fullmatch(gap)
        if relation:
            return "apposition" if relation["comma"] else "relation"
    return None


def _cued_parts(segment: list[_Token], cues: dict[int, str]) -> Iterator[tuple[list[_Token], str | None]]:
    """Split a segment at titles and relations: "Case Manager Rosa" gives "Case", then "Rosa" cued."""
    part: list[_Token] = []
    cue = cues.get(segment[0].start) if segment else None
    for token in segment:
        role = "title" if token.in_any(_TITLES) else "relation" if token.in_any(_RELATIONS) else None
        if role is None:
            part.append(token)
            continue
        if part:
            yield part, cue
        part, cue = [], role
    if part:
        yield part, cue


def _name_span(text: str, tokens: list[_Token], cue: str | None, lexicon: _Lexicon) -> tuple[int, int] | None:
    # After a title a known name wins over the stop list: "Advocate Jordan", "Ms. Washington".
    tokens = list(
        itertools.takewhile(lambda t: not t.in_any(_STOP) or (cue == "title" and t.in_any(lexicon.known)), tokens)
    )
    while tokens and tokens[-1].text.lower() in _NAME_PARTICLES:
        tokens.pop()
    if not tokens:
        return None
    if cue is None and _sentence_start(text, tokens[0]) and not lexicon.knows(tokens[0]):
        tokens = tokens[1:]  # the capital is the sentence's, not a name's: "Met Maria Lopez"
        if not tokens:
            return None
        mid_sentence = True
    else:
        mid_sentence = not _sentence_start(text, tokens[0])
    if not _looks_like_name(text, tokens, cue, mid_sentence, lexicon):
        return None
    possessive = re.search(r"['\u2019]s$", tokens[-1].text)
    return tokens[0].start, tokens[-1].end - (2 if possessive else 0)


def _looks_like_name(text: str, tokens: list[_Token], cue: str | None, mid_sentence: bool, lexicon: _Lexicon) -> bool:
    known = any(lexicon.knows(t) for t in tokens)
    if cue == "title":
        return True
    if cue == "apposition" and (known or _APPOSITION_END.match(text, tokens[-1].end)):
        return True
    if cue == "relation" and known:
        return True
    first = tokens[0]
    if len(first.text) == 1 and len(tokens) > 1 and tokens[-1].in_any(lexicon.last):
        return True  # "J. Martinez"
    if (
        len(tokens) > 1
        and lexicon.knows(first)
        and sum(lexicon.knows(t) for t in tokens) >= 2
        and any(lexicon.is_first(t) for t in tokens)
    ):
        return True  # "Nguyen Thi Hoa": family name first, then given names
    if not lexicon.is_first(first):
        return False
    if len(tokens) > 1 and any(t.in_any(lexicon.last) for t in tokens[1:]):
        return True
    if mid_sentence:
        return True
    # At a sentence's start a short given name known only abroad is too often a word ("Nail", "Can").
    return first.key not in _WORDLIKE_FIRST_NAMES and (first.in_any(lexicon.census_first) or len(first.key) >= 5)


def _all_caps_names(text: str, tokens: list[_Token], lexicon: _Lexicon) -> Iterator[_Candidate]:
    """ "MARIA LOPEZ": a known first name then a known surname, both in capitals."""
    for first, last in itertools.pairwise(tokens):
        if (
            len(first.text) > 1
            and len(last.text) > 1
            and first.text.isupper()
            and last.text.isupper()
            and _adjacent(text, first, last)
            and first.key in lexicon.first
            and last.key in lexicon.last
            and not (first.in_any(_NOT_A_NAME) or last.in_any(_NOT_A_NAME))
        ):
            yield _Candidate(K.PERSON_NAME, first.start, last.end, 0)


def _names_after_strong_cues(
    text: str, tokens: list[_Token], strong_cues: list[re.Match[str]], lexicon: _Lexicon
) -> Iterator[_Candidate]:
    """Quoted or lower-case names after a naming cue: 'goes by "Flaca"', 'named sunny'."""
    by_start = {token.start: token for token in tokens}
    for match in strong_cues:
        if match["quote"]:
            quoted = _CLOSING_QUOTE.match(text, match.end())
            if quoted:
                yield _Candidate(K.PERSON_NAME, quoted.start(), quoted.end(), 0)
            continue
        token = by_start.get(match.end())
        if token and token.text.islower() and token.key in lexicon.first:
            yield _Candidate(K.PERSON_NAME, token.start, token.end, 0)
