"""Helpers shared by the Traefik feature modules (annotation access, notes, fail closed)."""

from __future__ import annotations

from collections.abc import Callable

from gwshift.context import Context
from gwshift.handlers._values import seq, show  # noqa: F401  (re-exported for the dialect)
from gwshift.model import Conversion
from gwshift.notes import Note, error, warning
from gwshift.parse import metadata_problem  # noqa: F401  (re-exported for the dialect)

PREFIX = "traefik.ingress.kubernetes.io/"
GROUP = "traefik.io"
# Traefik v2 served the same CRDs under this group; v3 still reads them when enabled.
LEGACY_GROUP = "traefik.containo.us"


def key(name: str) -> str:
    return PREFIX + name


def field(name: str) -> str:
    return f"metadata.annotations[{PREFIX}{name}]"


def ann(conv: Conversion, name: str) -> str | None:
    return conv.source.annotation(PREFIX + name)


def say(conv: Conversion, name: str, make: Callable[..., Note], code: str, message: str) -> None:
    conv.note(make(code, message, field=field(name)))


def fail_closed(conv: Conversion, ctx: Context, where: str, code: str, what: str,
                why: str) -> None:
    """Keep the source unless the user knowingly allowed dropping ``code``."""
    if code in ctx.settings.allow_insecure_drop:
        conv.note(warning(code, f"{what} knowingly dropped (--allow-insecure-drop {code}): {why}",
                          field=where))
    else:
        conv.block(error(code, f"{what} cannot be converted: {why}; the {conv.source.kind} is "
                               f"kept (allow dropping it with --allow-insecure-drop {code})",
                         field=where))
