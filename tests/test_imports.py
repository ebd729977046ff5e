"""No import cycles inside gwshift (module level and function-local imports alike)."""

from __future__ import annotations

import ast
from pathlib import Path

import gwshift

ROOT = Path(gwshift.__file__).resolve().parent


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph(local: bool) -> dict[str, set[str]]:
    """gwshift module -> the gwshift modules it imports (``local``: inside functions too;
    ``TYPE_CHECKING`` blocks never count)."""
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        edges: set[str] = set()

        def visit(node: ast.AST, top: bool, name: str = name, edges: set[str] = edges) -> None:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                return
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                top = False
            if isinstance(node, ast.Import | ast.ImportFrom) and (top or local):
                if isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                else:
                    # ``from pkg import submodule`` depends on the submodule, not on the
                    # package's other contents (pkg/__init__ is already being imported).
                    subs = [f"{node.module}.{a.name}" for a in node.names]
                    targets = subs if all(t in modules for t in subs) else [node.module or ""] + subs
                edges.update(t for t in targets if t in modules and t != name)
            for child in ast.iter_child_nodes(node):
                visit(child, top)

        visit(tree, True)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


def test_no_module_level_import_cycles() -> None:
    assert _cycles(_graph(local=False)) == []


def test_the_core_never_imports_the_shell() -> None:
    graph = _graph(local=True)
    core_side = {"gwshift.core", "gwshift.plan", "gwshift.write", "gwshift.checks",
                 "gwshift.emit", "gwshift.convert"}
    for mod in core_side:
        assert "gwshift.cli" not in graph.get(mod, set()), mod


# The kustomize legacy exec plugin is a second shell (argv in, exit code out): its lazy
# import of the CLI is the one documented exception (krm/__init__.legacy_plugin_main).
ALLOWED = {("gwshift.krm", "gwshift.krm.kustomize_legacy")}


def test_no_import_cycles_at_all() -> None:
    graph = _graph(local=True)
    for a, b in ALLOWED:
        graph[a].discard(b)
    assert _cycles(graph) == []
