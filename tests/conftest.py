from __future__ import annotations

import os
from pathlib import Path

import pytest

if os.environ.get("CI", "").lower() == "true":
    # CI draws the same hypothesis examples every run (seeded from each test), so a red CI
    # is a reproducible finding, never luck; local runs keep exploring new examples.
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("gwshift-ci", derandomize=True, database=None)
    _hypothesis_settings.load_profile("gwshift-ci")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite expected.yaml/notes.txt of golden cases from actual output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"reference material not found at {SHARED} (CI checks it out beside the repo)")
    return SHARED
