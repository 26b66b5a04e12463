"""Announcements seen from a member of one agency and from an outsider: another agency's announcement by
id, acknowledging one not addressed to you, what the API says about the rest of the audience, and the
email's headers when the title carries line breaks."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from home.models import AnnouncementAcknowledgement, Audience
from tests.conftest import client_for
from tests.digests.helpers import after_commit
from tests.home.conftest import send

pytestmark = pytest.mark.django_db


def test_an_announcement_to_other_agencies_answers_404_by_id_on_the_web_and_in_the_api(coordinator, outsider, nurse):
    chosen = send(coordinator, audience=Audience.AGENCIES, agency_ids=(nurse.agency_id,))
    client = client_for(outsider)
    assert client.get(reverse("home:announcement_detail", args=[chosen.pk])).status_code == 404
    assert client.get(reverse("api:v1:announcement-detail", args=[chosen.pk])).status_code == 404
    assert client.post(reverse("home:announcement_acknowledge", args=[chosen.pk])).status_code == 404
    assert client.post(reverse("api:v1:announcement-acknowledge", args=[chosen.pk])).status_code == 404
    assert not AnnouncementAcknowledgement.objects.exists()


def test_a_recipient_is_not_told_over_the_api_which_other_agencies_were_chosen(coordinator, outsider, nurse):
    # The web page says "to chosen agencies"; a warning before an operation names who was warned to the
    # coordinators only. A recipient sees its own agency in the list, nothing more.
    chosen = send(coordinator, audience=Audience.AGENCIES, agency_ids=(nurse.agency_id, outsider.agency_id))
    shown = client_for(nurse).get(reverse("api:v1:announcement-detail", args=[chosen.pk])).json()
    assert [agency["id"] for agency in shown["agencies"]] == [nurse.agency_id]
    listed = client_for(nurse).get(reverse("api:v1:announcement-list")).json()["results"]
    assert [agency["id"] for agency in listed[0]["agencies"]] == [nurse.agency_id]
    for_coordinator = client_for(coordinator).get(reverse("api:v1:announcement-detail", args=[chosen.pk])).json()
    assert {agency["id"] for agency in for_coordinator["agencies"]} == {nurse.agency_id, outsider.agency_id}


def test_a_title_with_line_breaks_never_reaches_the_email_headers(coordinator, outsider, as_coordinator):
    body = {
        "title": "Beds tonight\r\nX-Injected: yes\r\nSubject: changed",
        "body": "Keep beds free if you can.",
        "audience": "all",
    }
    with after_commit():
        answer = as_coordinator.post(reverse("api:v1:announcement-list"), body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert mail.outbox, "the announcement is emailed to the audience"
    for message in mail.outbox:
        assert message.subject == "An announcement from the task force"
        assert "X-Injected" not in message.extra_headers
        assert "X-Injected" not in message.message().as_string().split("\n\n", 1)[0]
