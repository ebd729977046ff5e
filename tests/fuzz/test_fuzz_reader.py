"""Bounded CI run of the byte-level fuzz target fuzz/fuzz_reader.py (~20 s).

atheris (libFuzzer) when importable, else hypothesis over raw bytes. Longer runs:
``GWSHIFT_FUZZ_SECONDS=600 pytest tests/fuzz/test_fuzz_reader.py`` or see
docs/hostile-input.md.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "fuzz" / "fuzz_reader.py"
SECONDS = int(os.environ.get("GWSHIFT_FUZZ_SECONDS", "20"))


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TARGET), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=SECONDS * 3 + 60, check=False)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_fuzz_reader_atheris(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    r = _run([f"-max_total_time={SECONDS}", "-rss_limit_mb=2048", "-timeout=30",
              f"-artifact_prefix={tmp_path}/", str(corpus), str(ROOT / "fuzz" / "seeds")], tmp_path)
    done = re.search(r"Done (\d+) runs in (\d+) second", r.stderr)
    assert r.returncode == 0 and done, r.stderr[-3000:]
    print(f"atheris: {done.group(1)} inputs in {done.group(2)} s")
    assert int(done.group(1)) > 100


def test_fuzz_reader_hypothesis(tmp_path: Path) -> None:
    secs = SECONDS if importlib.util.find_spec("atheris") is None else max(5, SECONDS // 4)
    r = _run(["--hypothesis", str(secs)], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    m = re.search(r"executed (\d+) inputs", r.stderr)
    assert m and int(m.group(1)) > 50, r.stderr[-500:]
