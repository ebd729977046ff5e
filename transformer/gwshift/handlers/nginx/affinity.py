"""affinity + session-cookie-*: ``sessionPersistence`` (experimental channel only)."""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers._values import duration, parse_seconds
from gwshift.handlers.nginx._common import Apply, ann, backend_rules, say
from gwshift.model import Conversion
from gwshift.notes import info, warning

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
    ttl = parse_seconds(ann(conv, ctx, "session-cookie-max-age")) or parse_seconds(
        ann(conv, ctx, "session-cookie-expires"))
    if ttl:
        sp["absoluteTimeout"] = duration(ttl)
        sp["cookieConfig"] = {"lifetimeType": "Permanent"}
    for rule in backend_rules(conv):
        rule.session_persistence = dict(sp)


def needs_affinity(name: str, lost: str = "") -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if (ann(conv, ctx, "affinity") or "").strip() != "cookie":
            say(conv, ctx, name, info, "nginx/affinity-parameter-without-affinity",
                "ignored, as by nginx: affinity is not 'cookie'")
        elif lost:
            say(conv, ctx, name, warning, "nginx/session-cookie-attribute-lost", lost)

    return apply
