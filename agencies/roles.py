"""Roles and what each may do: the one place where permissions are expressed."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    REFERRAL_OFFICER = "referral_officer", _("Referral officer")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    COORDINATOR = "coordinator", _("Task-force coordinator")
    GRANT_MANAGER = "grant_manager", _("Grant manager")


class Action(StrEnum):
    VIEW_TASKFORCE_CONTENT = "view_taskforce_content"
    HANDLE_REFERRALS = "handle_referrals"
    INVITE_TO_OWN_AGENCY = "invite_to_own_agency"
    INVITE_TO_ANY_AGENCY = "invite_to_any_agency"
    MANAGE_OWN_AGENCY_PEOPLE = "manage_own_agency_people"
    ADMIT_AGENCIES = "admit_agencies"
    RUN_MEETINGS = "run_meetings"
    VIEW_AGENCY_AUDIT = "view_agency_audit"
    VIEW_TASKFORCE_AUDIT = "view_taskforce_audit"
    VIEW_REPORTS = "view_reports"
    EXPORT_REPORTS = "export_reports"
    USE_API_TOKENS = "use_api_tokens"
    OFFER_TRAININGS = "offer_trainings"
    MANAGE_TRAINING_REQUESTS = "manage_training_requests"
    SET_DIGEST_DEFAULTS = "set_digest_defaults"
    APPROVE_REPORTS = "approve_reports"
    ENTER_ACTIVITY_FIGURES = "enter_activity_figures"
    FILE_FUNDER_REPORTS = "file_funder_reports"
    EDIT_SERVICE_PROFILE = "edit_service_profile"
    MANAGE_AGREEMENTS = "manage_agreements"
    SEND_ANNOUNCEMENTS = "send_announcements"
    MANAGE_WEBHOOKS = "manage_webhooks"


_EVERYONE = frozenset(Role)

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW_TASKFORCE_CONTENT: _EVERYONE,
    Action.HANDLE_REFERRALS: frozenset({Role.REFERRAL_OFFICER}),
    Action.INVITE_TO_OWN_AGENCY: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    Action.INVITE_TO_ANY_AGENCY: frozenset({Role.COORDINATOR}),
    Action.MANAGE_OWN_AGENCY_PEOPLE: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    Action.ADMIT_AGENCIES: frozenset({Role.COORDINATOR}),
    Action.RUN_MEETINGS: frozenset({Role.COORDINATOR}),
    Action.VIEW_AGENCY_AUDIT: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    Action.VIEW_TASKFORCE_AUDIT: frozenset({Role.COORDINATOR}),
    Action.VIEW_REPORTS: frozenset({Role.GRANT_MANAGER, Role.COORDINATOR}),
    Action.EXPORT_REPORTS: frozenset({Role.GRANT_MANAGER, Role.COORDINATOR}),
    Action.USE_API_TOKENS: _EVERYONE,
    Action.OFFER_TRAININGS: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    Action.MANAGE_TRAINING_REQUESTS: frozenset({Role.COORDINATOR}),
    Action.SET_DIGEST_DEFAULTS: frozenset({Role.COORDINATOR}),
    Action.APPROVE_REPORTS: frozenset({Role.COORDINATOR}),
    # For their own agency, when it holds activity measures (activity/choices.py says which).
    Action.ENTER_ACTIVITY_FIGURES: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    # The funder copy of a report holds exact figures (1 to 10 included): the filing role only, with MFA.
    Action.FILE_FUNDER_REPORTS: frozenset({Role.GRANT_MANAGER}),
    # Their own agency's service profile (needs, languages, eligibility, hours, hand-off, capacity);
    # coordinators edit any agency's.
    Action.EDIT_SERVICE_PROFILE: frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR}),
    # Each agency's data-sharing agreement with the task force (MOU, information-sharing protocol).
    Action.MANAGE_AGREEMENTS: frozenset({Role.COORDINATOR}),
    # Announcements to all partners, a sector or chosen agencies.
    Action.SEND_ANNOUNCEMENTS: frozenset({Role.COORDINATOR}),
    # Their own agency's webhook endpoints (its own case system receives its referral events).
    Action.MANAGE_WEBHOOKS: frozenset({Role.AGENCY_ADMIN}),
}

# Roles whose holders can see case data, an audit trail of it, or exact small counts: they must use MFA.
# Referral officers see referrals; coordinators see case-review minutes and the whole
# trail; agency administrators see their agency's trail (who viewed which referral); grant
# managers read the funder copy of reports, exact figures from 1 to 10 included.
MFA_REQUIRED_ROLES: frozenset[Role] = frozenset(
    {Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN, Role.COORDINATOR, Role.GRANT_MANAGER}
)

# Which roles each inviter may hand out. Coordinators exist only in co-chair agencies. Looked up
# by the role a person has stored (a plain str; a Role is a str and hashes the same).
GRANTABLE_ROLES: dict[str, frozenset[Role]] = {
    Role.AGENCY_ADMIN: frozenset({Role.MEMBER, Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN, Role.GRANT_MANAGER}),
    Role.COORDINATOR: frozenset(Role),
}
