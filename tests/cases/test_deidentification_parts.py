"""The guard's parts import one another in one direction only, and callers see only its public names."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import cases.deidentification

PACKAGE = "cases.deidentification"
PARTS = Path(cases.deidentification.__file__).parent


def _imported_parts(path: Path) -> set[str]:
    """The parts a part imports, at the top, inside functions or under TYPE_CHECKING alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        found |= {name.removeprefix(f"{PACKAGE}.").split(".")[0] for name in names if name.startswith(f"{PACKAGE}.")}
    return found


def _graph() -> dict[str, set[str]]:
    return {path.stem: _imported_parts(path) for path in PARTS.glob("*.py") if path.stem != "__init__"}


def test_it_finds_the_imports_between_parts() -> None:
    graph = _graph()
    assert graph["guard"] >= {"findings", "normalization", "rules", "names", "allowances", "positions"}
    assert graph["findings"] == graph["normalization"] == set()


def test_it_has_no_import_cycle_between_its_parts() -> None:
    order = list(graphlib.TopologicalSorter(_graph()).static_order())  # raises CycleError on a cycle
    assert order.index("findings") < order.index("rules") < order.index("allowances") < order.index("guard")


def test_it_exports_exactly_the_names_callers_use() -> None:
    assert sorted(cases.deidentification.__all__) == [
        "DeidentificationError",
        "Finding",
        "IdentifierKind",
        "describe_findings",
        "ensure_deidentified",
        "find_identifiers",
        "validate_deidentified",
    ]
    assert all(getattr(cases.deidentification, name) for name in cases.deidentification.__all__)
