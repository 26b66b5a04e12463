"""The portal's own short sentences stored on a delivery (`last_error`) or an endpoint (`disabled_reason`),
said in the reader's language.

They are written by the worker, in English (no person's language is active there), and kept as text: the
log row is data, read later by people who may read Spanish. Each sentence the portal stores is matched
here, its numbers or names kept, and said again in the active language; anything else is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

# (the stored English sentence, its translation with the same placeholders). Written by
# webhooks/delivery.py, webhooks/sending.py and webhooks/addresses.py (the checks run before each attempt).
_SENTENCES: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (re.compile(r"^The endpoint answered (?P<status>\d+)\.$"), lambda: _("The endpoint answered %(status)s.")),
    (
        re.compile(r"^The endpoint answered (?P<status>\d+), a redirect, which the portal does not follow\.$"),
        lambda: _("The endpoint answered %(status)s, a redirect, which the portal does not follow."),
    ),
    (
        re.compile(r"^No answer within (?P<seconds>[\d.]+) seconds\.$"),
        lambda: _("No answer within %(seconds)s seconds."),
    ),
    (
        re.compile(r"^The secure connection failed: the server's certificate is not trusted or invalid\.$"),
        lambda: _("The secure connection failed: the server's certificate is not trusted or invalid."),
    ),
    (
        re.compile(r"^The portal could not connect to the server\.$"),
        lambda: _("The portal could not connect to the server."),
    ),
    (
        re.compile(r"^The portal could not find the server (?P<host>\S+)\. Check the address\.$"),
        lambda: _("The portal could not find the server %(host)s. Check the address."),
    ),
    (
        re.compile(
            r"^(?P<host>\S+) leads to a private or local network address \((?P<address>[^)]+)\), which the portal "
            r"does not call\. Give your system's public HTTPS address\.$"
        ),
        lambda: _(
            "%(host)s leads to a private or local network address (%(address)s), which the portal does not call. "
            "Give your system's public HTTPS address."
        ),
    ),
    (re.compile(r"^Given up: the endpoint was turned off\.$"), lambda: _("Given up: the endpoint was turned off.")),
    (
        re.compile(r"^Given up: the referral no longer exists\.$"),
        lambda: _("Given up: the referral no longer exists."),
    ),
    (
        re.compile(r"^Given up: consent ended, so your agency can no longer see this referral\.$"),
        lambda: _("Given up: consent ended, so your agency can no longer see this referral."),
    ),
    (
        re.compile(r"^Turned off by the portal after (?P<count>\d+) deliveries in a row failed\.$"),
        lambda: _("Turned off by the portal after %(count)s deliveries in a row failed."),
    ),
]


def in_words(stored: str) -> str:
    """The stored sentence in the active language; as stored when it is not one of the portal's."""
    for pattern, translated in _SENTENCES:
        if found := pattern.match(stored):
            return translated() % found.groupdict()
    return stored
