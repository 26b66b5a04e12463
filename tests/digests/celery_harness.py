"""Run `celery` for the digest integration tests: `python -m tests.digests.celery_harness worker ...`.

- With FAKE_NOW (ISO 8601), the process's clock starts there and ticks on (time-machine): a test
  can stop beat before a scheduled hour and start it again after, without waiting for hours.
- Beat sends only the digest entries (other apps' entries would go to a queue nobody reads here).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    from celery.bin.celery import main as celery_main

    from taskforce.celery import app

    schedule = app.conf.beat_schedule
    app.conf.beat_schedule = {name: entry for name, entry in schedule.items() if entry["task"].startswith("digests.")}
    sys.argv = ["celery", "-A", "taskforce", *sys.argv[1:]]
    fake_now = os.environ.get("FAKE_NOW")
    if not fake_now:
        return celery_main()
    import time_machine

    with time_machine.travel(fake_now, tick=True):
        return celery_main()


if __name__ == "__main__":
    sys.exit(main())
