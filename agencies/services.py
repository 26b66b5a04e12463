from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Invitation, User
from agencies.roles import GRANTABLE_ROLES, Action, Role
from agencies.signals import access_ended
from audit.models import AuditEvent
from audit.services import audit_record

_INVITATION_SALT = "agencies.invitation"


def invitation_token(invitation: Invitation) -> str:
    """The link's secret: a signature of the invitation id, so nothing secret is stored."""
    return signing.dumps(invitation.pk, salt=_INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The open invitation a token stands for, or None if it is forged, used, revoked or expired."""
    try:
        pk = signing.loads(token, salt=_INVITATION_SALT, max_age=settings.INVITATION_LIFETIME)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.filter(
            pk=pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("agency")
        .first()
    )


def _check_may_invite(*, actor: User, agency: Agency, role: Role) -> None:
    if agency.pk != actor.agency_id and not actor.can(Action.INVITE_TO_ANY_AGENCY):
        raise PermissionDenied(_("You can invite people to your own agency only."))
    if not actor.can(Action.INVITE_TO_OWN_AGENCY) or role not in GRANTABLE_ROLES.get(actor.role, frozenset()):
        raise PermissionDenied(_("Your role cannot hand out that role."))
    if role == Role.COORDINATOR and not agency.is_cochair:
        raise ValidationError({"role": _("Coordinators belong to a co-chair agency.")})
    if not agency.is_active:
        raise ValidationError({"agency": _("That agency is not active.")})


@transaction.atomic
def invitation_send(*, actor: User, email: str, agency: Agency, role: Role) -> Invitation:
    email = email.strip().lower()
    _check_may_invite(actor=actor, agency=agency, role=role)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Someone with that email address already has an account.")})
    invitation = Invitation.objects.create(
        email=email,
        agency=agency,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + settings.INVITATION_LIFETIME,
    )
    audit_record(
        actor=actor, event=AuditEvent.INVITATION_SENT, target=invitation, target_label=email, detail={"role": role}
    )
    from outbox.services import outbox_enqueue  # database-first: a broker outage delays it, loses nothing

    outbox_enqueue(task="agencies.tasks.send_invitation_email", args=[invitation.pk])
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_may_act_on(actor=actor, agency_id=invitation.agency_id, role=invitation.role)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, event=AuditEvent.INVITATION_REVOKED, target=invitation, target_label=invitation.email)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, first_name: str, last_name: str, password: str) -> User:
    """Creates the account. The email counts as verified: the link was delivered to it."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    user = User.objects.create_user(
        invitation.email,
        password,
        first_name=first_name,
        last_name=last_name,
        agency=invitation.agency,
        role=invitation.role,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, event=AuditEvent.INVITATION_ACCEPTED, target=invitation, target_label=user.email)
    return user


RANK_REFUSAL = gettext_lazy("Only someone who can grant that role can change this.")


def may_act_on(*, actor: User, person: User) -> bool:
    """Whether `actor` may change, deactivate or reactivate `person` (what the pages offer)."""
    try:
        _check_may_act_on(actor=actor, agency_id=person.agency_id, role=person.role, flags=_flags(person))
    except PermissionDenied:
        return False
    return True


def _flags(person: User) -> bool:
    return person.is_staff or person.is_superuser


def _check_may_act_on(*, actor: User, agency_id: int | None, role: str, flags: bool = False) -> None:
    """Acting on a person (or on an invitation to a role) needs the right to grant the role they hold:
    an agency administrator cannot demote, deactivate or reactivate a coordinator of their agency.
    Staff and superuser flags are granted by no one in the portal, so their holders are out of reach."""
    if not actor.can(Action.MANAGE_OWN_AGENCY_PEOPLE):
        raise PermissionDenied(_("Your role does not allow this."))
    if agency_id != actor.agency_id and not actor.can(Action.INVITE_TO_ANY_AGENCY):
        raise PermissionDenied(_("You can manage people of your own agency only."))
    if flags or role not in GRANTABLE_ROLES.get(actor.role, frozenset()):
        raise PermissionDenied(RANK_REFUSAL)


def _locked(*, actor: User, person: User) -> User:
    """The person as stored now, locked until the end of the transaction, after the rank check:
    the page may have been loaded before someone else promoted them."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_may_act_on(actor=actor, agency_id=person.agency_id, role=person.role, flags=_flags(person))
    return person


def _end_access(person: User) -> None:
    """Every session ends and every API token stops working, inside the caller's transaction.

    The tokens belong to the api app, above this one: it revokes them on `access_ended`
    (agencies/signals.py), whose receivers run here, before the sessions end.
    """
    access_ended.send(sender=User, person=person)
    for session in UserSession.objects.filter(user=person):
        session.end()


@transaction.atomic
def person_change_role(*, actor: User, person: User, role: Role) -> User:
    """A new role takes effect at once: the person's sessions and API tokens end with the change,
    so that no session keeps what the old role allowed (or misses what the new one requires, MFA)."""
    if person.pk == actor.pk:
        raise ValidationError({"role": _("Ask another administrator to change your own role.")})
    person = _locked(actor=actor, person=person)
    # Only a superuser may have no agency (the user_member_of_an_agency constraint), and `_locked`
    # has just refused to act on one.
    _check_may_invite(actor=actor, agency=person.member_agency, role=role)
    previous = person.role
    if previous != role:
        person.role = role
        person.save(update_fields=["role"])
        _end_access(person)
        audit_record(actor=actor, event=AuditEvent.ROLE_CHANGED, target=person, detail={"from": previous, "to": role})
    return person


@transaction.atomic
def person_deactivate(*, actor: User, person: User) -> User:
    """Deactivation is immediate: every session ends and every API token stops working."""
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    person = _locked(actor=actor, person=person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    _end_access(person)
    audit_record(actor=actor, event=AuditEvent.PERSON_DEACTIVATED, target=person)
    return person


@transaction.atomic
def person_reactivate(*, actor: User, person: User) -> User:
    person = _locked(actor=actor, person=person)
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(actor=actor, event=AuditEvent.PERSON_REACTIVATED, target=person)
    return person


@transaction.atomic
def agency_admit(*, actor: User, name: str, sector: str, county: str, is_confidential_provider: bool) -> Agency:
    if not actor.can(Action.ADMIT_AGENCIES):
        raise PermissionDenied
    agency = Agency.objects.create(
        name=name, sector=sector, county=county, is_confidential_provider=is_confidential_provider
    )
    audit_record(actor=actor, event=AuditEvent.AGENCY_ADMITTED, target=agency)
    return agency


# What an agency's record holds. Text typed by a person stays out of the audit detail (its rule):
# for those fields the trail says that they changed, not to what.
_AGENCY_FLAGS = ("sector", "is_cochair", "is_confidential_provider", "is_active")
_AGENCY_TEXT = ("name", "county", "referral_prefix")


@transaction.atomic
def agency_change(*, actor: User, agency: Agency, changes: dict[str, object]) -> Agency:
    """Changes an agency's record, with an audit row of what changed (the Django admin's only way).

    Co-chair status and the active flag have no portal page: coordinators set them, and so do the
    task force's operators (superusers, who hold no role) when they set up the first co-chair agency.
    """
    if not (actor.is_active and actor.is_superuser) and not actor.can(Action.ADMIT_AGENCIES):
        raise PermissionDenied(_("Only a task-force coordinator can change an agency."))
    if unknown := set(changes) - set(_AGENCY_FLAGS) - set(_AGENCY_TEXT):
        raise ValidationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    detail: dict[str, object] = {}
    for field, value in changes.items():
        if getattr(agency, field) != value:
            detail[field] = [getattr(agency, field), value] if field in _AGENCY_FLAGS else "changed"
            setattr(agency, field, value)
    if detail:
        agency.full_clean()
        agency.save(update_fields=list(detail))
        audit_record(actor=actor, event=AuditEvent.AGENCY_CHANGED, target=agency, detail=detail)
    return agency
