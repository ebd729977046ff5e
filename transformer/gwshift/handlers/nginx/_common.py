"""Helpers shared by the ingress-nginx feature modules (annotation access, filters, notes)."""

from __future__ import annotations

from collections.abc import Callable

from gwshift.context import Context
from gwshift.handlers._ir import (  # noqa: F401  (re-exported: the nginx modules import them here)
    ServiceURL,
    backend_rules,
    has_filter,
    make_redirect_rule,
    merge_filter,
    rules,
    service_url,
    set_header,
    source_hosts,
)
from gwshift.handlers._table import Apply, Disposition, Handler, Level
from gwshift.model import Conversion
from gwshift.notes import Note, error, warning


def row(level: Level, apply: Apply, emits: str, codes: tuple[str, ...] = (),
        caveat: str = "", disposition: Disposition | None = None,
        intent: type | None = None) -> Handler:
    """A TABLE row. Without an explicit disposition: ``emits`` "nothing ..." is reported,
    anything else converts, approximately when the row has a caveat (what differs)."""
    if disposition is None:
        disposition = ("reported" if emits.startswith("nothing")
                       else "approximated" if caveat else "converted")
    return Handler(level, disposition, apply, emits, codes, caveat, intent)


def prefix(ctx: Context) -> str:
    return ctx.settings.annotation_prefix.rstrip("/")


def key(ctx: Context, name: str) -> str:
    return f"{prefix(ctx)}/{name}"


def field(ctx: Context, name: str) -> str:
    return f"metadata.annotations[{key(ctx, name)}]"


def ann(conv: Conversion, ctx: Context, name: str) -> str | None:
    return conv.source.annotation(key(ctx, name))


def say(conv: Conversion, ctx: Context, name: str, make: Callable[..., Note], code: str,
        message: str) -> None:
    conv.note(make(code, message, field=field(ctx, name)))


def fail_closed(conv: Conversion, ctx: Context, name: str, code: str, why: str) -> None:
    """Block the Ingress unless the user knowingly allowed dropping ``code``."""
    if code in ctx.settings.allow_insecure_drop:
        say(conv, ctx, name, warning, code,
            f"{key(ctx, name)} knowingly dropped (--allow-insecure-drop {code}): {why}")
    else:
        conv.block(error(code, f"{key(ctx, name)} cannot be converted: {why}; the Ingress is "
                               f"kept (allow dropping it with --allow-insecure-drop {code})",
                         field=field(ctx, name)))


Stage = Callable[[list[Conversion], Context], None]


def ingresses_only(stage: Stage) -> Stage:
    """``stage`` over the Ingress conversions only: the ConfigMaps' routes are complete when
    parsed, and no annotation handler (or --nginx-defaults) applies to them."""

    def run(convs: list[Conversion], ctx: Context) -> None:
        stage([c for c in convs if c.source.kind == "Ingress"], ctx)

    run.__doc__ = stage.__doc__
    run.__name__ = getattr(stage, "__name__", "stage")
    return run
