"""router.*: entry points and TLS (which listeners), path matcher, and what is only reported.

Traefik attaches a router to every entry point unless ``router.entrypoints`` names some;
``web`` is the plain HTTP entry point and ``websecure`` the TLS one in the Traefik Helm
chart (TLS enabled on the entry point). ``router.tls: true`` makes the router match TLS
requests only, whatever the entry point.
"""

from __future__ import annotations

import re

from gwshift.context import Context
from gwshift.handlers._listeners import pin
from gwshift.handlers._values import parse_bool, parse_csv
from gwshift.handlers.traefik._common import ann, fail_closed, field, key, say
from gwshift.model import Conversion, IngressPath, Rule
from gwshift.notes import info, warning

ENTRYPOINTS = {"web": "HTTP", "websecure": "HTTPS"}
PLACEHOLDER = "traefik/tls-secret-placeholder"
NEUTRAL_NOTE = "ingress/path-type-implementation-specific"


def drop_neutral_notes(conv: Conversion) -> None:
    """Traefik's matcher for ImplementationSpecific paths is PathPrefix (unless
    router.pathmatcher says otherwise): the neutral converter's guess is exact here."""
    conv.notes = [n for n in conv.notes if n.code != NEUTRAL_NOTE]


def entrypoints(value: str, conv: Conversion, ctx: Context) -> None:
    _pin(conv, ctx)


def tls(value: str, conv: Conversion, ctx: Context) -> None:
    if parse_bool(value) is None:
        say(conv, "router.tls", warning, "traefik/invalid-value",
            f"{value!r} is not a boolean; Traefik ignores the router with an error")
    if ann(conv, "router.entrypoints") is None:
        _pin(conv, ctx)


def _pin(conv: Conversion, ctx: Context) -> None:
    eps = parse_csv(ann(conv, "router.entrypoints"))
    tls_on = parse_bool(ann(conv, "router.tls")) is True
    custom = [e for e in eps if e not in ENTRYPOINTS]
    if custom:
        fail_closed(conv, ctx, field("router.entrypoints"), "traefik/custom-entrypoint",
                    f"{key('router.entrypoints')} entry point(s) {', '.join(custom)}",
                    "gwshift does not know their ports, and a custom entry point is often "
                    "internal-only (dashboard, metrics, private port); serving the routes on the "
                    "public HTTP/HTTPS listeners could expose them")
        if conv.blocked:
            return
    known = [e for e in eps if e in ENTRYPOINTS]
    if not known and not tls_on:
        return  # every entry point: the neutral HTTP (+ HTTPS where TLS is known) listeners
    https = tls_on or "websecure" in known
    http = not tls_on and ("web" in known or not known)
    if tls_on and known == ["web"]:
        say(conv, "router.tls", warning, "traefik/tls-on-web",
            "router.tls on the web entry point: Traefik served TLS on the HTTP port; the "
            "route is attached to the HTTPS listener instead")
    where = field("router.tls" if tls_on else "router.entrypoints")
    for route in conv.routes:
        pin(conv, ctx, route, http, https, PLACEHOLDER, where,
            "Traefik served these hosts over TLS with a certificate it obtained itself "
            "(ACME resolver or default certificate), and spec.tls names no Secret for them")


_MATCHERS = {"Path": "Exact", "PathPrefix": "PathPrefix", "PathRegexp": "RegularExpression"}


def source_paths(conv: Conversion) -> dict[str, IngressPath]:
    return {p.field: p for r in conv.ingress.rules for p in r.paths}


def pathmatcher(value: str, conv: Conversion, ctx: Context) -> None:
    """Applies to ImplementationSpecific (and unset) pathTypes only, as in Traefik."""
    kind = _MATCHERS.get(value.strip())
    if kind is None:
        say(conv, "router.pathmatcher", warning, "traefik/invalid-value",
            f"{value!r} is not Path, PathPrefix or PathRegexp; Traefik rejects the router")
        return
    paths = source_paths(conv)
    for route in conv.routes:
        for rule in route.rules:
            p = paths.get(rule.source)
            if p is None or p.path_type not in (None, "ImplementationSpecific"):
                continue
            _set_matcher(conv, rule, kind, p.path or "/")


def _set_matcher(conv: Conversion, rule: Rule, kind: str, path: str) -> None:
    for m in rule.matches:
        m.path_type = kind
        m.path = go_regexp(path) if kind == "RegularExpression" else path
    if kind == "RegularExpression":
        conv.note(info("traefik/path-regexp",
                       f"PathRegexp {path!r} became RegularExpression {rule.matches[0].path!r}: "
                       "Traefik searched the path (unanchored); Gateway implementations match "
                       "the whole path, so the pattern is padded; regex dialects differ (Go RE2 "
                       "vs the implementation's)", field=f"{rule.source}.path"))


def go_regexp(pattern: str) -> str:
    """A Go ``regexp.MatchString`` search as a whole-path match."""
    start = pattern.startswith("^")
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    if start and end:
        return pattern
    return ("" if start else ".*") + f"(?:{pattern})" + ("" if end else ".*")


_INDEXED = re.compile(r"\.[0-9]+\.")


def table_name(name: str) -> str:
    """``router.tls.domains.0.main`` -> ``router.tls.domains.n.main`` (the table's key)."""
    return _INDEXED.sub(".n.", name)
