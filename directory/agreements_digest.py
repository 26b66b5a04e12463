"""The coordinators' digest section about data-sharing agreements (settings.DIGEST_SECTIONS).

Agreements lapsing within settings.AGREEMENT_LAPSING_DAYS, each with a link to record its renewal,
and the active agencies without a current agreement covering referrals (which can neither send nor
receive referrals). Agency names, kinds of agreement and dates: task-force business, never a case.
It lives here because the agreements' app (agencies) sits below the digests framework it plugs into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from agencies.agreements import AgencyAgreement, agreement_gaps
from agencies.roles import Action
from digests.sections import DigestItem, DigestWindow, SectionContent, portal_url

if TYPE_CHECKING:
    from agencies.models import User

LISTED = 10  # agencies named in one email; the rest are counted


def _names(rows: list[AgencyAgreement]) -> str:
    names = [row.agency.name for row in rows[:LISTED]]
    more = len(rows) - len(names)
    return ", ".join(names) + (f" and {more} more" if more else "")


class AgreementsSection:
    key = "agreements"
    title = "Data-sharing agreements"

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        if not person.can(Action.MANAGE_AGREEMENTS):
            return None
        today = timezone.localdate(window.now, timezone=timezone.get_default_timezone())
        gaps = agreement_gaps(user=person, on=today)
        items = [self._lapsing(row) for row in gaps.lapsing[:LISTED]]
        if len(gaps.lapsing) > LISTED:
            more = len(gaps.lapsing) - LISTED
            items.append(
                DigestItem(
                    text=f"{more} more {'agreement lapses' if more == 1 else 'agreements lapse'} within "
                    f"{gaps.lapsing_days} days.",
                    url=portal_url("agencies:agreements"),
                )
            )
        if without := gaps.without:
            count = len(without)
            subject = "1 active agency has" if count == 1 else f"{count} active agencies have"
            items.append(
                DigestItem(
                    text=f"{subject} no current agreement covering referrals, so no referral can go to or from "
                    f"{'it' if count == 1 else 'them'}: {_names(without)}.",
                    url=portal_url("agencies:agreements"),
                )
            )
        return SectionContent(
            key=self.key,
            title=self.title,
            items=items,
            link_url=portal_url("agencies:agreements"),
            link_label="Open the data-sharing agreements",
        )

    @staticmethod
    def _lapsing(row: AgencyAgreement) -> DigestItem:
        agreement = row.agreement
        assert agreement is not None and agreement.expires_on is not None  # a lapsing one has an expiry
        return DigestItem(
            text=f"{row.agency.name}: its {agreement.get_kind_display().lower()} expires on "
            f"{agreement.expires_on:%B} {agreement.expires_on.day}, {agreement.expires_on.year}. "
            "Record the renewal once it is signed.",
            url=portal_url("agencies:agreement_create", query=f"agency={row.agency.pk}"),
        )
