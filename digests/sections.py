"""The digest is a list of sections, each from a registry entry in settings.DIGEST_SECTIONS.

Adding meetings, action items or trainings means writing a class in that app and appending its
dotted path to DIGEST_SECTIONS (order there is order in the email); nothing in digests/ changes.
The class (instantiated once, no arguments) has:

- `key`: a unique, stable slug ("meetings"); `title`: the heading ("Meetings in the next 14 days").
- `build(*, person, window) -> SectionContent | None`, called at send time for each recipient:
  - only what `person` may see NOW, through the model's `for_user(person)` (never a cached or
    planned list: access may have changed since the digest was planned);
  - "what changed" within [window.start, window.end) (end is the scheduled instant, so a retried
    send counts the same things), "what is coming" from window.now (the send time);
  - None, or no items, when there is nothing: a digest whose sections are all empty is not sent;
  - a constant number of queries per person (one or two), as it runs once per recipient;
  - returns `DigestItem`s: one line of text, an absolute link (`portal_url()`), optionally `when`
    (an aware datetime, shown in the person's time zone).

The privacy rule binds every section: email is not a safe channel. An item carries a count, a
date, a title of task-force business and a link, never a reference code, a note, minutes text or a
coded fact of a case. The renderer refuses a message that holds a reference code (defence in depth).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from agencies.models import User


@dataclass(frozen=True)
class DigestWindow:
    """What a digest covers. `start`-`end` is the period for "what changed" (end is the scheduled
    instant, so that a retry counts the same changes); `now` is the send time, for "what is coming"."""

    start: datetime
    end: datetime
    now: datetime


@dataclass(frozen=True)
class DigestItem:
    # Words may be lazy translations: they are rendered inside the person's language (digests/delivery.py).
    text: StrOrPromise  # one line: "3 referrals are waiting for your agency to answer"
    url: str = ""  # absolute link into the portal, where the person signs in to see more
    when: datetime | None = None  # shown in the person's time zone, for dated items (a meeting)


@dataclass(frozen=True)
class SectionContent:
    key: str
    title: StrOrPromise
    items: list[DigestItem] = field(default_factory=list)
    link_url: str = ""
    link_label: StrOrPromise = ""


@runtime_checkable
class DigestSection(Protocol):
    """The interface a digest section implements (see the module docstring)."""

    key: str

    @property
    def title(self) -> StrOrPromise:
        """The heading; read-only here, so that a plain or a lazy (translated) string both fit."""

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        """What `person` may see, checked now through the model's `for_user()`; None or no items: left out."""


def portal_url(viewname: str, *, query: str = "", **kwargs: object) -> str:
    """An absolute link for an email: emails are read outside the portal."""
    path = reverse(viewname, kwargs=kwargs or None)
    return settings.PORTAL_BASE_URL.rstrip("/") + path + (f"?{query}" if query else "")


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[DigestSection, ...]:
    loaded = []
    for path in paths:
        section = import_string(path)()
        if not isinstance(section, DigestSection):
            raise TypeError(f"{path} does not implement digests.sections.DigestSection")
        loaded.append(section)
    keys = [section.key for section in loaded]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Digest section keys must be unique: {keys}")
    return tuple(loaded)


def registered_sections() -> tuple[DigestSection, ...]:
    return _load(tuple(settings.DIGEST_SECTIONS))


def digest_sections_build(*, person: User, window: DigestWindow) -> list[SectionContent]:
    """The non-empty sections of a person's digest, in registry order."""
    built = (section.build(person=person, window=window) for section in registered_sections())
    return [content for content in built if content is not None and content.items]
