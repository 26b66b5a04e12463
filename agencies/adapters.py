from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.http import HttpRequest

from agencies import lockout
from toolkit.mail import with_portal_message_id

if TYPE_CHECKING:
    from allauth.mfa.models import Authenticator


class PortalAccountAdapter(DefaultAccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        # Account emails (password reset, address confirmation) are named by the portal's domain too.
        return with_portal_message_id(super().render_mail(template_prefix, email, context, headers=headers))

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Invitation only: accounts are created by accepting an invitation link.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address axes sees too (behind TRUSTED_PROXY_COUNT proxies): allauth's rate limits,
        # its session list and its emails then name the same client.
        return lockout.client_ip(request) or super().get_client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """A password attempt counts against (login, address) here, and against the login's ceiling in
        allauth's own "login_failed" (keyed on the login, from any address)."""
        login = lockout.attempted_login(request, credentials) or ""
        self._forget_failures_here = lockout.failed_sign_in_allowed(request, account=login)
        if self._forget_failures_here is None:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        forget_failures_here = getattr(self, "_forget_failures_here", None)
        if user is not None and forget_failures_here is not None:
            forget_failures_here()
        return user


class PortalMFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        return settings.MFA_TOTP_ISSUER

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # A person whose role needs MFA cannot remove their only second factor.
        return not authenticator.user.requires_mfa


class PortalAuthenticateForm(AuthenticateForm):
    """The code step of signing in (MFA_FORMS["authenticate"]): a wrong code counts against (account,
    address) here, and against the account's ceiling in allauth's "login_failed" (keyed on the account)."""

    def clean_code(self) -> str:
        forget_failures_here = lockout.failed_sign_in_allowed(context.request, account=f"id:{self.user.pk}")
        if forget_failures_here is None:
            raise get_account_adapter().validation_error("too_many_login_attempts")
        code = super().clean_code()
        forget_failures_here()
        return code
