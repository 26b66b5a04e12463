"""What the api app does when agencies ends a person's access (agencies/signals.py)."""

from __future__ import annotations

from typing import Any

from agencies.models import User
from api.services import api_tokens_revoke_all


def tokens_revoke_on_access_ended(sender: Any, *, person: User, **kwargs: Any) -> None:
    """Every token of the person stops working, in the transaction of the change that ended their access."""
    api_tokens_revoke_all(user=person)
