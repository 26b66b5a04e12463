"""The public pages: the only public write (a training request) is rate-limited and spam-protected;
every public page shows the hotline and offers the quick exit."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import RequestStatus
from meetings.models import TrainingRequest
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/public/request-training/"
ANSWERS = {
    "organization": "Juniper Inn & Suites",
    "contact_email": "Manager@Juniper-Inn.example.org",
    "topic": "Recognizing trafficking at the front desk",
    "preferred_dates": "Any weekday morning in May",
}


def _stamp(client: Client) -> str:
    page = client.get(URL).content.decode()
    return page.split('name="started" value="')[1].split('"')[0]


def _send(client: Client, wait: float = 5, **changes: str):
    stamp = _stamp(client)
    with time_machine.travel(timezone.now().timestamp() + wait, tick=False):
        return client.post(URL, {**ANSWERS, "started": stamp, "website": "", **changes})


def test_it_takes_a_request_and_tells_the_coordinators_with_a_link_only(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(Client())
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    request = TrainingRequest.objects.get()
    assert request.contact_email == "manager@juniper-inn.example.org" and request.status == RequestStatus.NEW
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    body = mail.outbox[0].body
    assert f"/trainings/requests/{request.pk}/" in body and "Juniper Inn" not in body
    assert AuditEntry.objects.filter(event=AuditEvent.TRAINING_REQUEST_RECEIVED, actor=None).exists()


def test_it_stores_nothing_when_the_honeypot_is_filled_and_answers_the_same(coordinator):
    response = _send(Client(), website="http://spam.example.com")
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    assert not TrainingRequest.objects.exists() and not mail.outbox


def test_it_refuses_a_form_sent_too_fast_or_without_its_stamp():
    client = Client()
    assert _send(client, wait=0.5).status_code == 400
    response = client.post(URL, {**ANSWERS, "started": "forged", "website": ""})
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not TrainingRequest.objects.exists()


def test_it_explains_missing_fields_and_keeps_the_answers():
    response = _send(Client(), contact_email="not an email", topic="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in page and "This field is required." in page
    assert "Juniper Inn &amp; Suites" in page


def test_it_limits_requests_per_client_address(settings):
    settings.MEETINGS_TRAINING_REQUEST_RATE = "2/h"
    client = Client()
    assert _send(client).status_code == 302
    assert _send(client, organization="Second").status_code == 302
    limited = _send(client, organization="Third")
    assert limited.status_code == 429 and "Too many requests" in limited.content.decode()
    assert TrainingRequest.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert _send(other, organization="From elsewhere").status_code == 302


def test_it_limits_requests_in_all(settings):
    settings.MEETINGS_TRAINING_REQUEST_GLOBAL_RATE = "1/d"
    assert _send(Client()).status_code == 302
    assert _send(Client(REMOTE_ADDR="198.51.100.8")).status_code == 429


@pytest.mark.parametrize("url", ["/public/trainings/", URL, "/public/request-training/thanks/"])
def test_it_shows_the_hotline_and_a_quick_exit_on_public_pages(url, settings):
    settings.TASKFORCE_HOTLINE = "1-800-555-0199"
    settings.MEETINGS_QUICK_EXIT_URL = "https://weather.example.org/"
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1-800-555-0199" in page and 'data-quick-exit="https://weather.example.org/"' in page
    assert 'id="quick-exit"' in page and "<script>" not in page and "style=" not in page


def test_it_lets_coordinators_route_a_request_and_the_host_track_it(coordinator, agency):
    request = services.training_request_submit(**{**ANSWERS})
    admin = UserFactory(agency=agency, role=Role.AGENCY_ADMIN)
    assert client_for(admin).get(reverse("meetings:training_request_detail", args=[request.pk])).status_code == 404
    as_coordinator = client_for(coordinator)
    url = reverse("meetings:training_request_detail", args=[request.pk])
    assert as_coordinator.post(url, {"action": "assign", "agency": agency.pk}).status_code == 302
    as_admin = client_for(admin)
    assert as_admin.post(url, {"action": "status", "status": "done"}).status_code == 400  # scheduled first
    assert as_admin.post(url, {"action": "status", "status": "scheduled"}).status_code == 302
    assert as_admin.post(url, {"action": "status", "status": "done"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.closed_at is not None
