from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
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
    assert proc.returncode == 0  # the example converts with warnings only
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    assert {"Gateway", "HTTPRoute"} <= {d["kind"] for d in docs}
    assert "Ingress" not in {d["kind"] for d in docs}
    assert proc.stderr and all(line.count(b"\t") == 5 for line in proc.stderr.splitlines())


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
    assert proc.returncode == 0
    assert {"code", "severity", "object", "field", "message", "document"} == set(data["notes"][0])
    assert len(data["notes"]) == len(proc.stderr.splitlines())


def test_multiple_files_concatenate(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("kind: A\napiVersion: v1")  # no final newline
    b = tmp_path / "b.yaml"
    b.write_text("kind: B\napiVersion: v1\n")
    out = gwshift(str(a), str(b)).stdout.decode()
    assert out == "kind: A\napiVersion: v1\n---\nkind: B\napiVersion: v1\n"


def test_usage_errors_name_the_option() -> None:
    proc = gwshift("--gateway", "a/b/c")
    assert proc.returncode == 2 and b"--gateway" in proc.stderr and b"NAMESPACE/NAME" in proc.stderr


def test_verify_is_dispatched_lazily(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from gwshift import cli

    calls: list[list[str]] = []
    fake = types.ModuleType("gwshift.verify.cli")
    fake.main = lambda argv: calls.append(argv) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gwshift.verify", types.ModuleType("gwshift.verify"))
    monkeypatch.setitem(sys.modules, "gwshift.verify.cli", fake)
    assert cli.main(["verify", "--x", "a.yaml"]) == 0 and calls == [["--x", "a.yaml"]]
    monkeypatch.setitem(sys.modules, "gwshift.verify.cli", None)  # import fails
    assert cli.main(["verify"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "verify is not available" in err


# Standard-library modules the default path (a chart on stdin, no options) must not import:
# argparse (and the shutil/gettext it pulls in), json, and what the model, the dialects and
# the names would pull in (dataclasses/inspect, urllib/ipaddress, hashlib) when eager.
HEAVY = ("argparse", "json", "gettext", "shutil", "jinja2", "ruamel", "locale", "ipaddress",
         "urllib", "hashlib", "dataclasses", "inspect")


def _default_path_imports() -> set[str]:
    """Modules imported by the run itself (after site: what site imports is the machine's)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "gwshift"],
                          input=EXAMPLE.read_bytes(), capture_output=True, check=True)
    lines = proc.stderr.decode().splitlines()
    start = max(i for i, line in enumerate(lines) if line.rstrip().endswith("| site"))
    return {line.rsplit("|", 1)[1].strip() for line in lines[start + 1:] if "|" in line}


@pytest.mark.parametrize("module", HEAVY)
def test_default_path_does_not_import_heavy_modules(module: str) -> None:
    imported = _default_path_imports()
    found = {m for m in imported if m == module or m.startswith(module + ".")}
    assert not found, module


# --- help, version and subcommands on a closed or full stdout (issue 19) --------------------


@pytest.mark.parametrize(("args", "redirect", "reason"), [
    ("--version", ">&-", "it is closed"),
    ("--version", ">/dev/full", "No space left on device"),
    ("--help", ">/dev/full", "No space left on device"),
    ("--help", ">&-", "it is closed"),
    ("explain yaml/invalid", ">/dev/full", "No space left on device"),
    ("explain --list", ">&-", "it is closed"),
    ("explain --help", ">/dev/full", "No space left on device"),
])
def test_unwritable_stdout_is_one_line_exit_1(args: str, redirect: str, reason: str) -> None:
    import shlex

    script = f"exec {shlex.quote(sys.executable)} -m gwshift {args} {redirect}"
    proc = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"gwshift: cannot write to stdout: {reason}"]


def test_writable_stdout_still_gets_help_and_version() -> None:  # the twin
    assert gwshift("--version").returncode == 0
    proc = gwshift("explain", "yaml/invalid")
    assert proc.returncode == 0 and proc.stdout.startswith(b"yaml/invalid\n")
