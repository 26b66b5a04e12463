"""A logging filter that cuts query strings out of the development server's access lines.

`runserver` logs each request line ("GET /referrals/?q=... HTTP/1.1") on the `django.server` logger;
words typed into a URL must not reach a log (gunicorn's access format leaves them out the same way,
see gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re

# A path and the query string after it, up to the next space or quote.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_QUERY.sub(r"\1", arg) if isinstance(arg, str) else arg for arg in record.args)
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub(r"\1", record.msg)
        return True
