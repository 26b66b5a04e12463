from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, User
from agencies.roles import PERMISSIONS, Action
from agencies.templatetags.times import format_month_year
from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.choices import DeclineReason, Need, Status
from cases.choices import Outcome as ReferralOutcome
from cases.deidentification import Finding, IdentifierKind, find_identifiers
from cases.models import (
    Comment,
    Consent,
    PersonCode,
    ReferenceSequence,
    Referral,
    ReferralNeed,
    ServiceDelivery,
    TimelineEvent,
)
from cases.person_codes import EXAMPLE, person_code_generate, person_code_normalize
from cases.signals import referral_event
from cases.transitions import Move, Side, find_transition

CONSENT_DEFAULT_DAYS = 90
CONSENT_MAX_DAYS = 365


def free_text_findings(
    *,
    fields: Mapping[str, str],
    allow: frozenset[IdentifierKind] = frozenset(),
    allow_in: Mapping[str, frozenset[IdentifierKind]] | None = None,
) -> dict[str, list[Finding]]:
    """What the guard finds in each field (kinds and positions, never the text), without refusing or
    auditing anything: `guard_free_text` refuses on it, the check before submit (cases/text_check.py) reports it."""
    return {
        field: find_identifiers(text or "", allow=allow | (allow_in or {}).get(field, frozenset()))
        for field, text in fields.items()
    }


def guard_free_text(
    *,
    actor: User | None,
    fields: dict[str, str],
    allow: frozenset[IdentifierKind] = frozenset(),
    allow_in: Mapping[str, frozenset[IdentifierKind]] | None = None,
) -> None:
    """The one de-identification gate for every write of free text (web, API, imports).

    Raises ValidationError keyed by field. The refusal is audited with the kinds found,
    never the text, and it happens before any transaction, so nothing of it is stored.
    `allow` names kinds every field exists to hold (the dates of a public training request),
    `allow_in` kinds one field exists to hold (a meeting's place is a street address).
    """
    errors: dict[str, list[ValidationError]] = {}
    for field, findings in free_text_findings(fields=fields, allow=allow, allow_in=allow_in).items():
        if findings:
            errors[field] = [ValidationError(f.message(), code="identifier") for f in findings]
            audit_record(
                actor=actor,
                event=AuditEvent.DEIDENTIFICATION_REFUSED,
                outcome=Outcome.DENIED,
                detail={"field": field, "kinds": sorted({f.kind.value for f in findings})},
            )
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class ConsentInput:
    method: str
    given_on: date
    scope: str
    expires_on: date


def consent_default_expiry(given_on: date) -> date:
    return given_on + timedelta(days=CONSENT_DEFAULT_DAYS)


def _check_consent(consent: ConsentInput) -> None:
    today = timezone.localdate()
    if consent.given_on > today:
        raise ValidationError({"given_on": _("Consent cannot be dated in the future.")})
    if consent.expires_on < today:
        raise ValidationError({"expires_on": _("This consent has already expired.")})
    if consent.expires_on > consent.given_on + timedelta(days=CONSENT_MAX_DAYS):
        raise ValidationError(
            {
                "expires_on": _("Consent must be time-limited: at most %(days)d days after it was given.")
                % {"days": CONSENT_MAX_DAYS}
            }
        )


def _next_reference_code(agency: Agency) -> str:
    return _draw_reference_codes(agency, 1)[0]


def _draw_reference_codes(agency: Agency, count: int) -> list[str]:
    """The next `count` codes of the agency's (prefix, year) sequence; its row stays locked until commit."""
    prefix = (agency.referral_prefix or _initials(agency.county)).upper()
    year = timezone.localdate().year
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [f"{prefix}-{year}-{number:05d}" for number in range(first, sequence.last + 1)]


def reference_codes_reserve(*, agency: Agency, count: int) -> list[str]:
    """Takes a block of `count` consecutive codes in a short transaction of its own (for an import).

    Called outside any transaction, the block commits at once, so the long write that uses it
    holds no lock that a referral sent meanwhile needs. If that write fails, the block is not
    given back: its numbers stay unused, a gap in the sequence (codes are unique, not gapless).
    """
    if count <= 0:
        return []
    with transaction.atomic():
        return _draw_reference_codes(agency, count)


def _initials(county: str) -> str:
    letters = "".join(ch for ch in county.upper() if ch.isalpha())
    return letters[:3] or "REF"


def _person_code_typo() -> str:
    return _(
        "This person code has a typo: check it against your own records (a code reads like %(example)s). "
        "For a person new to the task force, leave the code out and the portal issues one."
    ) % {"example": EXAMPLE}


PERSON_CODE_TYPO = lazy(_person_code_typo, str)()  # read in the language active where it is shown

PERSON_CODE_UNKNOWN = gettext_lazy(
    "No referral your agency can see carries this person code. Check it against your own records, or "
    "send the referral for a person new to the task force."
)
_PERSON_CODE_DRAWS = 5  # a clash of two random codes is already improbable (29^8 codes); five in a row is not


def person_code_issue(*, agency: Agency, actor: User) -> PersonCode:
    """A new random person code issued by the portal to `agency` (the sending agency of a new person).

    Called by referral_send inside its transaction (and by demo data). The code is shown to the sender,
    never logged: its audit trail is the referral's. `actor` must act for `agency`.
    """
    if actor.agency_id != agency.pk:
        raise PermissionDenied
    for _attempt in range(_PERSON_CODE_DRAWS):
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the caller's transaction usable
                return PersonCode.objects.create(code=person_code_generate(), issued_by=agency)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw an unused person code")


def person_code_find(*, actor: User, typed: str) -> PersonCode:
    """The person code typed by `actor`, if a referral the actor's agency can see carries it
    (`Referral.objects.for_user`: sent, or received while consent holds). A receiving agency that
    refers onward finds the code it received. Raises ValidationError keyed "person_code"; the
    message never repeats what was typed."""
    code = person_code_normalize(typed)
    if code is None:
        raise ValidationError({"person_code": str(PERSON_CODE_TYPO)})
    visible = Referral.objects.for_user(actor).filter(person_code=OuterRef("pk"))
    found = PersonCode.objects.filter(Exists(visible), code=code).first()
    if found is None:
        raise ValidationError({"person_code": str(PERSON_CODE_UNKNOWN)})
    return found


def referral_send(
    *,
    actor: User,
    receiving_agency: Agency,
    facts: dict[str, object],
    needs: list[str],
    consent: ConsentInput | None,
    reference_code: str | None = None,
    person_code: str | None = None,
) -> Referral:
    """Creates and sends a referral. `facts` holds the coded fields and the optional note.

    `person_code`: None for a person new to the task force (the portal issues a code, on the
    referral as `referral.person_code`), or a code the sender typed (see person_code_find).
    `reference_code` is one taken earlier with reference_codes_reserve (imports); by default the next is drawn.
    """
    if not actor.can(Action.HANDLE_REFERRALS):
        raise PermissionDenied
    if receiving_agency.pk == actor.agency_id:
        raise ValidationError({"receiving_agency": _("Choose another agency: a referral goes between two agencies.")})
    if not receiving_agency.is_active:
        raise ValidationError({"receiving_agency": _("That agency is not active.")})
    sender = actor.member_agency
    # Both agencies need a current data-sharing agreement covering referrals (issue 18).
    from agencies.agreements import referral_refusal

    if refusal := referral_refusal(sending_agency=sender, receiving_agency=receiving_agency):
        raise ValidationError({"receiving_agency": refusal})
    unknown = set(needs) - set(Need.values)
    if unknown or not needs:
        raise ValidationError({"needs": _("Choose at least one need from the list.")})
    if sender.is_confidential_provider and consent is None:
        raise ValidationError(
            {
                "consent": _(
                    "Your agency is bound by victim-service confidentiality: record the survivor's written, "
                    "time-limited consent for this receiving agency before sending."
                )
            }
        )
    # The receiver's service profile belongs to the directory, an app above this one: read through the
    # relation, never imported. No profile (or no directory app) means no release is required.
    from django.core.exceptions import ObjectDoesNotExist

    try:
        profile = getattr(receiving_agency, "service_profile", None)
    except ObjectDoesNotExist:
        profile = None
    if consent is None and getattr(profile, "requires_release", False):
        raise ValidationError(
            {
                "consent": _(
                    "%(agency)s takes referrals only with the survivor's signed release: "
                    "record the survivor's written, time-limited consent for it before sending."
                )
                % {"agency": receiving_agency.name}
            }
        )
    if consent is not None:
        _check_consent(consent)
    known_person = None if person_code is None else person_code_find(actor=actor, typed=person_code)
    guard_free_text(
        actor=actor, fields={"note": str(facts.get("note") or ""), "county": str(facts.get("county") or "")}
    )
    return _create_referral(
        actor=actor,
        receiving_agency=receiving_agency,
        facts=facts,
        needs=needs,
        consent=consent,
        reference_code=reference_code,
        person_code=known_person,
    )


@transaction.atomic
def _create_referral(
    *,
    actor: User,
    receiving_agency: Agency,
    facts: dict[str, object],
    needs: list[str],
    consent: ConsentInput | None,
    reference_code: str | None = None,
    person_code: PersonCode | None = None,
) -> Referral:
    sender = actor.member_agency
    consent_row = None
    if consent is not None:
        consent_row = Consent.objects.create(
            sending_agency=sender, receiving_agency=receiving_agency, recorded_by=actor, **consent.__dict__
        )
    referral = Referral(
        reference_code=reference_code or _next_reference_code(sender),
        sending_agency=sender,
        receiving_agency=receiving_agency,
        sent_by=actor,
        consent=consent_row,
        person_code=person_code or person_code_issue(agency=sender, actor=actor),
        **facts,
    )
    referral.full_clean()
    referral.save()
    ReferralNeed.objects.bulk_create([ReferralNeed(referral=referral, need=need) for need in dict.fromkeys(needs)])
    TimelineEvent.objects.create(referral=referral, actor=actor, agency=sender, move="send", to_status=Status.SENT)
    audit_record(actor=actor, event=AuditEvent.REFERRAL_SENT, target=referral)
    if consent_row is not None:
        audit_record(actor=actor, event=AuditEvent.CONSENT_RECORDED, target=referral)
    from digests.notifications import notification_schedule  # hook: outbox row now, enqueued on commit

    notification_schedule(kind="referral_received", target_id=referral.pk)
    referral_event.send(sender=Referral, referral=referral, event="sent", actor=actor)
    return referral


def sides_of(*, referral: Referral, user: User) -> set[Side]:
    sides = set()
    if referral.sending_agency_id == user.agency_id:
        sides.add(Side.SENDER)
    if referral.receiving_agency_id == user.agency_id:
        sides.add(Side.RECEIVER)
    return sides


def _locked_for(*, referral: Referral, actor: User) -> Referral:
    """The referral, locked, if `actor` may still act on it: a revoked consent ends the receiver's
    access even when it loaded the page before the revocation. 404 otherwise, as everywhere."""
    try:
        return Referral.objects.for_user(actor).select_for_update(of=("self",)).get(pk=referral.pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def referral_transition(
    *, referral: Referral, actor: User, move: str, reason: str = "", note: str = "", contact: int | None = None
) -> Referral:
    """Moves a referral along the closed loop; raises IllegalMove (nothing changed) when not allowed.

    On accept, `contact` is the id of the person who handles it at the receiving agency (one of
    `contact_candidates`); by default the person accepting. Another move takes no contact."""
    transition = find_transition(move, Status(referral.status), sides_of(referral=referral, user=actor))
    _check_reason(move=transition.move, reason=reason, note=note)
    if contact is not None and transition.move != Move.ACCEPT:
        raise ValidationError({"contact": _("Only accepting names who handles the referral.")})
    if transition.target == Status.SENT:
        _check_may_send_again(referral)
    guard_free_text(actor=actor, fields={"note": note})
    return _apply_transition(
        referral=referral,
        actor=actor,
        target=transition.target,
        move=transition.move,
        reason=reason,
        note=note,
        contact=contact,
    )


def _check_may_send_again(referral: Referral) -> None:
    """The sender's reopening of a declined or withdrawn referral sends it to the receiver again (it waits
    for an answer, and escalates): the agencies must still be allowed to exchange referrals, as in
    referral_send. Issue 18: no referral to or from an agency without a current agreement."""
    receiving = referral.receiving_agency
    if not receiving.is_active:
        raise ValidationError(
            _("%(agency)s is not active: the referral cannot be sent to it again.") % {"agency": receiving.name}
        )
    from agencies.agreements import referral_refusal

    if refusal := referral_refusal(sending_agency=referral.sending_agency, receiving_agency=receiving):
        raise ValidationError(refusal)


CONTACT_REFUSED = gettext_lazy("Choose a person of your agency who handles referrals.")


def contact_candidates(*, agency_id: int) -> QuerySet[User]:
    """Who may be named to handle a referral for the agency: its active referral officers."""
    return User.objects.filter(
        agency_id=agency_id, is_active=True, role__in=list(PERMISSIONS[Action.HANDLE_REFERRALS])
    ).order_by("first_name", "last_name", "email")


def _contact_for(*, referral: Referral, contact: int) -> User:
    """The person `contact` names, if they may handle the referral for its receiving agency. One message
    for a missing id and for a person of another agency: ids of other agencies' people are not probed."""
    found = contact_candidates(agency_id=referral.receiving_agency_id).filter(pk=contact).first()
    if found is None:
        raise ValidationError({"contact": str(CONTACT_REFUSED)})
    return found


def _check_reason(*, move: Move, reason: str, note: str) -> None:
    if move == Move.DECLINE and reason not in DeclineReason.values:
        raise ValidationError(
            {"reason": _("Choose why you decline: %(codes)s.") % {"codes": ", ".join(DeclineReason.values)}}
        )
    if move == Move.CLOSE and reason not in ReferralOutcome.values:
        raise ValidationError(
            {"reason": _("Choose the outcome: %(codes)s.") % {"codes": ", ".join(ReferralOutcome.values)}}
        )
    if move not in (Move.DECLINE, Move.CLOSE) and reason:
        raise ValidationError({"reason": _("This move takes no reason.")})
    if move == Move.REOPEN and not note.strip():
        raise ValidationError({"note": _("Say briefly why the referral is reopened.")})
    if reason == "other" and not note.strip():
        raise ValidationError({"note": _("Add a short note when the reason is “other”.")})


@transaction.atomic
def _apply_transition(
    *, referral: Referral, actor: User, target: Status, move: Move, reason: str, note: str, contact: int | None = None
) -> Referral:
    locked = _locked_for(referral=referral, actor=actor)
    # Re-check on the locked row: a concurrent move may have happened since it was read.
    find_transition(move, Status(locked.status), sides_of(referral=locked, user=actor))
    previous = locked.status
    now = timezone.now()
    locked.status = target
    if move == Move.DECLINE:
        locked.decline_reason = reason
    if move == Move.CLOSE:
        locked.outcome, locked.closed_at = reason, now
    if move == Move.ACCEPT:
        locked.accepted_at = now
        locked.receiver_contact = actor if contact is None else _contact_for(referral=locked, contact=contact)
    if move == Move.REOPEN:
        locked.outcome, locked.decline_reason, locked.closed_at = "", "", None
    if target == Status.SENT:
        # Waiting for an answer again: the escalation clock starts over, and the next accept names a contact.
        locked.awaiting_since = now
        locked.escalated_to_admins_at = locked.escalated_to_cochairs_at = None
        locked.receiver_contact = None
    locked.save()
    TimelineEvent.objects.create(
        referral=locked,
        actor=actor,
        agency=actor.member_agency,
        move=move,
        from_status=previous,
        to_status=target,
        reason=reason,
        note=note,
    )
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_TRANSITIONED,
        target=locked,
        detail={"move": move, "from": previous, "to": target},
    )
    referral_event.send(sender=Referral, referral=locked, event=str(move), actor=actor)
    return locked


# The receiver's contact can be changed while it handles the referral.
CONTACT_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS})


@transaction.atomic
def referral_contact_set(*, referral: Referral, actor: User, contact: int) -> Referral:
    """The receiving agency names another person who handles the referral (one of `contact_candidates`)."""
    locked = _locked_for(referral=referral, actor=actor)
    if Side.RECEIVER not in sides_of(referral=locked, user=actor):
        raise PermissionDenied(_("Only the receiving agency names who handles the referral there."))
    if locked.status not in CONTACT_STATUSES:
        raise ValidationError(
            {"contact": _("The contact can be changed while the referral is accepted or in progress.")}
        )
    person = _contact_for(referral=locked, contact=contact)
    if locked.receiver_contact_id != person.pk:
        previous = locked.receiver_contact_id
        locked.receiver_contact = person
        locked.save(update_fields=["receiver_contact", "updated_at"])
        audit_record(
            actor=actor,
            event=AuditEvent.REFERRAL_CONTACT_SET,
            target=locked,
            detail={"from": previous, "to": person.pk},
        )
    return locked


def referral_comment(*, referral: Referral, actor: User, body: str) -> Comment:
    if not body.strip():
        raise ValidationError({"body": _("Write a comment first.")})
    guard_free_text(actor=actor, fields={"body": body})
    with transaction.atomic():
        referral = _locked_for(referral=referral, actor=actor)
        comment = Comment.objects.create(referral=referral, author=actor, agency=actor.member_agency, body=body.strip())
        audit_record(actor=actor, event=AuditEvent.REFERRAL_COMMENTED, target=referral)
    return comment


@transaction.atomic
def consent_revoke(*, referral: Referral, actor: User) -> Referral:
    """Takes effect at once: the receiving agency loses access in the same commit."""
    if Side.SENDER not in sides_of(referral=referral, user=actor):
        raise PermissionDenied(_("Only the sending agency records a withdrawal of consent."))
    if referral.consent is None:
        raise ValidationError(_("This referral was sent without a consent record."))
    consent = Consent.objects.select_for_update().get(pk=referral.consent.pk)
    if consent.revoked_at is None:
        consent.revoked_at, consent.revoked_by = timezone.now(), actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, event=AuditEvent.CONSENT_REVOKED, target=referral)
        from digests.notifications import notification_schedule  # hook: outbox row now, enqueued on commit

        notification_schedule(kind="consent_revoked", target_id=referral.pk)
        referral_event.send(sender=Referral, referral=referral, event="consent_revoked", actor=actor)
    return referral


@transaction.atomic
def referral_flag_for_review(*, referral: Referral, actor: User) -> Referral:
    referral = _locked_for(referral=referral, actor=actor)
    if referral.flagged_for_review_at is None:
        referral.flagged_for_review_at = timezone.now()
        referral.save(update_fields=["flagged_for_review_at", "updated_at"])
        audit_record(actor=actor, event=AuditEvent.REFERRAL_FLAGGED, target=referral)
    return referral


def referral_record_view(*, referral: Referral, actor: User, request: HttpRequest | None = None) -> None:
    audit_record(actor=actor, event=AuditEvent.REFERRAL_VIEWED, target=referral, request=request)


# A service is recorded by the receiving agency once it took the referral on, and when it closes it.
SERVICE_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.CLOSED})


def service_delivery_record(
    *, referral: Referral, actor: User, services: list[str], month: date
) -> list[ServiceDelivery]:
    """Records that the receiving agency provided `services` on `referral` in `month` (any day of it).

    Only the receiving agency's referral officers, while the referral is accepted or in progress and
    once it is closed; a month from the one the referral was sent in to the current one. The same
    service twice for one month is refused (reports count each person once per service anyway).
    """
    month = month.replace(day=1)
    _check_services(services=services, month=month, referral=referral)
    with transaction.atomic():
        locked = _locked_for(referral=referral, actor=actor)
        if Side.RECEIVER not in sides_of(referral=locked, user=actor):
            raise PermissionDenied(_("Only the receiving agency records the services it provided."))
        if locked.status not in SERVICE_STATUSES:
            raise ValidationError(
                {
                    "services": _(
                        "Services are recorded once the referral is accepted, while it is in progress "
                        "and when it is closed."
                    )
                }
            )
        _check_not_recorded(referral=locked, services=services, month=month)
        rows = [
            ServiceDelivery.objects.create(referral=locked, service=service, month=month, recorded_by=actor)
            for service in dict.fromkeys(services)
        ]
        for row in rows:
            audit_record(
                actor=actor,
                event=AuditEvent.SERVICE_DELIVERY_RECORDED,
                target=locked,
                detail={"service": row.service, "month": f"{month:%Y-%m}"},
            )
    return rows


def _check_services(*, services: list[str], month: date, referral: Referral) -> None:
    if not services or set(services) - set(Need.values):
        raise ValidationError({"services": _("Choose at least one service from the list.")})
    this_month = timezone.localdate().replace(day=1)
    sent_month = timezone.localtime(referral.created_at).date().replace(day=1)
    if month > this_month:
        raise ValidationError({"month": _("Record services once provided: the month cannot be in the future.")})
    if month < sent_month:
        raise ValidationError({"month": _("Choose a month from the one the referral was sent in.")})


def _check_not_recorded(*, referral: Referral, services: list[str], month: date) -> None:
    already = ServiceDelivery.objects.filter(referral=referral, month=month, service__in=services)
    labels = [str(Need(service).label) for service in already.values_list("service", flat=True)]
    if labels:
        raise ValidationError(
            {
                "services": _("Already recorded for %(month)s: %(services)s. Nothing was added.")
                % {"month": format_month_year(month), "services": ", ".join(sorted(labels))}
            }
        )
