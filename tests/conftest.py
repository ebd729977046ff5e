from __future__ import annotations

import os
from pathlib import Path

import pytest

ON_CI = os.environ.get("CI", "").lower() == "true"

if ON_CI:
    # CI draws the same hypothesis examples every run (seeded from each test), so a red CI
    # is a reproducible finding, never luck; local runs keep exploring new examples.
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("gwshift-ci", derandomize=True, database=None)
    _hypothesis_settings.load_profile("gwshift-ci")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# Small, byte-exact copies of the reference data the tests read (provenance and licences in
# tests/data/SOURCE.md), so a plain clone runs the whole suite.
DATA = REPO / "tests" / "data"
SHARED_CORPUS = SHARED / "corpus" / "rendered"
VENDORED_CORPUS = DATA / "corpus"


def full_corpus_present() -> bool:
    return SHARED_CORPUS.is_dir()


def corpus_paths() -> list[Path]:
    """The rendered corpus: all of ../shared/corpus/rendered when it is there, else the curated
    subset in tests/data/corpus (every quirk class, ~30 files)."""
    root = SHARED_CORPUS if full_corpus_present() else VENDORED_CORPUS
    return sorted(root.glob("*.yaml"))


def require_shared(what: str) -> None:
    """Skip a test that needs ../shared itself; under CI=true (which has it) its absence fails."""
    if not SHARED.is_dir():
        message = f"{what} needs ../shared ({SHARED}), which is not beside the repository"
        if ON_CI:
            pytest.fail(message + " (CI=true: CI checks ../shared out beside the repository)")
        pytest.skip(message)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite expected.yaml/notes.txt of golden cases from actual output")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus_step(n): on the full ../shared corpus, take every n-th file only "
        "(the vendored subset is always run whole: it is small and every file is a quirk class)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test taking `corpus_file` runs once per corpus file (full corpus or vendored subset).
    if "corpus_file" in metafunc.fixturenames:
        paths = corpus_paths()
        marker = metafunc.definition.get_closest_marker("corpus_step")
        if marker is not None and full_corpus_present():
            paths = paths[:: int(marker.args[0])]
        metafunc.parametrize("corpus_file", paths, ids=[p.name for p in paths])


def pytest_report_header(config: pytest.Config) -> str:
    corpus = "full ../shared corpus" if full_corpus_present() else "vendored corpus subset"
    return f"gwshift test data: {corpus} ({len(corpus_paths())} files)"


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared itself: skipped with a reason when absent, a failure under CI=true."""
    require_shared("this test")
    return SHARED


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return corpus_paths()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def catalogue_path() -> Path:
    """The ingress-nginx annotation mapping catalogue (vendored; ../shared's copy if present)."""
    upstream = SHARED / "reference" / "ingress-nginx-annotation-mapping.json"
    return upstream if upstream.is_file() else DATA / "reference" / upstream.name
