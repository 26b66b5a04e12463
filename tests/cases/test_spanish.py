"""Referrals in Spanish (issue 20): the list and the page of a person who reads Spanish, the refused move said in
Spanish on the web and (Accept-Language: es) through the API, the notification email in the person's language,
the withdraw confirmation and the error summary of the referral form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.roles import Role
from cases.choices import Status
from tests.cases.referral_helpers import PHONE_DIGITS, PHONE_NOTE, referral_in, send
from tests.cases.test_referral_web_and_api import _form as referral_form
from tests.conftest import client_for
from tests.digests.helpers import after_commit, sent_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lectora(agency):
    """A referral officer who reads the portal in Spanish."""
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, language="es")


def test_the_list_shows_spanish_state_and_needs_labels(lectora, outsider_officer):
    send(outsider_officer, lectora.agency, needs=["shelter"], urgency="urgent")
    page = client_for(lectora).get(reverse("cases:referral_list")).content.decode()
    assert "Derivaciones" in page and "Enviadas a nosotros" in page
    assert ">Enviada</span>" in page  # the status
    assert "Urgente (dentro de 24 horas)" in page and "Refugio o vivienda" in page
    assert ">Sent</span>" not in page


def test_the_referral_page_speaks_spanish(lectora, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=outsider_officer, receiver=lectora)
    page = client_for(lectora).get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert f'Derivación <span class="mono">{referral.reference_code}</span>' in page
    assert ">Aceptada</span>" in page
    assert "Datos codificados" in page and "Próximo paso" in page and "Marcar en curso" in page
    assert f"Enviada por {outsider_officer.agency.name}" in page  # the timeline


def test_a_refused_move_is_said_in_spanish_on_the_web(lectora, outsider_officer):
    referral = send(lectora, outsider_officer.agency)
    web = client_for(lectora).post(reverse("cases:referral_transition", args=[referral.pk]), {"move": "accept"})
    assert web.status_code == 409
    assert "Ahora solo la agencia receptora puede aceptar esta derivación. Puede: retirarla." in web.content.decode()


def test_a_409_of_the_api_follows_accept_language(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    spanish = client_for(officer).post(
        url, {"move": "accept"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert spanish.status_code == 409
    assert spanish.json() == {
        "detail": "Ahora solo la agencia receptora puede aceptar esta derivación. Puede: retirarla.",
        "allowed_moves": ["withdraw"],
    }
    english = client_for(officer).post(url, {"move": "accept"}, content_type="application/json")
    assert english.json()["detail"].startswith("Only the receiving agency can accept this referral now.")


def test_a_409_of_the_api_for_a_status_is_said_in_spanish(officer, outsider_officer):
    referral = referral_in(Status.ACCEPTED, sender=officer, receiver=outsider_officer)
    answer = client_for(outsider_officer).post(
        f"/api/v1/referrals/{referral.pk}/transitions/",
        {"move": "decline", "reason": "no_capacity"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("Esta derivación ya fue aceptada, así que ahora no se puede rechazar.")


def test_the_new_referral_email_is_in_the_receivers_language(lectora, officer, outsider_officer):
    with after_commit():
        send(outsider_officer, lectora.agency)
    [spanish] = sent_to(lectora.email)
    assert spanish.subject == "Se envió una derivación nueva a su agencia"
    assert "Inicie sesión en el portal para verla y responder." in spanish.body
    [english] = sent_to(officer.email)
    assert english.subject == "A new referral was sent to your agency"


def test_withdrawing_asks_for_confirmation_first(officer, outsider_officer):
    referral = send(officer, outsider_officer.agency)
    url = reverse("cases:referral_transition", args=[referral.pk])
    asked = client_for(officer).post(url, {"move": "withdraw"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "You are about to withdraw this referral" in page
    assert "This cannot be undone." in page and 'name="reason"' not in page
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    done = client_for(officer).post(url, {"move": "withdraw", "confirmed": "yes", "note": "Chose another provider."})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_the_referral_form_shows_an_error_summary_that_links_to_the_note(officer, outsider_officer):
    data = referral_form(outsider_officer.agency_id, note=PHONE_NOTE)
    page = client_for(officer).post(reverse("cases:referral_create"), data).content.decode()
    summary = page[page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))]
    assert "There is a problem" in summary and 'href="#id_note"' in summary and "a phone number" in summary
    assert 'tabindex="-1"' in page and 'role="alert"' in page
    assert not any(digits in page for digits in PHONE_DIGITS)
    assert 'aria-describedby="id_note_helptext id_note_error"' in page
