import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from agencies.roles import Role
from tests.browser.conftest import screenshot
from tests.factories import TEST_TOTP_SECRET, AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_with_a_password_and_an_authenticator_code_and_reaches_home(page):
    agency = AgencyFactory(name="Bridgeway Family Services")
    UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, email="advocate@bridgeway.example.org", first_name="Marisol")

    page.goto("/")
    page.get_by_label("Email").fill("advocate@bridgeway.example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()

    code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(timezone.now().timestamp()) // 30))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("heading", name="Welcome, Marisol").wait_for()
    assert page.get_by_role("heading", name="Referrals").is_visible()
    screenshot(page, "home-after-mfa-sign-in")

    # Keyboard: the skip link is the first stop and moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
