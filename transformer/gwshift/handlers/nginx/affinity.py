"""affinity + session-cookie-*: ``sessionPersistence`` (experimental channel only)."""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers._values import MAX_SECONDS, duration, parse_seconds
from gwshift.handlers.nginx._common import Apply, ann, backend_rules, say
from gwshift.model import Conversion
from gwshift.notes import info, warning
from gwshift.yamlio import safe_text

DEFAULT_COOKIE = "INGRESSCOOKIE"


def affinity(value: str, conv: Conversion, ctx: Context) -> None:
    if value.strip() != "cookie":
        say(conv, ctx, "affinity", warning, "nginx/invalid-value",
            f"{value!r}: nginx only knows affinity 'cookie' and ignores other values")
        return
    if ctx.settings.channel != "experimental":
        say(conv, ctx, "affinity", warning, "nginx/affinity-experimental",
            "cookie affinity needs sessionPersistence (experimental channel); not emitted, "
            "requests are no longer sticky")
        return
    sp: dict[str, Any] = {"sessionName": ann(conv, ctx, "session-cookie-name") or DEFAULT_COOKIE,
                          "type": "Cookie"}
    ttl = _seconds(conv, ctx, "session-cookie-max-age") or _seconds(
        conv, ctx, "session-cookie-expires")
    if ttl:
        sp["absoluteTimeout"] = duration(ttl)
        sp["cookieConfig"] = {"lifetimeType": "Permanent"}
    for rule in backend_rules(conv):
        rule.session_persistence = dict(sp)


def _seconds(conv: Conversion, ctx: Context, name: str) -> int | None:
    """Whole seconds up to MAX_SECONDS; a value present but invalid (a typo, or beyond any
    Gateway API duration) gets a note instead of vanishing."""
    raw = ann(conv, ctx, name)
    secs = parse_seconds(raw)
    if raw is not None and raw.strip() and secs is None:
        say(conv, ctx, name, warning, "nginx/invalid-value",
            f"{safe_text(raw, 40)!r} is not whole seconds up to {MAX_SECONDS}; no cookie "
            "lifetime taken from it")
    return secs


def needs_affinity(name: str, lost: str = "") -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if (ann(conv, ctx, "affinity") or "").strip() != "cookie":
            say(conv, ctx, name, info, "nginx/affinity-parameter-without-affinity",
                "ignored, as by nginx: affinity is not 'cookie'")
        elif lost:
            say(conv, ctx, name, warning, "nginx/session-cookie-attribute-lost", lost)

    return apply
