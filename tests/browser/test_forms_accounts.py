"""Accounts: invitations, people, agencies and the account pages, from Chromium, under the production
security settings. Forms, by test:

test_it_invites_a_referral_officer_who_joins_and_enrols_an_authenticator
  - "Send the invitation" (agencies/invitation_form.html)
  - the invitation's "Revoke" (agencies/people.html)
  - "Create my account" at /invitations/<token>/, which sets the password (agencies/invitation_accept.html)
  - allauth "Confirm" (re-authentication) and "Activate" an authenticator app (/accounts/2fa/totp/activate/)
test_it_changes_a_role_deactivates_and_reactivates_a_person
  - "Change role", "Deactivate", "Reactivate" (agencies/person_detail.html)
test_it_admits_an_agency
  - "Admit the agency" (agencies/agency_admit.html)
test_it_changes_the_password_signs_out_and_resets_the_forgotten_password_from_the_emailed_link
  - allauth "Change Password" (/accounts/password/change/)
  - "Sign out" (templates/base.html)
  - allauth "Reset My Password", then the new password from the emailed link
  - "Sign In" with it (templates/account/login.html)
test_it_regenerates_recovery_codes_after_confirming_the_password
  - allauth "Confirm" (re-authentication) and "Generate" recovery codes
test_it_signs_out_the_other_sessions
  - "Sign In" from two browsers, then allauth "Sign Out Other Sessions" (/accounts/sessions/)

Signing in with a password and an authenticator code is in test_sign_in_flow.py. Not covered:
allauth's email-address page (/accounts/email/), which no page of the portal links to.
"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, Invitation, User
from agencies.roles import Role
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]

NEW_PASSWORD = "lantern-orchard-river-42"
RESET_PASSWORD = "quiet-harbor-meadow-77"


@pytest.fixture
def hospital() -> Agency:
    return AgencyFactory(name="Juniper General Hospital", sector="health")


@pytest.fixture
def hospital_admin(hospital) -> User:
    return UserFactory(agency=hospital, role=Role.AGENCY_ADMIN, first_name="Dana", last_name="Okafor")


def _totp_code(secret: str) -> str:
    """The authenticator's current code, taken far enough from the end of its 30-second window that
    the server still checks it in the same window (allauth accepts no neighbouring window)."""
    if 30 - timezone.now().timestamp() % 30 < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def _link_sent_to(email: str, pattern: str) -> str:
    """The link matching `pattern` in the last email sent to `email` (the locmem backend's outbox)."""
    body = [message.body for message in mail.outbox if email in message.to][-1]
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


def test_it_invites_a_referral_officer_who_joins_and_enrols_an_authenticator(
    page, live_server, settings, hospital_admin, failed_responses
):
    settings.PORTAL_BASE_URL = live_server.url
    sign_in_as(page, live_server, hospital_admin)
    page.goto("/agencies/people/")
    for email in ("priya@hospital.example.org", "wrong-address@hospital.example.org"):
        page.get_by_role("link", name="Invite someone").click()
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Agency").select_option(label="Juniper General Hospital")
        page.get_by_label("Role").select_option(label="Referral officer")
        submit(page, page.get_by_role("button", name="Send the invitation"))
        page.get_by_text(f"Invitation sent to {email}. The link works once, for 7 days.").wait_for()
    link = _link_sent_to("priya@hospital.example.org", r"https?://\S+/invitations/\S+/")
    assert link.startswith(live_server.url)

    # The second one went to a mistyped address: revoked, its link stops working.
    mistyped = page.get_by_role("listitem").filter(has_text="wrong-address@hospital.example.org")
    submit(page, mistyped.get_by_role("button", name="Revoke"))
    page.get_by_text("The invitation of wrong-address@hospital.example.org no longer works.").wait_for()
    assert Invitation.objects.get(email="wrong-address@hospital.example.org").revoked_at is not None
    page.context.clear_cookies()
    revoked = _link_sent_to("wrong-address@hospital.example.org", r"https?://\S+/invitations/\S+/")
    assert page.goto(revoked).status == 404

    # The invitee, signed out, opens the first link, sets a password and enrols an authenticator.
    page.goto(link)
    page.get_by_role("heading", name="Join the task force portal").wait_for()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Natarajan")
    page.get_by_label(re.compile(r"^Password(?! again)")).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    submit(page, page.get_by_role("button", name="Create my account"))

    # A referral officer sees case data: the portal asks for an authenticator before anything else.
    # Today allauth does not count the sign-in that accepting the invitation made (django.contrib.auth's
    # login(), not allauth's flow) as a recent authentication, and asks for the new password again first.
    page.get_by_role("heading", name=re.compile("^(Confirm Access|Activate Authenticator App)$")).wait_for()
    assert page.get_by_text("Welcome. Your account is ready.").is_visible()
    assert page.get_by_text("set up an authenticator app to continue").is_visible()
    if page.get_by_role("heading", name="Confirm Access").count():
        page.get_by_label("Password").fill(NEW_PASSWORD)
        submit(page, page.get_by_role("button", name="Confirm"))
    page.get_by_role("heading", name="Activate Authenticator App").wait_for()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(_totp_code(secret))
    submit(page, page.get_by_role("button", name="Activate"))
    page.get_by_text("Authenticator app activated.").wait_for()
    screenshot(page, "invitee-enrolled-authenticator")

    page.goto("/")
    page.get_by_role("heading", name="Welcome, Priya").wait_for()
    person = User.objects.get(email="priya@hospital.example.org")
    assert (person.agency, person.role) == (hospital_admin.agency, Role.REFERRAL_OFFICER)
    assert person.check_password(NEW_PASSWORD)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    assert Invitation.objects.get(email="priya@hospital.example.org").accepted_by == person
    assert failed_responses == [f"404 GET {revoked.removeprefix(live_server.url)}"]


def test_it_changes_a_role_deactivates_and_reactivates_a_person(
    page, live_server, hospital, hospital_admin, failed_responses
):
    nurse = UserFactory(agency=hospital, role=Role.MEMBER, first_name="Sam", last_name="Whitfield")
    sign_in_as(page, live_server, hospital_admin)
    page.goto("/agencies/people/")
    page.get_by_role("link", name="Sam Whitfield").click()
    page.get_by_label("Role").select_option(label="Grant manager")
    submit(page, page.get_by_role("button", name="Change role"))
    page.get_by_text("Sam Whitfield is now grant manager").wait_for()
    submit(page, page.get_by_role("button", name="Deactivate"))
    page.get_by_text("Sam Whitfield is deactivated: their sessions and API tokens have ended.").wait_for()
    nurse.refresh_from_db()
    assert (nurse.role, nurse.is_active) == (Role.GRANT_MANAGER, False)
    submit(page, page.get_by_role("button", name="Reactivate"))
    page.get_by_text("Sam Whitfield can sign in again.").wait_for()
    nurse.refresh_from_db()
    assert nurse.is_active
    assert failed_responses == []


def test_it_admits_an_agency(page, live_server, failed_responses):
    coordinator = UserFactory(agency=AgencyFactory(name="Safe Harbor", is_cochair=True), role=Role.COORDINATOR)
    sign_in_as(page, live_server, coordinator)
    page.goto("/agencies/admit/")
    page.get_by_label("Name").fill("Juniper County Legal Aid")
    page.get_by_label("Sector").select_option(label="Legal aid")
    page.get_by_label("County").fill("Juniper County")
    page.get_by_label("Bound by victim-service confidentiality (VAWA/VOCA/FVPSA)").check()
    submit(page, page.get_by_role("button", name="Admit the agency"))
    page.get_by_text("Juniper County Legal Aid is now a member agency. Invite its first administrator.").wait_for()
    page.get_by_role("heading", name="Juniper County Legal Aid").wait_for()
    agency = Agency.objects.get(name="Juniper County Legal Aid")
    assert (agency.sector, agency.is_confidential_provider, agency.is_active) == ("legal_aid", True, True)
    assert failed_responses == []


def test_it_changes_the_password_signs_out_and_resets_the_forgotten_password_from_the_emailed_link(
    page, live_server, failed_responses
):
    member = UserFactory(role=Role.MEMBER, email="jordan@school.example.org", first_name="Jordan")
    sign_in_as(page, live_server, member)
    page.goto("/accounts/password/change/")
    page.get_by_label("Current Password").fill("a-long-test-password")
    page.get_by_label("New Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    submit(page, page.get_by_role("button", name="Change Password"))
    page.get_by_text("Password successfully changed.").wait_for()
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)

    submit(page, page.get_by_role("button", name="Sign out"))
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto("/agencies/")
    page.get_by_role("heading", name="Sign in").wait_for()  # the session is gone

    # The new password is forgotten at once: reset by the emailed link, then signed in with it.
    page.locator("main").get_by_role("link", name="Forgot your password?").last.click()
    page.get_by_label("Email").fill("jordan@school.example.org")
    submit(page, page.get_by_role("button", name="Reset My Password"))
    page.get_by_text("We have sent you an email").wait_for()
    page.goto(_link_sent_to("jordan@school.example.org", r"https?://\S+/accounts/password/reset/key/\S+"))
    page.get_by_label("New Password:", exact=True).fill(RESET_PASSWORD)
    page.get_by_label("New Password (again)").fill(RESET_PASSWORD)
    submit(page, page.get_by_role("button", name="Change Password"))
    page.get_by_text("Your password is now changed.").wait_for()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("jordan@school.example.org")
    page.get_by_label("Password").fill(RESET_PASSWORD)
    submit(page, page.get_by_role("button", name="Sign In"))
    page.get_by_role("heading", name="Welcome, Jordan").wait_for()
    assert failed_responses == []


def test_it_regenerates_recovery_codes_after_confirming_the_password(page, live_server, failed_responses):
    coordinator = UserFactory(agency=AgencyFactory(is_cochair=True), role=Role.COORDINATOR)
    before = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.RECOVERY_CODES).data
    sign_in_as(page, live_server, coordinator)
    page.goto("/")
    page.get_by_role("link", name="Security").click()
    page.get_by_role("heading", name="Two-Factor Authentication").wait_for()
    page.get_by_role("link", name="Generate").click()
    page.get_by_role("heading", name="Confirm Access").wait_for()
    page.get_by_label("Password").fill("a-long-test-password")
    submit(page, page.get_by_role("button", name="Confirm"))
    submit(page, page.get_by_role("button", name="Generate"))
    page.get_by_role("heading", name="Recovery Codes").wait_for()
    after = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.RECOVERY_CODES).data
    assert after != before
    assert failed_responses == []


def _sign_in_with_password(page: object, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a-long-test-password")
    submit(page, page.get_by_role("button", name="Sign In"))
    page.get_by_role("heading", name="Welcome, Jordan").wait_for()


def test_it_signs_out_the_other_sessions(browser, page, live_server, failed_responses):
    UserFactory(role=Role.MEMBER, email="jordan@school.example.org", first_name="Jordan")
    laptop = browser.new_context(base_url=live_server.url)
    laptop.set_default_timeout(30_000)
    try:
        other = laptop.new_page()
        _sign_in_with_password(other, "jordan@school.example.org")
        _sign_in_with_password(page, "jordan@school.example.org")

        page.goto("/accounts/sessions/")
        submit(page, page.get_by_role("button", name="Sign Out Other Sessions"))
        expect(page.get_by_role("button", name="Sign Out Other Sessions")).to_have_count(0)
        page.get_by_role("heading", name="Sessions").wait_for()

        other.goto("/agencies/")
        other.get_by_role("heading", name="Sign in").wait_for()  # the laptop's session has ended
        page.goto("/agencies/")
        page.get_by_role("heading", name="Member agencies").wait_for()
    finally:
        laptop.close()
    assert failed_responses == []
