"""Spanish for the whole portal (issue 20): every string a person reads is marked, and every catalog is
complete and current.

1. Each template's visible text, and its aria-label, title, alt and placeholder attributes, is inside
   `{% translate %}` / `{% blocktranslate %}` (or a variable). Exempt: text that states its own language
   (an element with `lang="..."`, as the switcher's "Español"), `<script>`/`<style>`, and acronyms (PDF, CSV).
2. Each catalog (<app>/locale/es and locale/es) has a Spanish text for every entry, none fuzzy, and holds
   exactly what a fresh extraction finds: a string marked after the last `make messages` fails here, with
   its name. The extraction is Django's makemessages (GNU gettext's xgettext): required in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType

from toolkit.i18n import BASE_DIR, catalogs

_SKIPPED = {".venv", "node_modules", "var", ".git", "tests", "benchmarks"}
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,5}$")
_READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Stands for a template tag or variable: whatever it prints is translated where it comes from.
_HOLE = "\x00"


def _templates() -> list[Path]:
    found = []
    for path in sorted(BASE_DIR.rglob("templates/**/*")):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0] in _SKIPPED or not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        found.append(path)
    return found


def _skeleton(source: str) -> str:
    """The template with each tag and variable replaced by a hole, and translated blocks, comments and
    verbatim blocks removed: what is left is text a person would read untranslated."""
    parts: list[str] = []
    skipping_until: str | None = None
    for token in Lexer(source).tokenize():
        if skipping_until is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skipping_until:
                skipping_until = None
                parts.append(_HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in {"blocktranslate", "blocktrans"}:
                skipping_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
                continue
            if name in {"comment", "verbatim"}:
                skipping_until = "end" + name
                continue
        if token.token_type != TokenType.COMMENT:
            parts.append(_HOLE)
    return "".join(parts)


def _readable(text: str) -> str | None:
    """The text if a person would read words in it, else None."""
    words = [word for word in re.split(r"[\s\x00]+", text) if any(character.isalpha() for character in word)]
    words = [word.strip(".,:;!?()[]·\u2014\u2013-\"'") for word in words]
    # Not words: acronyms, attribute fragments a block inserts into a tag (data-x=), paths and names.
    words = [word for word in words if word and not _ACRONYM.match(word) and not set(word) & set("=/_@")]
    return " ".join(words) if words else None


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unmarked: list[str] = []
        self._raw_depth = 0  # inside <script> or <style>
        self._lang_stack: list[str] = []  # open elements that carry lang="..."

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        nested = bool(self._lang_stack) and tag == self._lang_stack[-1]
        if nested or ("lang" in names and tag not in _VOID and tag != "html"):
            self._lang_stack.append(tag)
        if tag in {"script", "style"}:
            self._raw_depth += 1
        if self._lang_stack:
            return
        for name, value in attrs:
            if name in _READ_ATTRIBUTES and value and (words := _readable(value)):
                self.unmarked.append(f'{tag}[{name}="{words}"]')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._raw_depth:
            self._raw_depth -= 1
        if self._lang_stack and tag == self._lang_stack[-1]:
            self._lang_stack.pop()

    def handle_data(self, data: str) -> None:
        if self._raw_depth or self._lang_stack:
            return
        if words := _readable(data):
            self.unmarked.append(words)


def unmarked_text(source: str) -> list[str]:
    finder = _Finder()
    finder.feed(_skeleton(source))
    finder.close()
    return finder.unmarked


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_template_text_is_marked_for_translation(template: Path) -> None:
    found = unmarked_text(template.read_text(encoding="utf-8"))
    assert not found, f"{template.relative_to(BASE_DIR)}: text not marked for translation: {found[:8]}"


def test_the_checker_finds_unmarked_text_and_passes_marked_text() -> None:
    """The checker itself: it must fail on what a person would read in English only."""
    assert unmarked_text("<p>Send referral</p>") == ["Send referral"]
    assert unmarked_text('<a href="{% url \'x\' %}" title="Open it">{% translate "Go" %}</a>') == ['a[title="Open it"]']
    assert unmarked_text("{% load i18n %}<p>{% translate 'Send' %} · {{ when }} (PDF)</p>") == []
    assert unmarked_text("{% blocktranslate trimmed %}Sent to {{ name }}{% endblocktranslate %}") == []
    assert unmarked_text('<button lang="es">Español</button><script>let a = "x";</script>') == []
    assert unmarked_text("{# a note #}{% comment %}Words{% endcomment %}<p>{{ a }} and {{ b }}</p>") == ["and"]


# --- Catalogs -------------------------------------------------------------------------------------------


def _catalog_ids() -> list[Path]:
    return list(catalogs())


def _read(path: Path) -> dict[tuple[str, str | None], object]:
    with path.open("rb") as source:
        catalog = read_po(source, locale="es")
    return {
        (message.id if isinstance(message.id, str) else message.id[0], message.context): message
        for message in catalog
        if message.id
    }


def _label(path: Path) -> str:
    return str(path.relative_to(BASE_DIR).parts[0] if path.relative_to(BASE_DIR).parts[0] != "locale" else "project")


def test_every_app_with_strings_has_a_catalog() -> None:
    """An app whose templates or code mark strings keeps them in its own catalog."""
    apps = {_label(path) for path in catalogs()}
    for app in ("cases", "meetings", "agencies", "reports", "digests", "directory", "webhooks", "home", "project"):
        assert app in apps, f"no Spanish catalog for {app}"


@pytest.mark.parametrize("catalog", _catalog_ids(), ids=_label)
def test_catalog_is_fully_translated(catalog: Path) -> None:
    messages = _read(catalog)
    empty = [key[0] for key, message in messages.items() if not _translated(message)]
    fuzzy = [key[0] for key, message in messages.items() if getattr(message, "fuzzy", False)]
    assert not empty, f"{catalog.relative_to(BASE_DIR)}: no Spanish for {len(empty)}: {empty[:8]}"
    assert not fuzzy, f"{catalog.relative_to(BASE_DIR)}: fuzzy (unchecked) entries: {fuzzy[:8]}"


def _translated(message: object) -> bool:
    string = message.string  # type: ignore[attr-defined]
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


def _xgettext_available() -> bool:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return True
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail("GNU gettext is required in CI to check the catalogs (apt-get install gettext)")
    pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    return False


@pytest.mark.parametrize("catalog", _catalog_ids(), ids=_label)
def test_catalog_holds_every_marked_string(catalog: Path, tmp_path: Path) -> None:
    """A fresh extraction into a copy finds no string the committed catalog lacks, and none it has in excess."""
    _xgettext_available()
    relative = catalog.relative_to(BASE_DIR)
    project = relative.parts[0] == "locale"
    sources = ["templates", "taskforce", "toolkit", "locale"] if project else [relative.parts[0]]
    work = tmp_path / "copy"
    for source in sources:
        if (BASE_DIR / source).exists():
            shutil.copytree(BASE_DIR / source, work / source, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    root = work if relative.parts[0] == "locale" else work / relative.parts[0]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "taskforce.settings.test", "PYTHONPATH": str(BASE_DIR)}
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(
        [str(django_admin), "makemessages", "--locale", "es", "--no-obsolete", "--ignore", "tests/*"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = _read(work / relative)
    committed = _read(catalog)
    missing = sorted(key[0] for key in fresh.keys() - committed.keys())
    extra = sorted(key[0] for key in committed.keys() - fresh.keys())
    assert not missing, f"{relative}: marked but not in the catalog (run `make messages APP=...`): {missing[:8]}"
    assert not extra, f"{relative}: in the catalog but no longer marked (run `make messages APP=...`): {extra[:8]}"
