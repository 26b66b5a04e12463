"""Writes of this area, one module per topic; everything is importable from here."""

from meetings.services.actions import (
    action_item_create,
    action_item_set_status,
    action_items_carry_over,
    meetings_to_carry_over,
    next_meeting_of_series,
)
from meetings.services.agenda import (
    AgendaItemInput,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    agenda_publish,
)
from meetings.services.attachments import allowed_extensions, attachment_add, attachment_remove
from meetings.services.attendance import (
    attendance_check_in,
    attendance_record,
    attendance_remove,
    check_in_opens_at,
    rsvp_set,
)
from meetings.services.committees import committee_save
from meetings.services.feeds import calendar_feed_create, calendar_feed_owner, calendar_feed_revoke
from meetings.services.meetings import MeetingInput, meeting_cancel, meeting_details, meeting_schedule, meeting_update
from meetings.services.minutes import (
    approval_meetings,
    minutes_approve,
    minutes_circulate,
    minutes_correct,
    minutes_save,
    next_approval_meeting,
)
from meetings.services.motions import RULE_IN_WORDS, motion_record, present_agencies
from meetings.services.reminders import meetings_to_remind, rsvp_reminder_send
from meetings.services.requests import (
    training_request_assign,
    training_request_set_status,
    training_request_submit,
)
from meetings.services.trainings import (
    TrainingInput,
    people_trained_record,
    training_cancel,
    training_offer,
    training_register,
    training_unregister,
    training_update,
)

__all__ = [
    "RULE_IN_WORDS",
    "AgendaItemInput",
    "MeetingInput",
    "TrainingInput",
    "action_item_create",
    "action_item_set_status",
    "action_items_carry_over",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "agenda_publish",
    "allowed_extensions",
    "approval_meetings",
    "attachment_add",
    "attachment_remove",
    "attendance_check_in",
    "attendance_record",
    "attendance_remove",
    "calendar_feed_create",
    "calendar_feed_owner",
    "calendar_feed_revoke",
    "check_in_opens_at",
    "committee_save",
    "meeting_cancel",
    "meeting_details",
    "meeting_schedule",
    "meeting_update",
    "meetings_to_carry_over",
    "meetings_to_remind",
    "minutes_approve",
    "minutes_circulate",
    "minutes_correct",
    "minutes_save",
    "motion_record",
    "next_approval_meeting",
    "next_meeting_of_series",
    "people_trained_record",
    "present_agencies",
    "rsvp_reminder_send",
    "rsvp_set",
    "training_cancel",
    "training_offer",
    "training_register",
    "training_request_assign",
    "training_request_set_status",
    "training_request_submit",
    "training_unregister",
    "training_update",
]
