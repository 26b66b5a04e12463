"""Data-sharing agreements between each member agency and the task force (issue 18).

A coordinator records each agency's signed agreement (a memorandum of understanding or an
information-sharing protocol: signing date, expiry, what it covers). A referral goes to or from an
agency only while it has a current agreement covering referrals: `referral_refusal` says why not,
and `cases.services.referral_send` asks it, so the web form, the API and the CSV import all obey it.

- Services: `agreement_record`, `agreement_end` (audited, in the same transaction).
- Selectors: `agreements_for`, `agreement_get`, `agreement_gaps` (every active agency's standing),
  `agency_agreement` (one agency's), `agencies_covered_for_referrals` (ids, for lists),
  `agreement_in_force`, `agreement_today`.

Agreements belong to the task force's governance, not to one agency: coordinators read and write all
of them, nobody else reads them (`DataSharingAgreement.objects.for_user`). Their days are the task
force's (settings.TIME_ZONE), whatever time zone the person reading them lives in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, AgreementKind, DataSharingAgreement, DataSharingAgreementQuerySet
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User

NOTE_MAX_LENGTH = DataSharingAgreement._meta.get_field("note").max_length or 300
SCOPES = ("referrals", "case_review", "reports")


class Standing(models.TextChoices):
    """Where an active agency stands, for referrals: it may send and receive them while CURRENT or LAPSING."""

    CURRENT = "current", gettext_lazy("Current")
    LAPSING = "lapsing", gettext_lazy("Lapsing soon")
    EXPIRED = "expired", gettext_lazy("Expired")
    MISSING = "missing", gettext_lazy("None recorded")


@dataclass(frozen=True)
class AgencyAgreement:
    """One active agency and the agreement that decides its standing.

    `agreement` is the one in force covering referrals (CURRENT, LAPSING; the latest to expire), or the
    last one covering referrals that expired (EXPIRED), or one in force that does not cover referrals
    (MISSING, when there is one), or None.
    """

    agency: Agency
    standing: Standing
    agreement: DataSharingAgreement | None

    @property
    def may_refer(self) -> bool:
        return self.standing in (Standing.CURRENT, Standing.LAPSING)


@dataclass(frozen=True)
class AgreementGaps:
    """Every active agency's standing on the day `on`, by agency name."""

    on: date
    lapsing_days: int
    rows: list[AgencyAgreement] = field(default_factory=list)

    def of(self, *standings: Standing) -> list[AgencyAgreement]:
        return [row for row in self.rows if row.standing in standings]

    @property
    def without(self) -> list[AgencyAgreement]:
        """Those that can neither send nor receive referrals (none recorded, or expired)."""
        return self.of(Standing.MISSING, Standing.EXPIRED)

    @property
    def lapsing(self) -> list[AgencyAgreement]:
        return self.of(Standing.LAPSING)

    @property
    def current(self) -> list[AgencyAgreement]:
        return self.of(Standing.CURRENT)

    @property
    def expired(self) -> list[AgencyAgreement]:
        return self.of(Standing.EXPIRED)


# --- selectors ---------------------------------------------------------------------------------------------


def agreement_today() -> date:
    """Today in the task force's time zone: an agreement lapses at the end of its day there."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def agreements_for(*, user: User | AnonymousUser) -> DataSharingAgreementQuerySet:
    return DataSharingAgreement.objects.for_user(user).select_related("agency", "recorded_by", "ended_by")


def agreement_get(*, user: User | AnonymousUser, pk: int) -> DataSharingAgreement:
    """404 for a missing agreement and for anyone who does not keep agreements alike."""
    return get_object_or_404(agreements_for(user=user), pk=pk)


def agreement_gaps(*, user: User, on: date | None = None) -> AgreementGaps:
    """Every active agency with its standing (two queries, however many agencies). Coordinators only."""
    _check_may_manage(user)
    on = on or agreement_today()
    agencies = list(Agency.objects.filter(is_active=True).order_by("name", "pk"))
    by_agency = _agreements_by_agency(agreements_for(user=user).filter(agency__is_active=True))
    window = lapsing_days()
    rows = [_standing(agency, by_agency.get(agency.pk, []), on=on, window=window) for agency in agencies]
    return AgreementGaps(on=on, lapsing_days=window, rows=rows)


def agency_agreement(*, user: User, agency: Agency, on: date | None = None) -> AgencyAgreement | None:
    """One agency's standing, for the agency's page; None for someone who does not keep agreements."""
    if not user.can(Action.MANAGE_AGREEMENTS):
        return None
    agreements = list(agreements_for(user=user).filter(agency=agency))
    return _standing(agency, agreements, on=on or agreement_today(), window=lapsing_days())


def lapsing_days() -> int:
    return int(settings.AGREEMENT_LAPSING_DAYS)


def agencies_covered_for_referrals(*, on: date | None = None) -> set[int]:
    """Ids of the agencies that may send and receive referrals on the day `on` (today by default): those
    with a current agreement covering referrals. One query, for lists (suggested receivers, say)."""
    current = DataSharingAgreement.objects.current(on=on or agreement_today()).filter(covers_referrals=True)
    return set(current.values_list("agency_id", flat=True).order_by())


def referral_refusal(*, sending_agency: Agency, receiving_agency: Agency, on: date | None = None) -> str | None:
    """Why a referral from `sending_agency` to `receiving_agency` cannot go, or None when it can.

    Both agencies need a current agreement covering referrals (in force on the day `on`, today by
    default). The message names the agency that lacks one and what to do; one query.
    """
    on = on or agreement_today()
    current = DataSharingAgreement.objects.current(on=on).filter(covers_referrals=True)
    covered = set(
        current.filter(agency_id__in=[sending_agency.pk, receiving_agency.pk]).values_list("agency_id", flat=True)
    )
    receiver_lacks = receiving_agency.pk not in covered
    sender_lacks = sending_agency.pk not in covered
    values = {"receiver": receiving_agency.name, "sender": sending_agency.name, "page": reverse("agencies:agreements")}
    if receiver_lacks and sender_lacks:
        text = _(
            "%(receiver)s and your agency (%(sender)s) have no current data-sharing agreement with the task force "
            "covering referrals; a task-force coordinator records it on the Data-sharing agreements page "
            "(%(page)s). Until then no referral can go to or from them."
        )
    elif receiver_lacks:
        text = _(
            "%(receiver)s has no current data-sharing agreement with the task force covering referrals; a "
            "task-force coordinator records it on the Data-sharing agreements page (%(page)s). Until then no "
            "referral can go to or from it."
        )
    elif sender_lacks:
        text = _(
            "Your agency (%(sender)s) has no current data-sharing agreement with the task force covering "
            "referrals; a task-force coordinator records it on the Data-sharing agreements page (%(page)s). "
            "Until then no referral can go to or from it."
        )
    else:
        return None
    return text % values


def _agreements_by_agency(agreements: Iterable[DataSharingAgreement]) -> dict[int, list[DataSharingAgreement]]:
    found: dict[int, list[DataSharingAgreement]] = {}
    for agreement in agreements:
        found.setdefault(agreement.agency_id, []).append(agreement)
    return found


def agreement_in_force(agreement: DataSharingAgreement, on: date | None = None) -> bool:
    """In force on the day `on` (today by default): what `DataSharingAgreement.objects.current` selects."""
    on = on or agreement_today()
    return (
        agreement.ended_at is None
        and agreement.signed_on <= on
        and (agreement.expires_on is None or agreement.expires_on >= on)
    )


def _standing(agency: Agency, agreements: list[DataSharingAgreement], *, on: date, window: int) -> AgencyAgreement:
    in_force = [a for a in agreements if agreement_in_force(a, on)]
    covering = [a for a in in_force if a.covers_referrals]
    if covering:
        # The one that lasts longest decides: no end date first, then the latest expiry.
        best = max(covering, key=lambda a: (a.expires_on is None, a.expires_on or date.min, a.signed_on, a.pk))
        lapsing = best.expires_on is not None and best.expires_on <= on + timedelta(days=window)
        return AgencyAgreement(agency, Standing.LAPSING if lapsing else Standing.CURRENT, best)
    expired = [
        a for a in agreements if a.ended_at is None and a.covers_referrals and a.expires_on and a.expires_on < on
    ]
    if expired:
        return AgencyAgreement(agency, Standing.EXPIRED, max(expired, key=lambda a: (a.expires_on, a.pk)))
    return AgencyAgreement(agency, Standing.MISSING, in_force[0] if in_force else None)


# --- services ----------------------------------------------------------------------------------------------


def _check_may_manage(actor: User) -> None:
    if not actor.can(Action.MANAGE_AGREEMENTS):
        raise PermissionDenied(_("Only a task-force coordinator records and ends data-sharing agreements."))


def agreement_record(
    *,
    actor: User,
    agency: Agency,
    kind: str,
    signed_on: date,
    expires_on: date | None,
    covers_referrals: bool,
    covers_case_review: bool,
    covers_reports: bool,
    note: str = "",
) -> DataSharingAgreement:
    """Records `agency`'s signed agreement with the task force; audited. A renewal is recorded the same
    way, as a new agreement: the one that lasts longest decides the agency's standing.

    Refusals: PermissionDenied for anyone but a coordinator; ValidationError keyed by field ("agency",
    "kind", "signed_on", "expires_on", "scope", "note"), all at once, nothing stored. The note goes
    through the de-identification guard (settings.FREE_TEXT_GUARD) before anything is written; its
    refusal names the kind of identifier, never the text.
    """
    _check_may_manage(actor)
    note = (note or "").strip()
    scope = {"referrals": covers_referrals, "case_review": covers_case_review, "reports": covers_reports}
    errors = _agreement_errors(agency=agency, kind=kind, signed_on=signed_on, expires_on=expires_on, scope=scope)
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("Keep the note to %(number)s characters.") % {"number": NOTE_MAX_LENGTH}]
    elif note:
        try:
            import_string(settings.FREE_TEXT_GUARD)(actor=actor, fields={"note": note})
        except ValidationError as refused:
            errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = DataSharingAgreement.objects.create(
            agency=agency,
            kind=kind,
            signed_on=signed_on,
            expires_on=expires_on,
            covers_referrals=covers_referrals,
            covers_case_review=covers_case_review,
            covers_reports=covers_reports,
            note=note,
            recorded_by=actor,
        )
        detail = {
            "agency": agency.pk,
            "kind": kind,
            "signed_on": signed_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
            "scope": [name for name in SCOPES if scope[name]],
        }
        audit_record(actor=actor, event=AuditEvent.AGREEMENT_RECORDED, target=agreement, detail=detail)
    return agreement


def _agreement_errors(
    *, agency: Agency, kind: str, signed_on: date, expires_on: date | None, scope: dict[str, bool]
) -> dict[str, list[str]]:
    today = agreement_today()
    errors: dict[str, list[str]] = {}
    if not agency.is_active:
        errors["agency"] = [_("That agency is not active: admit it again before recording its agreement.")]
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose the kind: a memorandum of understanding or an information-sharing protocol.")]
    if signed_on > today:
        errors["signed_on"] = [_("Record an agreement once it is signed: the signing date cannot be in the future.")]
    if expires_on is not None and expires_on < signed_on:
        errors["expires_on"] = [_("An agreement cannot expire before it was signed.")]
    elif expires_on is not None and expires_on < today:
        errors["expires_on"] = [_("This agreement has already expired: record the agreement that replaced it.")]
    if not any(scope.values()):
        errors["scope"] = [_("Say what the agreement covers: referrals, case review or reports (at least one).")]
    return errors


def agreement_end(*, actor: User, agreement: DataSharingAgreement) -> DataSharingAgreement:
    """Ends an agreement recorded in error (it is kept, never deleted); audited. Ending one already
    ended changes nothing. Referrals already sent stay; new ones need a current agreement again."""
    _check_may_manage(actor)
    with transaction.atomic():
        locked = (
            DataSharingAgreement.objects.select_for_update(of=("self",)).select_related("agency").get(pk=agreement.pk)
        )
        if locked.ended_at is None:
            locked.ended_at, locked.ended_by = timezone.now(), actor
            locked.save(update_fields=["ended_at", "ended_by"])
            audit_record(
                actor=actor, event=AuditEvent.AGREEMENT_ENDED, target=locked, detail={"agency": locked.agency_id}
            )
    return locked
