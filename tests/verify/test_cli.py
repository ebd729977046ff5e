"""``python -m gwshift.verify`` / ``gwshift.verify.cli.main``: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    before = DATA / "seeded-before.yaml"
    after = tmp_path / "after.yaml"
    after.write_text(transform(before.read_text(), Settings()).text)
    return before, after


def test_faithful_conversion_exits_0(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(files[0]), str(files[1])]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-2].startswith("72 probes, 1 differ: 0 unexplained, 1 explained")
    assert out.splitlines()[-1] == "sources: 4 compared (ingress-nginx 4)"


def test_unexplained_difference_exits_1(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    before, after = files
    after.write_text(after.read_text().replace("port: 8080", "port: 8081"))
    assert main([str(before), str(after), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    first = next(d for d in report["differences"] if d["explainedBy"] is None)
    assert first["kind"] == "backend"
    assert first["source"]["backends"] == [{"ref": "web/api:8080", "share": 1.0}]
    assert first["gateway"]["backends"] == [{"ref": "web/api:8081", "share": 1.0}]


@pytest.mark.parametrize("argv", [
    ["missing.yaml", "also-missing.yaml"],
    ["-", "-"],
    ["a"],
    ["a", "b", "--format", "xml"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gwshift verify: ") and err.count("\n") == 1


def test_unreadable_yaml_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Ingress\nmetadata: {name: [\n")
    assert main([str(bad), str(bad)]) == 2
    assert "not readable YAML" in capsys.readouterr().err


def test_module_entry_point_reads_stdin(files: tuple[Path, Path]) -> None:
    before, after = files
    done = subprocess.run([sys.executable, "-m", "gwshift.verify", str(before), "-"],
                          input=after.read_bytes(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert b"0 unexplained" in done.stdout and not done.stderr


def test_conversion_args_reach_the_notes(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """--conversion-arg: the explaining notes come from the same conversion: with
    --allow-insecure-drop the allowlist loss is a warning that explains the difference;
    without it the conversion refuses (an error), which explains nothing served."""
    case = Path(__file__).resolve().parents[1] / "golden" / "nginx-security-allowed"
    drops = frozenset({"nginx/ip-access-control", "nginx/auth-basic"})
    after = tmp_path / "after.yaml"
    after.write_text(transform((case / "input.yaml").read_text(),
                               Settings(allow_insecure_drop=drops)).text)
    assert main([str(case / "input.yaml"), str(after)]) == 1
    assert "UNEXPLAINED access-control-lost" in capsys.readouterr().out
    args = [f"--conversion-arg=--allow-insecure-drop={c}" for c in sorted(drops)]
    assert main([str(case / "input.yaml"), str(after), *args]) == 0
    assert "0 unexplained" in capsys.readouterr().out


def test_before_without_ingress_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    assert main([str(f), str(f)]) == 0
    assert "has no Ingress: nothing to verify" in capsys.readouterr().out


def test_docs_example_is_real_output(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/verify.md shows this run's output verbatim."""
    after = (DATA / "allowlist-after.yaml").read_text().split("---\napiVersion: gateway.envoyproxy.io")[0]
    (tmp_path / "admin.yaml").write_text((DATA / "allowlist-before.yaml").read_text())
    (tmp_path / "admin-after.yaml").write_text(after)
    monkeypatch.chdir(tmp_path)
    assert main(["admin.yaml", "admin-after.yaml"]) == 1
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verify.md").read_text()
    assert "$ gwshift verify admin.yaml admin-after.yaml\n" + capsys.readouterr().out in doc
