import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Invitation, User
from agencies.roles import Role
from agencies.services import invitation_send, invitation_token
from audit.models import AuditEntry, AuditEvent
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _link_from_mail() -> str:
    match = re.search(r"http://[^\s]+/invitations/[^\s]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).split("127.0.0.1:8000", 1)[1]


def test_it_invites_accepts_and_signs_in(as_admin, agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(
            reverse("agencies:invite"),
            {"email": "New.Person@Agency.example.org", "agency": agency.pk, "role": "member"},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.person@agency.example.org"]
    link = _link_from_mail()

    page = Client().get(link)
    assert page.status_code == 200 and b"Create my account" in page.content
    accepted = Client().post(
        link,
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "password1": "horse-battery-x91-q",
            "password2": "horse-battery-x91-q",
        },
    )
    assert accepted.status_code == 302
    person = User.objects.get(email="new.person@agency.example.org")
    assert (person.agency, person.role) == (agency, Role.MEMBER)
    assert person.emailaddress_set.get().verified
    assert AuditEntry.objects.filter(event=AuditEvent.INVITATION_ACCEPTED, actor=person).exists()
    # Single use: the same link no longer works.
    assert Client().get(link).status_code == 404


def test_it_refuses_an_expired_or_forged_invitation(agency_admin, client):
    invitation = invitation_send(
        actor=agency_admin, email="late@agency.example.org", agency=agency_admin.agency, role=Role.MEMBER
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("invitation_accept", args=[invitation_token(invitation)])).status_code == 404
    assert client.get(reverse("invitation_accept", args=["forged:token"])).status_code == 404


def test_it_refuses_a_common_password_and_keeps_the_invitation_open(agency_admin, client):
    invitation = invitation_send(
        actor=agency_admin, email="p@agency.example.org", agency=agency_admin.agency, role=Role.MEMBER
    )
    link = reverse("invitation_accept", args=[invitation_token(invitation)])
    response = client.post(
        link, {"first_name": "A", "last_name": "B", "password1": "password123", "password2": "password123"}
    )
    assert response.status_code == 200
    assert b"too common" in response.content
    assert not User.objects.filter(email="p@agency.example.org").exists()


def test_it_has_no_open_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.org", "password1": "x-long-password-1", "password2": "x-long-password-1"},
    )
    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert response.status_code in {200, 302, 403}


def test_it_keeps_agency_admins_to_their_own_agency(as_admin, agency_admin):
    elsewhere = AgencyFactory(name="Elsewhere Clinic")
    response = as_admin.post(
        reverse("agencies:invite"), {"email": "x@example.org", "agency": elsewhere.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_it_lets_only_coordinators_hand_out_the_coordinator_role(as_admin, agency):
    response = as_admin.post(
        reverse("agencies:invite"), {"email": "c@example.org", "agency": agency.pk, "role": "coordinator"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_it_refuses_a_coordinator_outside_a_cochair_agency(as_coordinator, other_agency):
    response = as_coordinator.post(
        reverse("agencies:invite"), {"email": "c@example.org", "agency": other_agency.pk, "role": "coordinator"}
    )
    assert response.status_code == 200
    assert b"co-chair" in response.content
    assert not Invitation.objects.exists()


def test_it_tells_visitors_that_accounts_come_by_invitation(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "invitation only" in page and "sign up" not in page.lower()
