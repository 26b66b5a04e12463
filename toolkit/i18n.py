"""The translation catalogs: where they are, and compiling them (.po -> .mo) with Babel.

Each app keeps its own catalog (<app>/locale/<lang>/LC_MESSAGES/django.po; the project's templates use
locale/). The .po files are the source, in the repository; the .mo files are built (`make install`, and the
test run's start), never committed. Babel compiles without GNU gettext, so a fresh machine needs no system
package for it; extracting strings (`make messages`) does use Django's makemessages and so xgettext.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent
_SKIPPED = {".venv", "node_modules", "var", ".git", "tests", "benchmarks"}


def gettext_noop(message: str) -> str:
    """Marks a string for extraction (xgettext knows the name) without Django's settings, which `make install`
    compiling the catalogs does not load."""
    return message


# Third-party apps' catalogs come before the portal's apps in INSTALLED_APPS, so their Spanish wins for a
# string both translate: Django REST framework's "Este campo es requerido." (an anglicism) over Django's "Este
# campo es obligatorio." in every form, django-filter's noun "Filtro" over the button's "Filtrar". The
# project's catalog (locale/, LOCALE_PATHS: first of all) says them as the portal means them; marked here so
# that the extraction keeps them.
OVERRIDDEN = (gettext_noop("This field is required."), gettext_noop("Filter"))


def catalogs(base: Path = BASE_DIR) -> Iterator[Path]:
    """Every django.po under the project: locale/ and each app's locale/."""
    for locale_dir in [*sorted(base.glob("*/locale")), base / "locale"]:
        if locale_dir.parent.name in _SKIPPED or not locale_dir.is_dir():
            continue
        yield from sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def compile_catalog(po_path: Path) -> Path:
    """Writes the .mo beside the .po. Fuzzy entries are left out, as msgfmt does."""
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    return mo_path


def compile_stale(base: Path = BASE_DIR) -> list[Path]:
    """Compiles the catalogs whose .mo is missing or older than the .po; returns those compiled."""
    compiled = []
    for po_path in catalogs(base):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            compiled.append(compile_catalog(po_path))
    return compiled
