from __future__ import annotations

from agencies.models import Invitation
from agencies.roles import Role
from agencies.services import invitation_token
from api.services import api_token_create
from tests.authz.registry import Spec
from tests.authz.world import World
from tests.factories import UserFactory

MANAGERS = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})


def _home_person(world: World) -> dict[str, int]:
    person = world.once("person", lambda: UserFactory(agency=world.home, role=Role.MEMBER))
    return {"pk": person.pk}


def _home_invitation(world: World) -> Invitation:
    return world.once(
        "invitation",
        lambda: Invitation.objects.create(
            email="invitee@home.example.org",
            agency=world.home,
            role=Role.MEMBER,
            invited_by=world.people[Role.AGENCY_ADMIN],
            expires_at="2999-01-01T00:00:00Z",
        ),
    )


def _home_token(world: World) -> dict[str, int]:
    token = world.once("token", lambda: api_token_create(user=world.people[Role.MEMBER], name="probe")[0])
    return {"pk": token.pk}


_DIRECTORY = "the member directory is shared with every member; inactive agencies answer 404 (tested apart)"

ROUTES: dict[str, Spec] = {
    "healthz": Spec(public=True, anonymous_statuses=frozenset({200, 503})),
    "favicon": Spec(public=True, anonymous_statuses=frozenset({301})),
    # The language switcher: anyone may choose a language (a POST without one answers 400).
    "set_language": Spec(public=True, method="post", anonymous_statuses=frozenset({400})),
    "invitation_accept": Spec(public=True, kwargs=lambda w: {"token": invitation_token(_home_invitation(w))}),
    "agencies:directory": Spec(),
    "agencies:detail": Spec(kwargs=lambda w: {"pk": w.home.pk}, shared_with_task_force=_DIRECTORY),
    "agencies:admit": Spec(roles=frozenset({Role.COORDINATOR})),
    "agencies:people": Spec(roles=MANAGERS),
    "agencies:person": Spec(roles=MANAGERS, kwargs=_home_person),
    "agencies:person_deactivate": Spec(roles=MANAGERS, kwargs=_home_person, method="post"),
    "agencies:person_reactivate": Spec(roles=MANAGERS, kwargs=_home_person, method="post"),
    "agencies:invite": Spec(roles=MANAGERS),
    "agencies:invitation_revoke": Spec(roles=MANAGERS, method="post", kwargs=lambda w: {"pk": _home_invitation(w).pk}),
    "audit:list": Spec(roles=MANAGERS),
    "tokens:list": Spec(),
    # A token belongs to one person: everyone else, colleagues included, gets 404.
    "tokens:revoke": Spec(method="post", kwargs=_home_token, roles=frozenset({Role.MEMBER})),
    "api:v1:me": Spec(),
    "api:v1:schema": Spec(),
    "api:v1:docs": Spec(),
    "api:v1:agency-list": Spec(),
    "api:v1:agency-detail": Spec(kwargs=lambda w: {"pk": w.home.pk}, shared_with_task_force=_DIRECTORY),
    # django-allauth: sign-in, recovery and the pages of one's own account.
    "account_login": Spec(public=True),
    "account_logout": Spec(public=True, anonymous_statuses=frozenset({302})),
    "account_signup": Spec(public=True),  # answers "sign-up is closed": invitation only
    "account_inactive": Spec(public=True),
    "account_email_verification_sent": Spec(public=True),
    "account_confirm_email": Spec(
        public=True, kwargs=lambda w: {"key": "not-a-real-key"}, anonymous_statuses=frozenset({200, 404})
    ),
    "account_reset_password": Spec(public=True),
    "account_reset_password_done": Spec(public=True),
    "account_reset_password_from_key": Spec(
        public=True, kwargs=lambda w: {"uidb36": "1", "key": "bad-key"}, anonymous_statuses=frozenset({200, 302})
    ),
    "account_reset_password_from_key_done": Spec(public=True),
    "account_confirm_login_code": Spec(public=True, anonymous_statuses=frozenset({302, 404})),
    "mfa_authenticate": Spec(public=True, anonymous_statuses=frozenset({302})),
    "account_change_password": Spec(),
    "account_set_password": Spec(),
    "account_email": Spec(),
    "account_reauthenticate": Spec(),
    # Re-authentication by an emailed code is switched off (ACCOUNT_REAUTHENTICATION_METHODS):
    # a mailbox must not stand in for the authenticator. Everyone is refused.
    "account_request_reauthentication_code": Spec(roles=frozenset()),
    "account_confirm_reauthentication_code": Spec(roles=frozenset()),
    "mfa_index": Spec(),
    "mfa_reauthenticate": Spec(),
    "mfa_activate_totp": Spec(),
    "mfa_deactivate_totp": Spec(),
    "mfa_view_recovery_codes": Spec(),
    "mfa_generate_recovery_codes": Spec(),
    "mfa_download_recovery_codes": Spec(),
    "usersessions_list": Spec(),
}
