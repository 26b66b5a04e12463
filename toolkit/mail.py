"""The headers every email of the portal carries, in one place: a Message-ID on the portal's own domain
and, for mail a person subscribed to (digests, notifications), a List-Id.

Django names a message `<...@{socket.getfqdn()}>` (DNS_NAME): "localhost" on most hosts and
containers, which spam filters count against a message and which says nothing about who sent it. The
domain here is PORTAL_BASE_URL's host, the one people see in every link of the message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from email.utils import make_msgid
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import translation

Message = TypeVar("Message", bound=EmailMessage)
Person = TypeVar("Person")


def language_of(person: object) -> str:
    """The language a person reads their email in: their saved choice, else the portal's default."""
    chosen = getattr(person, "language", "") or ""
    known = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE


def in_language(person: object) -> AbstractContextManager[None]:
    """`with in_language(person):` renders subject and body in that person's language."""
    return translation.override(language_of(person))


def by_language(people: Iterable[Person]) -> Iterator[tuple[str, list[Person]]]:
    """One notice to many people: the people grouped by language (in a stable order), so that the message is
    rendered once per language under `translation.override(language)`."""
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        groups[language_of(person)].append(person)
    for language in sorted(groups):
        yield language, groups[language]


def portal_domain() -> str:
    # ".invalid" (RFC 2606) only if PORTAL_BASE_URL has no host at all: never someone else's domain.
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "portal.invalid"


def portal_message_id(local_part: str | None = None) -> str:
    """`<local_part@domain>` when the caller has a stable name for the message (a digest delivery, the
    same for every attempt), else a fresh unique one as make_msgid makes it."""
    if local_part is not None:
        return f"<{local_part}@{portal_domain()}>"
    return make_msgid(domain=portal_domain())


def list_id(stream: str) -> str:
    """RFC 2919's List-Id of one kind of subscribed mail: mail clients group and filter by it."""
    label = "".join(character if character.isalnum() or character == "-" else "-" for character in stream)
    name = settings.TASKFORCE_NAME.replace("\\", "").replace('"', "")
    return f'"{name}" <{label}.{portal_domain()}>'


class PortalEmail(EmailMultiAlternatives):
    """Every message the portal builds itself: a Message-ID on the portal's domain unless the caller
    gave one (the same for every attempt of one delivery, digests/rendering.py)."""

    def __init__(self, *, subject: str, body: str, to: Sequence[str], headers: Mapping[str, str] | None = None) -> None:
        named = dict(headers or {})
        if not any(name.lower() == "message-id" for name in named):
            named["Message-ID"] = portal_message_id()
        super().__init__(subject=subject, body=body, to=list(to), headers=named)


def portal_send_mail(*, subject: str, message: str, recipient_list: Sequence[str]) -> int:
    """django.core.mail.send_mail for the portal's plain notices (from DEFAULT_FROM_EMAIL), with its headers."""
    return PortalEmail(subject=subject, body=message, to=list(recipient_list)).send()


def with_portal_message_id(message: Message) -> Message:
    """A message built elsewhere (allauth's account emails), given the portal's Message-ID."""
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        message.extra_headers["Message-ID"] = portal_message_id()
    return message
