"""Issue 19: every documented shell pipeline through gwshift starts with ``set -o pipefail``,
so a failing ``helm template`` or gwshift fails the pipeline instead of feeding on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"```(?:sh|bash|shell)\n(.*?)```", re.DOTALL)
_PIPE = re.compile(r"\|\s*(?:gwshift|python -m gwshift)\b|\bgwshift\b[^\n|]*\|")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _pipelines_without_pipefail(text: str) -> list[int]:
    return [text[:m.start()].count("\n") + 1 for m in _BLOCK.finditer(text)
            if _PIPE.search(m.group(1)) and "pipefail" not in m.group(1)]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_documented_pipelines_set_pipefail(page: Path) -> None:
    assert not _pipelines_without_pipefail(page.read_text(encoding="utf-8"))


def test_the_check_finds_a_pipeline_without_pipefail() -> None:
    assert _pipelines_without_pipefail("x\n```sh\nhelm template a ./c | gwshift\n```\n") == [2]
    assert not _pipelines_without_pipefail(  # the twin
        "```sh\nset -o pipefail\nhelm template a ./c | gwshift\n```\n")
