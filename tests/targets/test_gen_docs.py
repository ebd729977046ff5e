"""The generated docs (dialect annotation pages, targets matrix) match the tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen_docs.py"


def test_docs_are_fresh() -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_matrix_comes_from_the_target_tables() -> None:
    text = (REPO / "docs" / "targets.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| IPAccess |"))
    # standard, envoy-gateway, nginx-gateway-fabric, traefik (no deny list) ...
    assert row.split(" | ")[1:5] == ["kept", "converted", "converted",
                                     "converted (some values kept)"]
    assert "Traefik has no IP deny list" not in text  # reasons are runtime, not docs
    assert "- **ConnectionLimit**: no per-client-IP connection limit" in text
