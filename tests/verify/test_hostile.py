"""Hostile input: one clear line and exit 2, or a bounded run; never a traceback or exit 3."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gwshift.verify.cli import main

from .helpers import ingress, path

BOMB = "kind: Ingress\na: &a [x]\nb: [" + ", ".join(["*a"] * 150) + "]\n"  # > MAX_ALIASES


@pytest.mark.parametrize("text", [BOMB, "[" * 5000 + "]" * 5000, "\x00\x01", "- a\n-b: [\n"])
def test_unreadable_input_is_one_line_and_exit_2(tmp_path: Path, text: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "in.yaml"
    f.write_text(text)
    assert main([str(f), str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("gwshift verify: ")


def test_backtracking_regex_is_not_evaluated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gwshift import yamlio

    ing = ingress("evil", "h.com", path("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(a+)+$", "svc",
                                        "ImplementationSpecific"), ann={"use-regex": "true"})
    before, after = tmp_path / "in.yaml", tmp_path / "out.yaml"
    before.write_text(yamlio.dump(ing))
    after.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    start = time.monotonic()
    assert main([str(before), str(after)]) == 0  # every h.com probe: not compared
    assert time.monotonic() - start < 10
    out = capsys.readouterr()
    assert "not compared" in out.out and out.err == ""


def test_some_documents_unreadable_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gwshift import yamlio

    f = tmp_path / "in.yaml"
    good = yamlio.dump(ingress("ok", "h.com", path("/", "svc")))
    f.write_text(good + "---\nkind: Ingress\nmetadata: {a: 1, a: 2}\n")
    main([str(f), str(f)])
    assert "warning: " in capsys.readouterr().out
