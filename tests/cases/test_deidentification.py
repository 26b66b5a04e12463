"""The de-identification guard: recall and false positives on the labelled corpus, plus its contract."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from cases.deidentification import (
    DeidentificationError,
    Finding,
    IdentifierKind,
    describe_findings,
    ensure_deidentified,
    find_identifiers,
    validate_deidentified,
)
from tests.cases.deid_corpus import CLEAN_SAMPLES, CORPUS

K = IdentifierKind
STRUCTURED_RECALL = 0.95
NAME_RECALL = 0.80
MAX_FALSE_POSITIVE_RATE = 0.05


def _kinds(text: str) -> set[IdentifierKind]:
    return {finding.kind for finding in find_identifiers(text)}


def test_it_meets_recall_and_false_positive_targets_on_the_corpus() -> None:
    expected, recalled = Counter[IdentifierKind](), Counter[IdentifierKind]()
    false_positives = 0
    for text, labels in CORPUS:
        found = _kinds(text)
        false_positives += bool(not labels and found)
        for kind in labels:
            expected[kind] += 1
            recalled[kind] += kind in found
    clean = sum(1 for _, labels in CORPUS if not labels)
    fp_rate = false_positives / clean

    print(f"\n{'kind':<18}{'recalled':>10}{'texts':>7}{'recall':>9}")
    for kind in K:
        print(f"{kind.value:<18}{recalled[kind]:>10}{expected[kind]:>7}{recalled[kind] / expected[kind]:>9.0%}")
    print(f"{'false positives':<18}{false_positives:>10}{clean:>7}{fp_rate:>9.1%}")

    for kind in K:
        target = NAME_RECALL if kind is K.PERSON_NAME else STRUCTURED_RECALL
        assert recalled[kind] / expected[kind] >= target, kind
    assert fp_rate <= MAX_FALSE_POSITIVE_RATE


def test_it_covers_every_kind_with_enough_samples() -> None:
    counts = Counter(kind for _, labels in CORPUS for kind in labels)
    assert all(counts[kind] >= 8 for kind in K)
    assert counts[K.PERSON_NAME] >= 20
    assert len(CLEAN_SAMPLES) >= 60
    assert len(CORPUS) >= 150


@pytest.mark.parametrize(("text", "labels"), [s for s in CORPUS if s[1]])
def test_it_never_echoes_the_refused_value(text: str, labels: frozenset[IdentifierKind]) -> None:
    findings = find_identifiers(text)
    assert findings
    messages = [*describe_findings(findings), str(DeidentificationError(findings)), repr(findings)]
    for finding in findings:
        value = text[finding.start:finding.end]
        for message in messages:
            assert value not in message


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Client is 17; call her at 414-555-0137 after 6pm.", K.PHONE, "414-555-0137"),
        ("She uses rosita.blue22@example.org for the recruiter.", K.EMAIL, "rosita.blue22@example.org"),
        ("Has her SSN card: 123-45-6789 at home.", K.SSN, "123-45-6789"),
        ("Her A-number is A123456789, attorney has it.", K.ID_NUMBER, "A123456789"),
        ("Prepaid card 4111 1111 1111 1111 he controls.", K.CARD_OR_ACCOUNT, "4111 1111 1111 1111"),
        ("Staying at 1423 N Maple Ave with the family.", K.STREET_ADDRESS, "1423 N Maple Ave"),
        ("DOB 03/14/2009, so she is a minor.", K.DATE, "03/14/2009"),
        ("Youth met Maria Lopez at the mall.", K.PERSON_NAME, "Maria Lopez"),
        ("Grey sedan, plate ABC-1234, at the motel.", K.LICENSE_PLATE, "ABC-1234"),
        ("Recruiter wrote from @sunny.jobs.usa last week.", K.SOCIAL_HANDLE, "@sunny.jobs.usa"),
        ("Ad is at https://example.org/listings/4471 now.", K.URL, "https://example.org/listings/4471"),
        ("Login came from 192.168.1.20 twice.", K.IP_ADDRESS, "192.168.1.20"),
        ("See docket 23-CR-0045 for the order.", K.CASE_NUMBER, "23-CR-0045"),
    ],
)
def test_it_reports_the_exact_position(text: str, kind: IdentifierKind, value: str) -> None:
    [finding] = find_identifiers(text)
    assert finding.kind is kind
    assert text[finding.start:finding.end] == value


def test_it_describes_a_finding_by_kind_and_one_based_range() -> None:
    finding = Finding(K.PHONE, 33, 46)
    assert finding.describe() == "a phone number, characters 34-46"
    assert K.PHONE.label == "a phone number"
    assert K.PHONE == "phone"


def test_it_explains_the_refusal_to_a_caseworker() -> None:
    text = "Call her at 414-555-0137."
    with pytest.raises(DeidentificationError) as caught:
        ensure_deidentified(text)
    assert str(caught.value) == (
        "This text looks like it contains a phone number (characters 13-24). "
        "Remove it: the portal must not hold anything that identifies a survivor."
    )
    assert caught.value.findings == [Finding(K.PHONE, 12, 24)]


def test_it_lists_every_finding_when_there_are_several() -> None:
    with pytest.raises(DeidentificationError) as caught:
        ensure_deidentified("Maria Lopez, cell 414-555-0137, DOB 03/14/2009.")
    assert [f.kind for f in caught.value.findings] == [K.PERSON_NAME, K.PHONE, K.DATE]
    assert "a person's name, characters 1-11; a phone number, characters 19-30" in str(caught.value)


@pytest.mark.parametrize("code", ["JUN-2026-00042", "JUN-2025-00317", "MKE-2027-10000"])
def test_it_allows_the_portals_own_reference_codes(code: str) -> None:
    ensure_deidentified(f"Referral {code} accepted; case {code} reopened with a note.")


def test_it_passes_empty_text() -> None:
    assert find_identifiers("") == []
    ensure_deidentified("")
    validate_deidentified("")


def test_it_passes_a_long_clean_note_quickly() -> None:
    note = " ".join(text for text, _ in CLEAN_SAMPLES)
    while len(note) < 2000:
        note += " " + note
    note = note[:2000]
    ensure_deidentified(note)  # also warms the name lists

    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        find_identifiers(note)
    per_note_ms = (time.perf_counter() - started) / runs * 1000
    print(f"\n2,000-character note: {per_note_ms:.2f} ms")
    assert per_note_ms < 10


def test_it_raises_a_django_validation_error_per_finding() -> None:
    text = "Maria Lopez, cell 414-555-0137."
    with pytest.raises(ValidationError) as caught:
        validate_deidentified(text)
    errors = caught.value.error_list
    assert [e.code for e in errors] == ["identifier", "identifier"]
    assert errors[0].message.startswith("This text looks like it contains a person's name (characters 1-11).")
    assert not any("Maria" in e.message or "555" in e.message for e in errors)
