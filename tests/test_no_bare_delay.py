"""Every task is enqueued through the outbox (outbox/services.py): a bare `.delay()` loses work when Redis does."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Publishing to the broker directly, bypassing the database-first hand-off.
BARE = {"delay", "apply_async", "send_task"}
ALLOWED = {ROOT / "outbox" / "services.py"}  # the one place that publishes
SKIPPED = {"tests", "benchmarks", ".venv", "node_modules", "static", "var"}


def _project_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED & set(path.relative_to(ROOT).parts[:-1]) and path not in ALLOWED
    ]


def bare_enqueues(source: str, name: str) -> list[str]:
    calls = [
        node
        for node in ast.walk(ast.parse(source, name))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in BARE
    ]
    return [f"{name}:{node.lineno}: .{node.func.attr}()" for node in sorted(calls, key=lambda node: node.lineno)]


def test_it_finds_no_bare_delay_outside_the_outbox() -> None:
    found = [hit for path in _project_files() for hit in bare_enqueues(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], "Enqueue through outbox.services.outbox_enqueue(), not directly:\n" + "\n".join(found)


def test_it_recognises_the_ways_of_enqueueing_directly() -> None:
    source = "task.delay(1)\nlambda: x.y.apply_async(args=[1])\napp.send_task('t')\ntask.run(1)\n"
    assert [hit.split(": ")[1] for hit in bare_enqueues(source, "f.py")] == [
        ".delay()",
        ".apply_async()",
        ".send_task()",
    ]
