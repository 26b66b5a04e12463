"""`{% load referral_words %}`: the words of cases/wording.py in templates, in the reader's language."""

from __future__ import annotations

from django import template

from cases import wording

register = template.Library()


@register.filter
def referral_status(status: str) -> str:
    """A referral's status code ("in_progress") in plain words ("In progress")."""
    return wording.status_name(status)


@register.filter
def minutes_status(status: str) -> str:
    """A minutes' status code ("circulated") in plain words ("circulated for review")."""
    return wording.minutes_status_name(status)
