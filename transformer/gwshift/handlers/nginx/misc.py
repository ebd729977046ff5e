"""Annotations gwshift reports rather than converts (no equivalent, or implementation-only)."""

from __future__ import annotations

from collections.abc import Callable

from gwshift.context import Context
from gwshift.handlers.nginx._common import Apply, say
from gwshift.model import Conversion
from gwshift.notes import Note, warning


def reported(name: str, code: str, message: str,
             make: Callable[..., Note] = warning, skip: tuple[str, ...] = ()) -> Apply:
    """Report ``code`` for the annotation; values in ``skip`` (e.g. the nginx default) are no-ops."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip().lower() in skip:
            return
        say(conv, ctx, name, make, code, message)

    return apply


def noop(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by another handler (named in the table's ``emits``)."""

