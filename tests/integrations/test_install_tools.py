"""scripts/install-tools.sh: idempotent, reports where the binaries are."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ._util import REPO, need

EXPECTED = {"helm3": "v3.17.1", "helm4": "v4.1.4", "kubectl": "v1.35.2",
            "kubectl-1.30": "v1.30.0"}


def test_versions(tools: dict[str, Path]) -> None:
    for name in EXPECTED:
        need(tools, name)
    proc = subprocess.run(["bash", str(REPO / "scripts" / "install-tools.sh")],
                          capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = {p[0]: p[2] for p in (line.split("\t") for line in proc.stdout.splitlines())}
    kpt = lines.pop("kpt", None)  # linked only when the machine has Debian's kpt
    assert lines == EXPECTED
    assert kpt is None or kpt.startswith("1.")
    assert "downloading" not in proc.stderr, "a second run must not download again"
    assert str(REPO / ".tools" / "bin") in proc.stderr


def test_tools_dir_is_gitignored() -> None:
    assert ".tools/" in (REPO / ".gitignore").read_text().splitlines()
