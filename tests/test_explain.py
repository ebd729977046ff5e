"""explain.py + catalog/: every note code the package can emit has an explanation."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from gwshift import catalog, explain
from gwshift.settings import BY_FLAG

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "transformer" / "gwshift"
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# String literals shaped like a code that are not note codes (with why).
NOT_CODES = {
    "infra/shared",  # an example Gateway in help texts
    "shop/api",  # an example Service in help texts
}
SKIP_DIRS = {"catalog", "data"}


def _literals() -> dict[str, str]:
    """Every code-shaped string literal of the package -> the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if SKIP_DIRS & set(path.relative_to(PACKAGE).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and CODE.match(node.value) and not re.search(r"/v[0-9]", node.value):
                found.setdefault(node.value, str(path.relative_to(ROOT)))
    return found


def _table_codes() -> set[str]:
    from gwshift.handlers import load_dialects

    return {c for d in load_dialects().values() for h in d.table.values() for c in h.codes}


def emitted_codes() -> dict[str, str]:
    codes = {c: where for c, where in _literals().items() if c not in NOT_CODES}
    codes.update({c: "a dialect table" for c in _table_codes()})
    return codes


def test_every_emitted_code_has_an_explanation() -> None:
    missing = {c: w for c, w in sorted(emitted_codes().items()) if c not in catalog.ENTRIES}
    assert not missing, f"add these codes to gwshift/catalog/<area>.py: {missing}"


def test_the_scan_finds_codes_of_every_kind() -> None:
    codes = emitted_codes()
    # a literal in a note call, a module constant, a generated table code, a KRM code
    assert {"ingress/unresolved-port-name", "nginx/auth-basic",
            "nginx/proxy-body-size-not-converted", "config/invalid"} <= set(codes)


def test_entries_are_complete_and_name_real_options() -> None:
    for code, entry in catalog.ENTRIES.items():
        assert CODE.match(code), code
        assert entry.meaning and entry.why and entry.fix, code
        assert all(flag in BY_FLAG for flag in entry.flags), (code, entry.flags)
        if entry.doc:
            assert not entry.doc.startswith("/"), code


def gwshift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gwshift", *args], capture_output=True,
                          text=True, check=False)


def test_explain_a_code() -> None:
    proc = gwshift("explain", "ingress/unresolved-port-name")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("ingress/unresolved-port-name\n")
    for part in ("What:", "Why:", "Do:", "--service-port", "Docs: "):
        assert part in proc.stdout


def test_docs_links_are_relative_paths_that_exist() -> None:
    # issue 19: the links pointed at github.com/gwshift/gwshift, a repository that does not exist.
    assert catalog.DOCS == "docs/"
    for code, entry in catalog.ENTRIES.items():
        if entry.doc:
            assert (ROOT / catalog.DOCS / entry.doc).is_file(), (code, entry.doc)
    text = explain.render("nginx/auth-basic", catalog.ENTRIES["nginx/auth-basic"])
    assert "Docs: docs/annotations/nginx.md" in text


def test_no_placeholder_repository_address_in_the_package() -> None:
    hits = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix in (".py", ".md", ".txt", ".json", ".yaml")
            and "github.com/gwshift" in p.read_text(encoding="utf-8", errors="replace")]
    assert not hits


def test_explain_lists_the_annotations_from_the_table() -> None:
    text = explain.render("nginx/auth-basic", catalog.ENTRIES["nginx/auth-basic"])
    assert "nginx.ingress.kubernetes.io/auth-type" in text


@pytest.mark.parametrize("argv", [["explain", "nope/nothing"], ["explain"],
                                  ["explain", "a", "b"], ["explain", "x\ny"]])
def test_explain_unknown_or_missing_code_exit_2_one_line(argv: list[str]) -> None:
    proc = gwshift(*argv)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1


def test_explain_list() -> None:
    proc = gwshift("explain", "--list")
    assert proc.returncode == 0 and proc.stdout.splitlines() == sorted(catalog.ENTRIES)


def test_catalog_areas_are_an_explicit_list() -> None:
    assert catalog.AREAS[:2] == ("gwshift.catalog.core", "gwshift.catalog.nginx")
    for name in catalog.AREAS:
        assert (PACKAGE / "catalog" / (name.rsplit(".", 1)[1] + ".py")).is_file()


def test_note_codes_doc_is_generated(update_goldens: bool) -> None:
    path = ROOT / "docs" / "note-codes.md"
    want = explain.markdown()
    if update_goldens or not path.exists():
        path.write_text(want, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == want, "run pytest --update-goldens"
