"""Shared fixtures for the offline-validation tests.

The upstream manifests live in ``<repo>/../shared`` (``gateway-api/``, ``target-crds/``),
beside the clone. The bundles the tests validate against are package data, so only the
tests that rebuild the bundles or read the upstream corpus need ``../shared``: without it
they skip with the reason, except under ``CI=true``, where its absence is a failure (CI
must prove the committed bundles are the upstream ones).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SHARED_GATEWAY_API = SHARED / "gateway-api"
SHARED_TARGET_CRDS = SHARED / "target-crds"


def _require(path: Path) -> Path:
    if not path.is_dir():
        message = f"reference material missing: {path} (expected beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def gateway_api_dir() -> Path:
    _require(SHARED_GATEWAY_API / "crds-v1.6.1")
    return SHARED_GATEWAY_API


@pytest.fixture(scope="session")
def target_crds_dir() -> Path:
    return _require(SHARED_TARGET_CRDS)
