"""The kept note (issue 20): "A refused note is wiped while the error still points at characters 10-20 of the
deleted text." With JavaScript, the referral form asks the guard before it is sent (static/js/text_check.js,
cases/text_check.py): a finding stops the submit, the error summary says where, the note stays in place with
the range selected (positions in UTF-16 code units: an emoji before the phone number counts two), and once
fixed the referral is sent. Without the check (endpoint unreachable) the server refuses as before."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from cases.models import Referral
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]

PHONE = "414-555-0137"
NOTE = f"🙂 Call her at {PHONE} after six."
START = len("🙂 Call her at ".encode("utf-16-le")) // 2  # 15: the emoji is two UTF-16 code units


@pytest.fixture
def officer() -> object:
    AgencyFactory(name="Juniper General Hospital", sector="health")
    sheriff = AgencyFactory(name="Elsewhere County Sheriff")
    return UserFactory(agency=sheriff, role=Role.REFERRAL_OFFICER, first_name="Dana")


def _fill_the_form(page: object) -> object:
    page.goto("/referrals/new/")
    page.get_by_label("Send to").select_option(label="Juniper General Hospital")
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_label("Trafficking type").select_option("labor")
    page.get_by_label("Potential or confirmed victim").select_option("potential")
    page.get_by_label("Age band").select_option("18_24")
    page.get_by_label("Gender").select_option("prefers_not_to_say")
    page.get_by_label("Citizenship").select_option("unknown")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Source type").select_option("hotline")
    page.get_by_label("Medical").check()
    note = page.get_by_label("Note", exact=True)
    note.fill(NOTE)
    return note


def test_it_keeps_the_note_and_selects_the_phone_number_then_sends_once_fixed(
    page, live_server, officer, failed_responses
):
    sign_in_as(page, live_server, officer)
    note = _fill_the_form(page)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.is_navigation_request() else None)
    page.get_by_role("button", name="Send the referral").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    sentence = f"Looks like a phone number at characters {START + 1}-{START + len(PHONE)}."
    expect(summary.get_by_role("link", name=sentence)).to_be_visible()
    expect(page.locator("#id_note_textcheck")).to_have_text(sentence)
    assert "id_note_textcheck" in note.get_attribute("aria-describedby")
    # The note is still there, and the phone number is selected in it.
    expect(note).to_have_value(NOTE)
    assert note.evaluate("e => [e.selectionStart, e.selectionEnd]") == [START, START + len(PHONE)]
    assert note.evaluate("e => e.value.substring(e.selectionStart, e.selectionEnd)") == PHONE
    screenshot(page, "kept-note-summary")
    # Nothing was sent: no page was posted, no referral, no refusal in the audit trail.
    assert posts == [] and not Referral.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).exists()

    # The summary's link takes the person to the range in the note.
    summary.get_by_role("link", name=sentence).click()
    expect(note).to_be_focused()
    assert note.evaluate("e => e.value.substring(e.selectionStart, e.selectionEnd)") == PHONE

    note.fill("🙂 Prefers afternoon calls; needs a clinic visit this week.")
    submit(page, page.get_by_role("button", name="Send the referral"))
    page.get_by_text("sent. Call the receiving agency").wait_for()
    assert Referral.objects.get().note == "🙂 Prefers afternoon calls; needs a clinic visit this week."
    assert failed_responses == []


def test_without_the_check_the_server_refuses_as_before(page, live_server, officer):
    sign_in_as(page, live_server, officer)
    page.route("**/referrals/check-text/", lambda route: route.abort())
    _fill_the_form(page)
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as sent:
        page.get_by_role("button", name="Send the referral").click()
    assert sent.value.status == 400
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("a phone number")
    assert PHONE not in page.content()
    assert not Referral.objects.exists()
