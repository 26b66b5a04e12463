"""The service directory in Spanish: a person whose language is "es" reads its pages, the suggestion reasons
and the capacity reminder in Spanish; the public Open Referral export stays English data whatever the browser asks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency, AgreementKind, DataSharingAgreement, User
from agencies.roles import Role
from cases.suggestions import ReferralFacts
from digests.delivery import deliveries_send
from digests.models import DigestPlannerState
from digests.planner import digests_plan
from digests.sections import DigestWindow
from directory.agreements_digest import AgreementsSection
from directory.digest_sections import CapacitySection
from directory.matching import suggest
from tests.conftest import client_for
from tests.digests.helpers import LONG_AGO, bodies, digest_rows, prefer
from tests.directory.factories import ServiceProfileFactory
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)
WINDOW = DigestWindow(start=NOW - timedelta(days=1), end=NOW, now=NOW)


@pytest.fixture
def spanish_admin(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.AGENCY_ADMIN, language="es")


@pytest.fixture
def as_spanish_admin(spanish_admin: User) -> Client:
    return client_for(spanish_admin)


def test_the_directory_page_is_in_spanish_for_a_person_who_reads_spanish(
    as_spanish_admin: Client, other_agency: Agency
) -> None:
    ServiceProfileFactory(
        agency=other_agency, hours=[{"weekday": 1, "opens": "09:00", "closes": "17:00"}], interpretation_available=True
    )
    page = as_spanish_admin.get(reverse("directory:list")).content.decode()
    assert "<h1>Directorio de servicios</h1>" in page
    assert 'aria-label="Filtrar el directorio"' in page
    assert "1 agencia." in page and "Lunes 09:00-17:00" in page and "; consigue intérpretes" in page
    assert "Acepta derivaciones" in page and "confirmado hoy" in page
    assert "Service directory" not in page and "confirmed today" not in page


def test_a_profile_and_its_form_are_in_spanish(as_spanish_admin: Client, agency: Agency) -> None:
    ServiceProfileFactory(agency=agency, capacity_confirmed_at=timezone.now() - timedelta(days=3))
    detail = as_spanish_admin.get(reverse("directory:detail", args=[agency.pk])).content.decode()
    assert "La capacidad sigue siendo correcta" in detail and "confirmado hace 3 días" in detail
    assert "Último cambio:" in detail
    edit = as_spanish_admin.get(reverse("directory:edit", args=[agency.pk])).content.decode()
    assert "Perfil de servicios de" in edit and "Guardar el perfil de servicios" in edit
    assert "Servicios ofrecidos" in edit and "Lunes: abre" in edit and "Domingo: cierra" in edit


def test_a_refused_form_and_the_saved_message_are_in_spanish(as_spanish_admin: Client, agency: Agency) -> None:
    url = reverse("directory:edit", args=[agency.pk])
    refused = as_spanish_admin.post(url, {"after_hours": "none", "capacity": "accepting", "opens_2": "10:00"})
    assert refused.status_code == 400
    assert "Martes: indique la hora de apertura y la de cierre, o ninguna." in refused.content.decode()
    saved = as_spanish_admin.post(url, {"after_hours": "none", "capacity": "accepting"}, follow=True)
    assert f"El perfil de servicios de {agency.name} está guardado." in saved.content.decode()


def test_the_suggestion_reasons_are_in_the_readers_language(agency: Agency) -> None:
    ServiceProfileFactory(
        agency=AgencyFactory(name="Casa Refugio"),
        needs=["shelter", "legal"],
        languages=["es"],
        age_bands=["18_24"],
        after_hours="always_open",
    )
    facts = ReferralFacts(needs=("shelter", "medical"), language="es", age_band="18_24", urgency="emergency")
    with translation.override("es"):
        [match] = suggest(agency, facts)
    assert match.reasons[0] == "Ofrece refugio o vivienda"
    assert match.reasons[1].startswith("Habla ")
    assert "Atiende a adultos de 18 a 24 años" in match.reasons and "Abierto las 24 horas" in match.reasons
    assert match.gaps == ("No ofrece atención médica",)
    with translation.override("en"):
        [english] = suggest(agency, facts)  # the same match read in English
    assert english.reasons[:2] == ("Offers shelter or housing", "Speaks Spanish")


def test_the_capacity_reminder_is_in_spanish(agency: Agency, spanish_admin: User) -> None:
    ServiceProfileFactory(agency=agency, capacity_confirmed_at=NOW - timedelta(days=45))
    with translation.override("es"):
        content = CapacitySection().build(person=spanish_admin, window=WINDOW)
    assert content is not None
    assert content.title == "El estado de capacidad de su agencia"
    assert content.link_label == "Abrir el perfil de servicios de su agencia"
    [item] = content.items
    assert item.text.startswith("El estado de capacidad de su agencia se confirmó por última vez el 7 oct 2026")


def test_the_agreements_section_is_in_spanish(coordinator: User, settings: Any) -> None:
    settings.AGREEMENT_LAPSING_DAYS = 60
    lapsing = AgencyFactory(name="Bridgeway Family Services", with_agreement=False)
    DataSharingAgreement.objects.create(
        agency=lapsing,
        kind=AgreementKind.MOU,
        signed_on=date(2025, 1, 1),
        expires_on=date(2026, 7, 31),
        covers_referrals=True,
    )
    AgencyFactory(name="Lantern Legal Aid", with_agreement=False)
    june = DigestWindow(
        start=datetime(2026, 6, 14, 12, tzinfo=UTC),
        end=datetime(2026, 6, 15, 12, tzinfo=UTC),
        now=datetime(2026, 6, 15, 12, tzinfo=UTC),
    )
    with translation.override("es"):
        content = AgreementsSection().build(person=coordinator, window=june)
    assert content is not None and content.title == "Acuerdos de intercambio de datos"
    texts = [item.text for item in content.items]
    assert texts[0].startswith("Bridgeway Family Services: su ") and "vence el 31 jul 2026" in texts[0]
    assert texts[1].startswith("1 agencia activa no tiene un acuerdo vigente") and texts[1].endswith(
        "Lantern Legal Aid."
    )


def test_the_public_export_stays_english_data_for_a_spanish_browser(client: Client, other_agency: Agency) -> None:
    ServiceProfileFactory(agency=other_agency, public=True, needs=["shelter"], description="")
    response = client.get(reverse("directory_public:hsds"), HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "en"
    [service] = response.json()["services"]
    assert service["description"].startswith("Services for survivors of human trafficking: shelter or housing")


def test_the_capacity_reminder_email_is_in_the_persons_language(
    agency: Agency, spanish_admin: User, settings: Any
) -> None:
    settings.DIGEST_SECTIONS = ["cases.digest_sections.ReferralsSection", "directory.digest_sections.CapacitySection"]
    DigestPlannerState.objects.create(pk=1, first_run_at=LONG_AGO, last_run_at=LONG_AGO)
    ServiceProfileFactory(agency=agency, capacity_confirmed_at=NOW - timedelta(days=60))
    prefer(spanish_admin, hour=7)
    digests_plan(now=NOW)
    deliveries_send(ids=[row.pk for row in digest_rows()])
    [message] = mail.outbox
    assert message.to == [spanish_admin.email]
    body = bodies(message)
    assert "El estado de capacidad de su agencia se confirmó por última vez el 22 sep 2026" in body
    assert "Abrir el perfil de servicios de su agencia" in body
    assert "capacity status" not in body
