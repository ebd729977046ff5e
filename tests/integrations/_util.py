"""Helpers shared by the integration tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Skip, or fail under CI=true: CI must run every end-to-end test."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def need(tools: dict[str, Path], name: str) -> Path:
    path = tools.get(name)
    if path is None or not os.access(path, os.X_OK):
        unavailable(f"{name} was not installed by scripts/install-tools.sh")
    return path  # type: ignore[return-value]


def run(cmd: list[Any], env: dict[str, str], cwd: Path | None = None, stdin: str | None = None,
        timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, (
        f"{' '.join(map(str, proc.args))}\nexit {proc.returncode}\nstderr:\n{proc.stderr}\n"
        f"stdout:\n{proc.stdout[:3000]}")
    return proc.stdout


def docs(text: str) -> list[dict[str, Any]]:
    import yaml

    return [d for d in yaml.safe_load_all(text) if d]


def by_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if isinstance(o, dict) and o.get("kind") == kind]


def names(objs: list[dict[str, Any]], kind: str) -> list[str]:
    return sorted(o["metadata"]["name"] for o in by_kind(objs, kind))


def backend_names(route: dict[str, Any]) -> list[str]:
    return sorted({b["name"] for r in route["spec"].get("rules", [])
                   for b in r.get("backendRefs", [])})
