"""Full-text search of notes and minutes: only within what a person may see."""

from __future__ import annotations

import pytest

from cases.models import Referral, visibility_key
from cases.selectors import SEARCH_HIT_FIELDS
from cases.services import consent_revoke
from meetings.choices import Audience, MinutesStatus
from meetings.models import Minutes
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.meetings.factories import MeetingFactory
from toolkit import fulltext

pytestmark = pytest.mark.django_db


def _minutes(meeting, body: str, status: str = MinutesStatus.CIRCULATED) -> Minutes:
    return Minutes.objects.create(
        meeting=meeting, body=body, status=status, created_by=meeting.created_by, updated_by=meeting.created_by
    )


def test_it_finds_referral_notes_only_for_the_two_agencies(officer, outsider_officer, other_agency, agency):
    from tests.factories import AgencyFactory, UserFactory

    mine = send(officer, other_agency, note="Needs emergency shelter tonight.")
    send(officer, other_agency, note="Legal consultation only.")
    third = UserFactory(agency=AgencyFactory(name="Third Clinic"), role="referral_officer")
    found = client_for(officer).post("/api/v1/search/", {"q": "shelter"}, content_type="application/json").json()
    assert [hit["reference_code"] for hit in found["referrals"]] == [mine.reference_code]
    assert (
        client_for(outsider_officer)
        .post("/api/v1/search/", {"q": "shelter"}, content_type="application/json")
        .json()["referrals"]
    )
    assert (
        client_for(third).post("/api/v1/search/", {"q": "shelter"}, content_type="application/json").json()["referrals"]
        == []
    )


def test_it_finds_minutes_of_meetings_in_the_audience_and_never_drafts(outsider, coordinator, agency):
    open_meeting = MeetingFactory(host_agency=agency, created_by=coordinator)
    closed_meeting = MeetingFactory(host_agency=agency, created_by=coordinator, audience=Audience.COCHAIRS)
    _minutes(open_meeting, "Hospitality partners will receive the hotline poster.")
    _minutes(closed_meeting, "Hotline poster for case review partners.")
    _minutes(MeetingFactory(host_agency=agency, created_by=coordinator), "Hotline draft wording.", MinutesStatus.DRAFT)
    # The outsider's agency does not co-chair: the co-chairs' meeting is not theirs to see.
    member_hits = client_for(outsider).post("/api/v1/search/", {"q": "hotline"}, content_type="application/json").json()
    assert [hit["meeting"] for hit in member_hits["minutes"]] == [open_meeting.pk]
    assert member_hits["referrals"] == []
    coordinator_hits = (
        client_for(coordinator).post("/api/v1/search/", {"q": "hotline"}, content_type="application/json").json()
    )
    assert {hit["meeting"] for hit in coordinator_hits["minutes"]} == {open_meeting.pk, closed_meeting.pk}


def test_it_asks_for_a_real_query(as_member):
    assert as_member.post("/api/v1/search/", {}, content_type="application/json").status_code == 400
    assert as_member.post("/api/v1/search/", {"q": "a"}, content_type="application/json").status_code == 400


def test_sent_and_received_matches_merge_newest_first_up_to_the_limit(officer, outsider_officer, other_agency, agency):
    from cases.selectors import referrals_matching

    sent = [send(officer, other_agency, note=f"Shelter bed needed, day {day}.") for day in range(2)]
    received = [send(outsider_officer, agency, note=f"Emergency shelter, night {night}.") for night in range(2)]
    send(officer, other_agency, note="Legal consultation only.")
    newest_first = sorted(sent + received, key=lambda referral: referral.pk, reverse=True)
    hits = referrals_matching(user=officer, text="shelter", limit=3)
    assert [hit["reference_code"] for hit in hits] == [referral.reference_code for referral in newest_first[:3]]
    assert set(hits[0]) == {"id", "reference_code", "status", "created_at"}


def test_a_received_referral_leaves_the_results_when_consent_is_revoked(officer, outsider_officer, agency):
    from cases.services import consent_revoke

    received = send(outsider_officer, agency, note="Needs emergency shelter tonight.")
    search = {"q": "shelter"}
    assert [
        hit["id"]
        for hit in client_for(officer)
        .post("/api/v1/search/", search, content_type="application/json")
        .json()["referrals"]
    ] == [received.pk]
    consent_revoke(referral=received, actor=outsider_officer)
    assert (
        client_for(officer).post("/api/v1/search/", search, content_type="application/json").json()["referrals"] == []
    )
    # The sender still finds it.
    assert (
        client_for(outsider_officer)
        .post("/api/v1/search/", search, content_type="application/json")
        .json()["referrals"]
    )


def test_edited_minutes_are_found_by_their_new_words(coordinator, agency):
    """The stored vector follows the text: the database recomputes it on every write."""
    minutes = _minutes(MeetingFactory(host_agency=agency, created_by=coordinator), "Budget review.")
    assert (
        client_for(coordinator)
        .post("/api/v1/search/", {"q": "interpreter"}, content_type="application/json")
        .json()["minutes"]
        == []
    )
    minutes.body = "Budget review. The interpreter roster was shared."
    minutes.save(update_fields=["body"])
    hits = (
        client_for(coordinator)
        .post("/api/v1/search/", {"q": "interpreter"}, content_type="application/json")
        .json()["minutes"]
    )
    assert [hit["id"] for hit in hits] == [minutes.pk]


@pytest.mark.parametrize("text", ["legal help", "help legal", "legal", "help with housing", "court date", "shelter"])
def test_the_newest_window_answers_what_the_plain_query_answers(officer, outsider_officer, agency, text):
    """Several words are looked for in the newest rows first (fulltext.newest_matching); whether the window
    holds enough matches or not, the answer is the plain query's: the newest matches, newest first.
    The same statements run on SQLite, where "matching" is a substring of the note."""
    notes = ["Needs legal help with a visa.", "Shelter tonight, then legal help.", "Help with housing.", "Intake."]
    for number in range(14):
        send(outsider_officer, agency, note=notes[number % len(notes)])
    lapsed = send(outsider_officer, agency, note="Urgent legal help and help with housing.")
    consent_revoke(referral=lapsed, actor=outsider_officer)  # newest of all, and no longer the officer's
    part = Referral.objects.incoming_for(officer)
    arguments = {"vector": "note_search", "text": text, "text_field": "note", "key": visibility_key(officer)}
    for window in (2, 4, 9, 50):
        for limit in (1, 3, 5, 20):
            plain = fulltext.matching(part, vector="note_search", text=text, text_field="note")
            plain = plain.order_by("-id").values(*SEARCH_HIT_FIELDS)[:limit]
            found = fulltext.newest_matching(part, **arguments, fields=SEARCH_HIT_FIELDS, limit=limit, window=window)
            assert found == list(plain), (window, limit)
    everything = fulltext.newest_matching(part, **arguments, fields=SEARCH_HIT_FIELDS, limit=20, window=50)
    assert lapsed.pk not in {row["id"] for row in everything}


def test_it_returns_the_hits_of_every_registered_source_after_the_referrals(officer, monkeypatch):
    """cases searches notes; other apps add theirs (meetings its minutes) from their AppConfig.ready()."""
    from cases import search

    asked = []

    def planted(*, user, text: str, limit: int) -> list[dict]:
        asked.append((user, text, limit))
        return [{"id": 1}]

    monkeypatch.setattr(search, "_SOURCES", dict(search._SOURCES))
    search.search_source_register(key="planted", source=planted)
    results = search.search_run(user=officer, text="shelter")
    assert list(results) == ["referrals", "minutes", "planted"]
    assert results["planted"] == [{"id": 1}]
    assert asked == [(officer, "shelter", search.LIMIT)]
