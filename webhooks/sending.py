"""One HTTP attempt: the signed POST, and what came of it in a short phrase of the portal's own.

Signed as Standard Webhooks says (https://www.standardwebhooks.com): headers `webhook-id` (the
message id, the same on every retry), `webhook-timestamp` (this attempt, in Unix seconds) and
`webhook-signature` ("v1,<base64 HMAC-SHA256 of id.timestamp.body>", one per secret in force,
space-separated). The receiver checks it with any Standard Webhooks library and its secret.

The connection goes to an address checked by webhooks/addresses.py (the name is resolved once, here,
and not again by the HTTP library), never through a proxy of the environment, follows no redirect,
and reads no response body: only the status code is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from math import floor
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from requests.adapters import HTTPAdapter
from standardwebhooks import Webhook

from webhooks.addresses import Target, url_resolve

USER_AGENT = "TaskForcePortal-Webhooks/1"
# A name with several addresses: try this many of them when one cannot be reached at all.
_ADDRESSES_TRIED = 3


@dataclass(frozen=True)
class Message:
    url: str
    message_id: str
    payload: dict[str, Any]
    secrets: tuple[str, ...]  # the current secret first, then one still in force after a rotation


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    status_code: int | None
    error: str  # empty on success


def message_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def message_headers(*, message: Message, body: bytes, at: datetime) -> dict[str, str]:
    signatures = " ".join(Webhook(secret).sign(message.message_id, at, body) for secret in message.secrets)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message.message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": signatures,
    }


def message_send(*, message: Message, at: datetime) -> Outcome:
    """Sends one attempt now; never raises for what the network or the endpoint does."""
    try:
        # Stored in the log in English, whatever language is active (webhooks/wording.py says it on the page).
        with translation.override("en"):
            target = url_resolve(message.url)
    except ValidationError as error:
        return Outcome(succeeded=False, status_code=None, error=_short(" ".join(error.messages)))
    body = message_body(message.payload)
    headers = {**message_headers(message=message, body=body, at=at), "host": target.netloc}
    try:
        status = _post(target=target, url=message.url, body=body, headers=headers)
    except requests.Timeout:
        return Outcome(False, None, f"No answer within {settings.WEBHOOK_TIMEOUT:g} seconds.")
    except requests.exceptions.SSLError:
        return Outcome(False, None, "The secure connection failed: the server's certificate is not trusted or invalid.")
    except requests.RequestException:
        return Outcome(False, None, "The portal could not connect to the server.")
    if 200 <= status < 300:
        return Outcome(True, status, "")
    if 300 <= status < 400:
        return Outcome(False, status, f"The endpoint answered {status}, a redirect, which the portal does not follow.")
    return Outcome(False, status, f"The endpoint answered {status}.")


def _post(*, target: Target, url: str, body: bytes, headers: dict[str, str]) -> int:
    last: requests.ConnectionError | None = None
    for address in target.addresses[:_ADDRESSES_TRIED]:
        try:
            return _post_to(address=address, target=target, url=url, body=body, headers=headers)
        except requests.exceptions.SSLError:
            raise
        except requests.exceptions.ConnectTimeout:
            raise
        except requests.ConnectionError as error:  # refused or unreachable: the next address may answer
            last = error
    assert last is not None
    raise last


def _post_to(*, address: str, target: Target, url: str, body: bytes, headers: dict[str, str]) -> int:
    with requests.Session() as session:
        session.trust_env = False  # no proxy, netrc or CA bundle taken from the environment
        session.mount("https://", _PinnedAdapter(address=address, hostname=target.hostname))
        response = session.post(
            url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
            stream=True,  # the body is never read
            verify=settings.WEBHOOK_CA_BUNDLE or True,
        )
        with response:
            return response.status_code


class _PinnedAdapter(HTTPAdapter):
    """Connects to one checked address, while TLS still verifies the certificate for the name."""

    def __init__(self, *, address: str, hostname: str) -> None:
        self._address, self._hostname = address, hostname
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params["host"] = self._address
        pool_kwargs["server_hostname"] = self._hostname
        pool_kwargs["assert_hostname"] = self._hostname
        return host_params, pool_kwargs


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"
