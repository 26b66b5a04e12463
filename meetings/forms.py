"""Web forms. They read and type the input; the services decide what is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core import signing
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User
from agencies.roles import Action
from meetings import services
from meetings.choices import (
    ActionStatus,
    Audience,
    Frequency,
    MeetingKind,
    RequestStatus,
    RsvpResponse,
    TrainingSector,
    Vote,
)
from meetings.models import Committee, Meeting, Training
from meetings.models.motions import MOTION_TEXT_MAX_LENGTH
from meetings.models.records import AGENDA_NOTES_MAX_LENGTH, MINUTES_MAX_LENGTH
from meetings.recurrence import MAX_OCCURRENCES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_GUARDED = {"data-deid-check": "true"}
_LOCAL = _("Time in the task force's time zone.")


def _datetime(label: StrOrPromise) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_LOCAL,
    )


def _people() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


def _person_label(person: User) -> str:
    # The choices come from _people(), which holds only people of an agency.
    return f"{person.get_full_name() or person.email} ({person.member_agency.name})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person_label(obj)


# What the de-identification guard lets through in a place and in a description that names staff
# (meetings/services/checks.py): said up front, so that a refusal is no surprise.
_PLACE_HELP = _("A public place or a building's street address; never anyone's home, name or phone.")
_STAFF_HELP = _("Presenters and staff may be named; nothing about anyone served.")


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Kind of meeting"))
    audience = forms.ChoiceField(choices=Audience.choices, label=_("Who it is for"), widget=forms.RadioSelect)
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.filter(is_active=True),
        required=False,
        label=_("Committee"),
        help_text=_("For a committee's members only."),
    )
    host_agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), label=_("Host agency"))
    organizer = PersonChoiceField(
        queryset=_people(),
        required=False,
        label=_("Organizer (optional)"),
        help_text=_(
            "Besides the coordinators, this person runs the agenda, minutes and attendance (a committee chair)."
        ),
    )
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    location = forms.CharField(max_length=300, required=False, label=_("Place"), help_text=_PLACE_HELP)
    video_url = forms.URLField(max_length=500, required=False, label=_("Video link"), assume_scheme="https")
    repeats = forms.ChoiceField(
        choices=[("", _("Does not repeat")), *Frequency.choices],
        required=False,
        label=_("Repeats"),
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        min_value=2, max_value=MAX_OCCURRENCES, required=False, label=_("Number of meetings in the series")
    )

    def __init__(self, *args: Any, actor: User, meeting: Meeting | None = None, **kwargs: Any) -> None:
        if meeting is not None:
            kwargs.setdefault("initial", services.meeting_details(meeting).__dict__)
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is not None:
            del self.fields["repeats"], self.fields["count"]
            if not actor.can(Action.RUN_MEETINGS):
                for name in ("audience", "committee", "organizer"):
                    self.fields[name].disabled = True
        else:
            self.fields["host_agency"].initial = actor.agency_id

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("repeats") and not data.get("count"):
            self.add_error("count", gettext("Say how many meetings the series holds."))
        return data

    def to_input(self) -> services.MeetingInput:
        data = self.cleaned_data
        return services.MeetingInput(**{name: data[name] for name in services.MeetingInput.__dataclass_fields__})


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    presenter_agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), required=False, label=_("Presenter agency")
    )
    minutes = forms.IntegerField(min_value=1, max_value=240, initial=10, label=_("Time box (minutes)"))
    notes = forms.CharField(
        max_length=AGENDA_NOTES_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every meeting's agenda goes through the de-identification guard, so every one checks as you type.
        self.fields["notes"].widget.attrs.update(_GUARDED)
        self.fields["notes"].help_text = (
            gettext("Refer to referrals by reference code only. No identifying details.")
            if meeting.is_case_review
            else gettext("No identifying details about anyone served.")
        )

    def to_input(self) -> services.AgendaItemInput:
        return services.AgendaItemInput(**self.cleaned_data)


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Minutes"), max_length=MINUTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 16}), strip=True
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Minutes of every kind of meeting go through the guard: they check as you type too.
        self.fields["body"].widget.attrs.update(_GUARDED)
        self.fields["body"].help_text = (
            gettext(
                "Case review: refer to referrals only by reference code (like JUN-2026-00042). Never a name, "
                "contact detail, address, date of birth, ID or case number."
            )
            if meeting.is_case_review
            else gettext(
                "No identifying details about anyone served: no name, contact detail, address, full date or ID."
            )
        )


class ApproveForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), label=_("Approved at the meeting of"), empty_label=None
    )

    def __init__(self, *args: Any, choices: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        at_meeting = self.fields["at_meeting"]
        assert isinstance(at_meeting, forms.ModelChoiceField)
        at_meeting.queryset = Meeting.objects.filter(pk__in=[m.pk for m in choices])
        if choices:
            at_meeting.initial = choices[-1].pk


class CorrectionForm(forms.Form):
    reason = forms.CharField(max_length=300, label=_("What does the correction fix?"))


class AttendanceForm(forms.Form):
    person = PersonChoiceField(queryset=_people(), required=False, label=_("Person present"))
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        label=_("Or: agency present"),
        help_text=_("When you do not record who came from it."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("person")) == bool(data.get("agency")):
            raise forms.ValidationError(gettext("Choose a person or an agency (one of the two)."))
        return data


class RsvpForm(forms.Form):
    response = forms.ChoiceField(choices=RsvpResponse.choices, widget=forms.RadioSelect, label=_("Will you attend?"))


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("What is to be done"))
    owner_agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), label=_("Owner agency"))
    owner_person = PersonChoiceField(queryset=_people(), required=False, label=_("Owner (person, optional)"))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Handout"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extensions = services.allowed_extensions()
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in extensions)
        self.fields["file"].help_text = gettext("Allowed: %(extensions)s.") % {"extensions": ", ".join(extensions)}


class CommitteeForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    description = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Description"),
        help_text=_STAFF_HELP,
    )
    chair = PersonChoiceField(queryset=_people(), required=False, label=_("Chair"))
    members = PeopleChoiceField(
        queryset=_people(), required=False, widget=forms.CheckboxSelectMultiple, label=_("People")
    )
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Agencies (all their people)"),
    )

    def __init__(self, *args: Any, actor: User, committee: Committee | None = None, **kwargs: Any) -> None:
        if committee is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": committee.name,
                    "description": committee.description,
                    "chair": committee.chair_id,
                    "members": list(committee.members.values_list("pk", flat=True)),
                    "agencies": list(committee.agencies.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        if not actor.can(Action.RUN_MEETINGS):
            self.fields["chair"].disabled = True


class TrainingForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 5}), label=_("Description"), help_text=_STAFF_HELP
    )
    sectors = forms.MultipleChoiceField(
        choices=TrainingSector.choices, widget=forms.CheckboxSelectMultiple, label=_("Audience sectors")
    )
    host_agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), label=_("Host agency"))
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    location = forms.CharField(max_length=300, required=False, label=_("Place"), help_text=_PLACE_HELP)
    video_url = forms.URLField(max_length=500, required=False, label=_("Video link"), assume_scheme="https")
    capacity = forms.IntegerField(
        min_value=1, max_value=2000, label=_("Capacity"), help_text=_("Seats; people beyond go on a waiting list.")
    )
    is_public = forms.BooleanField(required=False, label=_("Public: show it on the public training page and feed"))

    def __init__(self, *args: Any, actor: User, training: Training | None = None, **kwargs: Any) -> None:
        if training is not None:
            initial = {name: getattr(training, name, None) for name in self.base_fields}
            initial["sectors"] = list(training.audiences.values_list("sector", flat=True))
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        host_agency = self.fields["host_agency"]
        assert isinstance(host_agency, forms.ModelChoiceField)
        if not actor.can(Action.RUN_MEETINGS):
            host_agency.queryset = Agency.objects.filter(people=actor)
        host_agency.initial = host_agency.initial or actor.agency_id

    def to_input(self) -> services.TrainingInput:
        return services.TrainingInput(**self.cleaned_data)


class PeopleTrainedForm(forms.Form):
    def __init__(self, *args: Any, training: Training, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recorded = {row.sector: row.count for row in training.people_trained.all()}
        for value, label in TrainingSector.choices:
            self.fields[value] = forms.IntegerField(
                label=label, min_value=0, max_value=10000, initial=recorded.get(value, 0), required=False
            )

    def counts(self) -> dict[str, int]:
        return {name: value or 0 for name, value in self.cleaned_data.items()}


_FORM_SALT = "meetings.training_request_form"


class TrainingRequestForm(forms.Form):
    """The public form. `website` is a honeypot: hidden from people, filled in by robots."""

    organization = forms.CharField(max_length=200, label=_("Organization name"))
    contact_email = forms.EmailField(label=_("Contact email"))
    topic = forms.CharField(
        max_length=300, label=_("Topic"), help_text=_("For example: recognizing trafficking in hotels.")
    )
    preferred_dates = forms.CharField(
        max_length=300,
        label=_("Preferred dates"),
        help_text=_("A few dates or a period, for example: any weekday in May."),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    # Django's own attribute (set in BaseForm.__init__), which the stubs leave out as private.
    _errors: ErrorDict | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(timezone.now().timestamp(), salt=_FORM_SALT)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def restamped(self) -> TrainingRequestForm:
        """The same answers and errors with a new time stamp, for the next try."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["started"] = signing.dumps(timezone.now().timestamp(), salt=_FORM_SALT)
        form = TrainingRequestForm(data)
        form._errors = self.errors
        return form

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def seconds_since_shown(self) -> float | None:
        """How long the person took; None if the form's stamp is missing, forged or a day old."""
        try:
            shown = signing.loads(self.data.get("started", ""), salt=_FORM_SALT, max_age=86400)
        except signing.BadSignature:
            return None
        return timezone.now().timestamp() - float(shown)


class RequestAssignForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.filter(is_active=True), label=_("Host agency"))


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (v, label) for v, label in RequestStatus.choices if v not in (RequestStatus.NEW, RequestStatus.ASSIGNED)
        ],
        label=_("Status"),
    )
    training = forms.ModelChoiceField(
        queryset=Training.objects.none(), required=False, label=_("The training (optional)")
    )

    def __init__(self, *args: Any, agency_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        training = self.fields["training"]
        assert isinstance(training, forms.ModelChoiceField)
        training.queryset = Training.objects.filter(host_agency_id=agency_id)


class MotionForm(forms.Form):
    """A motion with one vote field per agency present (`vote_<agency id>`)."""

    text = forms.CharField(
        label=_("The motion"),
        max_length=MOTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, **_GUARDED}),
        help_text=_("What the meeting decides, in one or two sentences. No identifying details about anyone served."),
    )
    mover_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Moved by (agency)"))
    seconder_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Seconded by (agency)"))

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = Agency.objects.filter(pk__in=[agency.pk for agency in agencies]).order_by("name")
        for name in ("mover_agency", "seconder_agency"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = present
        self.agencies = agencies
        for agency in agencies:
            self.fields[f"vote_{agency.pk}"] = forms.ChoiceField(
                label=agency.name, choices=Vote.choices, widget=forms.RadioSelect, required=False
            )

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[f"vote_{agency.pk}"] for agency in self.agencies]

    def votes(self) -> dict[int, str]:
        """The votes cast; an agency left blank did not vote."""
        cast = {agency.pk: self.cleaned_data.get(f"vote_{agency.pk}") or "" for agency in self.agencies}
        return {pk: vote for pk, vote in cast.items() if vote}
