"""The layering the code promises (docs/architecture.md), checked from the source so that a new import that runs back
up a layer, a cycle between action modules, or work done at import time fails here first.

Layers, bottom to top: suixing (shared, standard library only) → rules_engine → knowledge → actions / web; bot runs
in the other virtualenv (.venv/rasa) and nothing in the app environment imports it. Every import counts, also the
ones inside functions: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("suixing", "rules_engine", "knowledge", "actions", "web", "bot")
FORBIDDEN = {   # package -> top-level names it must never import
    "suixing": {"rules_engine", "knowledge", "actions", "web", "bot", "rasa", "rasa_sdk"},
    "rules_engine": {"knowledge", "actions", "web", "bot", "rasa", "rasa_sdk"},
    "knowledge": {"actions", "web", "bot", "rasa", "rasa_sdk"},
    "actions": {"rasa", "bot", "web"},
    "web": {"actions", "bot", "rasa"},
}
# Reported to the lead (issue 15 names kb_answers ↔ topics; counting the imports inside functions the circle is wider:
# kb_answers → topics → checkup/fallback; fallback → injury/retirement/unemployment → fallback; checkup → retirement).
# Those files belong to another engineer. A cycle that reaches any other module fails test_no_new_import_cycle_….
KNOWN_ACTION_CYCLE = {"actions.checkup", "actions.fallback", "actions.injury", "actions.kb_answers",
                      "actions.retirement", "actions.topics", "actions.unemployment"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute names, relative imports resolved), with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.append((module, node.lineno))
            # `from actions import charts` imports the module actions.charts
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def project_modules() -> set[str]:
    return {module_name(p) for package in PACKAGES for p in source_files(package)}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_runs_back_up_a_layer(package):
    wrong = []
    for path in source_files(package):
        for name, line in imports_of(path):
            if name.split(".")[0] in FORBIDDEN[package]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not wrong, f"{package} must not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(wrong)


def action_import_graph() -> dict[str, set[str]]:
    modules = {module_name(p) for p in source_files("actions")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in source_files("actions"):
        me = module_name(path)
        for name, _ in imports_of(path):
            parts = name.split(".")
            # the module itself or the nearest package that exists (a name imported from a module is not a module)
            while parts and ".".join(parts) not in modules:
                parts.pop()
            target = ".".join(parts)
            if target and target != me and target != "actions" and not me.startswith(target + "."):
                graph[me].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_new_import_cycle_between_action_modules():
    new = [sorted(c) for c in cycles(action_import_graph()) if not c <= KNOWN_ACTION_CYCLE]
    assert not new, f"import cycles between action modules: {new}"


@pytest.mark.xfail(strict=True, reason="actions/kb_answers.py ↔ actions/topics.py (and fallback ↔ injury/retirement/"
                                       "unemployment, through imports inside functions) import each other (issue 15, "
                                       "item 4: the topic map as data); reported to the lead, files owned by another "
                                       "engineer. Remove this mark when the cycle is gone.")
def test_no_import_cycle_between_action_modules():
    found = [sorted(c) for c in cycles(action_import_graph())]
    assert not found, f"import cycles between action modules: {found}"


# ----- no work at import -----

PROBE = r"""
import importlib, json, sys
seen = []
INSTALLED = tuple(sorted({sys.prefix + "/", sys.base_prefix + "/", sys.exec_prefix + "/"}))
def hook(event, args):
    if event == "open":
        path = args[0]
        # modules being loaded, and installed libraries reading their own files, are not the project's work
        if not isinstance(path, str) or path.endswith((".py", ".pyc", ".so")) or path.startswith(INSTALLED):
            return
        seen.append(f"open {path}")
    elif event in ("sqlite3.connect", "socket.connect", "subprocess.Popen", "os.system"):
        seen.append(f"{event} {args[0] if args else ''}")
sys.addaudithook(hook)
importlib.import_module(sys.argv[1])
heavy = [m for m in ("matplotlib", "spacy") if m in sys.modules]
print(json.dumps({"io": seen, "heavy": heavy}))
"""
IMPORTED_PACKAGES = ("suixing", "rules_engine", "knowledge", "knowledge.trainer", "actions", "web")


def import_in_fresh_interpreter(package: str, extra_env: dict | None = None) -> dict:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(Path.home()),
           "PYTHONDONTWRITEBYTECODE": "1",   # writing a stale module's .pyc is the interpreter's I/O, not the package's
           **(extra_env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, package], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("package", IMPORTED_PACKAGES)
def test_importing_a_package_opens_no_file_and_draws_nothing(package):
    """No file read, no database opened, no socket, no process; matplotlib (a chart) and spaCy (the place matcher)
    not even loaded. The action server warms its caches when it starts (rasa_sdk_plugins/), not on import."""
    seen = import_in_fresh_interpreter(package)
    assert seen["io"] == [], f"importing {package} did I/O: {seen['io'][:10]}"
    assert seen["heavy"] == [], f"importing {package} loaded {seen['heavy']}"


def test_the_import_probe_sees_io_when_there_is_some(tmp_path):
    (tmp_path / "busy.py").write_text("import sqlite3\nopen(__file__ + '.txt', 'w').close()\n"
                                      "sqlite3.connect(':memory:')\nimport matplotlib\n")
    seen = import_in_fresh_interpreter("busy", {"PYTHONPATH": f"{tmp_path}:{ROOT}"})
    assert any(s.startswith("open ") for s in seen["io"]) and any("sqlite3" in s for s in seen["io"])
    assert seen["heavy"] == ["matplotlib"]


def test_the_action_server_warms_up_through_the_rasa_sdk_plugin_hook():
    """rasa_sdk imports the top-level package `rasa_sdk_plugins` and calls its hooks when it starts; ours registers
    the warm-up as a before-server-start listener (tests/actions/test_server.py starts the real server)."""
    from rasa_sdk.plugin import plugin_manager

    import rasa_sdk_plugins

    class App:
        def __init__(self):
            self.listeners = []

        def register_listener(self, listener, event):
            self.listeners.append((listener, event))

    plugin_manager.cache_clear()
    try:
        app = App()
        plugin_manager().hook.attach_sanic_app_extensions(app=app)
    finally:
        plugin_manager.cache_clear()
    assert app.listeners == [(rasa_sdk_plugins.warm_up_before_serving, "before_server_start")]
