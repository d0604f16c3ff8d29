"""The package's layering, as docs/architecture.md draws it: data flows one way down the
stages, no import cycle, no private name imported across modules, and no module outside the
engine reading an engine attribute that starts with `_`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "coop_logic"

# Stages, lowest first: a module may import its own stage and the stages below it.
STAGES = ["base", "io", "model", "spec", "engine", "explain", "analysis", "practice",
          "testing", "cli"]
BASE = {"errors", "vocabulary"}
# Modules outside the stages: the facade, the strategies and the kept old paths import down.
FREE = {"__init__", "strategies", "schemas", "plan", "whatif", "questions", "networks",
        "cooperation_map", "batch"}
# The one allowed upward edge (docs/architecture.md): a result renders itself on request,
# through the explanation stage, inside the method that does it.
ALLOWED_UP = {("model.result", "explain.text"), ("model.result", "explain.markup")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def stage_of(module: str) -> str | None:
    head = module.split(".")[0]
    if head in BASE:
        return "base"
    if head in STAGES:
        return head
    return None


def imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module imported, names, at module level) for every coop_logic import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module == "coop_logic" or node.module.startswith("coop_logic.")):
            target = node.module.removeprefix("coop_logic").lstrip(".")
            names = [a.name for a in node.names]
            if not target:  # from coop_logic import X (a module or a name)
                for name in names:
                    found.append((name, [], id(node) in top))
                continue
            found.append((target, names, id(node) in top))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((f"<relative {node.module}>", [], id(node) in top))
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_imports_are_absolute_and_name_no_private_name_of_another_module():
    offences = []
    for name, path in modules().items():
        for target, names, _ in imports(path):
            if target.startswith("<relative"):
                offences.append(f"{name}: relative import {target}")
            offences += [f"{name}: imports {target}.{n}" for n in names
                         if n.startswith("_") and n != "__doc__"]
    assert offences == []


def test_no_import_cycle_at_module_level():
    graph = {name: {t for t, _, top in imports(path) if top}
             for name, path in modules().items()}
    known = set(graph)

    def resolve(target: str) -> str | None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    edges = {n: {r for t in ts if (r := resolve(t)) and r != n} for n, ts in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_data_flows_down_the_stages():
    upward = []
    for name, path in modules().items():
        own = stage_of(name)
        if own is None or name.split(".")[0] in FREE:
            continue
        for target, _, _ in imports(path):
            theirs = stage_of(target)
            if theirs is None or (name, target) in ALLOWED_UP:
                continue
            if STAGES.index(theirs) > STAGES.index(own):
                upward.append(f"{name} ({own}) imports {target} ({theirs})")
    assert upward == []


def test_no_module_outside_the_engine_reads_an_engine_private():
    reads = []
    for name, path in modules().items():
        if name.startswith("engine."):
            continue
        text = path.read_text(encoding="utf-8")
        reads += [f"{name}: {m.group(0)}"
                  for m in re.finditer(r"\b(?:engine|compiled|kb)\._[a-z]\w*", text)]
    assert reads == []


def test_every_stage_says_what_it_holds():
    for stage in STAGES[1:]:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), stage
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage
