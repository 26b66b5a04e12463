from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from agencies.roles import Role
from cases.services import ConsentInput, referral_send
from tests.authz.registry import Spec
from tests.authz.world import World
from tests.factories import AgencyFactory

OFFICERS = frozenset({Role.REFERRAL_OFFICER})


def _referral(world: World) -> dict[str, int]:
    """A referral from the home agency to a third agency: the outsider's agency is party to nothing."""

    def build() -> object:
        today = timezone.localdate()
        return referral_send(
            actor=world.people[Role.REFERRAL_OFFICER],
            receiving_agency=AgencyFactory(name="Third Agency Clinic", sector="health"),
            facts={
                "trafficking_type": "labor",
                "victim_status": "potential",
                "age_band": "18_24",
                "gender": "woman",
                "citizenship": "unknown",
                "county": "Juniper County",
                "language": "es",
                "interpreter_needed": True,
                "source_type": "hotline",
                "urgency": "urgent",
                "note": "Needs shelter tonight.",
            },
            needs=["shelter"],
            consent=ConsentInput(
                method="written", given_on=today, scope="facts", expires_on=today + timedelta(days=30)
            ),
        )

    return {"pk": world.once("referral", build).pk}


_POST = {"method": "post"}

ROUTES: dict[str, Spec] = {
    "cases:referral_list": Spec(roles=OFFICERS),
    "cases:referral_create": Spec(roles=OFFICERS),
    # The referral form's "Suggested agencies" fragment (coded facts in the query).
    "cases:referral_suggestions": Spec(roles=OFFICERS),
    "cases:referral_export_csv": Spec(roles=OFFICERS),
    "cases:referral_export_xlsx": Spec(roles=OFFICERS),
    # Anyone who writes guarded text (case-review minutes too) may ask the guard before submitting.
    "cases:check_text": Spec(**_POST),
    "cases:referral_detail": Spec(roles=OFFICERS, kwargs=_referral),
    "cases:referral_transition": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    # Named by the receiving agency; the sending agency's officer probing it gets a 400 (empty form).
    "cases:referral_contact": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "cases:referral_comment": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    # Recorded by the receiving agency; the sending agency's officer probing it gets a 400 (empty form).
    "cases:referral_services": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "cases:consent_revoke": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "cases:referral_flag": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "api:v1:referral-list": Spec(roles=OFFICERS),
    # Everyone may search; each finds only what they may see (referrals: officers of the two agencies).
    # POST only: the words travel in the body, never in a URL (access logs). A form post is 415 to the API:
    # let in all the same (not refused); tests/api/test_search_post.py checks the JSON search itself.
    "api:v1:search": Spec(method="post", data={"q": "shelter"}),
    "cases:search": Spec(method="post", data={"q": "shelter"}),
    # The guard asked before sending free text (cases/text_check.py): everyone who writes guarded text.
    "api:v1:text-check-list": Spec(method="post", data={"fields": {"note": "shelter"}}),
    "api:v1:referral-detail": Spec(roles=OFFICERS, kwargs=_referral),
    "api:v1:referral-transitions": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "api:v1:referral-comments": Spec(roles=OFFICERS, kwargs=_referral),
    "api:v1:referral-services": Spec(roles=OFFICERS, kwargs=_referral),
    "api:v1:referral-revoke-consent": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "api:v1:referral-flag": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
    "api:v1:referral-contact": Spec(roles=OFFICERS, kwargs=_referral, **_POST),
}
