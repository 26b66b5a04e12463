"""Announcements: who is in the audience, the guard, acknowledging, the email and who acknowledged."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import Sector
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from digests.models import Delivery
from home.models import Announcement, AnnouncementAcknowledgement, Audience
from home.selectors import acknowledgement_report, announcement_get, announcements_unacknowledged
from home.services import announcement_acknowledge, announcement_check, announcement_send
from tests.digests.helpers import after_commit, bodies, prefer, sent_to
from tests.factories import UserFactory
from tests.home.conftest import draft, send

pytestmark = pytest.mark.django_db


def _home(person) -> list[str]:
    return [announcement.title for announcement in announcements_unacknowledged(user=person)]


# --- the audience --------------------------------------------------------------------------------------


def test_it_reaches_every_active_person_of_every_active_agency_but_the_sender(
    coordinator, member, outsider, nurse, gone_agency_person
):
    deactivated = UserFactory(agency=member.agency, is_active=False)
    announcement = send(coordinator)
    for person in (member, outsider, nurse):
        assert _home(person) == [announcement.title]
    for person in (coordinator, deactivated, gone_agency_person):
        assert _home(person) == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, outsider.email, nurse.email])


def test_it_reaches_one_sector_only(coordinator, member, outsider, nurse, gone_agency_person):
    announcement = send(coordinator, audience=Audience.SECTOR, sector=Sector.HEALTH)
    assert _home(nurse) == [announcement.title]
    assert _home(member) == [] and _home(outsider) == [] and _home(gone_agency_person) == []
    assert [message.to[0] for message in mail.outbox] == [nurse.email]


def test_it_reaches_the_chosen_agencies_only_and_hides_itself_from_the_others(coordinator, member, outsider, nurse):
    announcement = send(coordinator, audience=Audience.AGENCIES, agency_ids=(outsider.agency_id, nurse.agency_id))
    assert _home(outsider) == [announcement.title] and _home(nurse) == [announcement.title]
    assert _home(member) == []
    with pytest.raises(Exception) as missing:
        announcement_get(user=member, pk=announcement.pk)
    assert missing.type.__name__ == "Http404"
    assert announcement_get(user=coordinator, pk=announcement.pk) == announcement  # coordinators see all


def test_it_follows_the_audience_as_it_is_now(coordinator, outsider, nurse):
    announcement = send(coordinator, audience=Audience.SECTOR, sector=Sector.HEALTH)
    newcomer = UserFactory(agency=nurse.agency, email="new@hospital.example.org")
    assert _home(newcomer) == [announcement.title]
    nurse.is_active = False
    nurse.save()
    assert _home(nurse) == []


def test_it_says_how_many_people_at_how_many_agencies_before_sending(coordinator, member, outsider, nurse):
    UserFactory(agency=nurse.agency, is_active=False)
    _, size = announcement_check(actor=coordinator, draft=draft())
    assert (size.people, size.agencies) == (3, 3)
    _, size = announcement_check(actor=coordinator, draft=draft(audience=Audience.SECTOR, sector=Sector.HEALTH))
    assert (size.people, size.agencies) == (1, 1)
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"audience": Audience.SECTOR, "sector": ""}, "sector"),
        ({"audience": Audience.SECTOR, "sector": "nowhere"}, "sector"),
        ({"audience": Audience.AGENCIES, "agency_ids": ()}, "agencies"),
        ({"audience": "everyone"}, "audience"),
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 4001}, "body"),
    ],
)
def test_it_refuses_an_incomplete_announcement_by_field(coordinator, member, overrides, field):
    with pytest.raises(ValidationError) as refused:
        send(coordinator, **overrides)
    assert field in refused.value.message_dict
    assert not Announcement.objects.exists()


def test_it_refuses_inactive_agencies_and_an_audience_of_nobody(coordinator, gone_agency_person, nurse):
    with pytest.raises(ValidationError) as refused:
        send(coordinator, audience=Audience.AGENCIES, agency_ids=(gone_agency_person.agency_id,))
    assert "agencies" in refused.value.message_dict
    with pytest.raises(ValidationError) as nobody:
        send(coordinator, audience=Audience.SECTOR, sector=Sector.EDUCATION)
    assert nobody.value.message_dict["audience"] == [
        "Nobody would receive it: no active person works at these agencies."
    ]
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AGENCY_ADMIN, Role.REFERRAL_OFFICER, Role.GRANT_MANAGER])
def test_only_coordinators_send(agency, member, role):
    with pytest.raises(PermissionDenied):
        send(UserFactory(agency=agency, role=role))
    assert not Announcement.objects.exists()


# --- the guard -----------------------------------------------------------------------------------------


def test_a_guard_refusal_keeps_nothing_and_never_echoes_the_text(coordinator, member, outsider):
    with pytest.raises(ValidationError) as refused:
        send(coordinator, body="The survivor can be reached at 414-555-0137 tonight.")
    assert "body" in refused.value.message_dict and "title" not in refused.value.message_dict
    assert "414-555-0137" not in str(refused.value.message_dict)
    assert not Announcement.objects.exists()
    assert not Delivery.objects.exists() and mail.outbox == []
    row = AuditEntry.objects.get(event=AuditEvent.DEIDENTIFICATION_REFUSED)
    assert row.detail == {"field": "body", "kinds": ["phone"]}
    assert not AuditEntry.objects.filter(event=AuditEvent.ANNOUNCEMENT_SENT).exists()


def test_the_guard_reads_the_title_too(coordinator, member):
    with pytest.raises(ValidationError) as refused:
        send(coordinator, title="Call 414-555-0137")
    assert list(refused.value.message_dict) == ["title"]
    assert not Announcement.objects.exists()


# --- acknowledging -------------------------------------------------------------------------------------


def test_acknowledging_removes_it_from_that_persons_home_only(coordinator, member, outsider):
    announcement = send(coordinator)
    announcement_acknowledge(actor=member, announcement=announcement)
    assert _home(member) == []
    assert _home(outsider) == [announcement.title]
    row = AuditEntry.objects.get(event=AuditEvent.ANNOUNCEMENT_ACKNOWLEDGED)
    assert (row.actor_id, row.target_id) == (member.pk, str(announcement.pk))


def test_acknowledging_twice_changes_nothing(coordinator, member):
    announcement = send(coordinator)
    first = announcement_acknowledge(actor=member, announcement=announcement)
    second = announcement_acknowledge(actor=member, announcement=announcement)
    assert first.pk == second.pk
    assert AnnouncementAcknowledgement.objects.count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.ANNOUNCEMENT_ACKNOWLEDGED).count() == 1


def test_a_coordinator_outside_the_audience_has_nothing_to_acknowledge(coordinator, outsider):
    announcement = send(coordinator, audience=Audience.AGENCIES, agency_ids=(outsider.agency_id,))
    other_coordinator = UserFactory(agency=coordinator.agency, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        announcement_acknowledge(actor=other_coordinator, announcement=announcement)
    assert not AnnouncementAcknowledgement.objects.exists()


# --- the email -----------------------------------------------------------------------------------------


def test_it_emails_only_those_who_allow_it(coordinator, member, outsider):
    prefer(member, notify_announcements=False)
    announcement = send(coordinator)
    assert [message.to[0] for message in mail.outbox] == [outsider.email]
    assert Delivery.objects.get(person=member, kind="announcement").detail == "switched_off"
    text = bodies(sent_to(outsider.email)[0])
    assert announcement.title in text and "keep beds free" in text
    assert f"/announcements/{announcement.pk}/" in text


def test_the_email_leaves_out_a_text_holding_a_reference_code(coordinator, outsider):
    send(coordinator, body="About JUN-2026-00042: the receiving shelter has a bed now.")
    text = bodies(sent_to(outsider.email)[0])
    assert "JUN-2026-00042" not in text and "receiving shelter" not in text
    assert "Sign in to the portal to read it." in text


def test_no_email_goes_to_someone_who_left_the_audience_before_it_went_out(coordinator, outsider):
    with after_commit():
        announcement_send(actor=coordinator, draft=draft(audience=Audience.AGENCIES, agency_ids=(outsider.agency_id,)))
        outsider.agency.is_active = False
        outsider.agency.save()
    assert sent_to(outsider.email) == []
    assert Delivery.objects.get(person=outsider, kind="announcement").status == "skipped"


# --- who acknowledged ----------------------------------------------------------------------------------


def test_coordinators_see_who_acknowledged_by_agency_and_administrators_their_own(
    coordinator, member, agency_admin, outsider, nurse
):
    announcement = send(coordinator)
    announcement_acknowledge(actor=member, announcement=announcement)
    announcement_acknowledge(actor=nurse, announcement=announcement)
    report = acknowledgement_report(user=coordinator, announcement=announcement)
    assert report is not None
    rows = {row.agency.name: row for row in report.agencies}
    assert set(rows) == {member.agency.name, outsider.agency.name, nurse.agency.name}
    assert [ack.person for ack in rows[member.agency.name].acknowledged] == [member]
    assert rows[member.agency.name].not_yet == [agency_admin]  # the sender is not counted
    assert rows[outsider.agency.name].not_yet == [outsider]
    assert (report.acknowledged, report.people) == (2, 4)

    own = acknowledgement_report(user=agency_admin, announcement=announcement)
    assert own is not None and [row.agency for row in own.agencies] == [agency_admin.agency]
    assert acknowledgement_report(user=member, announcement=announcement) is None
