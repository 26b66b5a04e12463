"""Reads of the service directory: who sees which profile, the directory's filters, the profile to edit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from agencies.selectors import agency_get
from directory.models import ServiceProfile, ServiceProfileQuerySet
from directory.permissions import may_edit_profile

if TYPE_CHECKING:
    from agencies.models import Agency, User


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's filters (web page and API alike); an empty value filters nothing."""

    need: str = ""
    language: str = ""
    county: str = ""
    capacity: str = ""


def profiles_for(*, user: User, filters: DirectoryFilters = DirectoryFilters()) -> ServiceProfileQuerySet:
    """The profiles `user` sees, with their agency, by agency name, narrowed by `filters`.

    The lists of codes are JSON arrays. Neither SQLite nor a portable lookup tests "the array holds this
    string", so the filters look for the code with its quotes in the array's JSON text: `"shelter"` is
    in `["shelter", "legal"]` and in no other code's list (the codes are a closed vocabulary of plain
    letters, and county names hold no quote). A profile listing no county serves every county.
    """
    profiles = ServiceProfile.objects.for_user(user).select_related("agency", "updated_by").order_by("agency__name")
    if filters.need:
        profiles = profiles.filter(needs__icontains=json.dumps(filters.need))
    if filters.language:
        profiles = profiles.filter(languages__icontains=json.dumps(filters.language))
    if filters.county:
        served = Q(counties__icontains=json.dumps(" ".join(filters.county.split())))
        profiles = profiles.filter(served | Q(counties=[]))
    if filters.capacity:
        profiles = profiles.filter(capacity=filters.capacity)
    return profiles


def profile_of(*, user: User, agency_pk: int) -> tuple[Agency, ServiceProfile | None]:
    """An agency `user` sees (404 otherwise) and its profile, or None when it keeps none yet."""
    agency = agency_get(user=user, pk=agency_pk)
    return agency, ServiceProfile.objects.select_related("updated_by").filter(agency=agency).first()


def editable_agency_get(*, user: User, agency_pk: int) -> Agency:
    """The agency whose profile `user` may edit: 404 for another agency's, as for a missing one."""
    agency = agency_get(user=user, pk=agency_pk)
    if not may_edit_profile(user, agency):
        raise Http404
    return agency
