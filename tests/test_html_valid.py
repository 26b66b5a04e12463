"""The portal's pages are valid HTML, as the Nu HTML Checker (vnu) reads them, for every role.

The checker is an independent client: browsers forgive invalid markup, the tools that read it for a
person (screen readers, calendar and date extractors) need not: a `datetime` with microseconds is no
valid date for them, and a required select must open on an empty choice, or it is answered before anyone
chooses. vnu.jar comes from the npm registry (`vnu-jar`, pinned in package-lock.json, installed by
`make install`) and runs on Debian's Java. Without either, this test skips on a developer's machine and
fails in CI (REQUIRE_SERVICES=1), where .ci/run installs both.

The demo data stands in for real use: its timestamps carry microseconds, as stored rows do.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import reverse

from agencies import demo
from agencies.models import User
from cases.models import Referral
from meetings.models import Meeting, Training, TrainingRequest
from reports.models import Report
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


def _vnu_command() -> list[str]:
    """`java -jar vnu.jar`, or skip (fail in CI) naming what is missing and how to get it."""
    java = shutil.which("java")
    missing = [
        *([] if java else ["Java (apt-get install default-jre-headless)"]),
        *([] if VNU_JAR.is_file() else [f"{VNU_JAR.relative_to(ROOT)} (make install: npm ci)"]),
    ]
    if missing:
        message = "the Nu HTML Checker needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [str(java), "-jar", str(VNU_JAR)]


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[User | None], str | None]  # None: nothing of the kind for this person to open
    post: dict[str, str] | None = None  # a page that answers a POST (search: its words never go in a URL)


def _first(queryset: QuerySet) -> Model | None:
    return queryset.order_by("pk").first()


def _detail(model: type[Model], route: str) -> Callable[[User | None], str | None]:
    """The first object of `model` the person may see (its `for_user()`), or None if they see none."""

    def url(user: User | None) -> str | None:
        found = _first(model.objects.for_user(user))  # type: ignore[attr-defined]
        return reverse(route, args=[found.pk]) if found else None

    return url


def _fixed(route: str) -> Callable[[User | None], str]:
    return lambda user: reverse(route)


def _public_training(user: User | None) -> str | None:
    found = _first(Training.objects.public())
    return reverse("meetings:public_training_detail", args=[found.pk]) if found else None


SIGNED_IN_PAGES = [
    Page("home", _fixed("home")),
    Page("referral list", _fixed("cases:referral_list")),
    Page("referral detail", _detail(Referral, "cases:referral_detail")),
    Page("new referral", _fixed("cases:referral_create")),
    Page("search", _fixed("cases:search")),
    Page("search results", _fixed("cases:search"), post={"q": "advocate"}),
    Page("calendar", _fixed("meetings:calendar")),
    Page("meetings list", _fixed("meetings:calendar_list")),
    Page("meeting detail", _detail(Meeting, "meetings:meeting_detail")),
    Page("new meeting", _fixed("meetings:meeting_create")),
    Page("committees", _fixed("meetings:committee_list")),
    Page("my action items", _fixed("meetings:my_action_items")),
    Page("trainings", _fixed("meetings:training_list")),
    Page("training detail", _detail(Training, "meetings:training_detail")),
    Page("training requests", _fixed("meetings:training_request_list")),
    Page("training request detail", _detail(TrainingRequest, "meetings:training_request_detail")),
    Page("reports dashboard", _fixed("reports:dashboard")),
    Page("report detail", _detail(Report, "reports:detail")),
    Page("activity figures", _fixed("activity:figures")),
    Page("audit list", _fixed("audit:list")),
    Page("people", _fixed("agencies:people")),
    Page("agency directory", _fixed("agencies:directory")),
    Page("email settings", _fixed("digests:preferences")),
    Page("digest preview", _fixed("digests:preview")),
    Page("email defaults", _fixed("digests:defaults")),
    Page("API tokens", _fixed("tokens:list")),
]
PUBLIC_PAGES = [
    Page("sign-in", _fixed("account_login")),
    Page("public trainings", _fixed("meetings:public_training_list")),
    Page("public training", _public_training),
    Page("public training request", _fixed("meetings:public_training_request")),
]


def _people() -> list[tuple[str, User | None, Client]]:
    """A visitor, then each demo login (one or more of every role)."""
    people: list[tuple[str, User | None, Client]] = [("visitor", None, Client())]
    for login in demo.LOGINS:
        user = User.objects.get(email=login.email)
        people.append((f"{login.role.label} ({login.email})", user, client_for(user)))
    return people


def _render_all(folder: Path) -> dict[Path, str]:
    """Every page each person may open, written to `folder`: {file: "who: page (url)"}.

    A page refused to a role (403) is kept once: the refusal page is the same for all.
    """
    files: dict[Path, str] = {}
    shown: set[str] = set()
    refused = False
    for who, user, client in _people():
        for page in PUBLIC_PAGES if user is None else SIGNED_IN_PAGES:
            url = page.url(user)
            if url is None:
                continue
            response = client.post(url, page.post) if page.post else client.get(url)
            assert response.status_code in (200, 403), f"{who}: {page.name} ({url}) answered {response.status_code}"
            if response.status_code == 403 and refused:
                continue
            refused |= response.status_code == 403
            shown |= {page.name} if response.status_code == 200 else set()
            files[_write(folder, len(files), response.content)] = f"{who}: {page.name} ({url})"
    not_found = _people()[1][2].get("/no-such-page/")
    files[_write(folder, len(files), not_found.content)] = "not found page (/no-such-page/)"
    # Each page was checked as someone, or this test would pass over it in silence.
    assert {page.name for page in SIGNED_IN_PAGES + PUBLIC_PAGES} - shown == set()
    return files


def _write(folder: Path, number: int, content: bytes) -> Path:
    path = folder / f"{number:03d}.html"
    path.write_bytes(content)
    return path


def _errors(output: str, files: dict[Path, str]) -> list[str]:
    """vnu's JSON report, one line an error, named by the page (not the temporary file)."""
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu did not report in JSON: {output[:2000]}")
    return [
        f"{files.get(Path(message.get('url', '').removeprefix('file:')), message.get('url'))}"
        f" line {message.get('lastLine')}: {message['message']} [{' '.join(message.get('extract', '').split())}]"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]


def test_it_serves_only_valid_html_to_every_role(tmp_path: Path) -> None:
    command = _vnu_command()
    call_command("seed_demo", stdout=io.StringIO())
    files = _render_all(tmp_path)
    # One run over every file: the JVM starts once (seconds), not once a page.
    done = subprocess.run(
        [*command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = _errors(done.stderr or done.stdout, files)  # vnu writes its report to stderr
    assert errors == [], f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(errors)
