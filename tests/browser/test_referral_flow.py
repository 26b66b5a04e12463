import pytest

from agencies.roles import Role
from cases.models import Referral
from tests.browser.conftest import screenshot, sign_in_as
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_warns_about_a_phone_number_sends_a_referral_and_the_receiver_accepts_it(page, live_server):
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_confidential_provider=True)
    clinic = AgencyFactory(name="Juniper General Hospital", sector="health")
    advocate = UserFactory(agency=center, role=Role.REFERRAL_OFFICER, first_name="Marisol")
    nurse = UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, first_name="Priya")

    sign_in_as(page, live_server, advocate)
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
    note = page.get_by_label("Note")
    note.fill("Call her at 414-555-0137 after six.")
    warning = page.locator("#id_note_deid")
    warning.get_by_text("a phone number").wait_for()
    assert "555" not in warning.inner_text()
    screenshot(page, "referral-form-warning")
    note.fill("Prefers afternoon calls; needs a clinic visit this week.")
    warning.get_by_text("a phone number").wait_for(state="detached")
    page.get_by_label("How consent was given").select_option("written")
    page.get_by_label("What the survivor agreed to share").select_option("facts")
    page.get_by_role("button", name="Send the referral").click()

    page.get_by_text("sent. Call the receiving agency").wait_for()
    code = Referral.objects.get().reference_code
    assert code in page.title()

    sign_in_as(page, live_server, nurse)
    page.goto("/referrals/")
    page.get_by_role("link", name=code).click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Status updated.").wait_for()
    assert page.locator(".lede .status").inner_text() == "Accepted"
    screenshot(page, "referral-accepted-by-receiver")
