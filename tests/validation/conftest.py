"""Shared fixtures for the offline-validation tests.

The bundles the tests validate against are package data. The upstream conformance and
example manifests come from ``<repo>/../shared/gateway-api`` when it is beside the clone
(CI), else from the verbatim copy in ``tests/data/gateway-api`` (provenance in
tests/data/SOURCE.md). Tests that rebuild the bundles need ``../shared`` (raw CRDs are not
vendored): without it they skip with the reason, except under ``CI=true``, where its
absence is a failure (CI must prove the committed bundles are the upstream ones).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SHARED_GATEWAY_API = SHARED / "gateway-api"
SHARED_TARGET_CRDS = SHARED / "target-crds"
VENDORED_GATEWAY_API = REPO / "tests" / "data" / "gateway-api"


def _require(path: Path) -> Path:
    if not path.is_dir():
        message = f"reference material missing: {path} (expected beside the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def gateway_api_dir() -> Path:
    """Directory holding conformance-yaml/ and examples-yaml/ of Gateway API v1.6.1."""
    if (SHARED_GATEWAY_API / "conformance-yaml").is_dir():
        return SHARED_GATEWAY_API
    return VENDORED_GATEWAY_API


@pytest.fixture(scope="session")
def target_crds_dir() -> Path:
    return _require(SHARED_TARGET_CRDS)
