"""One referral, one representation: the list, the detail and the answer to every change show the same
fields in the same formats (datetimes in UTC, written "...Z"). Run on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from django.test import Client

from api.v1.referrals import ReferralSerializer
from tests.cases.referral_helpers import facts, valid_consent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# What a move, a flag or a withdrawal of consent may change; every other field stays as the create gave it.
_MOVED = {"status", "decline_reason", "outcome", "accepted_at", "closed_at"}
# A reopen to "sent" starts the escalation clock again and clears the steps and the receiver's contact,
# which accept names (tests/cases/test_escalation*.py, test_handoff_contacts.py).
_MOVED |= {"awaiting_since", "escalated_to_admins_at", "escalated_to_cochairs_at", "receiver_contact"}
_CHANGED_BY = {"flag": {"flagged_for_review_at"}, "revoke-consent": {"consent"}}

# Every move of the closed loop, in an order that makes each one legal: (who, move, reason/note).
_STEPS = [
    ("receiver", "decline", {"reason": "no_capacity"}),
    ("sender", "reopen", {"note": "The survivor asked to try again."}),
    ("receiver", "accept", {}),
    ("receiver", "start", {}),
    ("receiver", "close", {"reason": "services_provided"}),
    ("receiver", "reopen", {"note": "The survivor came back."}),
    ("sender", "withdraw", {}),
]


def _create_body(receiving_agency_id: int) -> dict[str, Any]:
    coded = {name: str(value) if not isinstance(value, bool) else value for name, value in facts().items()}
    return {
        **coded,
        "receiving_agency": receiving_agency_id,
        "needs": ["shelter", "legal"],
        "note": "Prefers afternoon calls.",
        "consent": {name: str(value) for name, value in asdict(valid_consent()).items()},
    }


def _shown(client: Client, pk: int, direction: str) -> tuple[dict, dict]:
    """The referral as the detail and as the list show it to this client, now."""
    detail = client.get(f"/api/v1/referrals/{pk}/")
    assert detail.status_code == 200
    listed = client.get(f"/api/v1/referrals/?direction={direction}").json()["results"]
    return detail.json(), next(row for row in listed if row["id"] == pk)


def _assert_same(answer: dict, created: dict, changed: set[str]) -> None:
    assert answer.keys() == created.keys()
    for name in created.keys() - changed:
        assert answer[name] == created[name], name


def test_it_shows_a_referral_the_same_way_from_every_endpoint(officer, outsider_officer):
    sender, receiver = client_for(officer), client_for(outsider_officer)
    response = sender.post(
        "/api/v1/referrals/", _create_body(outsider_officer.agency_id), content_type="application/json"
    )
    assert response.status_code == 201
    created = response.json()
    assert set(created) == set(ReferralSerializer().fields)  # the schema's field set
    assert created["created_at"].endswith("Z")
    pk = created["id"]
    for side, client, direction in [("sender", sender, "outgoing"), ("receiver", receiver, "incoming")]:
        assert _shown(client, pk, direction) == (created, created), side

    clients = {"sender": (sender, "outgoing"), "receiver": (receiver, "incoming")}
    for who, move, extra in _STEPS:
        client, direction = clients[who]
        moved = client.post(f"/api/v1/referrals/{pk}/transitions/", {"move": move, **extra}, "application/json")
        assert moved.status_code == 200, (move, moved.content)
        _assert_same(moved.json(), created, _MOVED)
        assert _shown(client, pk, direction) == (moved.json(), moved.json()), move

    for action, changed in _CHANGED_BY.items():
        answer = sender.post(f"/api/v1/referrals/{pk}/{action}/")
        assert answer.status_code == 200, (action, answer.content)
        _assert_same(answer.json(), created, _MOVED | changed)
        assert _shown(sender, pk, "outgoing") == (answer.json(), answer.json()), action
        created = {**created, **{name: answer.json()[name] for name in changed}}

    assert created["flagged_for_review_at"].endswith("Z")
    assert created["consent"]["revoked_at"].endswith("Z") and created["consent"]["in_force"] is False


def test_comments_are_timed_as_the_referral_is(officer, outsider_officer):
    """A referral's comments give their times in UTC, written "...Z", like the referral itself."""
    sender = client_for(outsider_officer)
    created = sender.post("/api/v1/referrals/", _create_body(officer.agency_id), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    posted = sender.post(f"/api/v1/referrals/{pk}/comments/", {"body": "Called them."}, content_type="application/json")
    assert posted.status_code == 201, posted.content
    listed = sender.get(f"/api/v1/referrals/{pk}/comments/").json()
    assert posted.json()["created_at"].endswith("Z") and listed[0]["created_at"] == posted.json()["created_at"]
    assert created.json()["created_at"].endswith("Z")
