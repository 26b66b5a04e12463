"""`{% load agency_words %}`: the words of agencies/wording.py in templates, in the reader's language.

`{{ person|person_status }}` "Active" / "Deactivated"; `{{ agency|agency_status }}`; `{{ agency|taskforce_role }}`
"Co-chair" / "Member"; `{{ agency|confidentiality }}`.
"""

from __future__ import annotations

from typing import Any

from django import template

from agencies import wording

register = template.Library()


@register.filter
def person_status(person: Any) -> str:
    return str(wording.PERSON_STATUS[bool(person.is_active)])


@register.filter
def agency_status(agency: Any) -> str:
    return str(wording.AGENCY_STATUS[bool(agency.is_active)])


@register.filter
def taskforce_role(agency: Any) -> str:
    return str(wording.AGENCY_TASKFORCE_ROLE[bool(agency.is_cochair)])


@register.filter
def confidentiality(agency: Any) -> str:
    return str(wording.AGENCY_CONFIDENTIALITY[bool(agency.is_confidential_provider)])
