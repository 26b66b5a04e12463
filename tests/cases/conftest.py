from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request of a person who reads Spanish activates Spanish in this thread, and nothing deactivates it
    after the response: the next test would read Spanish (the tests assume the default language, English)."""
    yield
    translation.activate("en")
