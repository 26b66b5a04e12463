"""Email backends for tests: count connections, and fail on cue like a real SMTP server would."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    """The in-memory backend, counting how many connections were opened."""

    opened: ClassVar[int] = 0

    def open(self) -> bool:
        type(self).opened += 1
        return True


class FlakyBackend(EmailBackend):
    """Raises the queued errors, one per message, before accepting messages again."""

    errors: ClassVar[list[Exception]] = []
    refused: ClassVar[set[str]] = set()

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            if self.errors:
                raise self.errors.pop(0)
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such mailbox")})
        return super().send_messages(messages)
