"""API of the announcements area (being written)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []


def register(router: Any) -> None:
    """Adds this area's viewsets to the v1 router."""
