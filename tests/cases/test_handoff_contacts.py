"""Named hand-off contacts: the receiver names who handles a referral on accept (by default, the person
accepting) and may change it later; both agencies see both contacts (staff, never a survivor), on the
referral's page and in the API.

The sender is `officer` (Safe Harbor); the receiver is `outsider_officer`'s agency ("Elsewhere County Sheriff").
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.roles import Role
from audit.models import AuditEvent
from cases.choices import Status
from cases.services import CONTACT_REFUSED, referral_contact_set, referral_transition
from tests.cases.referral_helpers import audit_rows, referral_in, send
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(other_agency):
    """A colleague of the receiving officer who also handles referrals."""
    return UserFactory(
        agency=other_agency,
        role=Role.REFERRAL_OFFICER,
        first_name="Dana",
        last_name="Ortiz",
        email="dana@sheriff.example",
    )


def _api(person, referral) -> dict:
    answer = client_for(person).get(f"/api/v1/referrals/{referral.pk}/")
    assert answer.status_code == 200
    return answer.json()


def test_it_names_the_person_accepting_by_default_and_both_sides_see_both_contacts(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    before = _api(officer, referral)
    assert before["sender_contact"] == {"name": officer.get_full_name(), "email": officer.email}
    assert before["receiver_contact"] is None

    referral = referral_transition(referral=referral, actor=outsider_officer, move="accept")
    assert referral.receiver_contact == outsider_officer
    for person in (officer, outsider_officer):
        answer = _api(person, referral)
        assert answer["sender_contact"] == {"name": officer.get_full_name(), "email": officer.email}
        assert answer["receiver_contact"] == {"name": outsider_officer.get_full_name(), "email": outsider_officer.email}


def test_the_receiver_names_a_colleague_on_the_web_and_the_sender_sees_them(officer, outsider_officer, deputy):
    referral = send(officer, outsider_officer.agency)
    detail = reverse("cases:referral_detail", args=[referral.pk])
    page = client_for(outsider_officer).get(detail).content.decode()
    assert '<label for="accept-contact">Who handles it at your agency</label>' in page
    assert f'<option value="{deputy.pk}">Dana Ortiz</option>' in page

    moved = client_for(outsider_officer).post(
        reverse("cases:referral_transition", args=[referral.pk]), {"move": "accept", "contact": deputy.pk}
    )
    assert moved.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.receiver_contact) == (Status.ACCEPTED, deputy)
    page = client_for(officer).get(detail).content.decode()
    assert "Hand-off contacts" in page
    assert "Dana Ortiz" in page and 'href="mailto:dana@sheriff.example"' in page
    assert f'href="mailto:{officer.email}"' in page
    assert f'action="/referrals/{referral.pk}/contact/"' not in page  # the sender does not name the receiver's


@pytest.mark.parametrize(
    "who", ["another agency's officer", "a member who does not handle referrals", "deactivated", "nobody"]
)
def test_it_refuses_a_contact_who_cannot_handle_it_for_the_receiver_and_changes_nothing(
    who, officer, outsider_officer, other_agency, colleague
):
    people = {
        "another agency's officer": colleague,
        "a member who does not handle referrals": UserFactory(agency=other_agency, role=Role.MEMBER),
        "deactivated": UserFactory(agency=other_agency, role=Role.REFERRAL_OFFICER, is_active=False),
    }
    contact = people[who].pk if who in people else 999_999
    referral = send(officer, outsider_officer.agency)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/", {"move": "accept", "contact": contact}, "application/json"
    )
    assert answer.status_code == 400
    assert str(CONTACT_REFUSED) in answer.content.decode()  # the same words whoever the id names (no probing)
    referral.refresh_from_db()
    assert (referral.status, referral.receiver_contact) == (Status.SENT, None)

    page = client_for(outsider_officer).post(
        reverse("cases:referral_transition", args=[referral.pk]), {"move": "accept", "contact": contact}
    )
    assert page.status_code == 400 and str(CONTACT_REFUSED) in page.content.decode()


def test_it_accepts_over_the_api_naming_a_colleague(officer, outsider_officer, deputy):
    referral = send(officer, outsider_officer.agency)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/", {"move": "accept", "contact": deputy.pk}, "application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["receiver_contact"] == {"name": "Dana Ortiz", "email": "dana@sheriff.example"}


def test_only_accepting_takes_a_contact(officer, outsider_officer, deputy):
    referral = send(officer, outsider_officer.agency)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/",
        {"move": "decline", "reason": "no_capacity", "contact": deputy.pk},
        "application/json",
    )
    assert answer.status_code == 400 and "Only accepting names who handles the referral." in answer.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_the_receiver_changes_its_contact_later_and_it_is_audited(officer, outsider_officer, deputy):
    referral = referral_in(Status.IN_PROGRESS, sender=officer, receiver=outsider_officer)
    page = client_for(outsider_officer).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert '<label for="change-contact">Who handles it at your agency</label>' in page

    changed = client_for(outsider_officer).post(
        reverse("cases:referral_contact", args=[referral.pk]), {"contact": deputy.pk}
    )
    assert changed.status_code == 302
    referral.refresh_from_db()
    assert referral.receiver_contact == deputy
    [entry] = audit_rows(AuditEvent.REFERRAL_CONTACT_SET, referral)
    assert (entry.actor_id, entry.detail) == (outsider_officer.pk, {"from": outsider_officer.pk, "to": deputy.pk})

    back = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/contact/", {"contact": outsider_officer.pk}, "application/json"
    )
    assert back.status_code == 200
    assert back.json()["receiver_contact"]["email"] == outsider_officer.email
    assert len(audit_rows(AuditEvent.REFERRAL_CONTACT_SET, referral)) == 2


def test_the_sender_cannot_name_the_receivers_contact(officer, outsider_officer, colleague):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    answer = client_for(officer).post(
        f"/api/v1/referrals/{referral.pk}/contact/", {"contact": colleague.pk}, "application/json"
    )
    assert answer.status_code == 403
    page = client_for(officer).post(reverse("cases:referral_contact", args=[referral.pk]), {"contact": colleague.pk})
    assert page.status_code == 302
    referral.refresh_from_db()
    assert referral.receiver_contact == outsider_officer


def test_the_contact_is_changed_only_while_the_receiver_handles_it(officer, outsider_officer, deputy):
    referral = send(officer, outsider_officer.agency)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/contact/", {"contact": deputy.pk}, "application/json"
    )
    assert answer.status_code == 400 and "accepted or in progress" in answer.content.decode()
    with pytest.raises(Exception, match="accepted or in progress"):
        referral_contact_set(referral=referral, actor=outsider_officer, contact=deputy.pk)


def test_a_contact_of_another_agency_is_refused_when_changing_it_too(officer, outsider_officer, colleague):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/contact/", {"contact": colleague.pk}, "application/json"
    )
    assert answer.status_code == 400 and str(CONTACT_REFUSED) in answer.content.decode()
    page = client_for(outsider_officer).post(reverse("cases:referral_contact", args=[referral.pk]), {"contact": "x"})
    assert page.status_code == 400 and str(CONTACT_REFUSED) in page.content.decode()
    referral.refresh_from_db()
    assert referral.receiver_contact == outsider_officer


def test_a_reopen_to_sent_clears_the_receivers_contact(officer, outsider_officer):
    referral = referral_in(Status.WITHDRAWN, sender=officer, receiver=outsider_officer)
    referral = referral_transition(referral=referral, actor=officer, move="reopen", note="Ready again.")
    assert referral.receiver_contact is None
    assert _api(officer, referral)["receiver_contact"] is None
