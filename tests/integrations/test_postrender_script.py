"""helm-postrenderer/postrender.sh on its own (no Helm needed): what the user sees on stderr,
where the report goes, and what happens without gwshift or a home directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.helpers import INGRESS

from ._util import REPO

SCRIPT = REPO / "helm-postrenderer" / "postrender.sh"
BLOCKED = INGRESS.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n"
                          "    nginx.ingress.kubernetes.io/auth-url: http://auth\n")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GWSHIFT_REPORT", "XDG_STATE_HOME", "GWSHIFT_BIN")}
    # the gwshift of this checkout, whatever is on PATH
    env.update(GWSHIFT_PYTHON=sys.executable, PATH="/usr/bin:/bin", TMPDIR=str(tmp_path),
               HOME=str(tmp_path / "home"))
    env.update(extra)
    return env


def _run(stdin: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", str(SCRIPT), *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_summary_line_and_default_report(tmp_path: Path) -> None:
    proc = _run(BLOCKED, _env(tmp_path))
    assert proc.returncode == 1
    report = tmp_path / "home" / ".local" / "state" / "gwshift" / "last-report.json"
    assert proc.stderr.strip().splitlines()[-1] == (
        f"gwshift: 1 errors, 0 warnings, 0 info notes (exit 1); report: {report}")
    assert json.loads(report.read_text())["notes"][0]["code"] == "nginx/auth-external"
    assert proc.stdout == BLOCKED  # the Ingress kept byte for byte


def test_xdg_state_home_wins(tmp_path: Path) -> None:
    proc = _run(INGRESS, _env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state")))
    assert proc.returncode == 0 and "kind: HTTPRoute" in proc.stdout
    assert f"report: {tmp_path / 'state' / 'gwshift' / 'last-report.json'}" in proc.stderr


@pytest.mark.parametrize("home", ["", "/"])
def test_without_a_home_the_report_is_a_fresh_private_file(tmp_path: Path, home: str) -> None:
    # never a fixed name under a shared directory (/tmp/.local/state/...): a symlink there
    # would make gwshift overwrite another file
    env = _env(tmp_path, HOME=home)
    proc = _run(BLOCKED, env)
    assert proc.returncode == 1
    line = proc.stderr.strip().splitlines()[-1]
    path = Path(line.rsplit("report: ", 1)[1])
    assert path.parent == tmp_path and path.name.startswith("gwshift-report.")
    assert json.loads(path.read_text())["notes"]
    assert not (tmp_path / ".local").exists()


def test_markdown_report_is_named_not_miscounted(tmp_path: Path) -> None:
    report = tmp_path / "r.md"
    proc = _run(BLOCKED, _env(tmp_path), f"--report={report}")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == f"gwshift: exit 1; report: {report}"
    assert report.read_text().startswith("#")


def test_missing_gwshift_is_one_line_and_127(tmp_path: Path) -> None:
    env = _env(tmp_path, GWSHIFT_PYTHON=str(tmp_path / "no-python"))
    proc = _run(INGRESS, env)
    assert proc.returncode == 127 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "not installed" in proc.stderr


def test_empty_manifest_is_a_warning(tmp_path: Path) -> None:
    proc = _run("", _env(tmp_path))
    assert proc.returncode == 0 and proc.stdout == ""
    assert "warning: Helm passed an empty manifest" in proc.stderr
