"""Fixtures for end-to-end tests with REAL helm / kubectl binaries (no mocks).

``tools`` runs scripts/install-tools.sh once per session (idempotent: it only downloads when a
binary is missing) and yields name -> path. When the binaries cannot be installed the tests
skip with the reason, except under CI=true, where a missing binary fails the test.
``gwshift_bin`` is a directory holding a ``gwshift`` shim bound to the Python running the tests,
so Helm, kustomize and the Argo scripts run this checkout's gwshift.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ._util import REPO, unavailable

INSTALL = REPO / "scripts" / "install-tools.sh"


@pytest.fixture(scope="session")
def tools() -> dict[str, Path]:
    if shutil.which("bash") is None:
        unavailable("bash is not installed")
    proc = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, timeout=900,
                          check=False)
    found: dict[str, Path] = {}
    for line in proc.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and Path(parts[1]).is_file():
            found[parts[0]] = Path(parts[1])
    if proc.returncode != 0 and not found:
        unavailable(f"scripts/install-tools.sh failed (exit {proc.returncode}): "
                    f"{proc.stderr.strip()[-500:]}")
    return found


@pytest.fixture(scope="session")
def gwshift_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("gwshift-bin")
    shim = d / "gwshift"
    shim.write_text(f"#!/bin/sh\nexec '{sys.executable}' -m gwshift \"$@\"\n")
    shim.chmod(0o755)
    return d


@pytest.fixture
def base_env(gwshift_bin: Path, tmp_path: Path) -> dict[str, str]:
    """A clean environment: PATH with the gwshift shim first, private HOME and XDG dirs."""
    env = {
        "PATH": f"{gwshift_bin}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "LANG": "C.UTF-8",
    }
    for key in ("PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"):
        if key in os.environ:
            env[key] = os.environ[key]
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return env


@pytest.fixture
def chart() -> Path:
    return REPO / "examples" / "chart"
