"""The embedded default: `make run` on a laptop. SQLite, tasks in-process, mail to var/mail."""

from taskforce.settings.base import *  # noqa: F403
from taskforce.settings.base import LOGGING, SECRET_KEY

DEBUG = True
# A fixed development key is fine here: dev never runs with real data.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"

# The embedded default keeps its database and mail in ./var (ignored by git).
(VAR_DIR / "mail").mkdir(parents=True, exist_ok=True)

# Tasks run in-process here: one "Task ... succeeded" line per notification drowned `seed_demo`'s summary.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "celery.app.trace": {"level": "WARNING"}}}
