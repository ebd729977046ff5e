"""The committed bundle is what the build script makes from ../shared, and loads lazily."""

from __future__ import annotations

import filecmp
import importlib.util
import subprocess
import sys
from pathlib import Path

from gwshift.validation import available_versions
from gwshift.validation.cel import escape

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "transformer" / "gwshift" / "data" / "gateway-api-v1.6.1"


def test_committed_bundle_is_current(shared: Path, tmp_path: Path) -> None:
    gateway_api_dir = shared / "gateway-api"  # the raw CRDs are not vendored: needs ../shared
    script = REPO / "scripts" / "build_validation_bundle.py"
    subprocess.run(
        [
            sys.executable,
            str(script),
            "--version",
            "1.6.1",
            "--source",
            str(gateway_api_dir / "crds-v1.6.1"),
            "--source-md",
            str(gateway_api_dir / "SOURCE.md"),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = tmp_path / "gateway-api-v1.6.1"
    names = sorted(p.name for p in fresh.iterdir())
    assert (
        names
        == sorted(p.name for p in BUNDLE.iterdir())
        == ["NOTICE", "experimental.json", "standard.json"]
    )
    _, mismatch, errors = filecmp.cmpfiles(fresh, BUNDLE, names, shallow=False)
    assert not mismatch and not errors, (
        f"rebuild with scripts/build_validation_bundle.py: {mismatch}"
    )


def test_notice_has_provenance() -> None:
    notice = (BUNDLE / "NOTICE").read_text(encoding="utf-8")
    assert "8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3" in notice
    assert "Apache License, Version 2.0" in notice
    assert (
        "a424a0d6c953b162e71d1d97bb7e75012d8f1ac264e7274f2763d1b96ab39852  "
        "standard/gateway.networking.k8s.io_httproutes.yaml" in notice
    )


def test_available_versions() -> None:
    assert "1.6.1" in available_versions()


def test_import_is_cheap() -> None:
    code = (
        "import sys, gwshift.validation, gwshift.validation.cli;"
        "print(sorted(m for m in ('jsonschema', 'cel_expr_python', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_kubernetes_escaping() -> None:
    assert escape("namespace") == "__namespace__"
    assert escape("a__b") == "a__underscores__b"
    assert escape("x-y.z/w") == "x__dash__y__dot__z__slash__w"
    assert escape("1abc") is None and escape("a b") is None
    assert escape("sectionName") == "sectionName"


def test_backends_installed_for_tests() -> None:
    # CI must exercise CEL, not an "unavailable" path.
    assert importlib.util.find_spec("jsonschema") is not None
    assert sys.version_info < (3, 11) or importlib.util.find_spec("cel_expr_python") is not None
