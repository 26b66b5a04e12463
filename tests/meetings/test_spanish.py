"""Issue 20: meetings in Spanish (pages, public pages by the browser's language, emails in each person's
language), only the actions possible now, and the email that a meeting is cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.choices import Audience, RsvpResponse
from meetings.models import Rsvp
from taskforce.settings import base
from tests.conftest import client_for
from tests.digests.helpers import after_commit, bodies, sent_to
from tests.factories import UserFactory
from tests.meetings.conftest import CANCELLED_NOTICE, move_to, schedule
from tests.meetings.factories import CommitteeFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def test_the_settings_register_the_cancellation_email() -> None:
    # taskforce/settings/base.py is the lead's file: this fails until DIGEST_NOTIFICATIONS lists it.
    assert CANCELLED_NOTICE in base.DIGEST_NOTIFICATIONS


def test_it_shows_a_meeting_page_in_spanish(coordinator, agency):
    meeting = schedule(coordinator, title="Reunión mensual")
    reader = UserFactory(agency=agency, language="es")
    page = client_for(reader).get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    for spanish in ("Orden del día", "Su asistencia", "Enviar mi respuesta", "Asistiré", "Todo el grupo de trabajo"):
        assert spanish in page
    assert "Your attendance" not in page and "Send my answer" not in page


def test_it_shows_the_public_training_calendar_in_the_browsers_language(client):
    TrainingFactory(title="Recognizing trafficking", is_public=True)
    page = client.get(reverse("meetings:public_training_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Capacitaciones sobre la trata de personas" in page and "Solicitar una capacitación" in page
    assert "Atención de salud" in page  # the audience sector, a coded choice
    english = client.get(reverse("meetings:public_training_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Trainings on human trafficking" in english


def test_the_public_request_form_answers_in_spanish(client):
    page = client.get(reverse("meetings:public_training_request"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Solicitar una capacitación para su organización" in page and "Nombre de la organización" in page


def test_it_sends_the_invitation_in_each_persons_language(coordinator, outsider):
    spanish = UserFactory(agency=outsider.agency, language="es", email="es@test.example.org")
    committee = CommitteeFactory(member_agencies=[outsider.agency])
    with after_commit():
        schedule(coordinator, audience=Audience.COMMITTEE, committee=committee, title="Working group")
    [message] = sent_to(spanish.email)
    assert message.subject == "Está invitado(a) a una reunión"
    assert "Está invitado(a) a una reunión el " in bodies(message) and "Working group" in bodies(message)
    assert sent_to(outsider.email)[0].subject == "You are invited to a meeting"


def test_cancelling_emails_the_invited_and_those_coming_each_in_their_language(coordinator, member, outsider):
    spanish = UserFactory(agency=outsider.agency, language="es", email="es@test.example.org")
    committee = CommitteeFactory(member_agencies=[outsider.agency])
    with after_commit():
        meeting = schedule(coordinator, audience=Audience.COMMITTEE, committee=committee, title="Working group")
    coming = schedule(coordinator, title="Full task force")  # no invitation email: everyone is invited
    Rsvp.objects.create(meeting=coming, person=member, response=RsvpResponse.YES)
    mail.outbox.clear()
    with after_commit():
        services.meeting_cancel(actor=coordinator, meeting=meeting)
        services.meeting_cancel(actor=coordinator, meeting=coming)
        services.meeting_cancel(actor=coordinator, meeting=meeting)  # again: nothing more
    assert sent_to(spanish.email)[0].subject == "Se canceló una reunión"
    assert "Esta reunión está cancelada" in bodies(sent_to(spanish.email)[0])
    assert sent_to(outsider.email)[0].subject == "A meeting is cancelled"
    assert [m.subject for m in sent_to(member.email)] == ["A meeting is cancelled"]
    assert len(mail.outbox) == 3


def test_the_cancel_page_says_who_gets_an_email(coordinator, member, as_coordinator):
    meeting = schedule(coordinator)
    Rsvp.objects.create(meeting=meeting, person=member, response=RsvpResponse.MAYBE)
    page = as_coordinator.get(reverse("meetings:meeting_cancel", args=[meeting.pk])).content.decode()
    assert "1 person who was invited by email or said they would come gets an email" in page


def test_attendance_is_offered_only_once_it_can_be_recorded(coordinator, as_coordinator):
    meeting = schedule(coordinator)  # next week
    detail = reverse("meetings:meeting_detail", args=[meeting.pk])
    attendance = reverse("meetings:attendance_edit", args=[meeting.pk])
    page = as_coordinator.get(detail).content.decode()
    assert attendance not in page and 'id="not-yet"' in page and "Attendance can be recorded from" in page
    form = as_coordinator.get(attendance).content.decode()
    assert 'id="attendance-not-yet"' in form and "Record as present" not in form
    move_to(meeting, starts_in=timedelta(minutes=10))  # check-in is open
    page = as_coordinator.get(detail).content.decode()
    assert attendance in page and "Attendance can be recorded from" not in page
    assert "Record as present" in as_coordinator.get(attendance).content.decode()


def test_the_committee_decision_log_lists_the_motions_of_its_meetings_one_may_see(
    coordinator, agency, other_agency, member, outsider
):
    committee = CommitteeFactory(member_agencies=[agency, other_agency])
    meeting = move_to(
        schedule(coordinator, audience=Audience.COMMITTEE, committee=committee), starts_in=-timedelta(minutes=30)
    )
    for present in (agency, other_agency):
        services.attendance_record(actor=coordinator, meeting=meeting, agency=present)
    services.motion_record(
        actor=coordinator,
        meeting=meeting,
        text="Adopt the shared intake protocol.",
        mover_agency=agency,
        seconder_agency=other_agency,
        votes={agency.pk: "yes", other_agency.pk: "yes"},
    )
    url = reverse("meetings:committee_decisions", args=[committee.pk])
    assert "Adopt the shared intake protocol." in client_for(member).get(url).content.decode()
    stranger = UserFactory(agency=UserFactory().agency)  # a member outside the committee's audience
    page = client_for(stranger).get(url).content.decode()
    assert "Adopt the shared intake protocol." not in page and "No motions recorded." in page
