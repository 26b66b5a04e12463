"""The directory's pages are valid HTML as the Nu HTML Checker reads them (as tests/test_html_valid.py
checks the portal's main pages): the list with its filters, a profile, the form with errors, capacity."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Agency
from tests.directory.factories import ServiceProfileFactory
from tests.test_html_valid import _errors, _vnu_command

pytestmark = pytest.mark.django_db


def test_the_directory_pages_are_valid_html(tmp_path: Path, as_admin: Client, agency: Agency) -> None:
    command = _vnu_command()
    ServiceProfileFactory(
        agency=agency,
        needs=["shelter"],
        languages=["es"],
        age_bands=["18_24"],
        counties=["Juniper County"],
        hours=[{"weekday": 1, "opens": "09:00", "closes": "17:00"}],
        capacity_confirmed_at=None,
    )
    pages = {
        "directory": as_admin.get(reverse("directory:list"), {"need": "shelter"}),
        "directory, bad filter": as_admin.get(reverse("directory:list"), {"need": "flying"}),
        "profile": as_admin.get(reverse("directory:detail", args=[agency.pk])),
        "edit": as_admin.get(reverse("directory:edit", args=[agency.pk])),
        "edit, errors": as_admin.post(reverse("directory:edit", args=[agency.pk]), {"opens_2": "10:00"}),
        "capacity": as_admin.get(reverse("directory:capacity", args=[agency.pk])),
    }
    files: dict[Path, str] = {}
    for number, (name, response) in enumerate(pages.items()):
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{number:02d}.html"
        path.write_bytes(response.content)
        files[path] = name
    done = subprocess.run(
        [*command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = _errors(done.stderr or done.stdout, files)
    assert errors == [], "\n".join(errors)
