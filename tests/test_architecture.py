"""The apps import one another only downwards, as docs/architecture.md draws it, and never in a circle.

The graph is read from the source with `ast`: every `import` and `from ... import` in every .py file of
an app, wherever it stands (module level, inside a function, under `if TYPE_CHECKING:`), migrations
included (a migration that imports another app's module pins that module for ever). A dotted path in
a string (settings.DIGEST_SECTIONS, import_string, mock.patch) is not an import: it is how an app
below is wired to one above, from the settings (see docs/architecture.md).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]

# Each app, lowest first, and the apps it may import. Mirrors the table of docs/architecture.md (a test
# below compares them). `toolkit` is the helpers package: anyone may use it, it imports no app.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "toolkit": frozenset(),
    "audit": frozenset({"toolkit"}),
    "outbox": frozenset({"toolkit", "audit"}),
    "agencies": frozenset({"toolkit", "audit", "outbox"}),
    "digests": frozenset({"toolkit", "audit", "outbox", "agencies"}),
    "reports": frozenset({"toolkit", "audit", "outbox", "agencies"}),
    "cases": frozenset({"toolkit", "audit", "outbox", "agencies", "digests", "reports"}),
    "meetings": frozenset({"toolkit", "audit", "outbox", "agencies", "digests", "reports", "cases"}),
    "activity": frozenset({"toolkit", "audit", "outbox", "agencies", "digests", "reports"}),
    "directory": frozenset({"toolkit", "audit", "outbox", "agencies", "digests", "reports", "cases"}),
    "webhooks": frozenset({"toolkit", "audit", "outbox", "agencies", "digests", "cases"}),
    "home": frozenset(
        {"toolkit", "audit", "outbox", "agencies", "digests", "reports", "cases", "meetings", "activity", "directory"}
    ),
    "api": frozenset(
        {
            "toolkit",
            "audit",
            "outbox",
            "agencies",
            "digests",
            "reports",
            "cases",
            "meetings",
            "activity",
            "directory",
            "webhooks",
            "home",
        }
    ),
    "backups": frozenset({"toolkit", "audit", "agencies"}),
}
# The configuration package (settings, root URLs, Celery) may import every app; nothing imports it.
MAY_IMPORT["taskforce"] = frozenset(MAY_IMPORT)
# Outside the layers (the tests, the benchmarks, the entry points): they may import anything, and nothing in
# the table may import them.
OUTSIDE = frozenset({"tests", "benchmarks", "manage", "gunicorn.conf"})


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    where: str  # "cases/search.py:20"

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} ({self.where})"


def first_party() -> frozenset[str]:
    """Top-level names of the project's own code: its packages and its loose modules."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    return frozenset(packages | {path.stem for path in ROOT.glob("*.py")})


def imported_names(source: str, filename: str) -> list[tuple[str, int]]:
    """(top-level name, line) of every absolute import in `source`, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def app_edges(app: str, known: Iterable[str]) -> list[Edge]:
    """The imports of another first-party name by the .py files of `app`."""
    known = set(known)
    edges = []
    for path in sorted((ROOT / app).rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        for name, line in imported_names(path.read_text(), where):
            if name in known and name != app:
                edges.append(Edge(app, name, f"{where}:{line}"))
    return edges


def project_edges() -> list[Edge]:
    known = first_party()
    return [edge for app in MAY_IMPORT for edge in app_edges(app, known)]


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A circle of imports ["a", "b", "a"], or None. Depth-first: a node met again on the current path closes one."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def layer_violations(edges: Iterable[Edge], may_import: Mapping[str, frozenset[str]]) -> list[Edge]:
    return [edge for edge in edges if edge.imported not in may_import.get(edge.importer, frozenset())]


def graph_of(edges: Iterable[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
    return graph


def documented_table() -> dict[str, frozenset[str]]:
    """The rows `| app | may import |` of docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| ([^|]*) \|", text, flags=re.MULTILINE)
    return {app: frozenset(re.findall(r"`(\w+)`", allowed)) for app, allowed in rows}


# --- the project --------------------------------------------------------------------------------------


def test_it_finds_no_import_cycle_between_apps() -> None:
    edges = project_edges()
    cycle = find_cycle(graph_of(edges))
    if cycle:
        shown = [str(next(e for e in edges if (e.importer, e.imported) == hop)) for hop in pairwise(cycle)]
        pytest.fail("Apps import each other in a circle:\n" + "\n".join(shown))


def test_it_lets_each_app_import_only_the_apps_below_it() -> None:
    found = layer_violations(project_edges(), MAY_IMPORT)
    assert found == [], "Imports the layering forbids (docs/architecture.md):\n" + "\n".join(map(str, found))


def test_it_has_a_layer_for_every_app_and_loose_module() -> None:
    """A new app (or a loose top-level module) must take its place in the table before anything imports it."""
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    assert ours <= MAY_IMPORT.keys()
    assert first_party() - OUTSIDE <= MAY_IMPORT.keys(), "a first-party module outside the table"
    assert set().union(*MAY_IMPORT.values()) <= MAY_IMPORT.keys()


def test_it_matches_the_table_of_docs_architecture_md() -> None:
    assert documented_table() == MAY_IMPORT


# --- the checks themselves, on planted inputs --------------------------------------------------------------


def test_it_catches_a_planted_cycle() -> None:
    graph = {"digests": {"agencies"}, "agencies": {"cases"}, "cases": {"digests", "audit"}, "audit": set()}
    assert find_cycle(graph) == ["agencies", "cases", "digests", "agencies"]
    assert find_cycle({"cases": {"agencies"}, "agencies": {"audit"}, "audit": set()}) is None


def test_it_catches_an_import_against_the_layers() -> None:
    upwards = Edge("audit", "agencies", "audit/models.py:8")
    downwards = Edge("agencies", "audit", "agencies/services.py:13")
    assert layer_violations([upwards, downwards], MAY_IMPORT) == [upwards]


def test_it_counts_imports_in_functions_and_under_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import models\n"
        "if TYPE_CHECKING:\n"
        "    from agencies.models import User\n"
        "def f():\n"
        "    from digests.outbox import outbox_enqueue\n"
        "    import meetings.selectors\n"
    )
    assert imported_names(source, "planted.py") == [("typing", 1), ("agencies", 4), ("digests", 6), ("meetings", 7)]
