"""`{% load webhook_words %}`: the portal's stored sentences of a delivery log, in the reader's language."""

from __future__ import annotations

from django import template

from webhooks.wording import in_words

register = template.Library()


@register.filter
def portal_words(stored: str) -> str:
    """`{{ delivery.last_error|portal_words }}` (webhooks/wording.py)."""
    return in_words(stored)
