"""Helpers shared by the Traefik feature modules (annotation access, notes, fail closed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwshift.context import Context
from gwshift.model import Conversion
from gwshift.notes import Note, error, warning

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


def show(value: Any) -> str:
    """An untrusted value for a one-line message: a short escaped quote of a string or an
    integer, the type of anything else (never its whole text: it may be 5 000 digits)."""
    from gwshift.yamlio import describe, safe_text

    if isinstance(value, str):
        return repr(safe_text(value, 40))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**20:
        return str(value)
    return describe(value)


def seq(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one (rendered YAML can hold anything)."""
    return value if isinstance(value, list) else []


def metadata_problem(meta: dict[str, Any]) -> tuple[str, str] | None:
    """``(field, message)`` when metadata.name or metadata.namespace is not what the API
    server accepts, with the checks ``parse.py`` applies to an Ingress (an unquoted number
    used to drop the namespace, ``Shop`` or ``R`` made every generated object invalid)."""
    from gwshift.parse import _SUBDOMAIN, ShapeError, _namespace

    name = meta.get("name")
    if not isinstance(name, str) or not name:
        return "metadata.name", "metadata.name is required"
    if len(name) > 253 or not _SUBDOMAIN.match(name):
        return "metadata.name", ("metadata.name is not a valid DNS-1123 subdomain (lowercase "
                                 "alphanumerics, '-', '.', at most 253 characters)")
    try:
        _namespace(meta.get("namespace"))
    except ShapeError as exc:
        return exc.field, exc.message
    return None
