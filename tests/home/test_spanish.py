"""The home page, the people page and the announcement email in Spanish, for a person who chose Spanish."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import Agency, User
from agencies.roles import Role
from audit.models import AuditEvent
from audit.services import audit_record
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.home.conftest import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_admin(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.AGENCY_ADMIN, email="admin-es@test.example.org", language="es")


@pytest.fixture
def spanish_member(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.MEMBER, email="member-es@test.example.org", language="es")


def test_the_home_page_is_in_spanish_for_a_person_who_chose_it(spanish_admin):
    page = client_for(spanish_admin).get(reverse("home")).content.decode()
    assert "Administrador de la agencia" in page  # the role's label
    assert "Gestionar personas" in page
    assert "Verificación en dos pasos" in page
    assert "Manage people" not in page


def test_the_home_page_says_what_needs_you_in_spanish(coordinator, spanish_member):
    send(coordinator, title="Reunión del jueves")
    page = client_for(spanish_member).get(reverse("home")).content.decode()
    assert "Lo que requiere su atención" in page
    assert "1 aviso por leer y confirmar" in page
    assert "Lo he leído" in page


def test_the_home_page_stays_in_english_for_the_others(agency_admin):
    page = client_for(agency_admin).get(reverse("home")).content.decode()
    assert "Manage people" in page and "Gestionar personas" not in page


def test_the_people_page_is_in_spanish(spanish_admin, member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    page = client_for(spanish_admin).get(reverse("agencies:people")).content.decode()
    assert "Personas que usted gestiona" in page
    assert "Invitar a alguien" in page
    assert "Desactivado" in page  # a person's state, from agencies/wording.py
    assert "Miembro" in page  # the role's label


def test_the_audit_trail_names_events_in_plain_spanish(spanish_admin):
    audit_record(actor=spanish_admin, event=AuditEvent.SIGNED_IN)
    page = client_for(spanish_admin).get(reverse("audit:list")).content.decode()
    assert "Inició sesión" in page
    assert "Hecho" in page  # the outcome
    assert "auth.signed_in" in page  # the code stays the filter's value, untranslated


def test_the_announcement_email_is_in_each_persons_language(coordinator, member, spanish_member):
    send(coordinator)
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish, english = by_address[spanish_member.email], by_address[member.email]
    assert spanish.subject == "Un aviso del grupo de trabajo"
    assert "Leerlo y confirmar su lectura" in spanish.body
    # The announcement's own text is as the coordinator wrote it, in every language.
    assert "Shelters: expect referrals this weekend" in spanish.body
    assert english.subject == "An announcement from the task force"
