"""User errors end in one line and exit 1 (usage: 2); bugs exit 3 with a request to report."""

from __future__ import annotations


class FatalError(Exception):
    """An error the user can cause and fix; printed as one line."""

    exit_code = 1


class UsageError(FatalError):
    exit_code = 2


REPORT_BUG = (
    "gwshift: internal error: {exc}. This is a bug; please report it with the input that "
    "triggered it (re-run with --debug for the traceback)."
)
