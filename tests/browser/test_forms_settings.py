"""A person's own settings: API tokens and email (digests), from Chromium, under the production
security settings; also the one check of the headers and cookies that the forms are sent under.
Forms, by test:

test_it_creates_a_token_that_works_and_revokes_it
  - "Create token" and the token's "Revoke" (api/templates/api/token_list.html)
test_it_sets_the_email_defaults_and_a_members_own_settings_and_unsubscribes_by_the_emailed_link
  - "Save the defaults", as a coordinator (digests/defaults.html)
  - "Save my email settings", "Use the task force's defaults instead" (digests/preferences.html)
  - "Yes, unsubscribe me" from an emailed link, signed out (digests/unsubscribe.html)
"""

from __future__ import annotations

import pytest

from agencies.roles import Role
from api.models import ApiToken
from digests.models import DIGEST_KIND, DigestPreference, Frequency, TaskForceDigestDefaults
from digests.rendering import unsubscribe_url
from tests.browser.conftest import sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


def test_it_creates_a_token_that_works_and_revokes_it(page, live_server, failed_responses):
    member = UserFactory(role=Role.MEMBER, first_name="Jordan")
    sign_in_as(page, live_server, member)
    with page.expect_response("**/account/tokens/") as shown:
        page.goto("/account/tokens/")

    # The page and the cookies come with the production headers.
    headers = shown.value.all_headers()
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "form-action 'self'" in headers["content-security-policy"]
    assert "strict-transport-security" not in headers  # HSTS is sent over https only
    csrf_cookie = next(c for c in page.context.cookies() if c["name"] == "csrftoken")
    assert csrf_cookie["httpOnly"] and csrf_cookie["sameSite"] == "Lax"

    page.get_by_label("What is this token for?").fill("Case-management sync")
    submit(page, page.get_by_role("button", name="Create token"))
    page.get_by_text("Copy your new token now.").wait_for()
    raw = page.get_by_label("New token").input_value()
    row = page.get_by_role("row", name="Case-management sync")
    assert row.get_by_role("button", name="Revoke").is_visible()
    token = ApiToken.objects.get(user=member)
    assert token.name == "Case-management sync" and token.revoked_at is None

    bearer = {"Authorization": f"Bearer {raw}"}
    assert page.context.request.get(f"{live_server.url}/api/v1/me/", headers=bearer).status == 200

    submit(page, row.get_by_role("button", name="Revoke"))
    page.get_by_text("The token “Case-management sync” no longer works.").wait_for()
    assert page.get_by_role("row", name="Case-management sync").get_by_role("cell", name="Revoked").is_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert page.context.request.get(f"{live_server.url}/api/v1/me/", headers=bearer).status == 401
    assert failed_responses == []


def test_it_sets_the_email_defaults_and_a_members_own_settings_and_unsubscribes_by_the_emailed_link(
    page, live_server, failed_responses
):
    coordinator = UserFactory(agency=AgencyFactory(is_cochair=True), role=Role.COORDINATOR)
    member = UserFactory(role=Role.MEMBER)

    # The coordinator sets what everyone gets by default.
    sign_in_as(page, live_server, coordinator)
    page.goto("/digests/preferences/")
    page.get_by_role("link", name="Task-force defaults").click()
    page.get_by_role("heading", name="Task-force email defaults").wait_for()
    page.get_by_role("group", name="How often").get_by_label("Weekly").check()
    page.get_by_label("Day of the week").select_option(label="Friday")
    page.get_by_label("Hour").select_option(label="08:00")
    submit(page, page.get_by_role("button", name="Save the defaults"))
    page.get_by_text("The task force's email defaults are saved.").wait_for()
    defaults = TaskForceDigestDefaults.current()
    assert (defaults.frequency, defaults.weekday, defaults.hour, defaults.updated_by) == (
        Frequency.WEEKLY,
        4,
        8,
        coordinator,
    )

    # A member makes the settings their own, then goes back to the defaults.
    sign_in_as(page, live_server, member)
    page.goto("/digests/preferences/")
    page.get_by_text("You follow the task force's defaults.").wait_for()
    assert page.get_by_label("Day of the week").input_value() == "4"
    page.get_by_role("group", name="How often").get_by_label("Daily").check()
    page.get_by_label("Hour").select_option(label="17:00")
    page.get_by_label("My time zone").select_option("America/Denver")
    page.get_by_label("I am invited to a meeting or training").uncheck()
    submit(page, page.get_by_role("button", name="Save my email settings"))
    page.get_by_text("Your email preferences are saved.").wait_for()
    preference = DigestPreference.objects.get(person=member)
    assert (preference.frequency, preference.hour, preference.notify_invitations) == (Frequency.DAILY, 17, False)
    member.refresh_from_db()
    assert member.time_zone == "America/Denver"
    submit(page, page.get_by_role("button", name="Use the task force's defaults instead"))
    page.get_by_text("You now follow the task force's email defaults.").wait_for()
    assert page.get_by_text("You follow the task force's defaults.").is_visible()
    assert not DigestPreference.objects.filter(person=member).exists()

    # Signed out, from the link at the foot of a digest.
    page.context.clear_cookies()
    link = unsubscribe_url(person_id=member.pk, stream=DIGEST_KIND)
    page.goto(live_server.url + link[link.index("/email/") :])
    page.get_by_text("Stop receiving the task-force digest?").wait_for()
    submit(page, page.get_by_role("button", name="Yes, unsubscribe me"))
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    assert DigestPreference.objects.get(person=member).frequency == Frequency.NEVER
    assert failed_responses == []
