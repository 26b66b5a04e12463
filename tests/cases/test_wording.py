"""The one table of wording (cases/wording.py): what a person reads for states, moves, the timeline and a
refused move, on the web and in the API (issue 20, "Developer words")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import wording
from cases.choices import Status
from cases.transitions import TRANSITIONS, IllegalMove, Move, Side, find_transition
from tests.cases.referral_helpers import referral_in, send
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_it_words_every_move_and_status_of_the_closed_loop() -> None:
    assert {t.move for t in TRANSITIONS} <= wording.MOVES.keys()
    assert set(Status.values) == wording.STATUS_NAMES.keys() == wording.STATUS_SITUATIONS.keys()
    assert wording.move_button(Move.START) == "Mark in progress"
    assert all("_" not in words.button for words in wording.MOVES.values())


def test_it_words_a_timeline_entry_with_the_agency_and_the_outcome() -> None:
    assert wording.timeline_entry(move="send", agency_name="Juniper General Hospital") == (
        "Sent by Juniper General Hospital"
    )
    assert wording.timeline_entry(move="start", agency_name="Clinic") == "Marked in progress by Clinic"
    assert wording.timeline_entry(move="close", agency_name="Clinic", reason="services_provided") == (
        "Closed by Clinic: services provided"
    )


def test_it_says_what_happened_and_what_can_be_done_now() -> None:
    with pytest.raises(IllegalMove) as refused:
        find_transition(Move.DECLINE, Status.ACCEPTED, {Side.RECEIVER})
    assert str(refused.value) == (
        "This referral was already accepted, so it cannot be declined now. You can: mark it in progress, or close it."
    )
    with pytest.raises(IllegalMove) as nothing_left:
        find_transition(Move.CLOSE, Status.WITHDRAWN, {Side.RECEIVER})
    assert str(nothing_left.value) == (
        "This referral was withdrawn, so it cannot be closed now. There is nothing more your agency can do with it now."
    )
    with pytest.raises(IllegalMove) as unknown:
        find_transition("<b>frobnicate</b>", Status.SENT, {Side.SENDER})
    assert "frobnicate" not in str(unknown.value) and str(unknown.value).startswith("That is not a step")


def test_it_shows_plain_words_on_the_referral_page_and_no_codes(officer, outsider_officer):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    page = client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert f"Sent by {officer.agency.name}" in page
    assert f"Marked in progress by {outsider_officer.agency.name}" in page
    assert ">Close…</button>" in page
    main = page[page.index("<main") :]  # the layout's table cue ends with an arrow of its own
    assert "→" not in main and "<strong>send</strong>" not in main


def test_it_keeps_the_page_and_says_why_when_a_move_is_refused_on_the_web_and_in_the_api(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    client = client_for(outsider_officer)
    url = reverse("cases:referral_transition", args=[referral.pk])
    web = client.post(url, {"move": "decline", "reason": "no_capacity", "confirmed": "yes"})
    sentence = (
        "This referral was already accepted, so it cannot be declined now. You can: mark it in progress, or close it."
    )
    assert web.status_code == 409
    page = web.content.decode()
    assert sentence in page and f'Referral <span class="mono">{referral.reference_code}</span>' in page
    assert "Allowed:" not in page
    api = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions/",
        {"move": "decline", "reason": "no_capacity"},
        content_type="application/json",
    )
    assert (api.status_code, api.json()) == (409, {"detail": sentence, "allowed_moves": ["start", "close"]})
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_it_offers_only_the_moves_possible_now(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    receiver_page = client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk]))
    sender_page = client_for(officer).get(reverse("cases:referral_detail", args=[referral.pk]))
    assert [m for m, _, _ in receiver_page.context["move_buttons"]] == ["accept", "decline"]
    assert [m for m, _, _ in sender_page.context["move_buttons"]] == ["withdraw"]
    assert "Mark in progress" not in receiver_page.content.decode()
