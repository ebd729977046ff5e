"""Start-up guard (issue 12): the default path imports only what it uses.

For a typical chart start-up is the whole cost, so the modules a plain run over a
50-document ingress-nginx chart imports are checked here (sets of module names, no timing).
Modules ``python -c "import yaml"`` imports anyway (the interpreter's site hooks included)
are the floor and never count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import gen

# Not on the default path: option parsing only with arguments, validation only with
# --validate, KRM only for ResourceLists, explanations only for `explain`, other dialects
# and targets only when selected, heavy optional dependencies never.
FORBIDDEN = ("argparse", "subprocess", "textwrap", "decimal", "ruamel", "jsonschema", "jinja2",
             "cel", "celpy", "cel_expr_python", "gwshift.validation", "gwshift.krm",
             "gwshift.explain", "gwshift.catalog", "gwshift.gwapi_versions", "gwshift.config")
DIALECTS_USED = {"nginx"}
TARGETS_USED = {"standard"}


def _modules(code: str) -> set[str]:
    res = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(json.loads(res.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def default_path(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    src = tmp_path_factory.mktemp("chart") / "rendered.yaml"
    src.write_text(gen.stream(50, seed=5))
    run = ("import io, contextlib\nfrom gwshift import cli\n"
           "with contextlib.redirect_stdout(io.StringIO()), "
           "contextlib.redirect_stderr(io.StringIO()):\n"
           f"    rc = cli.main([{str(src)!r}])\n"
           "assert rc == 0, rc")
    # json is this probe's own import: subtract nothing else.
    return _modules(run) - (_modules("import yaml") - {"json"})


def _under(mods: set[str], prefix: str) -> set[str]:
    return {m for m in mods if m == prefix or m.startswith(prefix + ".")}


def test_default_path_imports_nothing_it_does_not_use(default_path: set[str]) -> None:
    extra = set().union(*(_under(default_path, f) for f in FORBIDDEN))
    assert not extra, sorted(extra)


def test_only_the_selected_dialect_and_target_are_imported(default_path: set[str]) -> None:
    dialects = {m.split(".")[2] for m in _under(default_path, "gwshift.handlers")
                if m.count(".") >= 2 and not m.split(".")[2].startswith("_")}
    targets = {m.split(".")[2] for m in _under(default_path, "gwshift.targets")
               if m.count(".") >= 2}
    assert dialects <= DIALECTS_USED, dialects
    assert targets <= TARGETS_USED, targets


def test_default_path_has_no_hash_machinery(default_path: set[str]) -> None:
    # gwshift.names imports hashlib only when a name is too long and needs a hash.
    assert "hashlib" not in default_path


# Modules whose import must not create dataclasses (the records in gwshift.model replace
# them): creating a dataclass compiles its methods at import, and ``dataclasses`` pulls in
# ``inspect``, ``ast``, ``dis`` and ``tokenize`` (~7 ms of a ~100 ms chart run together).
LEAN = ("gwshift.model", "gwshift.intents", "gwshift.handlers", "gwshift.handlers._table",
        "gwshift.handlers.nginx", "gwshift.names", "gwshift.notes", "gwshift.outcome",
        "gwshift.summary", "gwshift.plan", "gwshift.write", "gwshift.stream", "gwshift.lookup",
        "gwshift.yamlio", "gwshift.settings", "gwshift.targets", "gwshift.targets.standard")
def test_lean_modules_create_no_dataclass() -> None:
    # In a fresh interpreter: no class defined by a lean module was made by @dataclass
    # (records only get a dataclass view when something introspects them).
    code = ("import importlib, json\n"
            f"mods = [importlib.import_module(m) for m in {LEAN!r}]\n"
            "print(json.dumps(sorted(f'{m.__name__}.{c.__name__}' for m in mods "
            "for c in vars(m).values() if isinstance(c, type) and c.__module__ == m.__name__ "
            "and isinstance(c.__dict__.get('__dataclass_fields__'), dict))))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(res.stdout) == []


def test_default_path_has_no_dataclass_machinery(default_path: set[str]) -> None:
    assert not {"dataclasses", "inspect"} & default_path
