"""stdio.write_stdout: a closed or full stdout is one FatalError line (exit 1), not exit 3."""

from __future__ import annotations

import errno
import io

import pytest
from gwshift.errors import FatalError
from gwshift.stdio import write_stdout


class _Full(io.StringIO):
    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no fd")


def test_closed_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", None)
    with pytest.raises(FatalError, match=r"^gwshift: cannot write to stdout: it is closed$"):
        write_stdout("x\n")


def test_full_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", _Full())
    with pytest.raises(FatalError, match=r"No space left on device$") as info:
        write_stdout("x\n")
    assert info.value.exit_code == 1


def test_a_writable_stdout_gets_the_text(monkeypatch: pytest.MonkeyPatch) -> None:  # the twin
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    write_stdout("gwshift 1\n")
    assert out.getvalue() == "gwshift 1\n"
