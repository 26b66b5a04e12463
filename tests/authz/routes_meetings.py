"""Routes of meetings, trainings and calendars.

The meeting of the probes is a committee meeting of the home agency whose committee holds two people
of the home agency (the member and the agency administrator, who is also its organizer): the other
home roles are outside its audience (404), outsiders too, and only the organizer and the coordinators
run it. Trainings are offered to the whole task force; their host pages belong to the host agency.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.roles import Role
from meetings import services
from meetings.choices import ActionStatus, AttendanceSource, Audience, MeetingKind, RequestStatus
from meetings.models import ActionItem, AgendaItem, Attachment, Attendance, Meeting, MeetingSeries, TrainingRequest
from tests.authz.registry import Spec
from tests.authz.world import World
from tests.meetings.factories import CommitteeFactory, TrainingFactory

AUDIENCE = frozenset({Role.MEMBER, Role.AGENCY_ADMIN, Role.COORDINATOR})
ORGANIZERS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})
HOSTS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})  # OFFER_TRAININGS, for the host agency
COORDINATORS = frozenset({Role.COORDINATOR})
_POST = {"method": "post"}
_TRAININGS = "trainings are offered to the whole task force: every member may see one and register"


def _committee(world: World) -> object:
    def build() -> object:
        chair = world.people[Role.AGENCY_ADMIN]
        return CommitteeFactory(name="Home working group", chair=chair, people=[world.people[Role.MEMBER], chair])

    return world.once("committee", build)


def _meeting(world: World) -> Meeting:
    """Under way in 20 minutes: RSVPs and check-in are open, the agenda is locked."""

    def build() -> Meeting:
        start = timezone.now() + timedelta(minutes=20)
        return Meeting.objects.create(
            title="Home working group",
            kind=MeetingKind.COMMITTEE,
            audience=Audience.COMMITTEE,
            committee=_committee(world),
            organizer=world.people[Role.AGENCY_ADMIN],
            host_agency=world.home,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            location="Home Survivor Center, room 1",
            created_by=world.people[Role.COORDINATOR],
        )

    return world.once("meeting", build)


def _meeting_kwargs(world: World) -> dict[str, int]:
    return {"pk": _meeting(world).pk}


def _agenda_item(world: World) -> dict[str, int]:
    meeting = _meeting(world)
    item = world.once("agenda_item", lambda: AgendaItem.objects.create(meeting=meeting, title="Welcome", minutes=5))
    return {"pk": meeting.pk, "item_pk": item.pk}


def _attendance(world: World) -> dict[str, int]:
    meeting = _meeting(world)
    row = world.once(
        "attendance",
        lambda: Attendance.objects.create(
            meeting=meeting,
            agency=world.home,
            source=AttendanceSource.ORGANIZER,
            recorded_by=world.people[Role.COORDINATOR],
        ),
    )
    return {"pk": meeting.pk, "row_pk": row.pk}


def _attachment(world: World) -> dict[str, int]:
    meeting = _meeting(world)

    def build() -> Attachment:
        attachment = Attachment(
            meeting=meeting,
            name="handout.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=world.people[Role.COORDINATOR],
        )
        attachment.file.save("handout.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()
        return attachment

    return {"pk": meeting.pk, "file_pk": world.once("attachment", build).pk}


def _action_item(world: World) -> dict[str, int]:
    meeting = _meeting(world)
    item = world.once(
        "action_item",
        lambda: ActionItem.objects.create(
            meeting=meeting,
            title="Share the checklist",
            owner_agency=world.home,
            owner_person=world.people[Role.MEMBER],
            due_on=timezone.localdate(),
            status=ActionStatus.OPEN,
            created_by=world.people[Role.COORDINATOR],
        ),
    )
    return {"pk": item.pk}


def _training(world: World) -> dict[str, int]:
    training = world.once(
        "training", lambda: TrainingFactory(host_agency=world.home, created_by=world.people[Role.COORDINATOR])
    )
    return {"pk": training.pk}


def _public_training(world: World) -> dict[str, int]:
    training = world.once(
        "public_training",
        lambda: TrainingFactory(host_agency=world.home, is_public=True, created_by=world.people[Role.COORDINATOR]),
    )
    return {"pk": training.pk}


def _request(world: World) -> dict[str, int]:
    """A training request the coordinators routed to the home agency."""
    request = world.once(
        "training_request",
        lambda: TrainingRequest.objects.create(
            organization="Juniper Inn",
            contact_email="manager@inn.example.org",
            topic="Front desk",
            preferred_dates="May",
            status=RequestStatus.ASSIGNED,
            assigned_agency=world.home,
        ),
    )
    return {"pk": request.pk}


def _feed_token(world: World) -> dict[str, str]:
    return {"token": world.once("feed", lambda: services.calendar_feed_create(user=world.people[Role.MEMBER])[1])}


def _series(world: World) -> dict[str, int]:
    """A weekly series of the same committee, with one meeting: its decision log is for that audience."""

    def build() -> MeetingSeries:
        start = timezone.now() - timedelta(days=1)
        details = {
            "title": "Home working group (weekly)",
            "kind": MeetingKind.COMMITTEE,
            "audience": Audience.COMMITTEE,
            "committee": _committee(world),
            "organizer": world.people[Role.AGENCY_ADMIN],
            "host_agency": world.home,
            "created_by": world.people[Role.COORDINATOR],
        }
        series = MeetingSeries.objects.create(
            **details, frequency="weekly", first_start=start, duration=timedelta(hours=1), count=1
        )
        Meeting.objects.create(**details, series=series, starts_at=start, ends_at=start + timedelta(hours=1))
        return series

    return {"pk": world.once("series", build).pk}


ROUTES: dict[str, Spec] = {
    # The calendar, lists and feeds of one's own
    "meetings:calendar": Spec(),
    "meetings:calendar_list": Spec(),
    "meetings:calendar_feed": Spec(),
    "meetings:my_action_items": Spec(),
    "meetings:committee_list": Spec(),
    "meetings:training_list": Spec(),
    # A private feed: a public URL whose secret stands for the person
    "meetings:calendar_feed_ics": Spec(public=True, kwargs=_feed_token),
    # Scheduling
    "meetings:meeting_create": Spec(roles=COORDINATORS),
    "meetings:committee_create": Spec(roles=COORDINATORS),
    # The chair of a committee changes it with the coordinators; everyone else gets 404
    "meetings:committee_edit": Spec(roles=ORGANIZERS, kwargs=lambda w: {"pk": _committee(w).pk}),
    # A meeting, for its audience
    "meetings:meeting_detail": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "meetings:meeting_ics": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "meetings:meeting_rsvp": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs, data={"response": "yes"}, **_POST),
    "meetings:meeting_check_in": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs, **_POST),
    "meetings:attachment_download": Spec(roles=AUDIENCE, kwargs=_attachment),
    "meetings:meeting_print": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "meetings:meeting_pdf": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "meetings:series_decisions": Spec(roles=AUDIENCE, kwargs=_series),
    # Committees are shared with every member (the committee list); the log holds only the motions of the
    # meetings the person may see (an empty log to the others).
    "meetings:committee_decisions": Spec(
        kwargs=lambda w: {"pk": _committee(w).pk},
        shared_with_task_force="committees are listed to every member; each sees the motions of meetings they may see",
    ),
    "meetings:action_item_status": Spec(roles=AUDIENCE, kwargs=_action_item, data={"status": "done"}, **_POST),
    # A meeting, for whoever runs it
    "meetings:meeting_edit": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:meeting_cancel": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:agenda_edit": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:agenda_publish": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:agenda_item_edit": Spec(roles=ORGANIZERS, kwargs=_agenda_item, **_POST),
    "meetings:agenda_item_move": Spec(roles=ORGANIZERS, kwargs=_agenda_item, data={"direction": "up"}, **_POST),
    "meetings:agenda_item_remove": Spec(roles=ORGANIZERS, kwargs=_agenda_item, **_POST),
    "meetings:minutes_edit": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:minutes_circulate": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:minutes_approve": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:minutes_correct": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:attendance_edit": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:attendance_remove": Spec(roles=ORGANIZERS, kwargs=_attendance, **_POST),
    "meetings:action_item_create": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:motion_create": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs),
    "meetings:attachment_add": Spec(roles=ORGANIZERS, kwargs=_meeting_kwargs, **_POST),
    "meetings:attachment_remove": Spec(roles=ORGANIZERS, kwargs=_attachment, **_POST),
    # Trainings
    "meetings:training_create": Spec(roles=HOSTS),
    "meetings:training_detail": Spec(kwargs=_training, shared_with_task_force=_TRAININGS),
    "meetings:training_ics": Spec(kwargs=_training, shared_with_task_force=_TRAININGS),
    "meetings:training_register": Spec(kwargs=_training, shared_with_task_force=_TRAININGS, **_POST),
    "meetings:training_unregister": Spec(kwargs=_training, shared_with_task_force=_TRAININGS, **_POST),
    "meetings:training_edit": Spec(roles=HOSTS, kwargs=_training),
    "meetings:training_cancel": Spec(roles=HOSTS, kwargs=_training, **_POST),
    "meetings:training_people_trained": Spec(roles=HOSTS, kwargs=_training),
    # Training requests: the coordinators, and the administrators of the agency a request is routed to
    "meetings:training_request_list": Spec(roles=HOSTS),
    "meetings:training_request_detail": Spec(roles=HOSTS, kwargs=_request),
    # Public pages: the public training calendar and the one public write
    "meetings:public_training_list": Spec(public=True),
    "meetings:public_training_feed": Spec(public=True),
    "meetings:public_training_detail": Spec(public=True, kwargs=_public_training),
    "meetings:public_training_ics": Spec(public=True, kwargs=_public_training),
    "meetings:public_training_request": Spec(public=True),
    "meetings:public_training_request_thanks": Spec(public=True),
    # API
    "api:v1:meeting-list": Spec(),
    "api:v1:meeting-detail": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "api:v1:meeting-motions": Spec(roles=AUDIENCE, kwargs=_meeting_kwargs),
    "api:v1:meeting-series-detail": Spec(roles=AUDIENCE, kwargs=_series),
    "api:v1:meeting-series-decisions": Spec(roles=AUDIENCE, kwargs=_series),
    "api:v1:action-item-list": Spec(),
    "api:v1:action-item-detail": Spec(roles=AUDIENCE, kwargs=_action_item),
    "api:v1:action-item-set-status": Spec(roles=AUDIENCE, kwargs=_action_item, data={"status": "done"}, **_POST),
    "api:v1:training-list": Spec(),
    "api:v1:training-detail": Spec(kwargs=_training, shared_with_task_force=_TRAININGS),
    "api:v1:training-register": Spec(kwargs=_training, shared_with_task_force=_TRAININGS, **_POST),
    "api:v1:training-unregister": Spec(kwargs=_training, shared_with_task_force=_TRAININGS, **_POST),
    "api:v1:training-request-list": Spec(roles=HOSTS),
    "api:v1:training-request-detail": Spec(roles=HOSTS, kwargs=_request),
    "api:v1:training-request-track": Spec(roles=HOSTS, kwargs=_request, **_POST),
}
