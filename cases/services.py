from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Action
from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.choices import DeclineReason, Need, Status
from cases.choices import Outcome as ReferralOutcome
from cases.deidentification import IdentifierKind, find_identifiers
from cases.models import Comment, Consent, ReferenceSequence, Referral, ReferralNeed, TimelineEvent
from cases.transitions import Move, Side, find_transition

CONSENT_DEFAULT_DAYS = 90
CONSENT_MAX_DAYS = 365


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
    for field, text in fields.items():
        allowed = allow | (allow_in or {}).get(field, frozenset())
        findings = find_identifiers(text or "", allow=allowed)
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
        raise ValidationError({"given_on": "Consent cannot be dated in the future."})
    if consent.expires_on < today:
        raise ValidationError({"expires_on": "This consent has already expired."})
    if consent.expires_on > consent.given_on + timedelta(days=CONSENT_MAX_DAYS):
        raise ValidationError(
            {"expires_on": f"Consent must be time-limited: at most {CONSENT_MAX_DAYS} days after it was given."}
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


def referral_send(
    *,
    actor: User,
    receiving_agency: Agency,
    facts: dict[str, object],
    needs: list[str],
    consent: ConsentInput | None,
    reference_code: str | None = None,
) -> Referral:
    """Creates and sends a referral. `facts` holds the coded fields and the optional note.

    `reference_code` is one taken earlier with reference_codes_reserve (imports); by default the next is drawn.
    """
    if not actor.can(Action.HANDLE_REFERRALS):
        raise PermissionDenied
    if receiving_agency.pk == actor.agency_id:
        raise ValidationError({"receiving_agency": "Choose another agency: a referral goes between two agencies."})
    if not receiving_agency.is_active:
        raise ValidationError({"receiving_agency": "That agency is not active."})
    unknown = set(needs) - set(Need.values)
    if unknown or not needs:
        raise ValidationError({"needs": "Choose at least one need from the list."})
    sender = _agency_of(actor)
    if sender.is_confidential_provider and consent is None:
        raise ValidationError(
            {
                "consent": "Your agency is bound by victim-service confidentiality: record the survivor's written, "
                "time-limited consent for this receiving agency before sending."
            }
        )
    if consent is not None:
        _check_consent(consent)
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
) -> Referral:
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


def referral_transition(*, referral: Referral, actor: User, move: str, reason: str = "", note: str = "") -> Referral:
    """Moves a referral along the closed loop; raises IllegalMove (nothing changed) when not allowed."""
    transition = find_transition(move, Status(referral.status), sides_of(referral=referral, user=actor))
    _check_reason(move=transition.move, reason=reason, note=note)
    guard_free_text(actor=actor, fields={"note": note})
    return _apply_transition(
        referral=referral, actor=actor, target=transition.target, move=transition.move, reason=reason, note=note
    )


def _check_reason(*, move: Move, reason: str, note: str) -> None:
    if move == Move.DECLINE and reason not in DeclineReason.values:
        raise ValidationError({"reason": "Choose why you decline: " + ", ".join(DeclineReason.values) + "."})
    if move == Move.CLOSE and reason not in ReferralOutcome.values:
        raise ValidationError({"reason": "Choose the outcome: " + ", ".join(ReferralOutcome.values) + "."})
    if move not in (Move.DECLINE, Move.CLOSE) and reason:
        raise ValidationError({"reason": "This move takes no reason."})
    if move == Move.REOPEN and not note.strip():
        raise ValidationError({"note": "Say briefly why the referral is reopened."})
    if reason == "other" and not note.strip():
        raise ValidationError({"note": "Add a short note when the reason is “other”."})


@transaction.atomic
def _apply_transition(
    *, referral: Referral, actor: User, target: Status, move: Move, reason: str, note: str
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
    if move == Move.REOPEN:
        locked.outcome, locked.decline_reason, locked.closed_at = "", "", None
    locked.save()
    TimelineEvent.objects.create(
        referral=locked,
        actor=actor,
        agency=_agency_of(actor),
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
    return locked


def referral_comment(*, referral: Referral, actor: User, body: str) -> Comment:
    if not body.strip():
        raise ValidationError({"body": "Write a comment first."})
    guard_free_text(actor=actor, fields={"body": body})
    with transaction.atomic():
        referral = _locked_for(referral=referral, actor=actor)
        comment = Comment.objects.create(referral=referral, author=actor, agency=_agency_of(actor), body=body.strip())
        audit_record(actor=actor, event=AuditEvent.REFERRAL_COMMENTED, target=referral)
    return comment


@transaction.atomic
def consent_revoke(*, referral: Referral, actor: User) -> Referral:
    """Takes effect at once: the receiving agency loses access in the same commit."""
    if Side.SENDER not in sides_of(referral=referral, user=actor):
        raise PermissionDenied("Only the sending agency records a withdrawal of consent.")
    if referral.consent is None:
        raise ValidationError("This referral was sent without a consent record.")
    consent = Consent.objects.select_for_update().get(pk=referral.consent.pk)
    if consent.revoked_at is None:
        consent.revoked_at, consent.revoked_by = timezone.now(), actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, event=AuditEvent.CONSENT_REVOKED, target=referral)
        from digests.notifications import notification_schedule  # hook: outbox row now, enqueued on commit

        notification_schedule(kind="consent_revoked", target_id=referral.pk)
    return referral


@transaction.atomic
def referral_flag_for_review(*, referral: Referral, actor: User) -> Referral:
    referral = _locked_for(referral=referral, actor=actor)
    if referral.flagged_for_review_at is None:
        referral.flagged_for_review_at = timezone.now()
        referral.save(update_fields=["flagged_for_review_at", "updated_at"])
        audit_record(actor=actor, event=AuditEvent.REFERRAL_FLAGGED, target=referral)
    return referral


def referral_record_view(*, referral: Referral, actor: User, request: object = None) -> None:
    audit_record(actor=actor, event=AuditEvent.REFERRAL_VIEWED, target=referral, request=request)
