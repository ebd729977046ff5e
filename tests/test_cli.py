from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "rendered" / "grafana.yaml"
BASIC = ROOT / "tests" / "golden" / "basic-tls" / "input.yaml"


def gwshift(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gwshift", *args], input=stdin,
                          capture_output=True, check=False)


def test_help_shows_helm_and_kustomize_examples() -> None:
    out = gwshift("--help").stdout.decode()
    assert "--post-renderer" in out and "kustomize build" in out


def test_version() -> None:
    assert gwshift("--version").stdout.decode().startswith("gwshift ")


def test_stdout_is_yaml_and_notes_on_stderr() -> None:
    proc = gwshift(str(EXAMPLE))
    assert proc.returncode in (0, 1)
    list(yaml.safe_load_all(proc.stdout))
    assert all(line.count(b"\t") >= 5 for line in proc.stderr.splitlines())
    assert proc.stdout.strip()


def test_stdin_and_dash_are_the_same() -> None:
    data = BASIC.read_bytes()
    assert gwshift(stdin=data).stdout == gwshift("-", stdin=data).stdout == gwshift(str(BASIC)).stdout


def test_usage_error_exit_2_one_line() -> None:
    proc = gwshift("--channel", "nope")
    assert proc.returncode == 2
    assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_missing_file_one_line_exit_1() -> None:
    proc = gwshift("/nonexistent/file.yaml")
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode().count("\n") == 1


def test_report_file(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    proc = gwshift("--report", str(report), str(EXAMPLE))
    data = json.loads(report.read_text())
    assert proc.returncode in (0, 1)
    assert data["notes"] and {"code", "severity", "object", "field", "message"} <= set(data["notes"][0])


def test_multiple_files_concatenate(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("kind: A\napiVersion: v1")  # no final newline
    b = tmp_path / "b.yaml"
    b.write_text("kind: B\napiVersion: v1\n")
    out = gwshift(str(a), str(b)).stdout.decode()
    assert out == "kind: A\napiVersion: v1\n---\nkind: B\napiVersion: v1\n"
