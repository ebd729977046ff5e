"""TABLE covers the whole catalogue, agrees on classes, and the docs page is fresh."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gwshift.handlers.nginx import ALIASES, TABLE, supported

from .nginx_build import codes, one

REPO = Path(__file__).resolve().parents[2]
PREFIX = "nginx.ingress.kubernetes.io/"


def _catalogue(path: Path) -> list[dict[str, object]]:
    return list(json.loads(path.read_text())["annotations"])


def test_table_covers_catalogue(catalogue_path: Path) -> None:
    entries = _catalogue(catalogue_path)
    assert len(entries) == 136
    for e in entries:
        name = str(e["annotation"]).removeprefix(PREFIX)
        assert name in TABLE, name
        for alias in e["aliases"]:  # type: ignore[union-attr]
            assert str(alias).removeprefix(PREFIX) in TABLE, alias


def test_table_classes_match_catalogue(catalogue_path: Path) -> None:
    wrong = {}
    for e in _catalogue(catalogue_path):
        name = str(e["annotation"]).removeprefix(PREFIX)
        if TABLE[name].level != e["cls"]:
            wrong[name] = (TABLE[name].level, e["cls"])
    assert not wrong


def test_aliases_share_the_class() -> None:
    for alias, canonical in ALIASES.items():
        assert TABLE[alias].level == TABLE[canonical].level


def test_supported_is_derived() -> None:
    sup = supported()
    assert "rewrite-target" in sup and "configuration-snippet" not in sup
    assert set(sup) <= set(TABLE)


def test_docs_page_is_fresh() -> None:
    script = REPO / "scripts" / "gen_docs.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("value", ["true", "1", "", "http://svc.ns:80/x", "garbage value"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    conv = one({name: value})
    assert PREFIX + name in conv.consumed_annotations
    assert "nginx/unknown-annotation" not in codes(conv)
    h = TABLE[name]
    if h.emits == "nothing (reported)" and value == "garbage value":
        assert any(n.field == f"metadata.annotations[{PREFIX}{name}]" for n in conv.notes)
    if h.emits.startswith("nothing: the Ingress is kept") and value == "garbage value":
        assert conv.blocked and set(h.codes) <= codes(conv)


def test_every_fail_closed_code_can_be_allowed() -> None:
    for name, h in TABLE.items():
        if not h.emits.startswith("nothing: the Ingress is kept"):
            continue
        conv = one({name: "garbage value"}, allow_insecure_drop=frozenset(h.codes))
        assert not conv.blocked, name
        assert any(n.code in h.codes and "knowingly dropped" in n.message for n in conv.notes)
