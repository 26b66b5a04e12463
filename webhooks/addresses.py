"""Which URLs the portal will call: HTTPS only, and (outside tests) never an address inside a network.

An endpoint's address is checked when it is registered and again before every attempt, because a
name can be pointed somewhere else at any time. The attempt then connects to the addresses that
were checked (webhooks/sending.py), not to whatever the name resolves to a moment later.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

URL_MAX_LENGTH = 500

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """Where one attempt connects: the name for TLS and the Host header, and the checked addresses."""

    hostname: str
    port: int
    netloc: str  # "hooks.example.org" or "hooks.example.org:8443", as sent in the Host header
    addresses: tuple[str, ...]


def url_check_form(url: str) -> str:
    """The URL, stripped, if it has the form of one the portal calls; ValidationError otherwise."""
    url = url.strip()
    if not url:
        raise ValidationError(_("Give the address of your system's endpoint, starting with https://."))
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError(_("The address is too long: at most %(limit)d characters.") % {"limit": URL_MAX_LENGTH})
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError(_("This is not a valid web address.")) from None
    if parts.scheme.lower() != "https":
        raise ValidationError(
            _("The address must start with https://: events are sent over an encrypted connection only.")
        )
    if not parts.hostname:
        raise ValidationError(_("The address has no server name after https://."))
    if parts.username is not None or parts.password is not None:
        raise ValidationError(_("Leave the user name and password out of the address: messages are signed instead."))
    if parts.fragment:
        raise ValidationError(_("Leave out the part after #: it is never sent to a server."))
    if port == 0:
        raise ValidationError(_("This is not a valid port number."))
    if any(character.isspace() for character in url):
        raise ValidationError(_("An address has no spaces."))
    return url


def url_resolve(url: str) -> Target:
    """Resolves the URL's server name and checks every address it leads to.

    Refuses (ValidationError) a name that does not resolve, and, unless
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES, one that leads to a loopback, private, link-local or other
    non-public address: the portal must not be made to call into its own network.
    """
    parts = urlsplit(url_check_form(url))
    hostname = parts.hostname or ""
    port = parts.port or 443
    not_found = _("The portal could not find the server %(host)s. Check the address.") % {"host": hostname}
    try:
        found = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(not_found) from None
    addresses = tuple(dict.fromkeys(str(entry[4][0]) for entry in found))
    if not addresses:
        raise ValidationError(not_found)
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise ValidationError(
                    _(
                        "%(host)s leads to a private or local network address (%(address)s), which the portal "
                        "does not call. Give your system's public HTTPS address."
                    )
                    % {"host": hostname, "address": address}
                )
    return Target(hostname=hostname, port=port, netloc=parts.netloc, addresses=addresses)


# IPv6 forms that carry an IPv4 address in their last 32 bits, which a translator or the host's stack
# may reach: the NAT64 well-known prefix (RFC 6052; 64:ff9b::7f00:1 is 127.0.0.1 through a NAT64 gateway),
# IPv4-compatible (::/96, deprecated) and IPv4-translated (::ffff:0:0:0/96, SIIT) addresses.
_CARRY_IPV4_IN_LAST_32_BITS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
)
# The NAT64 local-use prefix (RFC 8215): a network's own translator, never a public destination.
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL_USE:
            return False
        carried = _carried_ipv4(address)
        if carried is not None and not _is_public(carried):
            return False  # ::ffff:127.0.0.1, 64:ff9b::7f00:1, 2002:7f00:1:: all lead to 127.0.0.1
        if address.ipv4_mapped is not None:
            return True  # its IPv4 address is public; the mapped block itself is not "global"
    return address.is_global and not address.is_multicast


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to through a translation or tunnel, if it carries one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:  # 6to4 (2002::/16): a relay sends it on to this IPv4 address
        return address.sixtofour
    if any(address in network for network in _CARRY_IPV4_IN_LAST_32_BITS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
