"""enable-cors + cors-*: one standard CORS filter per proxying rule, nginx defaults explicit.

nginx defaults differ from Gateway API's (credentials true vs false, max-age 1728000 vs 5),
so every field is written out.
"""

from __future__ import annotations

import re
from typing import Any

from gwshift.context import Context
from gwshift.handlers._values import parse_bool, parse_csv, parse_int
from gwshift.handlers.nginx._common import Apply, ann, backend_rules, merge_filter, say
from gwshift.model import Conversion
from gwshift.notes import info, warning

DEFAULT_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS"
DEFAULT_HEADERS = ("DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,"
                   "Cache-Control,Content-Type,Range,Authorization")
DEFAULT_MAX_AGE = 1728000
MAX_AGE = 2**31 - 1  # HTTPRoute CORS maxAge: int32
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
_ORIGIN = re.compile(r"^(\*|https?://(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                     r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?)$")


def enable_cors(value: str, conv: Conversion, ctx: Context) -> None:
    if parse_bool(value) is not True:
        return
    cors = _cors(conv, ctx)
    for rule in backend_rules(conv):
        merge_filter(rule, "CORS", dict(cors))


def _cors(conv: Conversion, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {
        "allowOrigins": _origins(conv, ctx),
        "allowMethods": _methods(conv, ctx),
        "allowHeaders": _star_alone(parse_csv(ann(conv, ctx, "cors-allow-headers")
                                              or DEFAULT_HEADERS)),
    }
    expose = parse_csv(ann(conv, ctx, "cors-expose-headers"))
    if expose:
        out["exposeHeaders"] = _star_alone(expose)
    out["allowCredentials"] = parse_bool(ann(conv, ctx, "cors-allow-credentials")) is not False
    if out["allowOrigins"] == ["*"] and out["allowCredentials"]:
        # nginx answered with the literal "Access-Control-Allow-Origin: *", which browsers
        # refuse for credentialed requests; a Gateway CORS filter with "*" and credentials
        # echoes any Origin with Allow-Credentials: true (any site could read responses).
        out["allowCredentials"] = False
        say(conv, ctx, "enable-cors", warning, "nginx/cors-wildcard-credentials",
            "origin '*' with credentials: nginx sent a literal '*' that browsers refuse for "
            "credentialed requests; written with allowCredentials: false so they stay refused "
            "(a '*' with credentials would echo every origin). List the origins in "
            "cors-allow-origin to allow credentials")
    age = parse_int(ann(conv, ctx, "cors-max-age"))
    if age is not None and age > MAX_AGE:
        # maxAge is an int32 in the CRD; browsers cap the preflight cache at hours anyway
        # (Chromium 2 h, Firefox 24 h), so the largest int32 caches exactly as long.
        say(conv, ctx, "cors-max-age", warning, "nginx/cors-max-age-capped",
            f"{age} is above the int32 maxAge Gateway API holds; written as {MAX_AGE} "
            "(browsers cache preflights for hours at most, either way)")
        age = MAX_AGE
    out["maxAge"] = age if age is not None and age >= 1 else DEFAULT_MAX_AGE
    return out


def _origins(conv: Conversion, ctx: Context) -> list[str]:
    raw = parse_csv(ann(conv, ctx, "cors-allow-origin")) or ["*"]
    good = [o.lower() for o in raw if _ORIGIN.match(o.lower())]
    if len(good) != len(raw):
        bad = [o for o in raw if not _ORIGIN.match(o.lower())]
        say(conv, ctx, "cors-allow-origin", warning, "nginx/cors-origin-invalid",
            f"origins {bad} are not http(s)://[*.]host[:port] and are dropped")
    return _star_alone(good or ["*"])


def _methods(conv: Conversion, ctx: Context) -> list[str]:
    raw = [m.upper() for m in parse_csv(ann(conv, ctx, "cors-allow-methods") or DEFAULT_METHODS)]
    good = [m for m in raw if m in METHODS or m == "*"]
    if len(good) != len(raw):
        say(conv, ctx, "cors-allow-methods", warning, "nginx/cors-method-invalid",
            f"methods {[m for m in raw if m not in good]} are not HTTP methods Gateway API "
            "accepts and are dropped")
    return _star_alone(list(dict.fromkeys(good)) or ["GET"])


def _star_alone(items: list[str]) -> list[str]:
    """CEL: ``*`` cannot be combined with other entries."""
    return ["*"] if "*" in items else items


def needs_enable_cors(name: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if parse_bool(ann(conv, ctx, "enable-cors")) is not True:
            say(conv, ctx, name, info, "nginx/cors-parameter-without-enable-cors",
                "ignored, as by nginx: enable-cors is not \"true\"")

    return apply
