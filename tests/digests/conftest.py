from __future__ import annotations

import pytest

from digests.models import DigestPlannerState
from tests.digests.helpers import LONG_AGO


@pytest.fixture
def planner_history(db: None) -> DigestPlannerState:
    """The planner has been running for years: periods are caught up as in steady operation."""
    return DigestPlannerState.objects.create(pk=1, first_run_at=LONG_AGO, last_run_at=LONG_AGO)


@pytest.fixture(autouse=True)
def _fresh_backends_and_breaker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test email backends and the outbox's broker breaker keep state in the class or module."""
    from outbox import services as outbox
    from tests.digests.backends import CountingBackend, FlakyBackend

    monkeypatch.setattr(FlakyBackend, "errors", [])
    monkeypatch.setattr(FlakyBackend, "refused", set())
    monkeypatch.setattr(CountingBackend, "opened", 0)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    monkeypatch.setattr(outbox._waiting, "ids", [], raising=False)
