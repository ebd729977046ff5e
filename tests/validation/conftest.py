"""Shared fixtures for the offline-validation tests.

The upstream conformance and example manifests come from ``<repo>/../shared/gateway-api`` when
it is beside the clone (CI), else from the verbatim copy in ``tests/data/gateway-api``
(provenance in tests/data/SOURCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_GATEWAY_API = REPO.parent / "shared" / "gateway-api"
VENDORED_GATEWAY_API = REPO / "tests" / "data" / "gateway-api"


@pytest.fixture(scope="session")
def gateway_api_dir() -> Path:
    """Directory holding conformance-yaml/ and examples-yaml/ of Gateway API v1.6.1."""
    if (SHARED_GATEWAY_API / "conformance-yaml").is_dir():
        return SHARED_GATEWAY_API
    return VENDORED_GATEWAY_API
