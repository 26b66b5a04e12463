"""Writes of service profiles: an agency's administrators keep their own, coordinators any agency's.

Every write is checked here (the right, the codes, the hours, the guard on free text), then made in one
transaction with its audit row. The trail records which fields changed, never what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEvent
from audit.services import audit_record
from cases.services import guard_free_text
from directory.models import AfterHours, Capacity, ServiceProfile
from directory.permissions import may_edit_profile
from directory.vocabulary import CODES, WEEKDAYS

if TYPE_CHECKING:
    from agencies.models import Agency, User

TEXT_LIMITS = {"description": 2000, "intake_role": 120}
CONTACTS = ("website", "intake_phone", "intake_email", "after_hours_phone")
FLAGS = ("interpretation_available", "contacts_internal", "requires_release", "public")
CHOICES: dict[str, frozenset[str]] = {
    "after_hours": frozenset(AfterHours.values),
    "capacity": frozenset(Capacity.values),
}
EDITABLE = frozenset({*TEXT_LIMITS, *CONTACTS, *FLAGS, *CHOICES, *CODES, "counties", "hours"})

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_COUNTY = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{2,29}(\s*(ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)
MAX_COUNTIES = 30


def service_profile_update(*, agency: Agency, actor: User, values: Mapping[str, Any]) -> ServiceProfile:
    """Create or change `agency`'s profile with the fields of `values` (those left out stay).

    A changed capacity status (or one given for a new profile) counts as confirmed now.
    Refusals: PermissionDenied for a person who may not edit this agency's profile; ValidationError
    keyed by field for the rest, before anything is written.
    """
    _check_may_edit(actor=actor, agency=agency)
    clean = _clean(values)
    guard_free_text(actor=actor, fields={k: clean[k] for k in TEXT_LIMITS if k in clean})
    with transaction.atomic():
        profile, created = _locked_profile(agency)
        changed = [field for field, value in clean.items() if created or getattr(profile, field) != value]
        detail: dict[str, object] = {"service_profile": sorted(changed)}
        if "capacity" in clean and (created or profile.capacity != clean["capacity"]):
            detail["capacity"] = [None if created else profile.capacity, clean["capacity"]]
            profile.capacity_confirmed_at = timezone.now()
        for field, value in clean.items():
            setattr(profile, field, value)
        if created or changed:
            profile.updated_by = actor
            profile.save()
            audit_record(actor=actor, event=AuditEvent.SERVICE_PROFILE_CHANGED, target=profile, detail=detail)
    return profile


def capacity_confirm(*, agency: Agency, actor: User, capacity: str | None = None) -> ServiceProfile:
    """ "Capacity is still accurate" (or now `capacity`): the status is confirmed as of now."""
    _check_may_edit(actor=actor, agency=agency)
    if capacity is not None and capacity not in CHOICES["capacity"]:
        raise ValidationError({"capacity": _("Choose one of: %(codes)s.") % {"codes": ", ".join(Capacity.values)}})
    with transaction.atomic():
        profile, _created = _locked_profile(agency)
        old = profile.capacity
        profile.capacity = capacity or old
        profile.capacity_confirmed_at = timezone.now()
        profile.updated_by = actor
        profile.save(update_fields=["capacity", "capacity_confirmed_at", "updated_by", "updated_at"])
        detail = {"capacity_confirmed": profile.capacity, "capacity": [old, profile.capacity]}
        audit_record(actor=actor, event=AuditEvent.CAPACITY_CONFIRMED, target=profile, detail=detail)
    return profile


def _check_may_edit(*, actor: User, agency: Agency) -> None:
    if not may_edit_profile(actor, agency):
        raise PermissionDenied(_("You edit your own agency's service profile only; coordinators edit any agency's."))


def _locked_profile(agency: Agency) -> tuple[ServiceProfile, bool]:
    profile = ServiceProfile.objects.select_for_update().filter(agency=agency).first()
    if profile is not None:
        return profile, False
    return ServiceProfile(agency=agency), True


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    if not values:
        raise ValidationError(_("Give at least one field to change."))
    if set(values) - EDITABLE:
        # The unknown names are not repeated back: they are whatever the client sent.
        fields = ", ".join(sorted(EDITABLE))
        raise ValidationError(_("The fields of a service profile are: %(fields)s.") % {"fields": fields})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for field, value in values.items():
        try:
            clean[field] = _clean_one(field, value)
        except ValidationError as error:
            errors[field] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_one(field: str, value: Any) -> Any:
    if field in CODES:
        return _codes(field, value)
    if field in FLAGS:
        if not isinstance(value, bool):
            raise ValidationError(_("Use true or false."))
        return value
    if field in CHOICES:
        if value not in CHOICES[field]:
            raise ValidationError(_("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(CHOICES[field]))})
        return value
    if field == "counties":
        return _counties(value)
    if field == "hours":
        return hours_clean(value)
    text = _text(value)
    if field in TEXT_LIMITS:
        if len(text) > TEXT_LIMITS[field]:
            raise ValidationError(_("Keep it to %(limit)d characters.") % {"limit": TEXT_LIMITS[field]})
        return text
    return _contact(field, text)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Give text."))
    return value.strip()


def _codes(field: str, value: Any) -> list[str]:
    allowed = CODES[field]
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give a list of codes."))
    if unknown := [code for code in value if code not in allowed]:
        codes = ", ".join(sorted(allowed))
        message = ngettext(
            "%(count)d unknown code. The codes are: %(codes)s.",
            "%(count)d unknown codes. The codes are: %(codes)s.",
            len(unknown),
        )
        raise ValidationError(message % {"count": len(unknown), "codes": codes})
    return [code for code in dict.fromkeys(value)]


def _counties(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(county, str) for county in value):
        raise ValidationError(_("Give a list of county names."))
    names: dict[str, str] = {}
    for county in value:
        name = " ".join(county.split())
        if not name or len(name) > 60 or not _COUNTY.match(name):
            raise ValidationError(_("Give each county's name only (letters, spaces, apostrophes and hyphens)."))
        names.setdefault(name.casefold(), name)
    if len(names) > MAX_COUNTIES:
        raise ValidationError(_("List at most %(limit)d counties, or none for every county.") % {"limit": MAX_COUNTIES})
    return list(names.values())


def hours_clean(value: Any) -> list[dict[str, Any]]:
    """Office hours: at most one opening per weekday (1 Monday to 7 Sunday), "HH:MM", opening before closing."""
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of opening hours."))
    days: dict[int, dict[str, Any]] = {}
    for row in value:
        if not isinstance(row, dict) or set(row) != {"weekday", "opens", "closes"}:
            raise ValidationError(_('Give each day as {"weekday": 1-7, "opens": "HH:MM", "closes": "HH:MM"}.'))
        weekday, opens, closes = row["weekday"], row["opens"], row["closes"]
        if isinstance(weekday, bool) or not isinstance(weekday, int) or weekday not in WEEKDAYS:
            raise ValidationError(_("A weekday is a number from 1 (Monday) to 7 (Sunday)."))
        day = str(WEEKDAYS[weekday])
        if not all(isinstance(t, str) and _TIME.match(t) for t in (opens, closes)):
            raise ValidationError(_("%(day)s: give the times as HH:MM, from 00:00 to 23:59.") % {"day": day})
        if opens >= closes:
            raise ValidationError(_("%(day)s: the opening time must come before the closing time.") % {"day": day})
        if weekday in days:
            raise ValidationError(_("%(day)s is given twice.") % {"day": day})
        days[weekday] = {"weekday": weekday, "opens": opens, "closes": closes}
    return [days[weekday] for weekday in sorted(days)]


def _contact(field: str, text: str) -> str:
    """Staff contact data of the agency (never a survivor's): checked for shape, not by the guard."""
    if not text:
        return ""
    if field == "website":
        if len(text) > 200:
            raise ValidationError(_("Keep the address to 200 characters."))
        URLValidator(schemes=["https", "http"], message=_("Give a web address starting with https://."))(text)
    elif field == "intake_email":
        EmailValidator(message=_("Give an email address, like intake@agency.org."))(text)
        if len(text) > 254:
            raise ValidationError(_("Keep the address to 254 characters."))
    elif not _PHONE.match(text):
        raise ValidationError(_("Give a phone number: digits, spaces, dashes, brackets and an optional extension."))
    return text
