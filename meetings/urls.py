from django.urls import path

from meetings.views import (
    actions,
    agenda,
    attachments,
    attendance,
    calendar,
    committees,
    meetings,
    minutes,
    motions,
    printing,
    public,
    requests,
    trainings,
)

app_name = "meetings"

_MEETING = "meetings/<int:pk>/"

urlpatterns = [
    # The calendar and feeds
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/list/", calendar.calendar_list, name="calendar_list"),
    path("calendar/feed/", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed_ics, name="calendar_feed_ics"),
    # Meetings
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path(_MEETING, meetings.meeting_detail, name="meeting_detail"),
    path(f"{_MEETING}event.ics", meetings.meeting_ics, name="meeting_ics"),
    path(f"{_MEETING}edit/", meetings.meeting_edit, name="meeting_edit"),
    path(f"{_MEETING}cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path(f"{_MEETING}rsvp/", meetings.meeting_rsvp, name="meeting_rsvp"),
    path(f"{_MEETING}check-in/", meetings.meeting_check_in, name="meeting_check_in"),
    path(f"{_MEETING}agenda/", agenda.agenda_edit, name="agenda_edit"),
    path(f"{_MEETING}agenda/publish/", agenda.agenda_publish, name="agenda_publish"),
    path(f"{_MEETING}agenda/<int:item_pk>/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path(f"{_MEETING}agenda/<int:item_pk>/move/", agenda.agenda_item_move, name="agenda_item_move"),
    path(f"{_MEETING}agenda/<int:item_pk>/remove/", agenda.agenda_item_remove, name="agenda_item_remove"),
    path(f"{_MEETING}minutes/", minutes.minutes_edit, name="minutes_edit"),
    path(f"{_MEETING}minutes/circulate/", minutes.minutes_circulate, name="minutes_circulate"),
    path(f"{_MEETING}minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path(f"{_MEETING}minutes/correct/", minutes.minutes_correct, name="minutes_correct"),
    path(f"{_MEETING}attendance/", attendance.attendance_edit, name="attendance_edit"),
    path(f"{_MEETING}attendance/<int:row_pk>/remove/", attendance.attendance_remove, name="attendance_remove"),
    path(f"{_MEETING}motions/new/", motions.motion_create, name="motion_create"),
    path(f"{_MEETING}print/", printing.meeting_print, name="meeting_print"),
    path(f"{_MEETING}print.pdf", printing.meeting_pdf, name="meeting_pdf"),
    path("meetings/series/<int:pk>/decisions/", motions.series_decisions, name="series_decisions"),
    path(f"{_MEETING}action-items/new/", actions.action_item_create, name="action_item_create"),
    path(f"{_MEETING}handouts/", attachments.attachment_add, name="attachment_add"),
    path(f"{_MEETING}handouts/<int:file_pk>/", attachments.attachment_download, name="attachment_download"),
    path(f"{_MEETING}handouts/<int:file_pk>/remove/", attachments.attachment_remove, name="attachment_remove"),
    path("meetings/committees/", committees.committee_list, name="committee_list"),
    path("meetings/committees/new/", committees.committee_create, name="committee_create"),
    path("meetings/committees/<int:pk>/", committees.committee_edit, name="committee_edit"),
    path("meetings/committees/<int:pk>/decisions/", motions.committee_decisions, name="committee_decisions"),
    # Action items
    path("action-items/", actions.my_action_items, name="my_action_items"),
    path("action-items/<int:pk>/status/", actions.action_item_status, name="action_item_status"),
    # Trainings (members)
    path("trainings/", trainings.training_list, name="training_list"),
    path("trainings/new/", trainings.training_create, name="training_create"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training_detail"),
    path("trainings/<int:pk>/event.ics", trainings.training_ics, name="training_ics"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path("trainings/<int:pk>/cancel/", trainings.training_cancel, name="training_cancel"),
    path("trainings/<int:pk>/register/", trainings.training_register, name="training_register"),
    path("trainings/<int:pk>/unregister/", trainings.training_unregister, name="training_unregister"),
    path("trainings/<int:pk>/people-trained/", trainings.training_people_trained, name="training_people_trained"),
    path("trainings/requests/", requests.training_request_list, name="training_request_list"),
    path("trainings/requests/<int:pk>/", requests.training_request_detail, name="training_request_detail"),
    # Public pages: no sign-in
    path("public/trainings/", public.public_training_list, name="public_training_list"),
    path("public/trainings.ics", public.public_training_feed, name="public_training_feed"),
    path("public/trainings/<int:pk>/", public.public_training_detail, name="public_training_detail"),
    path("public/trainings/<int:pk>/event.ics", public.public_training_ics, name="public_training_ics"),
    path("public/request-training/", public.public_training_request, name="public_training_request"),
    path(
        "public/request-training/thanks/", public.public_training_request_thanks, name="public_training_request_thanks"
    ),
]
