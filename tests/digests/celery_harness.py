"""Run `celery` for the digest integration tests: `python -m tests.digests.celery_harness worker ...`.

- With FAKE_NOW (ISO 8601), the process's clock starts there and ticks on (time-machine): a test
  can stop beat before a scheduled hour and start it again after, without waiting for hours.
  FAKE_NOW_ANCHOR (a real Unix time) is when the test set that clock: processes started seconds
  apart on a busy machine then share one clock, instead of each starting at FAKE_NOW when it
  happens to get there (a worker 7 s ahead of beat discarded every plan as expired).
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
    import time
    from datetime import datetime, timedelta

    import time_machine

    now = datetime.fromisoformat(fake_now)
    anchor = os.environ.get("FAKE_NOW_ANCHOR")
    if anchor:
        now += timedelta(seconds=time.time() - float(anchor))
    with time_machine.travel(now, tick=True):
        # time-machine 3 starts the clock at its first reading, not at travel(): read it now, or a
        # process that reads it seconds later (beat, after loading Django) runs seconds behind.
        time.time()
        return celery_main()


if __name__ == "__main__":
    sys.exit(main())
