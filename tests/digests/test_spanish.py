"""Email in the person's language: the digest (subject, sections, dates, footer), notifications and pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import User
from digests.delivery import deliveries_send
from digests.notifications import notification_fan_out
from digests.planner import digests_plan
from digests.rendering import unsubscribe_token
from digests.sections import DigestItem, DigestWindow, SectionContent
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from tests.digests.helpers import digest_rows, prefer, sent_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]

MEETING_AT = datetime(2026, 12, 7, 20, 30, tzinfo=UTC)  # 2:30 PM in Chicago


class LanguageSection:
    """A section that says which language it was built in, with a dated item."""

    key = "language_probe"
    title = "probe"

    def build(self, *, person: User, window: DigestWindow) -> SectionContent:
        item = DigestItem(text=f"built in {translation.get_language()}", when=MEETING_AT)
        return SectionContent(key=self.key, title=f"section-{translation.get_language()}", items=[item])


@pytest.fixture
def probe_section(settings):
    settings.DIGEST_SECTIONS = [f"{__name__}.LanguageSection"]


def _spanish(person: User) -> User:
    User.objects.filter(pk=person.pk).update(language="es")
    person.refresh_from_db()
    return person


def _send_digests() -> None:
    digests_plan(now=timezone.now())
    deliveries_send(ids=[row.pk for row in digest_rows()])


def test_it_sends_the_digest_in_the_persons_language(probe_section, officer, outsider_officer):
    prefer(_spanish(officer), time_zone="America/Chicago")
    prefer(outsider_officer, time_zone="America/Chicago")
    _send_digests()
    (spanish,) = sent_to(officer.email)
    assert spanish.subject == "Su resumen diario del grupo de trabajo"
    assert "SECTION-ES" in spanish.body and "built in es" in spanish.body  # the sections were built in Spanish
    assert "(7 dic 2026, 14:30)" in spanish.body  # the date, in Spanish and on a 24-hour clock
    assert "Inicie sesión en el portal para ver más:" in spanish.body
    assert "Cancelar la suscripción con un clic:" in spanish.body
    html = spanish.alternatives[0][0]
    assert '<html lang="es">' in html and "Por su seguridad y la de las personas sobrevivientes" in html
    (english,) = sent_to(outsider_officer.email)  # the same batch: no Spanish leaks into the next person's
    assert english.subject == "Your daily task-force digest"
    assert "built in en" in english.body and "(Dec 7, 2026, 2:30 PM)" in english.body
    assert '<html lang="en">' in english.alternatives[0][0]


def test_it_sends_a_notification_footer_in_the_persons_language(officer, outsider_officer):
    prefer(_spanish(officer))
    referral = send(outsider_officer, officer.agency)
    deliveries_send(ids=notification_fan_out(kind="referral_received", target_id=referral.pk, now=timezone.now()))
    (message,) = sent_to(officer.email)
    assert "Dejar de recibir estos correos con un clic:" in message.body
    assert '<html lang="es">' in message.alternatives[0][0]


def test_it_shows_the_email_settings_in_spanish(officer):
    page = client_for(_spanish(officer)).get(reverse("digests:preferences")).content.decode()
    assert "<h1>Configuración de correo</h1>" in page
    assert "Con qué frecuencia" in page and "Lunes" in page and "Enviarme un correo de inmediato cuando" in page


def test_it_says_a_bad_choice_in_spanish_with_no_500(officer):
    client = client_for(_spanish(officer))
    response = client.post(reverse("digests:preferences"), {"action": "save", "frequency": "hourly", "hour": "99"})
    assert response.status_code == 400
    assert "Escoja una opción válida" in response.content.decode()


def test_it_confirms_an_unsubscription_in_the_browsers_language(officer):
    url = reverse("digests:unsubscribe", args=[unsubscribe_token(person_id=officer.pk, stream="digest")])
    page = Client().get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Dejar de recibir el resumen del grupo de trabajo?" in page
