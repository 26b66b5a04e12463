"""Rank: nobody changes, deactivates or reactivates someone whose role they could not grant.
The Django admin goes through the same services and audit, or cannot change the field at all."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, User
from agencies.roles import GRANTABLE_ROLES, Role
from agencies.services import (
    invitation_send,
    invitation_token,
    person_change_role,
    person_deactivate,
    person_reactivate,
)
from api.models import ApiToken
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _events(event: AuditEvent) -> int:
    return AuditEntry.objects.filter(event=event).count()


def _signed_in(person: User) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    return client


# --- the rule, in the services -------------------------------------------------------------


def test_it_refuses_an_agency_admin_changing_a_coordinators_role(agency_admin, coordinator):
    with pytest.raises(PermissionDenied):
        person_change_role(actor=agency_admin, person=coordinator, role=Role.MEMBER)
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR
    assert _events(AuditEvent.ROLE_CHANGED) == 0


def test_it_refuses_an_agency_admin_deactivating_a_coordinator(agency_admin, coordinator):
    api_token_create(user=coordinator, name="sync")
    with pytest.raises(PermissionDenied):
        person_deactivate(actor=agency_admin, person=coordinator)
    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert ApiToken.objects.get(user=coordinator).revoked_at is None
    assert _events(AuditEvent.PERSON_DEACTIVATED) == 0


def test_it_refuses_an_agency_admin_reactivating_a_coordinator(agency_admin, coordinator, agency):
    other_coordinator = UserFactory(agency=agency, role=Role.COORDINATOR)
    person_deactivate(actor=other_coordinator, person=coordinator)
    with pytest.raises(PermissionDenied):
        person_reactivate(actor=agency_admin, person=coordinator)
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert _events(AuditEvent.PERSON_REACTIVATED) == 0


def test_it_refuses_acting_on_staff_and_superusers_whose_flags_nobody_grants(agency_admin, agency):
    operator = UserFactory(agency=agency, role=Role.MEMBER, is_staff=True, is_superuser=True)
    for act in (
        lambda: person_deactivate(actor=agency_admin, person=operator),
        lambda: person_change_role(actor=agency_admin, person=operator, role=Role.REFERRAL_OFFICER),
    ):
        with pytest.raises(PermissionDenied):
            act()
    operator.refresh_from_db()
    assert operator.is_active and operator.role == Role.MEMBER


def test_it_checks_the_role_held_now_not_the_one_the_page_was_loaded_with(agency_admin, member):
    stale = User.objects.get(pk=member.pk)
    User.objects.filter(pk=member.pk).update(role=Role.COORDINATOR)  # promoted meanwhile by a coordinator
    with pytest.raises(PermissionDenied):
        person_deactivate(actor=agency_admin, person=stale)
    with pytest.raises(PermissionDenied):
        person_change_role(actor=agency_admin, person=stale, role=Role.MEMBER)
    member.refresh_from_db()
    assert member.is_active and member.role == Role.COORDINATOR


def test_it_refuses_acting_on_a_person_of_another_agency(agency_admin, outsider_officer):
    for act in (
        lambda: person_deactivate(actor=agency_admin, person=outsider_officer),
        lambda: person_change_role(actor=agency_admin, person=outsider_officer, role=Role.MEMBER),
    ):
        with pytest.raises(PermissionDenied):
            act()


def test_it_refuses_a_member_acting_on_anyone(member, colleague):
    with pytest.raises(PermissionDenied):
        person_deactivate(actor=member, person=colleague)


@pytest.mark.parametrize("role", sorted(GRANTABLE_ROLES[Role.AGENCY_ADMIN]))
def test_it_lets_an_agency_admin_manage_the_roles_they_can_grant(agency_admin, agency, role):
    person = UserFactory(agency=agency, role=role)
    person_change_role(actor=agency_admin, person=person, role=Role.MEMBER)
    person_deactivate(actor=agency_admin, person=person)
    person_reactivate(actor=agency_admin, person=person)
    person.refresh_from_db()
    assert person.is_active and person.role == Role.MEMBER


def test_it_lets_a_coordinator_demote_and_deactivate_another_coordinator(coordinator, agency):
    other = UserFactory(agency=agency, role=Role.COORDINATOR)
    person_change_role(actor=coordinator, person=other, role=Role.AGENCY_ADMIN)
    person_deactivate(actor=coordinator, person=other)
    other.refresh_from_db()
    assert (other.role, other.is_active) == (Role.AGENCY_ADMIN, False)


def test_it_refuses_an_agency_admin_revoking_a_coordinator_invitation(agency_admin, coordinator, agency):
    invitation = invitation_send(actor=coordinator, email="next@test.example.org", agency=agency, role=Role.COORDINATOR)
    response = client_for(agency_admin).post(reverse("agencies:invitation_revoke", args=[invitation.pk]), follow=True)
    assert response.status_code == 200
    assert "Only someone who can grant that role" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert _events(AuditEvent.INVITATION_REVOKED) == 0


# --- the web pages answer with a refusal, not a 500, and write nothing -------------------------


def test_the_page_refuses_an_agency_admin_demoting_a_coordinator(as_admin, coordinator):
    response = as_admin.post(reverse("agencies:person", args=[coordinator.pk]), {"role": "member"})
    assert response.status_code == 200
    assert "Only someone who can grant that role" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR
    assert _events(AuditEvent.ROLE_CHANGED) == 0


def test_the_page_refuses_an_agency_admin_deactivating_a_coordinator(as_admin, coordinator):
    response = as_admin.post(reverse("agencies:person_deactivate", args=[coordinator.pk]), follow=True)
    assert response.status_code == 200
    assert "Only someone who can grant that role" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active
    assert _events(AuditEvent.PERSON_DEACTIVATED) == 0


def test_the_page_refuses_an_agency_admin_reactivating_a_coordinator(as_admin, coordinator):
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    response = as_admin.post(reverse("agencies:person_reactivate", args=[coordinator.pk]), follow=True)
    assert response.status_code == 200
    assert "Only someone who can grant that role" in response.content.decode()
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert _events(AuditEvent.PERSON_REACTIVATED) == 0


def test_the_page_offers_no_controls_over_a_higher_rank(as_admin, coordinator):
    page = as_admin.get(reverse("agencies:person", args=[coordinator.pk])).content.decode()
    assert "Change role" not in page and "Deactivate</button>" not in page
    assert "Only a task-force coordinator can change" in page


def test_the_role_form_offers_only_the_roles_the_actor_can_grant(as_admin, member):
    page = as_admin.get(reverse("agencies:person", args=[member.pk])).content.decode()
    assert 'value="coordinator"' not in page and 'value="referral_officer"' in page


# --- a role change ends the person's sessions and tokens ---------------------------------------


def test_it_ends_sessions_and_tokens_when_a_role_changes(agency_admin, member):
    session_client = _signed_in(member)
    assert session_client.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=member).exists()
    _, raw = api_token_create(user=member, name="sync")

    as_admin = client_for(agency_admin)
    response = as_admin.post(reverse("agencies:person", args=[member.pk]), {"role": "grant_manager"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.GRANT_MANAGER
    assert not UserSession.objects.filter(user=member).exists()
    assert session_client.get(reverse("home")).status_code == 302
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert _events(AuditEvent.ROLE_CHANGED) == 1
    message = as_admin.get(response["Location"]).content.decode()
    assert "their sessions and API tokens have ended" in message


def test_it_ends_a_session_that_left_no_record_when_the_role_changes(coordinator, agency):
    """Accepting an invitation signs in with Django's login(), which allauth does not record: the
    session is bound to the role itself (User.get_session_auth_hash), so it ends all the same."""
    invitation = invitation_send(actor=coordinator, email="new@agency.example.org", agency=agency, role=Role.MEMBER)
    browser = Client()
    password = "a-long-test-password-1"
    accepted = browser.post(
        reverse("invitation_accept", args=[invitation_token(invitation)]),
        {"first_name": "New", "last_name": "Person", "password1": password, "password2": password},
    )
    assert accepted.status_code == 302
    assert browser.get(reverse("home")).status_code == 200
    person = User.objects.get(email="new@agency.example.org")
    assert UserSession.objects.filter(user=person).count() == 1  # in the person's list of sessions
    # The password was just typed: enrolling an authenticator does not ask for it again.
    assert browser.get(reverse("mfa_activate_totp")).status_code == 200

    person_change_role(actor=coordinator, person=person, role=Role.GRANT_MANAGER)

    home = browser.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("account_login"))


def test_it_keeps_sessions_when_the_role_stays_the_same(agency_admin, officer):
    api_token_create(user=officer, name="sync")
    person_change_role(actor=agency_admin, person=officer, role=Role.REFERRAL_OFFICER)
    assert ApiToken.objects.get(user=officer).revoked_at is None
    assert _events(AuditEvent.ROLE_CHANGED) == 0


# --- the Django admin ---------------------------------------------------------------------------


@pytest.fixture
def operator(db: None) -> User:
    """A superuser of no agency: the admin's usual user, with no rank in the role map."""
    return UserFactory(agency=None, email="operator@test.example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def as_operator(operator: User) -> Client:
    return client_for(operator)


def _user_change_data(person: User, **changes: object) -> dict[str, object]:
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "time_zone": person.time_zone,
        "agency": person.agency_id or "",
        "role": person.role,
        "is_active": "on" if person.is_active else "",
        "is_staff": "",
        "is_superuser": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_admin_cannot_change_roles_agencies_or_flags_of_a_person(as_operator, member, other_agency):
    url = reverse("admin:agencies_user_change", args=[member.pk])
    home = member.agency_id
    assert as_operator.get(url).status_code == 200
    data = _user_change_data(member, role="agency_admin", agency=other_agency.pk, is_staff="on", is_superuser="on")
    data.pop("is_active")
    response = as_operator.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.agency_id, member.is_active) == (Role.MEMBER, home, True)
    assert not member.is_staff and not member.is_superuser


def test_the_admin_cannot_add_or_delete_people_agencies_invitations_or_tokens(as_operator, member, agency):
    token, _ = api_token_create(user=member, name="sync")
    for model, obj in (("agencies_user", member), ("agencies_agency", agency), ("api_apitoken", token)):
        assert as_operator.get(reverse(f"admin:{model}_add")).status_code == 403
        assert as_operator.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert as_operator.get(reverse("admin:agencies_invitation_add")).status_code == 403
    assert User.objects.filter(pk=member.pk).exists() and Agency.objects.filter(pk=agency.pk).exists()


def test_the_admin_cannot_change_an_invitation_or_a_token(as_operator, member, agency_admin, agency):
    invitation = invitation_send(actor=agency_admin, email="x@test.example.org", agency=agency, role=Role.MEMBER)
    token, _ = api_token_create(user=member, name="sync")
    for name, obj in (("agencies_invitation", invitation), ("api_apitoken", token), ("agencies_agency", agency)):
        assert as_operator.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200
        assert as_operator.get(reverse(f"admin:{name}_changelist")).status_code == 200
    as_operator.post(
        reverse("admin:agencies_invitation_change", args=[invitation.pk]),
        {"email": "x@test.example.org", "agency": agency.pk, "role": "coordinator", "expires_at_0": "2999-01-01"},
    )
    as_operator.post(
        reverse("admin:api_apitoken_change", args=[token.pk]),
        {"user": member.pk, "name": "sync", "expires_at_0": "2999-01-01", "expires_at_1": "00:00:00"},
    )
    invitation.refresh_from_db()
    token.refresh_from_db()
    assert invitation.role == Role.MEMBER
    assert token.expires_at.year != 2999


def test_the_admin_changes_an_agency_through_the_audited_service(as_operator, other_agency):
    url = reverse("admin:agencies_agency_change", args=[other_agency.pk])
    data = {
        "name": other_agency.name,
        "sector": other_agency.sector,
        "county": other_agency.county,
        "is_cochair": "on",
        "is_active": "on",
        "referral_prefix": other_agency.referral_prefix,
    }
    response = as_operator.post(url, data)
    assert response.status_code == 302
    other_agency.refresh_from_db()
    assert other_agency.is_cochair
    entry = AuditEntry.objects.get(event=AuditEvent.AGENCY_CHANGED)
    assert entry.actor_email == "operator@test.example.org"
    assert entry.detail == {"is_cochair": [False, True]}


def test_the_admin_refuses_a_person_without_rank_deactivating_through_its_action(as_operator, member):
    response = as_operator.post(
        reverse("admin:agencies_user_changelist"),
        {"action": "deactivate_people", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Your role does not allow this" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    assert _events(AuditEvent.PERSON_DEACTIVATED) == 0


def test_the_admin_deactivates_through_the_service_for_a_coordinator(coordinator, member):
    User.objects.filter(pk=coordinator.pk).update(is_staff=True, is_superuser=True)
    coordinator.refresh_from_db()
    response = client_for(coordinator).post(
        reverse("admin:agencies_user_changelist"),
        {"action": "deactivate_people", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEntry.objects.get(event=AuditEvent.PERSON_DEACTIVATED).actor == coordinator


def test_the_admin_revokes_tokens_through_the_audited_service(as_operator, member):
    token, _ = api_token_create(user=member, name="sync")
    as_operator.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(event=AuditEvent.TOKEN_REVOKED).actor_email == "operator@test.example.org"


def test_the_admin_revokes_invitations_through_the_service_and_its_rule(as_operator, coordinator, agency):
    invitation = invitation_send(actor=coordinator, email="y@test.example.org", agency=agency, role=Role.MEMBER)
    action = {"action": "revoke_invitations", "_selected_action": [invitation.pk]}
    refused = as_operator.post(reverse("admin:agencies_invitation_changelist"), action, follow=True)
    assert "Your role does not allow this" in refused.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None

    User.objects.filter(pk=coordinator.pk).update(is_staff=True, is_superuser=True)
    client_for(coordinator).post(reverse("admin:agencies_invitation_changelist"), action)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.get(event=AuditEvent.INVITATION_REVOKED).actor == coordinator


def test_the_admin_refuses_an_agency_change_by_staff_without_the_coordinator_role(agency, other_agency):
    from django.contrib.auth.models import Permission

    clerk = UserFactory(agency=agency, role=Role.AGENCY_ADMIN, is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_agency", "change_agency"]))
    data = {"name": other_agency.name, "sector": other_agency.sector, "county": "Elsewhere", "is_cochair": "on"}
    response = client_for(clerk).post(reverse("admin:agencies_agency_change", args=[other_agency.pk]), data)
    assert response.status_code == 403
    other_agency.refresh_from_db()
    assert not other_agency.is_cochair and other_agency.county != "Elsewhere"
    assert _events(AuditEvent.AGENCY_CHANGED) == 0


def test_the_page_answers_an_unknown_role_with_a_form_error(as_admin, member):
    response = as_admin.post(reverse("agencies:person", args=[member.pk]), {"role": "superuser"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MEMBER
