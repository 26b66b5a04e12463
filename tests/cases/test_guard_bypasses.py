"""The guard bypasses of issue 15, item 1: each trick below passed the guard before the fix."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.deidentification import IdentifierKind, find_identifiers
from tests.cases.deid_corpus import CORPUS

K = IdentifierKind


def _found(text: str) -> list[tuple[IdentifierKind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # An allowed shape must match exactly; it no longer hides a finding inside it.
        ("Paid $5035550123 for the trip.", K.PHONE),
        ("Charged under 8 USC 5035550123 last year.", K.PHONE),
        # Unicode tricks: non-breaking hyphen, zero-width space, soft hyphen, Cyrillic look-alikes, fullwidth @.
        ("SSN 123\u201145\u20116789 on the W-2.", K.SSN),
        ("Her social is 123-45-\u200b6789.", K.SSN),
        ("Call her at 414\u00ad-555-0137 tonight.", K.PHONE),
        ("\u041c\u0430ria L\u043epez met with the advocate.", K.PERSON_NAME),
        ("Recruiter is \uff20sunny.jobs.usa on the app.", K.SOCIAL_HANDLE),
        ("Email r\u200dosa@example.org today.", K.EMAIL),
        ("Call \uff14\uff11\uff14-\uff15\uff15\uff15-\uff10\uff11\uff13\uff17 after six.", K.PHONE),
        ("Call 4\u0332 1\u0332 4\u0332-555-0137 now.", K.PHONE),
        ("Her cell is 414-555-O137, letters for digits.", K.PHONE),
        ("Text 414 555 0l37 after school.", K.PHONE),
        ("Lives at 1428 \u0415lm Street with the boss.", K.STREET_ADDRESS),
        # Names outside the US census lists, without a cue.
        ("Thandiwe Okonkwo-Baptiste was moved to the shelter.", K.PERSON_NAME),
        ("The advocate met Nguyen Thi Hoa at the salon.", K.PERSON_NAME),
        ("Xiomara Quispe Huamani arrived in March 2026.", K.PERSON_NAME),
        ("Oluwaseun was moved to the shelter on Friday.", K.PERSON_NAME),
        ("Mohammed bin Khalid drove the van to the farm.", K.PERSON_NAME),
        # Spelled-out numbers.
        ("Her number is five oh three, five five five, oh one two three.", K.PHONE),
        ("She was born on the third of March, two thousand eight.", K.DATE),
        ("The house at fourteen twenty-eight Elm Street has cameras.", K.STREET_ADDRESS),
    ],
)
def test_it_refuses_the_tricks_that_passed(text: str, kind: IdentifierKind) -> None:
    assert kind in {f.kind for f in find_identifiers(text)}, _found(text)


@pytest.mark.parametrize(
    "text", ["Her card reads ABC-5551-23456.", "Consular ID ABC-5551-23456 is held by the boss.", "Code AB-1999-12345."]
)
def test_it_refuses_a_number_shaped_like_a_reference_code(text: str) -> None:
    # The portal's codes are prefix, year, sequence: "5551" is no year, so this is someone's number.
    [(_, value)] = _found(text)
    assert value.endswith(("23456", "12345"))


@pytest.mark.parametrize(
    "text",
    [
        "Client called the National Human Trafficking Hotline at 1-888-373-7888 first.",
        "Hotline: 1 (888) 373-7888, or 988 for a mental health crisis, or 211 for housing.",
        "Referral JUN-2026-00042 accepted; see 34 U.S.C. 12291(b)(2) and 8 C.F.R. 214.11.",
        "Paid $1,250.00 for rent and $95 per night.",
    ],
)
def test_it_still_allows_the_portals_own_vocabulary(text: str) -> None:
    assert find_identifiers(text) == []


def test_it_allows_public_numbers_by_exact_match_only() -> None:
    assert _found("Call 1-888-373-7889 if unsafe.") == [(K.PHONE, "1-888-373-7889")]
    assert [k for k, _ in _found("Hotline 1-888-373-7888 then her cell 414-555-0137.")] == [K.PHONE]


@override_settings(DEIDENTIFICATION_PUBLIC_NUMBERS=["1-888-373-7888", "(414) 555-0100"])
def test_it_reads_the_public_numbers_from_the_settings() -> None:
    assert find_identifiers("The Sheriff's main line is 414-555-0100.") == []


def test_it_maps_positions_back_to_the_original_text() -> None:
    text = "A\u200b\u200b note: SSN 123\u201145\u20116789, cell 414-555-0137."
    spans = _found(text)
    assert spans == [(K.SSN, "123\u201145\u20116789"), (K.PHONE, "414-555-0137")]


_REFUSED = [(text, labels) for text, labels in CORPUS if labels]
_INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u202c"])


@settings(max_examples=200, deadline=None, database=None)
@given(st.sampled_from(_REFUSED), st.lists(st.tuples(st.integers(min_value=0), _INVISIBLE), max_size=6))
def test_it_is_not_fooled_by_invisible_characters_anywhere(sample, insertions) -> None:
    text, labels = sample
    caught = labels & {f.kind for f in find_identifiers(text)}  # the corpus has one known name miss
    for position, char in insertions:
        cut = position % (len(text) + 1)
        text = text[:cut] + char + text[cut:]
    findings = find_identifiers(text)
    assert caught <= {f.kind for f in findings}
    for finding in findings:  # spans still point into the text as typed
        assert 0 <= finding.start < finding.end <= len(text)


@pytest.mark.parametrize(
    "text",
    ["1O " + "1" * 50_000, "\u200b" * 50_000, "one two " * 10_000, "five, " * 10_000, "\u041c\u0430ria " * 5_000],
)
def test_it_stays_fast_on_long_hostile_text(text: str) -> None:
    started = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - started < 3  # linear: about 0.1-0.3 s here; quadratic would be minutes
