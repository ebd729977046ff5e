"""Shared fixtures for the offline-validation tests.

The upstream manifests live in ``<repo>/../shared/gateway-api``; CI has them beside the
clone. Their absence is a failure, not a skip: the corpus tests are the main evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_GATEWAY_API = REPO.parent / "shared" / "gateway-api"


@pytest.fixture(scope="session")
def gateway_api_dir() -> Path:
    if not (SHARED_GATEWAY_API / "crds-v1.6.1").is_dir():
        pytest.fail(f"reference material missing: {SHARED_GATEWAY_API} (expected beside the repo)")
    return SHARED_GATEWAY_API
