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
        ("She was born on the third of March, two thousand eight.", K.DATE_OF_BIRTH),
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
@pytest.mark.django_db
def test_it_still_allows_the_portals_own_vocabulary(agency, text: str) -> None:
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


# --- The bypasses found after the hardening ------------------------------------------------------

COURT_NUMBERS = ["docket CR-2024-01234", "CR-2024-01234", "JV-2024-00017", "DR-2022-12345", "FELONY-2024-00017"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", COURT_NUMBERS)
def test_it_refuses_court_numbers_shaped_like_reference_codes(agency, text: str) -> None:
    # Only the prefixes the portal issues codes under are reference codes: "CR", "JV", "DR" are not.
    assert K.CASE_NUMBER in {f.kind for f in find_identifiers(f"Hearing set, {text}.")}, _found(text)


@pytest.mark.django_db
def test_it_allows_codes_of_prefixes_the_portal_issues_and_sees_a_new_one_at_once(agency) -> None:
    from cases.models import ReferenceSequence
    from tests.factories import AgencyFactory

    assert find_identifiers("Referral JUN-2026-00042 accepted.") == []  # the agency's prefix
    assert _found("Referral MKE-2027-10000 accepted.") == [(K.CASE_NUMBER, "MKE-2027-10000")]
    ReferenceSequence.objects.create(prefix="MKE", year=2027, last=10000)  # codes issued under MKE
    assert find_identifiers("Referral MKE-2027-10000 accepted.") == []
    assert _found("Referral RAC-2026-00001 accepted.") == [(K.CASE_NUMBER, "RAC-2026-00001")]
    AgencyFactory(name="Racine Center", referral_prefix="rac")
    assert find_identifiers("Referral RAC-2026-00001 accepted.") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "docket JUN-2026-00042",
        "Docket no. JUN-2026-00042",
        "case no. JUN-2026-00042",
        "case number JUN-2026-00042",
        "case # JUN-2026-00042",
        "warrant JUN-2026-00042",
        "passport JUN-2026-00042",
    ],
)
def test_it_never_lets_the_allow_list_cancel_a_cued_finding(agency, text: str) -> None:
    assert find_identifiers(f"See {text} for the order."), text


@pytest.mark.django_db
def test_it_asks_the_database_only_when_a_code_shape_is_there(agency, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        find_identifiers("Shelter found; next review in Q3 2026, $1,250 paid.")
    with django_assert_num_queries(1):
        find_identifiers("Referral JUN-2026-00042 and JUN-2026-00043 accepted.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SSN 123.45.6789 on the form.", K.SSN),
        ("SSN 123/45/6789 on the form.", K.SSN),
        ("SSN# 123_45_6789 on the form.", K.SSN),
        ("Her SSN is 123\u00b745\u00b76789.", K.SSN),
        ("phone: 503,555,0123", K.PHONE),
        ("phone: 503_555_0123", K.PHONE),
        ("phone: 503\u00b7555\u00b70123", K.PHONE),
        ("Reach her on 503_555_0123 tonight.", K.PHONE),
        ("Reach her on 503\u00b7555\u00b70123 tonight.", K.PHONE),
        ("Reach her on 503/555/0123 tonight.", K.PHONE),
        ("Reach her on 503.555_0123 tonight.", K.PHONE),
        ("Reach her on 503\u2022555-0123 tonight.", K.PHONE),
        ("SSN: 123-45-6789-0 (a digit added).", K.SSN),
        ("Mother in Puebla: 0052 55 1234 5678.", K.PHONE),
        ("Her Guatemalan number 5555-1234 works.", K.PHONE),
        ("her Guatemalan number 5555-1234", K.PHONE),
        ("1-888-373-7888-503-555-0123", K.PHONE),
        ("Hotline 1-888-373-7888-503-555-0123.", K.PHONE),
        ("Hotline 1-888-373-7888503-555-0123.", K.ID_NUMBER),  # glued on: one long number, refused whole
        ("Referral JUN-2026-00042-503-555-0123.", K.ID_NUMBER),
        ("Hotline 1-888-373-7888-5035550123.", K.PHONE),
        # Spanish number words and "dash" between dictated groups.
        ("Su celular es cinco cero tres cinco cinco cinco cero uno dos tres.", K.PHONE),
        ("SSN three four five dash two two dash one two three four.", K.SSN),
        ("Call five oh three dash five five five dash oh one two three.", K.PHONE),
    ],
)
def test_it_refuses_structured_identifiers_with_unusual_separators(text: str, kind: IdentifierKind) -> None:
    assert kind in {f.kind for f in find_identifiers(text)}, _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Paid 1,250,000 in wages over 3/14; version 2.1.10 deployed at 10:30.",
        "Call 1,250 people before 3/14, she is 17, Room 204.",
        "Text 12/15 the team; 40 staff, 3 motels, 7-0 vote.",
        "Ages 12-17 served; rooms 101-120; call 211 or 988.",
        "Dos o tres familias; uno de ellos tiene seis hijos.",
        "Hotline 1-888-373-7888, then 988.",
    ],
)
def test_it_keeps_everyday_numbers_clean(text: str) -> None:
    assert find_identifiers(text) == [], _found(text)


@pytest.mark.parametrize("text", ["DOB 03/14/2009", "born 3/14/2009", "date of birth: March 14, 2009", "D.O.B. 1-9-98"])
def test_it_tells_a_date_of_birth_from_a_plain_date(text: str) -> None:
    # A field meant for dates (a training request's preferred dates) may allow the one, never the other.
    assert {f.kind for f in find_identifiers(text)} == {K.DATE_OF_BIRTH}
    assert {f.kind for f in find_identifiers("Any weekday after May 12, 2027 or 6/1/2027.")} == {K.DATE}


@pytest.mark.parametrize(
    ("text", "allow", "kind"),
    [
        ("Room 204, 210 Main Street; her cell 414-555-0137", K.STREET_ADDRESS, K.PHONE),
        ("Presented by Detective Rosa Ramirez, SSN 123-45-6789", K.PERSON_NAME, K.SSN),
        ("Any weekday after May 12, 2027; DOB 03/14/2009", K.DATE, K.DATE_OF_BIRTH),
    ],
)
def test_it_allows_a_kind_a_field_holds_and_nothing_under_or_beside_it(text, allow, kind) -> None:
    found = {f.kind for f in find_identifiers(text, allow=frozenset({allow}))}
    assert found == {kind}
