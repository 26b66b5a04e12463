"""The text the guard matches (its "shadow"): Unicode tricks undone and spelled-out numbers written as digits.

NFKC, invisible characters dropped, confusable letters folded (Unicode's confusables data, via
`confusable-homoglyphs`), letters typed for digits and spelled-out numbers written as digits: the
rules are then written once, for plain ASCII digits and letters, rather than for every disguise.

Each character of the shadow text remembers the span of the original text it came from, so that a
finding can be reported where the caseworker typed it. The original text is never changed.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

# Hangul fillers and the like: letters (category Lo) that print as nothing.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5")


def _invisible(ch: str) -> bool:
    """Zero-width spaces and joiners, soft hyphen, bidi marks, word joiner, BOM, variation selectors."""
    return (
        unicodedata.category(ch) == "Cf"
        or ch in _BLANK_LETTERS
        or "\ufe00" <= ch <= "\ufe0f"
        or "\U000e0100" <= ch <= "\U000e01ef"
    )


@functools.cache
def _fold(ch: str) -> str:
    """The ASCII look-alike of a character (Cyrillic a -> a, U+2010 -> "-"), from Unicode's confusables data."""
    if ch.isascii():
        return ch
    from confusable_homoglyphs import confusables  # loads its data (~0.2 s) once, on the first non-ASCII text

    found = confusables.is_confusable(ch, greedy=True)
    if not found:
        return ch
    for glyph in found[0]["homoglyphs"]:
        target = glyph["c"]
        if len(target) == 1 and target.isascii() and target.isprintable():
            # TR39 draws I, l and 1 as "l": a capital stays a capital, which is what a name needs.
            return "I" if target == "l" and ch.isupper() else target
    return ch


@dataclass(frozen=True)
class Shadow:
    text: str
    starts: list[int] | None = None  # None: the shadow is the original text
    ends: list[int] | None = None

    def original(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, piece: str, start: int, end: int) -> None:
        self.parts.append(piece)
        self.starts.extend([start] * len(piece))
        self.ends.extend([end] * len(piece))

    def copy(self, view: Shadow, start: int, end: int) -> None:
        """Characters start:end of `view` unchanged, with the original positions they already have."""
        self.parts.append(view.text[start:end])
        if view.starts is None or view.ends is None:
            self.starts.extend(range(start, end))
            self.ends.extend(range(start + 1, end + 1))
        else:
            self.starts.extend(view.starts[start:end])
            self.ends.extend(view.ends[start:end])

    def shadow(self) -> Shadow:
        return Shadow("".join(self.parts), self.starts, self.ends)


def shadow_of(text: str) -> Shadow:
    view = Shadow(text) if text.isascii() else _unicode_cleaned(text)
    return _numbers_as_digits(_letters_as_digits(view))


# Letters typed for digits inside a number ("414-555-O137", "0l37"): a run of digits and O, I, l
# holding at least two real digits. "I-94" and "H2O" keep their letters.
_LOOKALIKE_DIGITS = str.maketrans("OoIl|", "00111")
# Maximal runs only, checked in Python: no lookaround, so no backtracking on a long run of digits.
_MIXED_RUN = re.compile(r"[\dOoIl|]+")
_MIXED_HINT = re.compile(r"\d[OoIl|]|[OoIl|]\d")


def _letters_as_digits(view: Shadow) -> Shadow:
    if not _MIXED_HINT.search(view.text):
        return view
    text = view.text
    runs = [
        m
        for m in _MIXED_RUN.finditer(text)
        if not (m.start() and text[m.start() - 1].isalpha())
        and not text[m.end() : m.end() + 1].isalpha()
        and sum(ch.isdigit() for ch in m.group()) >= 2
        and _MIXED_HINT.search(m.group())
    ]
    if not runs:
        return view
    # Same length: every character keeps its own original position.
    chars = list(view.text)
    for run in runs:
        chars[run.start() : run.end()] = run.group().translate(_LOOKALIKE_DIGITS)
    return Shadow("".join(chars), view.starts, view.ends)


def _unicode_cleaned(text: str) -> Shadow:
    """NFKC per character cluster, invisible characters dropped, confusable letters folded."""
    out = _Builder()
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or _invisible(text[j])):
            j += 1
        cluster = "".join(ch for ch in text[i:j] if not _invisible(ch))
        if cluster:
            # Marks left after NFKC composed what it could are decoration ("4" + U+0332): dropped.
            normal = [ch for ch in unicodedata.normalize("NFKC", cluster) if not unicodedata.combining(ch)]
            out.add("".join(_fold(ch) for ch in normal), i, j)
        i = j
    return out.shadow()


# --- Spelled-out numbers ---------------------------------------------------------------------------

_DIGITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
    # Spanish, dictated digit by digit ("cinco cero tres"); "once" (11) is left out, it is an English word.
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_REPEATS = {"double": 2, "triple": 3}
_NUMBER_WORDS = {**_DIGITS, **_TEENS, **_TENS, **_ORDINALS, **_SCALES, **_REPEATS}
_ALTERNATION = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# A run of number words; "and" only inside "one hundred and five", commas (or the word "dash") only
# between dictated digits.
_RUN = re.compile(
    rf"\b(?:{_ALTERNATION})\b"
    rf"(?:(?:[ \t]*[-,][ \t]*|[ \t]+(?:(?:and|dash|hyphen|gui[oó]n)[ \t]+)?)(?:{_ALTERNATION})\b)*",
    re.IGNORECASE,
)
_SPOKEN_DASH = re.compile(r"dash|hyphen|gui[oó]n", re.IGNORECASE)
_TOKEN = re.compile(rf"\b(?:{_ALTERNATION})\b", re.IGNORECASE)
_NEEDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh", "zero", "ten", "twe",
          "irst", "econd", "third", "teen", "ty", "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis",
          "siete", "ocho", "nueve")  # fmt: skip


def _numbers_as_digits(view: Shadow) -> Shadow:
    lowered = view.text.lower()
    if not any(word in lowered for word in _NEEDS):
        return view
    replacements = [r for m in _RUN.finditer(view.text) for r in _chunks(m)]
    if not replacements:
        return view
    out = _Builder()
    position = 0
    for start, end, digits in replacements:
        out.copy(view, position, start)
        out.add(digits, *view.original(start, end))
        position = end
    out.copy(view, position, len(view.text))
    return out.shadow()


def _chunks(run: re.Match[str]) -> list[tuple[int, int, str]]:
    """Split a run where the words stop forming one number, and write each chunk as digits.

    Dictated groups keep their separation: "five oh three, five five five" becomes "503-555".
    """
    tokens = list(_TOKEN.finditer(run.group()))
    chunks: list[list[list[re.Match[str]]]] = [[[tokens[0]]]]
    for previous, token in itertools.pairwise(tokens):
        gap = run.group()[previous.end() : token.start()]
        if not _joins(gap, previous.group().lower(), token.group().lower()):
            chunks.append([[]])
        elif "," in gap or _SPOKEN_DASH.search(gap):
            chunks[-1].append([])
        chunks[-1][-1].append(token)
    found = []
    for groups in chunks:
        values = [_group_value([t.group().lower() for t in group], dictated=len(groups) > 1) for group in groups]
        if all(values):
            start, end = groups[0][0].start(), groups[-1][-1].end()
            # Digit by digit ("four, one, four, ...") is one number; groups of digits keep a dash between them.
            separator = "" if all(len(v) == 1 for v in values if v) else "-"
            found.append((run.start() + start, run.start() + end, separator.join(v for v in values if v)))
    return found


def _group_value(words: list[str], *, dictated: bool) -> str | None:
    """In dictation ("five, five, five") a lone digit word is a digit too."""
    value = _value(words)
    if value is None and dictated and len(words) == 1 and words[0] in _DIGITS:
        return str(_DIGITS[words[0]])
    return value


def _is_digit_word(word: str) -> bool:
    return word in _DIGITS or word in _REPEATS


def _joins(gap: str, left: str, right: str) -> bool:
    if "," in gap or _SPOKEN_DASH.search(gap):
        return _is_digit_word(left) and _is_digit_word(right)  # "five oh three, five five five"
    if "and" in gap.lower():
        return left in _SCALES
    return left not in _ORDINALS


def _value(words: list[str]) -> str | None:
    """Digits for a chunk, or None when it is a lone word ("one of them", "oh") best left as it is."""
    if len(words) == 1 and words[0] not in _ORDINALS and words[0] not in _TEENS and words[0] not in _TENS:
        return None
    if set(words) <= {"oh"} or words[0] in _SCALES or words[-1] in _REPEATS:
        return None
    ordinal = words[-1] in _ORDINALS
    if any(word in _SCALES for word in words):
        return _cardinal(words) + (_suffix(_ORDINALS.get(words[-1], 0)) if ordinal else "")
    digits, i = "", 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _REPEATS and nxt in _DIGITS:
            digits += str(_DIGITS[nxt]) * _REPEATS[word]
            i += 2
            continue
        if word in _TENS and (_DIGITS.get(nxt) or (nxt in _ORDINALS and _ORDINALS[nxt] < 10)):
            digits += str(_TENS[word] + _NUMBER_WORDS[nxt])
            i += 2
            continue
        if word in _REPEATS:
            return None
        digits += str(_NUMBER_WORDS[word])
        i += 1
    return digits + (_suffix(_ORDINALS[words[-1]]) if ordinal else "")


def _cardinal(words: list[str]) -> str:
    total = current = 0
    for word in words:
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            current += _NUMBER_WORDS.get(word, 0) if word not in _REPEATS else 0
    return str(total + current)


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
