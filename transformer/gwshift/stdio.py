"""Writing to stdout from every entry point (help, version, ``explain``, ``validate``, the
conversion): a closed or full stdout is one line and exit 1, never a traceback or exit 3.

Its own module so the subcommands use it without importing the shell (``cli``), which
imports them: no import cycle. Imports only ``os``, ``sys`` and ``gwshift.errors``.
"""

from __future__ import annotations

import os
import sys

from gwshift.errors import FatalError


def write_stdout(text: str) -> None:
    """Write and flush ``text``; a closed (``>&-``) or full (``>/dev/full``) stdout raises
    FatalError("gwshift: cannot write to stdout: ..."); a reader that went away
    (``| head``) re-raises BrokenPipeError, which the shell exits 1 on quietly."""
    try:
        if sys.stdout is None:  # started with stdout closed
            raise ValueError("closed")
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise
    except (OSError, ValueError) as exc:  # ValueError: a closed stdout object
        silence_stdout()
        reason = getattr(exc, "strerror", None) or "it is closed"
        raise FatalError(f"gwshift: cannot write to stdout: {reason}") from None


def silence_stdout() -> None:
    """After a failed write, point stdout at /dev/null so the interpreter's final flush of
    what is still buffered cannot add a second error line on stderr."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
