"""Personal names: which words are names (the name lists), and where a text names a person (detection).

The lists: the US census name lists bundled in the `names` package, cut where they turn into ordinary
words, and the world's names of Faker's locale lists (below), loaded lazily once, on the first text.
The people served speak Spanish, Hmong, Vietnamese, West African, Arabic and Eastern European
languages; the census lists of 1990 miss most of their names. Faker (MIT, maintained) bundles first
and last names per locale, in the package: nothing is downloaded at run time.

Detection reads capitalised groups of words and the cues around them: a title ("Detective Ramirez"),
a relation ("her boyfriend Marcus"), an apposition ("Victim, Ixchel Tzul, speaks"), or a naming cue
('goes by "Flaca"'). Organisations, places and sentence-initial capitals are told apart from names
by word lists. A name is the least certain finding (tier 0): any structured identifier overlapping
it wins in `positions.py`.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from cases.deidentification.findings import Candidate, IdentifierKind

K = IdentifierKind

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
    world_first, world_last, prefixes = _world_names(_NOT_A_NAME | _TITLES | _RELATIONS | _WORDLIKE_FIRST_NAMES)
    first, last = census_first | world_first, census_last | world_last
    return _Lexicon(first=first, last=last, known=first | last, prefixes=prefixes, census_first=census_first)


def _read_names(filename: str, limit: int) -> frozenset[str]:
    """The `limit` most frequent names of one census list (lines are ordered by frequency)."""
    with (resources.files("names") / filename).open(encoding="ascii") as lines:
        return frozenset(line.split(maxsplit=1)[0] for line in itertools.islice(lines, limit) if line.strip())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.upper().split())


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


def name_candidates(text: str) -> Iterator[Candidate]:
    """Capitalised groups that read as a person's name, all-capital names, and names after a naming cue."""
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
                    yield Candidate(K.PERSON_NAME, *span, 0)
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


def _all_caps_names(text: str, tokens: list[_Token], lexicon: _Lexicon) -> Iterator[Candidate]:
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
            yield Candidate(K.PERSON_NAME, first.start, last.end, 0)


def _names_after_strong_cues(
    text: str, tokens: list[_Token], strong_cues: list[re.Match[str]], lexicon: _Lexicon
) -> Iterator[Candidate]:
    """Quoted or lower-case names after a naming cue: 'goes by "Flaca"', 'named sunny'."""
    by_start = {token.start: token for token in tokens}
    for match in strong_cues:
        if match["quote"]:
            quoted = _CLOSING_QUOTE.match(text, match.end())
            if quoted:
                yield Candidate(K.PERSON_NAME, quoted.start(), quoted.end(), 0)
            continue
        token = by_start.get(match.end())
        if token and token.text.islower() and token.key in lexicon.first:
            yield Candidate(K.PERSON_NAME, token.start, token.end, 0)


# --- The world's names, from Faker's locale lists ---------------------------------------------------

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


def _locale_names(locale: str, attributes: tuple[str, ...]) -> set[str]:
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


def _world_names(not_names: frozenset[str]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, compound prefixes), without everyday English words and `not_names`."""
    from faker.providers.lorem.en_US import Provider as English

    excluded = not_names | {word.upper() for word in English.word_list}
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        first |= _locale_names(locale, _FIRST)
        last |= _locale_names(locale, _LAST)
    stems = Counter(
        name[:5] for locale in _COMPOUND_LOCALES for name in _locale_names(locale, _FIRST) if len(name) >= 7
    )
    prefixes = frozenset(stem for stem, count in stems.items() if count >= 3 and stem not in excluded)
    return frozenset(first - excluded), frozenset(last - excluded), prefixes
