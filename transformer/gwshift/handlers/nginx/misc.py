"""Annotations gwshift reports rather than converts (no equivalent, or implementation-only)."""

from __future__ import annotations

from collections.abc import Callable

from gwshift.context import Context
from gwshift.handlers.nginx._common import Apply, field, key, say
from gwshift.intents import Intent, Provenance
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


def reported_intent(name: str, code: str, message: str,
                    parse: Callable[[str], Intent | None]) -> Apply:
    """Record ``parse(value)`` (an intent without provenance yet) for a target to express;
    the standard target cannot, so the same warning as ``reported`` follows. A value that
    does not parse is reported right away."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        made = parse(value)
        if made is None or not conv.routes:  # nothing to attach it to: say it now
            say(conv, ctx, name, warning, code, message)
            return
        by = Provenance(key(ctx, name), field(ctx, name), code, message, security=False)
        intent = made._replace(by=by)
        for route in conv.routes:
            route.intents.append(intent)

    return apply


def noop(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by another handler (named in the table's ``emits``)."""

