"""Celery tasks are adapters over services: a task module imports its services, and a service never imports
a task. A service that wants a task run names it to the outbox (`outbox_enqueue(task="app.tasks.name")`), so
the two never import each other, not even inside a function, where such a circle used to hide."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from celery import Task
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[1]
APPS_WITH_TASKS = sorted(path.parent.name for path in ROOT.glob("*/tasks.py"))


def _services_files(app: str) -> list[Path]:
    return sorted([*ROOT.glob(f"{app}/services.py"), *ROOT.glob(f"{app}/services/*.py")])


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every module an import statement names, at any depth (functions, TYPE_CHECKING blocks)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def _enqueued_task_names(tree: ast.AST) -> list[str]:
    return [
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "outbox_enqueue"
        for keyword in node.keywords
        if keyword.arg == "task" and isinstance(keyword.value, ast.Constant)
    ]


def test_it_finds_the_apps_that_have_tasks():
    assert {"agencies", "meetings", "reports"} <= set(APPS_WITH_TASKS)


@pytest.mark.parametrize("app", APPS_WITH_TASKS)
def test_no_service_imports_a_task_module(app):
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _services_files(app)
        for name in _imported_modules(ast.parse(path.read_text()))
        if name.endswith(".tasks") or ".tasks." in name
    ]
    assert found == []


@pytest.mark.parametrize("app", APPS_WITH_TASKS)
def test_a_task_module_imports_at_its_top_only(app):
    tree = ast.parse((ROOT / app / "tasks.py").read_text())
    nested = [
        f"{app}/tasks.py:{node.lineno}"
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert nested == []


@pytest.mark.parametrize("app", ["agencies", "meetings", "reports"])
def test_every_task_a_service_enqueues_is_a_task_of_its_app(app):
    names = [name for path in _services_files(app) for name in _enqueued_task_names(ast.parse(path.read_text()))]
    assert names, f"{app}'s services enqueue no task by name"
    for name in names:
        assert name.startswith(f"{app}.tasks."), name
        task = import_string(name)
        assert isinstance(task, Task) and task.name == name


def test_it_recognises_an_enqueue_and_a_hidden_import():
    source = 'def f():\n    from cases.tasks import x\n    outbox_enqueue(task="cases.tasks.x", args=[1])\n'
    assert _enqueued_task_names(ast.parse(source)) == ["cases.tasks.x"]
    assert "cases.tasks" in _imported_modules(ast.parse(source))
