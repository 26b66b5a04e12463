"""The error summary of a refused form (issue 20): every form sent back with errors starts with "There is a
problem" and one link per error to its field, and it is the page's only alert (a field's own error is not one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from activity.quarters import last_ended_quarter
from agencies.models import Sector, User
from agencies.roles import Role
from meetings import services as meeting_services
from meetings.models import Meeting
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import move_to, schedule
from tests.meetings.factories import TrainingFactory
from webhooks.models import WebhookEvent
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="errors error-summary"[^>]*data-error-summary>(.*?)</div>', re.S)


@dataclass
class Refused:
    """A form sent with bad data: who sends it, where, and what."""

    client: Client
    url: str
    data: dict[str, object] = field(default_factory=dict)
    method: str = "post"

    def send(self) -> str:
        response = getattr(self.client, self.method)(self.url, self.data)
        assert response.status_code == 400
        return response.content.decode()


def _coordinator(request: pytest.FixtureRequest) -> User:
    return request.getfixturevalue("coordinator")


def _agreement(request: pytest.FixtureRequest) -> Refused:
    clinic = AgencyFactory(with_agreement=False)
    data = {"agency": clinic.pk, "kind": "info_sharing_protocol", "scope": [], "signed_on": "soon"}
    return Refused(client_for(_coordinator(request)), reverse("agencies:agreement_create"), data)


def _figures(request: pytest.FixtureRequest) -> Refused:
    sheriff = AgencyFactory(sector=Sector.LAW_ENFORCEMENT)
    admin = UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN)
    url = f"{reverse('activity:figures')}?quarter={last_ended_quarter().slug}"
    return Refused(client_for(admin), url, {"arrests_labor": "-2"})


def _announcement(request: pytest.FixtureRequest) -> Refused:
    data = {"title": "", "body": "Beds are free.", "audience": "sector", "sector": ""}
    return Refused(client_for(_coordinator(request)), reverse("home:announcement_create"), data)


def _profile(request: pytest.FixtureRequest) -> Refused:
    agency = request.getfixturevalue("agency")
    data = {"needs": ["flying"], "opens_2": "10:00", "capacity": "waitlist", "after_hours": "none"}
    admin = request.getfixturevalue("agency_admin")
    return Refused(client_for(admin), reverse("directory:edit", args=[agency.pk]), data)


def _capacity(request: pytest.FixtureRequest) -> Refused:
    agency = request.getfixturevalue("agency")
    admin = request.getfixturevalue("agency_admin")
    return Refused(client_for(admin), reverse("directory:capacity", args=[agency.pk]), {"capacity": "flying"})


def _directory_filters(request: pytest.FixtureRequest) -> Refused:
    member = request.getfixturevalue("member")
    return Refused(client_for(member), reverse("directory:list"), {"need": "flying"}, method="get")


def _endpoint_add(request: pytest.FixtureRequest) -> Refused:
    admin = request.getfixturevalue("agency_admin")
    return Refused(client_for(admin), reverse("webhooks:add"), {"url": "http://cms.example.org/hooks", "events": []})


def _endpoint_edit(request: pytest.FixtureRequest) -> Refused:
    request.getfixturevalue("settings").WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    admin = request.getfixturevalue("agency_admin")
    endpoint = webhook_endpoint_create(
        actor=admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    return Refused(client_for(admin), reverse("webhooks:edit", args=[endpoint.pk]), {"events": []})


def _report(request: pytest.FixtureRequest) -> Refused:
    manager = request.getfixturevalue("grant_manager")
    return Refused(client_for(manager), reverse("reports:new"), {"kind": "quarter", "year": "20x5"})


def _funder(request: pytest.FixtureRequest) -> Refused:
    manager = request.getfixturevalue("grant_manager")
    data = {"template": "no-such-form", "period": "2025-q9"}
    return Refused(client_for(manager), reverse("reports:funder_workflow"), data, method="get")


def _digest_preferences(request: pytest.FixtureRequest) -> Refused:
    member = request.getfixturevalue("member")
    data = {"frequency": "hourly", "weekday": "9", "hour": "24", "time_zone": "Mars/Olympus"}
    return Refused(client_for(member), reverse("digests:preferences"), data)


def _digest_defaults(request: pytest.FixtureRequest) -> Refused:
    data = {"frequency": "daily", "weekday": "0", "hour": "-1"}
    return Refused(client_for(_coordinator(request)), reverse("digests:defaults"), data)


def _meeting_form(request: pytest.FixtureRequest) -> Refused:
    data = {"title": "", "starts_at": "tomorrow-ish"}
    return Refused(client_for(_coordinator(request)), reverse("meetings:meeting_create"), data)


def _started(coordinator: User) -> Meeting:
    return move_to(schedule(coordinator), starts_in=-timedelta(hours=1), length=timedelta(hours=2))


def _action_item(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    url = reverse("meetings:action_item_create", args=[_started(coordinator).pk])
    return Refused(client_for(coordinator), url, {"title": "", "due_on": "someday"})


def _motion(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    meeting = _started(coordinator)
    meeting_services.attendance_record(actor=coordinator, meeting=meeting, agency=coordinator.agency)
    url = reverse("meetings:motion_create", args=[meeting.pk])
    return Refused(client_for(coordinator), url, {"text": "", "mover_agency": coordinator.agency.pk})


def _attendance(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    url = reverse("meetings:attendance_edit", args=[_started(coordinator).pk])
    return Refused(client_for(coordinator), url, {"person": "", "agency": "999999"})


def _agenda_add(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    url = reverse("meetings:agenda_edit", args=[schedule(coordinator).pk])
    return Refused(client_for(coordinator), url, {"new-title": "", "new-minutes": "900"})


def _agenda_item(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    meeting = schedule(coordinator)
    client = client_for(coordinator)
    client.post(reverse("meetings:agenda_edit", args=[meeting.pk]), {"new-title": "Welcome", "new-minutes": "5"})
    item = meeting.agenda_items.get()
    url = reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])
    return Refused(client, url, {f"item-{item.pk}-title": "", f"item-{item.pk}-minutes": "five"})


def _minutes(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    url = reverse("meetings:minutes_edit", args=[_started(coordinator).pk])
    return Refused(client_for(coordinator), url, {"body": ""})


def _committee(request: pytest.FixtureRequest) -> Refused:
    return Refused(client_for(_coordinator(request)), reverse("meetings:committee_create"), {"name": ""})


def _training(request: pytest.FixtureRequest) -> Refused:
    data = {"title": "", "starts_at": "soon", "capacity": "-1"}
    return Refused(client_for(_coordinator(request)), reverse("meetings:training_create"), data)


def _people_trained(request: pytest.FixtureRequest) -> Refused:
    coordinator = _coordinator(request)
    ended = timezone.now() - timedelta(hours=1)
    training = TrainingFactory(host_agency=coordinator.agency, starts_at=ended - timedelta(hours=2), ends_at=ended)
    url = reverse("meetings:training_people_trained", args=[training.pk])
    return Refused(client_for(coordinator), url, {"health_care": "-3", "schools": "many"})


def _training_request(request: pytest.FixtureRequest) -> Refused:
    answers = {"organization": "Juniper Inn", "contact_email": "desk@inn.example.org", "topic": "Signs"}
    item = meeting_services.training_request_submit(**answers, preferred_dates="May")
    url = reverse("meetings:training_request_detail", args=[item.pk])
    return Refused(client_for(_coordinator(request)), url, {"action": "assign", "agency": "999999"})


def _public_training_request(request: pytest.FixtureRequest) -> Refused:
    client = Client()
    url = reverse("meetings:public_training_request")
    started = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode())
    assert started
    data = {"organization": "", "contact_email": "not an address", "started": started.group(1)}
    return Refused(client, url, data)


FORMS: dict[str, Callable[[pytest.FixtureRequest], Refused]] = {
    "agencies/agreement_form": _agreement,
    "activity/figures": _figures,
    "home/announcement_form": _announcement,
    "directory/profile_edit": _profile,
    "directory/capacity_confirm": _capacity,
    "directory/directory": _directory_filters,
    "webhooks/endpoint_add": _endpoint_add,
    "webhooks/endpoint_edit": _endpoint_edit,
    "reports/report_form": _report,
    "reports/funder_workflow": _funder,
    "digests/preferences": _digest_preferences,
    "digests/defaults": _digest_defaults,
    "meetings/meeting_form": _meeting_form,
    "meetings/action_item_form": _action_item,
    "meetings/motion_form": _motion,
    "meetings/attendance_edit": _attendance,
    "meetings/agenda_edit (add)": _agenda_add,
    "meetings/agenda_edit (item)": _agenda_item,
    "meetings/minutes_edit": _minutes,
    "meetings/committee_form": _committee,
    "meetings/training_form": _training,
    "meetings/people_trained_form": _people_trained,
    "meetings/training_request_detail": _training_request,
    "meetings/public_training_request": _public_training_request,
}


def summary_of(page: str) -> str:
    found = SUMMARY.findall(page)
    assert len(found) == 1, f"{len(found)} error summaries"
    return found[0]


@pytest.mark.parametrize("refused", FORMS.values(), ids=FORMS.keys())
def test_a_refused_form_starts_with_a_summary_linking_to_its_fields(
    refused: Callable[[pytest.FixtureRequest], Refused], request: pytest.FixtureRequest
) -> None:
    page = refused(request).send()
    summary = summary_of(page)
    assert "There is a problem" in summary
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    errors = re.findall(r"<li>", summary)
    assert errors, "the summary lists no error"
    for target in targets:
        assert re.search(rf'\bid="{re.escape(target)}"', page), f"no field #{target} on the page"
    # One alert per page: the summary. A field's own error is described by it (aria-describedby), not announced.
    assert page.count('role="alert"') == 1


def test_a_field_error_stays_with_its_field_which_it_describes(request: pytest.FixtureRequest) -> None:
    page = _announcement(request).send()
    assert '<p class="error" id="id_title_error">' in page
    assert re.search(r'<input[^>]*aria-describedby="id_title_error"[^>]*id="id_title"', page)
    assert '<a href="#id_title">' in summary_of(page)


def test_a_group_of_choices_is_linked_by_its_first_choice(request: pytest.FixtureRequest) -> None:
    page = _report(request).send()
    assert '<a href="#id_measures_0_0">Measures: Choose at least one measure.</a>' in summary_of(page)


def test_the_summary_is_in_spanish_for_a_person_who_reads_spanish(request: pytest.FixtureRequest) -> None:
    refused = _committee(request)
    coordinator = _coordinator(request)
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    page = Refused(client_for(coordinator), refused.url, refused.data).send()
    with translation.override("es"):
        title = gettext("There is a problem")
    assert title != "There is a problem"
    assert f'<h2 class="error-summary-title">{title}</h2>' in summary_of(page)
