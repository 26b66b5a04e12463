"""Who is trying to sign in, and from where: limits on failed sign-ins (django-axes and allauth).

Axes locks the pair (login, client IP): repeated failures from one place lock that
place out for that login, while the person can still sign in from their own desk.

allauth's limits on failed attempts (a wrong password or a wrong authenticator code) count per
account and client address too, never per address alone: behind a proxy, or in an office sharing
one address, a limit per address let one person's 60 mistyped codes stop everyone signing in.
An account also has a generous ceiling over all addresses (allauth's own "login_failed", keyed on
the login or the account), so that spreading guesses over many addresses does not help.

Both read the client address from `client_ip`, which trusts X-Forwarded-For only as far as
TRUSTED_PROXY_COUNT proxies of the task force's own put it there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from allauth.core import ratelimit
from django.conf import settings
from django.http import HttpRequest

# allauth rate-limit action (its rate in ACCOUNT_RATE_LIMITS): failures per account and address.
PER_ACCOUNT_AND_ADDRESS = "login_failed_account_address"


def attempted_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    for key in ("login", "username", "email"):
        value = request.POST.get(key) if request.method == "POST" else None
        if value:
            return value.strip().lower()
    return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n proxies in front, the address
    the outermost of them saw, which is the n-th entry of X-Forwarded-For from the right (each proxy
    appends its peer). Entries further left are the client's own say and are ignored. A header
    shorter than that, or holding no address there, means the request did not come through the
    proxies: REMOTE_ADDR then."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = forwarded.split(",")
    if len(hops) < count:
        return remote
    return _address(hops[-count]) or remote


def _address(text: str) -> str | None:
    """An IP address written alone, with a port ("198.51.100.1:8080") or bracketed ("[2001:db8::1]:443")."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _network(address: str) -> str:
    # One IPv6 client commonly holds a whole /64, as allauth's limits assume.
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def failed_sign_in_allowed(request: HttpRequest, *, account: str) -> Callable[[], None] | None:
    """Counts an attempt for `account` (a login, or "id:<pk>" for an authenticator code) from this
    client's address. None when the account has had too many failures from here; otherwise a function
    that forgets this address's failures for the account, to call once the attempt succeeded."""
    key = f"{account}\n{_network(client_ip(request))}"
    if not ratelimit.consume(request, action=PER_ACCOUNT_AND_ADDRESS, key=key):
        return None
    return lambda: ratelimit.clear(request, action=PER_ACCOUNT_AND_ADDRESS, key=key)
