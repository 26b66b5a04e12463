"""Person codes: the non-identifying code that lets reports count people rather than referrals.

A code is drawn at random by the portal (`secrets`), never derived from anything about the person,
so it carries no information about them: it links referrals only through the sending agency's own
offline records, where the code sits beside the identity (README, "Person codes"). A hash of a name
would be different: anyone holding a list of names could compute it again.

Shape: "PC-" and nine characters in three groups, "PC-4KM-7QX-T2R". The first eight are random, the
ninth is a check character, so that a mistyped code is caught rather than matched to another person.
The alphabet has 29 characters, digits and consonants (no vowel, so that no word and no spelled-out
number can form; no O, I or L, which read as 0 and 1). The check makes the weighted sum of the nine
values, weights 1 to 9, a multiple of 29: with a prime modulus and distinct weights, every single
wrong character and every swap of two characters changes the sum, so both are refused.

This module needs no Django. A code is never written in free text: the de-identification guard refuses
its shape in notes, comments and minutes (cases/deidentification/rules.py), issued or not, because
those are read by people who may not see the referral that carries the code.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789BCDFGHJKMNPQRSTVWXZ"
PREFIX = "PC"
RANDOM_LENGTH = 8
MAX_LENGTH = len(PREFIX) + 1 + RANDOM_LENGTH + 1 + 2  # "PC-XXX-XXX-XXX": 14 characters
EXAMPLE = "PC-4KM-7QX-T2R"
_MODULUS = len(ALPHABET)  # 29, a prime
_VALUE = {ch: value for value, ch in enumerate(ALPHABET)}
# What people type for a character of the alphabet: O for zero, I and L for one.
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")

assert _MODULUS == 29 and len(set(ALPHABET)) == _MODULUS


def _check_character(body: str) -> str:
    """The character that makes sum(weight * value) over the nine characters a multiple of 29."""
    partial = sum(weight * _VALUE[ch] for weight, ch in enumerate(body, start=1))
    # 9 * c = -partial (mod 29); 13 is the inverse of 9 modulo 29 (9 * 13 = 117 = 4 * 29 + 1).
    return ALPHABET[(-partial * 13) % _MODULUS]


def _is_valid(characters: str) -> bool:
    return (
        len(characters) == RANDOM_LENGTH + 1
        and all(ch in _VALUE for ch in characters)
        and sum(weight * _VALUE[ch] for weight, ch in enumerate(characters, start=1)) % _MODULUS == 0
    )


def _formatted(characters: str) -> str:
    return f"{PREFIX}-{characters[0:3]}-{characters[3:6]}-{characters[6:9]}"


def person_code_generate() -> str:
    """A new random code (about 39 bits of randomness); uniqueness is the database's to enforce."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return _formatted(body + _check_character(body))


def person_code_normalize(typed: str) -> str | None:
    """The code as the portal writes it, from one as a person typed it (any case, spaces or hyphens,
    O for 0, I or L for 1, "PC-" left out); None when it is not a well-formed code with a valid check."""
    characters = _SEPARATORS.sub("", typed or "").upper()
    if characters.startswith(PREFIX) and len(characters) == len(PREFIX) + RANDOM_LENGTH + 1:
        characters = characters[len(PREFIX) :]
    characters = characters.translate(_TYPED)
    return _formatted(characters) if _is_valid(characters) else None
