"""The coordinators' digest section about data-sharing agreements (settings.DIGEST_SECTIONS).

Agreements lapsing within settings.AGREEMENT_LAPSING_DAYS, each with a link to record its renewal,
and the active agencies without a current agreement covering referrals (which can neither send nor
receive referrals). Agency names, kinds of agreement and dates: task-force business, never a case.
It lives here because the agreements' app (agencies) sits below the digests framework it plugs into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agencies.agreements import AgencyAgreement, agreement_gaps
from agencies.roles import Action
from agencies.templatetags.times import format_day
from digests.sections import DigestItem, DigestWindow, SectionContent, portal_url

if TYPE_CHECKING:
    from agencies.models import User

LISTED = 10  # agencies named in one email; the rest are counted


def _names(rows: list[AgencyAgreement]) -> str:
    names = [row.agency.name for row in rows[:LISTED]]
    more = len(rows) - len(names)
    if not more:
        return ", ".join(names)
    return ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", more) % {
        "names": ", ".join(names),
        "count": more,
    }


class AgreementsSection:
    key = "agreements"
    title = _("Data-sharing agreements")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        if not person.can(Action.MANAGE_AGREEMENTS):
            return None
        today = timezone.localdate(window.now, timezone=timezone.get_default_timezone())
        gaps = agreement_gaps(user=person, on=today)
        items = [self._lapsing(row) for row in gaps.lapsing[:LISTED]]
        if len(gaps.lapsing) > LISTED:
            more = len(gaps.lapsing) - LISTED
            text = ngettext(
                "%(count)d more agreement lapses within %(days)d days.",
                "%(count)d more agreements lapse within %(days)d days.",
                more,
            ) % {"count": more, "days": gaps.lapsing_days}
            items.append(DigestItem(text=text, url=portal_url("agencies:agreements")))
        if without := gaps.without:
            text = ngettext(
                "%(count)d active agency has no current agreement covering referrals, so no referral can go to or "
                "from it: %(names)s.",
                "%(count)d active agencies have no current agreement covering referrals, so no referral can go to "
                "or from them: %(names)s.",
                len(without),
            ) % {"count": len(without), "names": _names(without)}
            items.append(DigestItem(text=text, url=portal_url("agencies:agreements")))
        return SectionContent(
            key=self.key,
            title=str(self.title),
            items=items,
            link_url=portal_url("agencies:agreements"),
            link_label=gettext("Open the data-sharing agreements"),
        )

    @staticmethod
    def _lapsing(row: AgencyAgreement) -> DigestItem:
        agreement = row.agreement
        assert agreement is not None and agreement.expires_on is not None  # a lapsing one has an expiry
        text = gettext("%(agency)s: its %(kind)s expires on %(day)s. Record the renewal once it is signed.") % {
            "agency": row.agency.name,
            "kind": str(agreement.get_kind_display()).lower(),
            "day": format_day(agreement.expires_on),
        }
        return DigestItem(
            text=text,
            url=portal_url("agencies:agreement_create", query=f"agency={row.agency.pk}"),
        )
