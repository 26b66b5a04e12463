"""Email messages: HTML and plain-text parts, one-click unsubscribe headers, and a content check.

Email is not a safe channel (DOMAIN.md): bodies carry counts, dates, titles of task-force business
and links. `check_content_free` refuses a message that contains a reference code, whatever section
or notification produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import User
from digests.models import DIGEST_KIND, Delivery, Frequency
from digests.schedule import zone
from digests.sections import DigestWindow, SectionContent
from toolkit.mail import PortalEmail, in_language, list_id, portal_message_id

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_UNSUBSCRIBE_SALT = "digests.unsubscribe"
# Reference codes look like "JUN-2026-00042" (cases.services._next_reference_code).
REFERENCE_CODE = re.compile(r"\b[A-Z]{1,6}-\d{4}-\d{5}\b")


class UnsafeContent(Exception):
    """A message would have carried case data; it is not sent."""


@dataclass(frozen=True)
class NotificationContent:
    """Its words may be lazy translations: they are rendered in the person's language (`in_language`)."""

    subject: StrOrPromise
    message: StrOrPromise  # a sentence or two, no case details: "A new referral was sent to your agency."
    link_url: str
    link_label: StrOrPromise


def unsubscribe_token(*, person_id: int, stream: str) -> str:
    """A signature of (person, stream): the link works without signing in, and cannot be forged."""
    return signing.dumps({"p": person_id, "s": stream}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_from_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("s"), str):
        return None
    return data["p"], data["s"]


def unsubscribe_url(*, person_id: int, stream: str) -> str:
    path = reverse("digests:unsubscribe", args=[unsubscribe_token(person_id=person_id, stream=stream)])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def check_content_free(*parts: str) -> None:
    for part in parts:
        if REFERENCE_CODE.search(part):
            raise UnsafeContent("a reference code")


def _portal(viewname: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(viewname)


def _message(
    *, person: User, delivery: Delivery | None, stream: str, subject: str, context: dict
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(person_id=person.pk, stream=stream)
    context = {
        **context,
        "person": person,
        "taskforce_name": settings.TASKFORCE_NAME,
        "preferences_url": _portal("digests:preferences"),
        "unsubscribe_url": unsubscribe,
        "portal_url": settings.PORTAL_BASE_URL.rstrip("/") + "/",
        "time_zone": zone(person.time_zone),
    }
    kind = "digest" if stream == DIGEST_KIND else "notification"
    text = render_to_string(f"digests/email/{kind}.txt", context)
    html = render_to_string(f"digests/email/{kind}.html", context)
    check_content_free(subject, text, html)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": list_id(stream),
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if delivery is not None:
        # The same Message-ID for every attempt of one delivery: in the rare case of a duplicate
        # (see digests/delivery.py), mail systems and clients can recognise it as the same message.
        headers["Message-ID"] = portal_message_id(f"{delivery.kind}.{delivery.pk}")
    message = PortalEmail(subject=subject, body=text, to=[person.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def digest_subject(frequency: str) -> str:
    """In the active language: callers render a person's digest inside `in_language(person)`."""
    if frequency == Frequency.WEEKLY:
        return _("Your weekly task-force digest")
    return _("Your daily task-force digest")


def digest_message(
    *,
    person: User,
    sections: list[SectionContent],
    window: DigestWindow,
    frequency: str,
    delivery: Delivery | None = None,
    preview: bool = False,
) -> EmailMultiAlternatives:
    # The person's language, whatever the caller's: the sections were built in it too (digests/delivery.py).
    with in_language(person):
        subject = digest_subject(frequency)
        if preview:
            subject = _("[Preview] %(subject)s") % {"subject": subject}
        context = {"sections": sections, "window": window, "frequency": frequency, "subject": subject}
        return _message(person=person, delivery=delivery, stream=DIGEST_KIND, subject=subject, context=context)


def notification_message(
    *, person: User, kind: str, content: NotificationContent, delivery: Delivery | None = None
) -> EmailMultiAlternatives:
    with in_language(person):
        context = {"content": content, "subject": content.subject}
        return _message(person=person, delivery=delivery, stream=kind, subject=str(content.subject), context=context)
