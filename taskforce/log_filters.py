"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (a refused page, a missing object) is one line, not a traceback.

    Django's `django.request` logger attaches the PermissionDenied or Http404 it caught, so `runserver`
    printed a stack trace for every 403 and 404. Those are answers, not faults; 5xx keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
