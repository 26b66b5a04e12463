"""/api/v1/home/ and /api/v1/announcements/: the same selectors, services and rules as the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Sector
from audit.models import AuditEntry, AuditEvent
from home.models import Announcement, AnnouncementAcknowledgement, Audience
from home.selectors import Key
from tests.conftest import client_for
from tests.digests.helpers import after_commit
from tests.home.conftest import send

pytestmark = pytest.mark.django_db
HOME = reverse("api:v1:home")
LIST = reverse("api:v1:announcement-list")
PREVIEW = reverse("api:v1:announcement-preview")
BODY = {
    "title": "Shelters: expect referrals this weekend",
    "body": "An operation is planned; keep beds free if you can.",
    "audience": "sector",
    "sector": "health",
}


def _detail(announcement: Announcement, action: str = "") -> str:
    return reverse(f"api:v1:announcement-{action or 'detail'}", args=[announcement.pk])


def test_home_answers_the_items_of_the_home_page(coordinator, member, as_member):
    send(coordinator)
    answer = as_member.get(HOME)
    assert answer.status_code == 200
    items = {item["key"]: item for item in answer.json()["items"]}
    assert list(items) == [Key.ACTION_ITEMS_OVERDUE, Key.MEETINGS_THIS_WEEK, Key.ANNOUNCEMENTS]
    announcements = items[Key.ANNOUNCEMENTS]
    assert announcements["count"] == 1
    assert announcements["label"] == "1 announcement to read and acknowledge"
    assert announcements["url"] == "http://testserver/announcements/?show=unacknowledged"
    assert items[Key.ACTION_ITEMS_OVERDUE]["count"] == 0  # zeros included, unlike the page


def test_coordinators_preview_then_send(as_coordinator, nurse, member):
    preview = as_coordinator.post(PREVIEW, BODY, content_type="application/json")
    assert preview.status_code == 200 and preview.json() == {"people": 1, "agencies": 1}
    assert not Announcement.objects.exists()
    with after_commit():
        created = as_coordinator.post(LIST, BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    shown = created.json()
    assert (shown["audience"], shown["sector"], shown["audience_label"]) == (
        "sector",
        "health",
        "The health care agencies",
    )
    assert shown["acknowledged_count"] == 0 and shown["acknowledged_at"] is None
    assert [message.to[0] for message in mail.outbox] == [nurse.email]


def test_chosen_agencies_are_named_and_must_be_active(as_coordinator, nurse, outsider, gone_agency):
    body = {**BODY, "audience": "agencies", "sector": "", "agencies": [nurse.agency_id, outsider.agency_id]}
    created = as_coordinator.post(LIST, body, content_type="application/json")
    assert created.status_code == 201
    assert sorted(a["id"] for a in created.json()["agencies"]) == sorted([nurse.agency_id, outsider.agency_id])
    refused = as_coordinator.post(LIST, {**body, "agencies": [gone_agency.pk]}, content_type="application/json")
    assert refused.status_code == 400 and "agencies" in refused.json()


def test_a_guard_refusal_is_a_400_by_field_and_keeps_nothing(as_coordinator, nurse):
    for url in (PREVIEW, LIST):
        refused = as_coordinator.post(url, {**BODY, "body": "Call 414-555-0137"}, content_type="application/json")
        assert refused.status_code == 400
        assert list(refused.json()) == ["body"] and "414-555-0137" not in refused.content.decode()
    assert not Announcement.objects.exists() and mail.outbox == []


def test_malformed_input_is_a_400(as_coordinator, nurse):
    for body in ({}, {**BODY, "audience": "everyone"}, {**BODY, "agencies": ["x"]}, {**BODY, "sector": "moon"}):
        assert as_coordinator.post(LIST, body, content_type="application/json").status_code == 400
    assert not Announcement.objects.exists()


def test_only_coordinators_send(as_member, as_admin, nurse):
    assert as_member.post(LIST, BODY, content_type="application/json").status_code == 403
    assert as_admin.post(PREVIEW, BODY, content_type="application/json").status_code == 403
    assert not Announcement.objects.exists()


def test_outside_the_audience_it_answers_404(coordinator, as_member, nurse):
    announcement = send(coordinator, audience=Audience.SECTOR, sector=Sector.HEALTH)
    assert as_member.get(_detail(announcement)).status_code == 404
    assert as_member.post(_detail(announcement, "acknowledge")).status_code == 404
    assert as_member.get(LIST).json()["results"] == []
    assert [row["id"] for row in client_for(nurse).get(LIST).json()["results"]] == [announcement.pk]


def test_acknowledge_and_see_who_did(coordinator, member, as_member, agency_admin, nurse, as_coordinator):
    announcement = send(coordinator)
    acknowledged = as_member.post(_detail(announcement, "acknowledge"))
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"]
    assert acknowledged.json()["acknowledged_count"] is None  # a member is not told how many did
    assert as_member.post(_detail(announcement, "acknowledge")).status_code == 200
    assert AnnouncementAcknowledgement.objects.count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.ANNOUNCEMENT_ACKNOWLEDGED).count() == 1
    assert as_member.get(LIST + "?unacknowledged=true").json()["results"] == []

    report = as_coordinator.get(_detail(announcement, "acknowledgements")).json()
    assert (report["people"], report["acknowledged"]) == (3, 1)
    rows = {row["agency"]["id"]: row for row in report["agencies"]}
    assert [ack["person"]["id"] for ack in rows[member.agency_id]["acknowledged"]] == [member.pk]
    assert [person["id"] for person in rows[member.agency_id]["not_yet"]] == [agency_admin.pk]
    assert [person["id"] for person in rows[nurse.agency_id]["not_yet"]] == [nurse.pk]

    own = client_for(agency_admin).get(_detail(announcement, "acknowledgements")).json()
    assert [row["agency"]["id"] for row in own["agencies"]] == [agency_admin.agency_id]
    assert as_member.get(_detail(announcement, "acknowledgements")).status_code == 404


def test_the_filter_refuses_a_malformed_value(as_member):
    assert as_member.get(LIST + "?unacknowledged=maybe").status_code == 400


def _list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_for_one_and_many_announcements(coordinator, as_coordinator, nurse, outsider):
    chosen = (nurse.agency_id, outsider.agency_id)
    send(coordinator, audience=Audience.AGENCIES, agency_ids=chosen)
    as_coordinator.get(LIST)  # the first request of a session writes to it: not the list's cost
    one = (_list_queries(as_coordinator, LIST), _list_queries(as_coordinator, reverse("home:announcement_list")))
    for _ in range(8):
        send(coordinator, audience=Audience.AGENCIES, agency_ids=chosen)
    many = (_list_queries(as_coordinator, LIST), _list_queries(as_coordinator, reverse("home:announcement_list")))
    assert many == one
