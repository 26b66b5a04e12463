"""An agency administrator trying to make the portal call into its own network through a webhook address.

The address check (webhooks/addresses.py) runs when an endpoint is registered and before every attempt;
these are addresses that lead to a private or loopback IPv4 address through an IPv6 form that carries it
(NAT64, 6to4, IPv4-compatible, IPv4-translated), and the IPv4 spellings a resolver accepts.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agencies.models import User
from webhooks.addresses import url_resolve
from webhooks.models import WebhookEndpoint, WebhookEvent
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

# Each leads to 127.0.0.1, 10.0.0.1 or 169.254.169.254 (the cloud metadata address).
EMBEDDING_A_PRIVATE_IPV4 = [
    "https://[64:ff9b::7f00:1]/hooks",  # NAT64 well-known prefix: a NAT64 gateway forwards it to 127.0.0.1
    "https://[64:ff9b::a9fe:a9fe]/hooks",  # NAT64 to 169.254.169.254
    "https://[64:ff9b:1::a00:1]/hooks",  # NAT64 local-use prefix (RFC 8215) to 10.0.0.1
    "https://[2002:7f00:1::1]/hooks",  # 6to4 of 127.0.0.1
    "https://[2002:a00:1::1]/hooks",  # 6to4 of 10.0.0.1
    "https://[::7f00:1]/hooks",  # IPv4-compatible ::127.0.0.1
    "https://[::ffff:0:7f00:1]/hooks",  # IPv4-translated (SIIT) 127.0.0.1
]

SPELLINGS_OF_LOOPBACK = [
    "https://2130706433/hooks",  # decimal
    "https://0177.0.0.1/hooks",  # octal
    "https://0x7f.1/hooks",  # hexadecimal, short form
    "https://[::ffff:127.0.0.1]/hooks",  # IPv4-mapped
    "https://[::1]/hooks",
    "https://127.1:8443/hooks",  # another port changes nothing
]


@pytest.fixture
def deployed(settings) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # as in a deployment


@pytest.mark.usefixtures("deployed")
@pytest.mark.parametrize("url", EMBEDDING_A_PRIVATE_IPV4)
def test_it_refuses_an_ipv6_address_that_carries_a_private_ipv4_address(url: str) -> None:
    with pytest.raises(ValidationError, match="private or local network address"):
        url_resolve(url)


@pytest.mark.usefixtures("deployed")
@pytest.mark.parametrize("url", SPELLINGS_OF_LOOPBACK)
def test_it_refuses_every_spelling_of_loopback(url: str) -> None:
    with pytest.raises(ValidationError, match="private or local network address"):
        url_resolve(url)


@pytest.mark.usefixtures("deployed")
def test_it_still_takes_an_ipv6_address_that_carries_a_public_ipv4_address() -> None:
    # 6to4 of 93.184.216.34, a public address: nothing private is reached through it.
    target = url_resolve("https://[2002:5db8:d822::1]/hooks")
    assert target.addresses == ("2002:5db8:d822::1",)


@pytest.mark.usefixtures("deployed")
def test_an_agency_administrator_cannot_register_a_nat64_address_of_loopback(agency_admin: User) -> None:
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(
            actor=agency_admin, url="https://[64:ff9b::7f00:1]/hooks", description="", events=[WebhookEvent.RECEIVED]
        )
    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.usefixtures("deployed")
@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org@127.0.0.1/x",  # userinfo
        "https://127.0.0.1#@hooks.example.org/x",  # fragment trick
        "http://hooks.example.org/x",  # not HTTPS
        "https://hooks.example.org\\@127.0.0.1/x",  # backslash userinfo, as some parsers read it
    ],
)
def test_it_refuses_addresses_shaped_to_confuse_a_parser(agency_admin: User, url: str) -> None:
    with pytest.raises(ValidationError):
        webhook_endpoint_create(actor=agency_admin, url=url, description="", events=[WebhookEvent.RECEIVED])
    assert not WebhookEndpoint.objects.exists()
