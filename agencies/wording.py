"""The one table of what a person reads about the state of a person or an agency on the portal's pages.

Roles and sectors are named by their choices' labels (agencies/roles.py, agencies/models.py); the states
that are a flag in the database (active or not, co-chair or not) are named here, so that no template
spells them. The templates read them through `{% load agency_words %}`.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PERSON_STATUS: dict[bool, Promise] = {
    True: pgettext_lazy("person", "Active"),
    False: pgettext_lazy("person", "Deactivated"),
}
AGENCY_STATUS: dict[bool, Promise] = {
    True: pgettext_lazy("agency", "Active"),
    False: pgettext_lazy("agency", "Inactive"),
}
# The agency's place in the task force (Agency.is_cochair).
AGENCY_TASKFORCE_ROLE: dict[bool, Promise] = {
    True: pgettext_lazy("agency", "Co-chair"),
    False: pgettext_lazy("agency", "Member"),
}
# Whether victim-service confidentiality binds the agency (Agency.is_confidential_provider).
AGENCY_CONFIDENTIALITY: dict[bool, Promise] = {
    True: _("Bound (VAWA/VOCA/FVPSA): referrals it sends need written, time-limited consent"),
    False: _("Not bound"),
}
CONFIDENTIAL_PROVIDER = _("confidential victim-service provider")
