"""Profile one URL in this process (pyinstrument), as a person of the benchmark cast, to see where a
request's time goes when benchmarks/run.py reports a figure short of its aim.

    .venv/bin/python benchmarks/profile_request.py "/api/v1/referrals/?direction=incoming" --as officer -n 200
    .venv/bin/python benchmarks/profile_request.py /bench/export/referrals.csv -n 1

Same settings and database as run.py (--database-url). The time is the whole Django request
(middleware, authentication, view, rendering, streaming) without gunicorn and the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument(
        "--as", dest="person", default="officer", help="officer, coordinator, admin, member, grant_manager, or none"
    )
    parser.add_argument("-n", "--requests", type=int, default=100)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/scale_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--html", help="also write pyinstrument's HTML report to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import _environment

    os.environ.update(_environment(args))
    import django

    django.setup()
    return _profile(args)


def _profile(args: argparse.Namespace) -> int:
    from django.http import StreamingHttpResponse
    from django.test import Client
    from pyinstrument import Profiler

    from benchmarks.people import cast_assemble, cast_dismiss

    cast = cast_assemble()
    try:
        headers = {} if args.person == "none" else {"Authorization": f"Bearer {cast.tokens[args.person]}"}
        client = Client()
        first = client.get(args.url, headers=headers)
        print(f"status {first.status_code}", file=sys.stderr)
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.requests):
                response = client.get(args.url, headers=headers)
                if isinstance(response, StreamingHttpResponse):  # what `response.streaming` says
                    for _chunk in response.streaming_content:
                        pass
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            Path(args.html).write_text(profiler.output_html())
    finally:
        cast_dismiss(cast)
    return 0


if __name__ == "__main__":
    sys.exit(main())
