"""The rule table: the patterns of structured identifiers (phones, emails, ID numbers, dates, addresses...).

Regexes are compiled once, at import. Each rule names the kind it finds, how confident a match is (its
tier, which settles overlaps in `positions.py`), an optional check of the match (a Luhn or IBAN
checksum, a plausible date) and the cheap substrings without which it cannot match: most notes mention
no email, URL or plate at all, and skipping those rules keeps the guard fast. Phones are found by
`phonenumbers` too, which knows every country's numbering plan.

What the rules match is the normalised text (`normalization.py`): they are written for plain ASCII.
The portal's own vocabulary that shares these shapes is set aside afterwards (`allowances.py`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import phonenumbers

from cases.deidentification.findings import Candidate, IdentifierKind

K = IdentifierKind  # short alias for the table below


def structured_candidates(text: str) -> Iterator[Candidate]:
    """Every match of every rule, then the phones `phonenumbers` finds, in that order."""
    lowered = text.lower()
    for rule in _RULES:
        yield from rule.scan(text, lowered)
    yield from _phones(text)


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

    def scan(self, text: str, lowered: str) -> Iterator[Candidate]:
        """Yield the span of group "v" when the pattern has one (the value after a cue)."""
        if self.needs and not any(word in lowered for word in self.needs):
            return
        has_value = "v" in self.pattern.groupindex
        for match in self.pattern.finditer(text):
            if self.accept(match):
                start, end = match.span("v") if has_value else match.span()
                cued = self.cued(match) if callable(self.cued) else self.cued
                yield Candidate(self.kind, start, end, self.tier, cued)


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags | re.VERBOSE)


def digits_of(value: str) -> str:
    """The digits of `value`, whatever separates them."""
    return re.sub(r"\D", "", value)


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _card(match: re.Match[str]) -> bool:
    digits = digits_of(match.group())
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
        return len(digits_of(value)) >= min_digits and not _NOT_AN_ID.fullmatch(value)

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
        7 <= len(digits_of(value)) <= 15
        and not _ISO_DATE.fullmatch(value)
        and not _NOT_A_PHONE.fullmatch(value)
        and not _NOT_AN_ID.fullmatch(value)
    )


# A case cue that names a court or police number. "case" and "file" alone also name a referral in
# this portal ("case JUN-2026-00042 reopened"); with "number", "no." or "#" they name a court's.
_WEAK_CASE_CUES = frozenset({"case", "file"})


def _court_cue(match: re.Match[str]) -> bool:
    return match["cue"].lower() not in _WEAK_CASE_CUES or re.search(r"num|nbr|no|\#", match["filler"], re.I) is not None


_COURT_WORDS = frozenset(
    """family juvenile municipal district circuit supreme superior probate drug tribal federal criminal civil
    traffic""".upper().split()
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
    # A person code (cases/person_codes.py) is never written in free text: a note, a comment or minutes is
    # read by people who may not see the referral that carries it. Every code shape is refused alike,
    # issued or not, so the answer tells nobody whether a code exists.
    _Rule(
        K.PERSON_CODE,
        2,
        _rx(r"(?<![\w-])PC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}(?![\w-])", re.IGNORECASE),
        needs=("pc-",),
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
        lambda match: len(digits_of(match.group())) >= 11,
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


def _phones(text: str) -> Iterator[Candidate]:
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
        yield Candidate(K.PHONE, start, match.end, 2)
