"""Given names and surnames beyond the US census lists, from the locale name lists that Faker ships.

The people served speak Spanish, Hmong, Vietnamese, West African, Arabic and Eastern European
languages; the census lists of 1990 miss most of their names. Faker (MIT, maintained) bundles
first and last names per locale, in the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Latin-script locales of the languages of the people served (uk_UA is transliterated).
_LOCALES = (
    "es", "es_MX", "es_CO", "es_AR", "es_CL", "es_ES", "pt_BR", "vi_VN",
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "en_NG", "en_KE", "sw", "zu_ZA",
    "fr_DZ", "en_PK", "id_ID", "tr_TR", "az_AZ",
    "pl_PL", "ro_RO", "cs_CZ", "sk_SK", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "hu_HU", "uk_UA",
)  # fmt: skip
# Given names there are often compounds ("Oluwa-seun", "Chi-nedu"): a long word starting like
# several of them is read as one more.
_COMPOUND_LOCALES = ("yo_NG", "ig_NG", "ha_NG", "tw_GH")
_FIRST = ("first_names", "first_names_male", "first_names_female", "first_names_unisex", "middle_names")
_LAST = ("last_names", "last_names_male", "last_names_female")


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.replace("'", "").upper()


def _attribute(provider: type, name: str) -> Iterable[str]:
    for klass in provider.__mro__:
        value = vars(klass).get(name)
        if value is not None and not isinstance(value, property | staticmethod | classmethod):
            return value  # a tuple, list or dict (name: weight)
    return ()


def _names(locale: str, attributes: tuple[str, ...]) -> set[str]:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    translit = getattr(module, "translit", None) if locale == "uk_UA" else None
    found: set[str] = set()
    for attribute in attributes:
        for name in _attribute(module.Provider, attribute):
            latin = translit(name) if translit else name
            for part in latin.replace("-", " ").split():
                key = _key(part)
                if len(key) >= 2 and key.isalpha() and key.isascii():
                    found.add(key)
    return found


def world_names(not_names: frozenset[str]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, compound prefixes), without everyday English words and `not_names`."""
    from faker.providers.lorem.en_US import Provider as English

    excluded = not_names | {word.upper() for word in English.word_list}
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        first |= _names(locale, _FIRST)
        last |= _names(locale, _LAST)
    stems = Counter(name[:5] for locale in _COMPOUND_LOCALES for name in _names(locale, _FIRST) if len(name) >= 7)
    prefixes = frozenset(stem for stem, count in stems.items() if count >= 3 and stem not in excluded)
    return frozenset(first - excluded), frozenset(last - excluded), prefixes
