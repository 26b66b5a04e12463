"""The audit trail's events in plain words (audit/wording.py), in the reader's language."""

from __future__ import annotations

from django.utils import translation

from audit.models import AuditEvent, Outcome
from audit.wording import EVENT_WORDS, OUTCOME_WORDS, event_choices, event_words


def test_every_event_and_outcome_has_its_words() -> None:
    assert set(EVENT_WORDS) == set(AuditEvent.values)
    assert set(OUTCOME_WORDS) == set(Outcome.values)


def test_the_words_are_plain_and_translated_but_the_codes_are_not() -> None:
    with translation.override("es"):
        assert event_words(AuditEvent.CONSENT_REVOKED) == "Consentimiento retirado"
        assert ("consent.revoked", "Consentimiento retirado") in event_choices()
    with translation.override("en"):
        assert event_words(AuditEvent.DEIDENTIFICATION_REFUSED) == "Text refused because it seemed to identify someone"
    # A row written by an older version, whose event no longer exists, still shows something.
    assert event_words("retired.event") == "retired.event"
