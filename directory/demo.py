"""Fictional service profiles for the demo task force: every agency keeps one, so that a newcomer sees
suggested receivers on the referral form, the service directory, a stale capacity status (the school
district's, last confirmed two months ago) and the public Open Referral export (the agencies that opted in).

Idempotent: a profile is written only for an agency that has none.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from directory.models import AfterHours, Capacity, ServiceProfile

WEEKDAYS = [1, 2, 3, 4, 5]


def _office(opens: str = "08:30", closes: str = "17:00", days: list[int] = WEEKDAYS) -> list[dict[str, object]]:
    return [{"weekday": day, "opens": opens, "closes": closes} for day in days]


# name: (description, needs, languages, eligibility, hours, after hours, intake role, capacity, days since
# the capacity was confirmed, public, requires a release)
PROFILES: dict[str, dict[str, object]] = {
    "Safe Harbor Survivor Center": {
        "description": "Emergency shelter, advocacy, safety planning and case management for survivors of sex "
        "and labor trafficking, adults and youth 12 and older.",
        "needs": ["shelter", "case_management", "safety_planning", "mental_health", "transportation"],
        "languages": ["en", "es"],
        "interpretation_available": True,
        "age_bands": ["12_17", "18_24", "25_59", "60_plus"],
        "hours": _office("00:00", "23:59", [1, 2, 3, 4, 5, 6, 7]),
        "after_hours": AfterHours.ALWAYS_OPEN,
        "intake_role": "Shelter intake advocate",
        "intake_phone": "555-0100",
        "after_hours_phone": "555-0199",
        "capacity": Capacity.WAITLIST,
        "confirmed_days_ago": 3,
        "public": True,
    },
    "Bridgeway Family Services": {
        "description": "Transitional housing, case management and employment support for adult survivors.",
        "needs": ["shelter", "case_management", "employment", "childcare", "education"],
        "languages": ["en", "es", "vi"],
        "age_bands": ["18_24", "25_59", "60_plus"],
        "hours": _office(),
        "after_hours": AfterHours.ON_CALL,
        "intake_role": "Intake coordinator",
        "intake_phone": "555-0110",
        "after_hours_phone": "555-0111",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 6,
        "public": True,
    },
    "Lantern Legal Aid": {
        "description": "Free civil legal help: protection orders, vacatur of convictions, benefits and "
        "employment claims for survivors of trafficking.",
        "needs": ["legal"],
        "languages": ["en", "es"],
        "interpretation_available": True,
        "hours": _office("09:00", "17:00"),
        "intake_role": "Intake paralegal",
        "intake_phone": "555-0120",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 12,
        "public": True,
        "requires_release": True,
    },
    "New Roots Immigrant Services": {
        "description": "Immigration legal services (T and U visas, continued presence), interpretation and "
        "community navigation for foreign-national survivors.",
        "needs": ["immigration", "legal", "interpreter", "case_management"],
        "languages": ["en", "es", "quc", "mam", "ht", "fr", "ar", "so"],
        "interpretation_available": True,
        "citizenship": ["foreign_national", "unknown"],
        "hours": _office("09:00", "18:00", [1, 2, 3, 4]),
        "intake_role": "Immigration intake specialist",
        "intake_phone": "555-0130",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 9,
        "public": True,
        "requires_release": True,
    },
    "Juniper General Hospital": {
        "description": "Emergency and follow-up medical care, forensic nurse examiners, behavioral health.",
        "needs": ["medical", "mental_health", "substance_use"],
        "languages": ["en", "es"],
        "interpretation_available": True,
        "hours": _office("00:00", "23:59", [1, 2, 3, 4, 5, 6, 7]),
        "after_hours": AfterHours.ALWAYS_OPEN,
        "intake_role": "Forensic nurse coordinator",
        "intake_phone": "555-0140",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 1,
        "public": True,
    },
    "Juniper County Child Welfare": {
        "description": "Child protective services and placement for children and youth under 18.",
        "needs": ["shelter", "case_management", "safety_planning", "education"],
        "languages": ["en", "es", "hmn"],
        "age_bands": ["under_12", "12_17"],
        "hours": _office(),
        "after_hours": AfterHours.ON_CALL,
        "intake_role": "Child protective services intake",
        "intake_phone": "555-0150",
        "after_hours_phone": "555-0151",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 20,
    },
    "Juniper County Sheriff's Office": {
        "description": "Investigations of trafficking offenses; victim witness specialists.",
        "needs": ["safety_planning", "other"],
        "languages": ["en", "es"],
        "hours": _office("00:00", "23:59", [1, 2, 3, 4, 5, 6, 7]),
        "after_hours": AfterHours.ALWAYS_OPEN,
        "intake_role": "Human trafficking detective on duty",
        "intake_phone": "555-0160",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 2,
    },
    "Juniper County District Attorney": {
        "description": "Prosecution of trafficking cases; victim witness advocates through court.",
        "needs": ["legal", "safety_planning"],
        "languages": ["en"],
        "interpretation_available": True,
        "hours": _office(),
        "intake_role": "Victim witness coordinator",
        "intake_phone": "555-0170",
        "capacity": Capacity.ACCEPTING,
        "confirmed_days_ago": 15,
    },
    "Juniper Valley School District": {
        "description": "School social workers and re-enrollment support for students.",
        "needs": ["education", "mental_health"],
        "languages": ["en", "es", "hmn"],
        "age_bands": ["under_12", "12_17", "18_24"],
        "hours": _office("07:30", "16:00"),
        "intake_role": "District social worker",
        "intake_phone": "555-0180",
        "capacity": Capacity.ACCEPTING,
        # Stale on purpose: the home page and the digest remind the district to confirm it.
        "confirmed_days_ago": 64,
    },
    "Juniper Interfaith Coalition": {
        "description": "Volunteer transportation, clothing, food and mentoring.",
        "needs": ["transportation", "other"],
        "languages": ["en", "es", "uk", "ru"],
        "hours": _office("10:00", "16:00", [2, 4, 6]),
        "intake_role": "Volunteer coordinator",
        "intake_phone": "555-0190",
        "capacity": Capacity.NOT_ACCEPTING,
        "confirmed_days_ago": 5,
        "public": True,
    },
}


@transaction.atomic
def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    now = timezone.now()
    made = 0
    for name, spec in PROFILES.items():
        agency = agencies.get(name)
        if agency is None or ServiceProfile.objects.filter(agency=agency).exists():
            continue
        fields = dict(spec)
        days = int(fields.pop("confirmed_days_ago"))  # type: ignore[call-overload]
        email_domain = name.split()[0].lower().replace("'", "")
        ServiceProfile.objects.create(
            agency=agency,
            intake_email=f"intake@{email_domain}.demo.example.org",
            capacity_confirmed_at=now - timedelta(days=days),
            contacts_internal=True,
            **fields,
        )
        made += 1
    stdout.write(f"Demo service profiles: {made}.")
