"""Helpers shared by the ingress-nginx feature modules (annotation access, filters, notes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

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
from gwshift.model import Conversion
from gwshift.notes import Note, error, warning

Apply = Callable[[str, Conversion, Context], None]


class Handler(NamedTuple):
    """One catalogue annotation: its class, what gwshift emits, its note codes, the caveat."""

    cls: str  # STD | EXP | IMPL | NONE (see the mapping catalogue)
    apply: Apply
    emits: str
    codes: tuple[str, ...] = ()
    caveat: str = ""


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
