"""Benchmarks 1, 2, 4 (CSV), 5 and 8: each over HTTP against gunicorn, each against a ceiling of the same run."""

from __future__ import annotations

import json

from rest_framework.pagination import Cursor

from agencies.models import User
from api.pagination import PortalCursorPagination
from benchmarks.http_load import Gunicorn, LoadSettings, get_json, interleaved, ratio, rss_kib, stream
from benchmarks.people import Cast
from cases.models import Referral

# Newest first (-id): the order of the ceiling's rows and of DRF's one-column cursor. Since the list's
# default became urgency then age (api/v1/referrals.py), that default is measured as a third load.
LIST = "/api/v1/referrals/?direction=incoming&ordering=newest"
LIST_BY_URGENCY = "/api/v1/referrals/?direction=incoming"
COPY_PATH = "/bench/ceiling/copy.csv"
EXPORT_PATH = "/bench/export/referrals.csv"
SEARCHES = ("shelter", "hotline poster", "interpreter", "legal help", "clinic visit")


def _auth(cast: Cast, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {cast.tokens[name]}"}


def deepest_page(officer: User) -> str:
    """The last page of the officer's incoming list, as DRF encodes its cursor (position: the oldest
    row of the second-to-last page, so that the page holds the 50 oldest rows)."""
    oldest = list(Referral.objects.incoming_for(officer).order_by("id").values_list("id", flat=True)[:51])
    paginator = PortalCursorPagination()
    paginator.base_url = f"http://host{LIST}"
    # urlencode() writes the position as str() would, as DRF's own cursors hold it.
    url = paginator.encode_cursor(Cursor(offset=0, reverse=False, position=oldest[-1]))
    return url.removeprefix("http://host")


def referral_lists(server: Gunicorn, cast: Cast, load: LoadSettings) -> dict:
    """1: the list against its ceiling; 2: the deepest page against the first."""
    port, auth = server.port, _auth(cast, "officer")
    ceiling_path = f"/bench/ceiling/referrals/?agency={cast.officer.agency_id}"
    deep_path = deepest_page(cast.officer)
    first = get_json(port, LIST, auth)
    deep = get_json(port, deep_path, auth)
    ceiling = get_json(port, ceiling_path)
    same_rows = [row["id"] for row in first["results"]] == [row["id"] for row in ceiling["results"]]
    checks = {
        "rows": len(first["results"]),
        "same_rows_as_ceiling": same_rows,
        "deepest_rows": len(deep["results"]),
        "deepest_is_last": deep["next"] is None,
    }
    get_json(port, LIST_BY_URGENCY, auth)
    variants = {
        "ceiling": ([ceiling_path], {}),
        "list": ([LIST], auth),
        "deepest": ([deep_path], auth),
        "by_urgency": ([LIST_BY_URGENCY], auth),
    }
    runs = interleaved(port, variants, load=load)
    return {
        "checks": checks,
        "paths": {"list": LIST, "deepest": deep_path, "ceiling": ceiling_path, "by_urgency": LIST_BY_URGENCY},
        "list_vs_ceiling": ratio(runs["list"], runs["ceiling"]),
        "first_vs_deepest": ratio(runs["list"], runs["deepest"]),
        **runs,
    }


def referral_detail(server: Gunicorn, cast: Cast, load: LoadSettings, ids: list[int]) -> dict:
    """8: the detail endpoint against a bare one-row values() fetch, over the same referrals."""
    port, auth = server.port, _auth(cast, "officer")
    paths = [f"/api/v1/referrals/{pk}/" for pk in ids]
    ceiling_paths = [f"/bench/ceiling/referrals/{pk}/" for pk in ids]
    get_json(port, paths[0], auth)
    get_json(port, ceiling_paths[0])
    runs = interleaved(port, {"ceiling": (ceiling_paths, {}), "detail": (paths, auth)}, load=load)
    return {"referrals": len(ids), "detail_vs_ceiling": ratio(runs["detail"], runs["ceiling"]), **runs}


def search(server: Gunicorn, cast: Cast, load: LoadSettings, ids: list[int]) -> dict:
    """5: full-text search of notes and minutes as a referral officer, several queries in turn; and, as
    the floor this server and machine set at the same concurrency, the one-row fetch of benchmark 8
    (no sign-in, one query): the search's p95 cannot be lower than the least work's."""
    port, auth = server.port, _auth(cast, "officer")
    # Search is a POST (its words stay out of URLs and logs): "POST <path> <JSON body>" for wrk_report.lua.
    paths = [f"POST /api/v1/search/ {json.dumps({'q': q})}" for q in SEARCHES]
    auth = {**auth, "Content-Type": "application/json"}
    hits = {}
    for q in SEARCHES:
        found = get_json(port, "/api/v1/search/", auth, post={"q": q})
        hits[q] = {"referrals": len(found["referrals"]), "minutes": len(found["minutes"])}
    floor_paths = [f"/bench/ceiling/referrals/{pk}/" for pk in ids]
    runs = interleaved(port, {"search": (paths, auth), "one_row_floor": (floor_paths, {})}, load=load)
    return {"hits": hits, **runs}


def csv_export(server: Gunicorn) -> dict:
    """4 (CSV): the export code path over all referrals against COPY of the same rows and columns.
    One warm-up download of each first (kept: its memory growth is the first export of a worker);
    then COPY, then the export, each measured once."""
    warmup = {path: stream(server.port, path, rss_before=_rss(server)) for path in (COPY_PATH, EXPORT_PATH)}
    copy = stream(server.port, COPY_PATH, rss_before=_rss(server))
    export = stream(server.port, EXPORT_PATH, rss_before=_rss(server))
    return {
        "copy": copy,
        "export": export,
        "export_warmup": warmup[EXPORT_PATH],
        "same_bytes": copy["sha256_without_cr"] == export["sha256_without_cr"],
    }


def _rss(server: Gunicorn) -> dict[int, int]:
    return {pid: rss_kib(pid) for pid in server.worker_pids()}
