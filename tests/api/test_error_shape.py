"""One error shape for the API, as the OpenAPI schema's "Error" documents it: `{"detail": "..."}` for a
general refusal, one list of messages per field for validation errors. The services' refusals reach it
through api.errors.json_exception_handler, never through try/except in the views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from api.errors import json_exception_handler
from api.services import api_token_create
from cases.choices import Status
from cases.deidentification import DeidentificationError, find_identifiers
from cases.transitions import IllegalMove, Move
from reports.engine import FiguresChanged
from reports.releases import ReleaseCorrupted
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.meetings.factories import TrainingFactory

pytestmark = pytest.mark.django_db


def test_it_answers_a_refusal_without_a_field_with_a_detail_string(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency, consent=None)  # the outsider's agency needs no consent
    response = client_for(outsider_officer).post(f"/api/v1/referrals/{referral.pk}/revoke-consent/")
    assert response.status_code == 400
    assert response.json() == {"detail": "This referral was sent without a consent record."}


def test_it_answers_a_meetings_refusal_in_the_same_shape(member):
    _, raw = api_token_create(user=member, name="test")
    started = TrainingFactory(starts_at=timezone.now() - timedelta(hours=1))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(f"/api/v1/trainings/{started.pk}/register/")
    assert response.status_code == 400
    assert response.json() == {"detail": "Registration closed when the training started."}


def test_it_answers_field_errors_with_a_list_per_field(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    response = client_for(outsider_officer).post(url, {"move": "decline"}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["reason"] and response.json()["reason"][0].startswith("Choose why you decline")


def test_it_joins_several_messages_without_a_field_into_one_detail() -> None:
    response = json_exception_handler(ValidationError(["First.", "Second."]), {})
    assert response is not None and response.status_code == 400
    assert response.data == {"detail": "First. Second."}


def test_it_answers_an_illegal_move_with_409_and_the_allowed_moves() -> None:
    error = IllegalMove(Move.ACCEPT, Status.CLOSED, [Move.REOPEN])
    response = json_exception_handler(error, {})
    assert response is not None and response.status_code == 409
    assert response.data == {"detail": str(error), "allowed_moves": ["reopen"]}


def test_it_answers_a_deidentification_refusal_with_400_and_no_value() -> None:
    error = DeidentificationError(find_identifiers("call 414-555-0137"))
    response = json_exception_handler(error, {})
    assert response is not None and response.status_code == 400
    assert response.data == {"detail": str(error)} and "555" not in str(response.data)


@pytest.mark.parametrize(("error", "status"), [(FiguresChanged(), 503), (ReleaseCorrupted(), 409)])
def test_it_maps_the_report_engines_refusals(error: Exception, status: int) -> None:
    response = json_exception_handler(error, {})
    assert response is not None and response.status_code == status and set(response.data) == {"detail"}
