"""The public part of the service directory as Open Referral HSDS 3.0 JSON, for 211 systems.

The document (validated in the tests against directory/hsds/schema.json, written from the HSDS 3.0
schema files; see directory/hsds/SOURCE.md):

    {"version": "3.0", "generated_at": ..., "publisher": ..., "organizations": [...],
     "services": [...], "locations": [...], "service_at_locations": [...]}

Each record is an HSDS 3.0 object, linked by ids as in HSDS's tabular form (`organization_id`,
`service_id`, `location_id`); a service holds its own `languages`, `schedules`, `service_areas`,
`attributes` and, when public, `phones` and `contacts`, as HSDS's compiled service does.

Choices, and why:
- Only agencies that opted in (`ServiceProfile.public`) and are active. Never the capacity status (it
  is the members' working information and changes by the day), never who changed the profile, and no
  hand-off contact when the agency marks its contacts members-only (`contacts_internal`).
- One service per agency, its needs listed as `attributes` in a taxonomy of the task force's need
  codes (link_type "service_type"), rather than one service per need: the profile's eligibility,
  languages and hours are the agency's, not a need's, and one service per need would repeat them
  and suggest distinctions the agency never made.
- Locations without a street address: the portal holds none (a confidential shelter's address must
  never be published). Each agency has one location of `location_type` "virtual" (HSDS's type for a
  place not visited at an address: here, reached through the intake line), and the geography is
  given where HSDS puts it for a service, as `service_areas`, one per county served.
- Schedules: one per open weekday (freq WEEKLY, byday MO..SU), times HH:MM in the task force's time
  zone, named in the description (a fixed UTC offset would be wrong for half the year). Open 24 hours:
  one schedule for every day from 00:00 to 23:59, HSDS's documented signal for round-the-clock
  service; on call after hours: one schedule for every day, described, without times.
- Eligibility: `eligibility_description` in words, with `minimum_age`/`maximum_age` when the age
  bands served are contiguous (otherwise the ages stay in words only).
- Ids are uuid5 of settings.DIRECTORY_HSDS_NAMESPACE and the record's kind and primary key: stable
  from one export to the next, and nothing about the database beyond what the record is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from agencies.models import Agency
from cases.choices import AgeBand, Language
from directory.models import AfterHours, ServiceProfile
from directory.vocabulary import NEED_PHRASES, joined, label, labels

HSDS_VERSION = "3.0"
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
EVERY_DAY = ",".join(BYDAY.values())
AGES: dict[str, tuple[int, int | None]] = {
    AgeBand.UNDER_12: (0, 11),
    AgeBand.AGE_12_17: (12, 17),
    AgeBand.AGE_18_24: (18, 24),
    AgeBand.AGE_25_59: (25, 59),
    AgeBand.AGE_60_PLUS: (60, None),
}


def public_profiles() -> Iterable[ServiceProfile]:
    """The profiles listed in the public directory: opted in, of an active agency (one query)."""
    return (
        ServiceProfile.objects.filter(public=True, agency__is_active=True)
        .select_related("agency")
        .order_by("agency_id")
    )


def hsds_document() -> dict[str, Any]:
    """Always in English, whatever the request's language: it is data for 211 systems, not a page."""
    with translation.override("en"):
        return _document()


def _document() -> dict[str, Any]:
    profiles = list(public_profiles())
    return {
        "version": HSDS_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "publisher": settings.TASKFORCE_NAME,
        "organizations": [_organization(p.agency, p) for p in profiles],
        "services": [_service(p) for p in profiles],
        "locations": [_location(p) for p in profiles],
        "service_at_locations": [_service_at_location(p) for p in profiles],
    }


def hsds_id(kind: str, *key: object) -> str:
    namespace = uuid.UUID(settings.DIRECTORY_HSDS_NAMESPACE)
    return str(uuid.uuid5(namespace, ":".join([kind, *map(str, key)])))


def _organization(agency: Agency, profile: ServiceProfile) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": hsds_id("organization", agency.pk),
        "name": agency.name,
        "description": f"{agency.get_sector_display()} in {agency.county}, a member of the {settings.TASKFORCE_NAME}.",
    }
    if profile.website:
        record["website"] = profile.website
    if profile.intake_email and not profile.contacts_internal:
        record["email"] = profile.intake_email
    return record


def _service(profile: ServiceProfile) -> dict[str, Any]:
    pk = profile.agency_id
    service_id = hsds_id("service", pk)
    record: dict[str, Any] = {
        "id": service_id,
        "organization_id": hsds_id("organization", pk),
        "name": profile.agency.name,
        "description": profile.description or _offers(profile),
        "status": "active",
        "eligibility_description": _eligibility(profile),
        **_age_range(profile.age_bands),
        "languages": [_language(service_id, pk, code) for code in profile.languages if code != Language.OTHER],
        "schedules": _schedules(service_id, profile),
        "service_areas": [
            {"id": hsds_id("service_area", pk, county.casefold()), "service_id": service_id, "name": county}
            for county in profile.counties
        ],
        "attributes": [_need_attribute(service_id, pk, need) for need in profile.needs],
    }
    if profile.website:
        record["url"] = profile.website
    if profile.interpretation_available:
        record["interpretation_services"] = "Interpreters are arranged for other languages."
    if not profile.contacts_internal:
        record.update(_contacts(service_id, profile))
    return record


def _offers(profile: ServiceProfile) -> str:
    if not profile.needs:
        return "Services for survivors of human trafficking."
    return f"Services for survivors of human trafficking: {joined(NEED_PHRASES.get(n, n) for n in profile.needs)}."


def _eligibility(profile: ServiceProfile) -> str:
    parts = [
        (f"Ages {joined(labels('age_bands', profile.age_bands))}" if profile.age_bands else ""),
        (f"Genders: {joined(labels('genders', profile.genders))}" if profile.genders else ""),
        (
            f"Survivors of {joined(labels('trafficking_types', profile.trafficking_types)).lower()}"
            if profile.trafficking_types
            else ""
        ),
        (f"Status: {joined(labels('citizenship', profile.citizenship))}" if profile.citizenship else ""),
        (f"Counties: {joined(profile.counties)}" if profile.counties else ""),
    ]
    given = [part for part in parts if part]
    return ". ".join(given) + "." if given else "Open to anyone."


def _age_range(bands: list[str]) -> dict[str, int]:
    order = [band for band in AGES if band in bands]
    positions = [list(AGES).index(band) for band in order]
    if not order or positions != list(range(positions[0], positions[0] + len(positions))):
        return {}
    low, high = AGES[order[0]][0], AGES[order[-1]][1]
    return {"minimum_age": low} | ({"maximum_age": high} if high is not None else {})


def _language(service_id: str, pk: int, code: str) -> dict[str, Any]:
    return {
        "id": hsds_id("language", pk, code),
        "service_id": service_id,
        "name": label("languages", code),
        "code": code,
    }


def _schedules(service_id: str, profile: ServiceProfile) -> list[dict[str, Any]]:
    pk, zone = profile.agency_id, settings.TIME_ZONE
    schedules = [
        {
            "id": hsds_id("schedule", pk, row["weekday"]),
            "service_id": service_id,
            "freq": "WEEKLY",
            "byday": BYDAY[row["weekday"]],
            "opens_at": row["opens"],
            "closes_at": row["closes"],
            "description": f"Office hours, local time ({zone}).",
        }
        for row in profile.hours
    ]
    if profile.after_hours == AfterHours.ALWAYS_OPEN:
        day_and_night = {"opens_at": "00:00", "closes_at": "23:59", "description": "Open 24 hours, every day."}
        schedules.append(_every_day(service_id, pk, "always_open") | day_and_night)
    elif profile.after_hours == AfterHours.ON_CALL:
        on_call = {"description": "On call after hours by phone.", "attending_type": "phone"}
        schedules.append(_every_day(service_id, pk, "on_call") | on_call)
    return schedules


def _every_day(service_id: str, pk: int, kind: str) -> dict[str, Any]:
    return {"id": hsds_id("schedule", pk, kind), "service_id": service_id, "freq": "WEEKLY", "byday": EVERY_DAY}


def _need_attribute(service_id: str, pk: int, need: str) -> dict[str, Any]:
    term_id = hsds_id("taxonomy_term", "need", need)
    return {
        "id": hsds_id("attribute", pk, need),
        "link_id": service_id,
        "link_type": "service_type",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": need,
        "taxonomy_term": {
            "id": term_id,
            "code": need,
            "name": label("needs", need),
            "description": f"Offers {NEED_PHRASES.get(need, need)} (a referral need of the {settings.TASKFORCE_NAME}).",
        },
    }


def _contacts(service_id: str, profile: ServiceProfile) -> dict[str, Any]:
    """Staff contacts the agency chose to publish (never when `contacts_internal`)."""
    pk = profile.agency_id
    phones = [
        {"id": hsds_id("phone", pk, kind), "service_id": service_id, "number": number, "description": text}
        for kind, number, text in (
            ("intake", profile.intake_phone, profile.intake_role or "Intake line"),
            ("after_hours", profile.after_hours_phone, "After hours"),
        )
        if number
    ]
    contacts = []
    if profile.intake_role or profile.intake_email:
        contact = {"id": hsds_id("contact", pk), "service_id": service_id, "title": profile.intake_role or "Intake"}
        contacts.append(contact | ({"email": profile.intake_email} if profile.intake_email else {}))
    found: dict[str, Any] = {"phones": phones, "contacts": contacts}
    if profile.intake_email:
        found["email"] = profile.intake_email
    return found


def _location(profile: ServiceProfile) -> dict[str, Any]:
    pk = profile.agency_id
    record = {
        "id": hsds_id("location", pk),
        "location_type": "virtual",
        "organization_id": hsds_id("organization", pk),
        "name": f"{profile.agency.name}: by phone",
        "description": "Reached through the intake line. The address is not published.",
    }
    return record | ({"url": profile.website} if profile.website else {})


def _service_at_location(profile: ServiceProfile) -> dict[str, Any]:
    pk = profile.agency_id
    return {
        "id": hsds_id("service_at_location", pk),
        "service_id": hsds_id("service", pk),
        "location_id": hsds_id("location", pk),
    }
