"""envelope.py: stream vs KRM detection and dispatch; the import direction of the shell."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from gwshift import envelope
from gwshift.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent / "transformer" / "gwshift"
RL = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
"""


@pytest.mark.parametrize("text, mode, want", [
    (RL, "auto", "krm"),
    (RL, "stream", "stream"),
    ("kind: ConfigMap\napiVersion: v1\n", "auto", "stream"),
    ("kind: ConfigMap\napiVersion: v1\n", "krm", "krm"),
    ("data:\n  kind: ResourceList\nkind: ConfigMap\n", "auto", "stream"),
    (RL + "---\n" + RL, "auto", "stream"),  # two documents are a stream
])
def test_detect(text: str, mode: str, want: str) -> None:
    assert envelope.detect(text, Settings(mode=mode)) == want


def test_run_dispatches_and_returns_effective_settings() -> None:
    fc = ("functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n"
          "  data:\n    namespace: shop\n")
    got = envelope.run(RL + fc, Settings())
    assert "".join(got.pieces) == RL + fc and got.settings.namespace == "shop"
    plain = envelope.run("kind: ConfigMap\napiVersion: v1\n", Settings())
    assert "".join(plain.pieces) == "kind: ConfigMap\napiVersion: v1\n"
    assert plain.outcome.notes == () and plain.settings == Settings()


def _imports(path: Path) -> set[str]:
    """Every gwshift module a file imports, at module level or inside functions."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


MODULES = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _uses(importer: str, imported: str) -> bool:
    return any(i == imported or i.startswith(imported + ".") for i in MODULES[importer])


def test_core_never_imports_the_envelopes_or_the_cli() -> None:
    for name in ("gwshift.krm", "gwshift.envelope", "gwshift.cli", "gwshift.report"):
        assert not _uses("gwshift.core", name), name


def test_krm_never_imports_the_cli_except_the_legacy_plugin() -> None:
    for module in MODULES:
        if module.startswith("gwshift.krm") and module != "gwshift.krm.kustomize_legacy":
            assert not _uses(module, "gwshift.cli"), module


def test_only_yamlio_imports_yaml_libraries() -> None:
    for module, imports in MODULES.items():
        if module == "gwshift.yamlio":
            continue
        bad = {i for i in imports if i.split(".")[0] in ("yaml", "ruamel")}
        assert not bad, (module, bad)


def test_no_import_cycle_between_shell_modules() -> None:
    shell = ["gwshift.cli", "gwshift.envelope", "gwshift.krm", "gwshift.core", "gwshift.report",
             "gwshift.settings", "gwshift.config", "gwshift.notes"]
    graph = {m: {o for o in shell if o != m and _uses(m, o)} for m in shell if m in MODULES}
    graph.update({m: set() for m in shell if m not in graph})
    # krm's own modules count as krm
    for module in MODULES:
        if module.startswith("gwshift.krm.") and module != "gwshift.krm.kustomize_legacy":
            graph["gwshift.krm"] |= {o for o in shell if o != "gwshift.krm" and _uses(module, o)}

    def reach(start: str, seen: set[str]) -> set[str]:
        for nxt in graph[start] - seen:
            seen.add(nxt)
            reach(nxt, seen)
        return seen

    for m in shell:
        assert m not in reach(m, set()), f"import cycle through {m}: {graph}"
