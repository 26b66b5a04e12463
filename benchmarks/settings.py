"""Settings of the HTTP benchmarks (benchmarks/run.py): production, plus the benchmark-only ceiling views.

Only benchmarks/run.py loads this module; a deployment never does, so the ceiling views (which
answer without signing in) exist only in the gunicorn that the benchmark starts on loopback.
"""

from taskforce.settings.production import *  # noqa: F403
from taskforce.settings.production import BASE_DIR, REST_FRAMEWORK

ROOT_URLCONF = "benchmarks.urls"
# Pages need the static manifest, as in production; run.py collects it here (gitignored), not in var/.
STATIC_ROOT = BASE_DIR / "benchmarks" / "results" / "static"

# The production rate (1200/min for a person) would answer 429 within a second of load from one
# benchmark person. At 100,000 a second the throttle still counts every request in Redis (one round
# trip, api/throttling.py), as in production, without refusing any.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/s", "user": "100000/s"},
}
