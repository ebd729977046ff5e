"""router.*: entry points and TLS (which listeners), path matcher, and what is only reported.

Traefik attaches a router to every entry point unless ``router.entrypoints`` names some;
``web`` is the plain HTTP entry point and ``websecure`` the TLS one in the Traefik Helm
chart (TLS enabled on the entry point). ``router.tls: true`` makes the router match TLS
requests only, whatever the entry point.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from gwshift.context import Context
from gwshift.handlers._listeners import pin
from gwshift.handlers._values import parse_bool, parse_csv, parse_int
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


# --- where Traefik matches differently from the HTTPRoute ---------------------------------

STRING_PREFIX = "traefik/prefix-string-match"
RULE_LENGTH = "traefik/rule-length-priority"


def string_prefix_message(path: str) -> str:
    """Traefik ``PathPrefix`` is ``strings.HasPrefix`` (pkg/muxer/http/matcher.go; the Ingress
    provider's ``strictPrefixMatching`` is off by default); Gateway API PathPrefix matches
    whole path elements and ignores a trailing slash."""
    if path.endswith("/"):
        bare = path.rstrip("/") or "/"
        return (f"PathPrefix {path!r}: Traefik compares strings, so {bare!r} did not match "
                f"(404 or another router); the HTTPRoute ignores the trailing slash and serves "
                f"{bare!r} here")
    return (f"PathPrefix {path!r}: Traefik compares strings, so it also served "
            f"{path + 'x'!r} and {path + '.json'!r}; the HTTPRoute PathPrefix matches "
            f"{path!r} and {path + '/…'!r} only (as Traefik with strictPrefixMatching)")


def string_prefix_notes(conv: Conversion, suffix: str = ".path") -> None:
    """One warning per source path whose PathPrefix is not ``/`` (where both agree)."""
    seen: set[tuple[str, str]] = set()
    for route in conv.routes:
        for rule in route.rules:
            for m in rule.matches:
                if m.path_type != "PathPrefix" or not m.path or m.path == "/":
                    continue
                where = f"{rule.source}{suffix}"
                if (where, m.path) in seen:
                    continue
                seen.add((where, m.path))
                conv.note(warning(STRING_PREFIX, string_prefix_message(m.path), field=where))


def _quote(text: str) -> str:
    """Go ``%q`` of an ASCII string: the Ingress provider quotes rule values with it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def router_rule(host: str | None, matcher: str, path: str) -> str:
    """The rule Traefik's Ingress provider writes for one path (its length is the router's
    priority: pkg/muxer/http/mux.go GetRulePriority)."""
    return (f"Host({_quote(host)}) && " if host else "") + f"{matcher}({_quote(path)})"


class Router(NamedTuple):
    """One Traefik router that matches a host and one path (an Ingress path, or an
    IngressRoute route alternative without other conditions)."""

    conv: Conversion
    path: str
    matcher: str  # Path | PathPrefix | PathRegexp
    rule: str
    priority: int
    explicit: bool  # router.priority / spec.routes[].priority set
    field: str  # where the note goes
    backend: str  # for the message: "Service web"
    entrypoints: frozenset[str] = frozenset()  # empty: every entry point (one muxer each)

    def meets(self, other: Router) -> bool:
        return not self.entrypoints or not other.entrypoints or bool(
            self.entrypoints & other.entrypoints)


def _ingress_routers(conv: Conversion) -> list[tuple[str | None, Router]]:
    raw = ann(conv, "router.priority")
    explicit = parse_int(raw) if raw is not None else None
    impl = (ann(conv, "router.pathmatcher") or "PathPrefix").strip()
    eps = frozenset(parse_csv(ann(conv, "router.entrypoints")))
    out = []
    for r in conv.ingress.rules:
        for p in r.paths:
            if not p.path:
                continue
            m = "Path" if p.path_type == "Exact" else (
                "PathPrefix" if p.path_type == "Prefix" else impl)
            text = router_rule(r.host, m, p.path)
            out.append((r.host, Router(conv, p.path, m, text, explicit or len(text),
                                       bool(explicit), f"{p.field}.path", _svc(p), eps)))
    return out


def rule_length_notes(convs: list[Conversion]) -> None:
    """Traefik tries routers by priority, ``len(rule)`` unless set (pkg/muxer/http/mux.go
    GetRulePriority), so ``Host(h) && PathPrefix("/")`` outranks ``Host(h) && Path("/api")``
    and gets ``/api``, also across Ingresses and IngressRoutes; Gateway API always prefers
    the Exact match. Noted on each Exact path a Prefix router of the same host takes (an
    Exact path with an explicit priority has its own priority note)."""
    by_host: dict[str | None, list[Router]] = {}
    for conv in convs:
        if conv.blocked:
            continue
        found = _ingress_routers(conv) if conv.source.kind == "Ingress" else list(
            getattr(conv.source, "routers", ()))
        for host, router in found:
            by_host.setdefault(host, []).append(router._replace(conv=conv))
    for routers in by_host.values():
        for exact in routers:
            e = exact.path
            if exact.matcher != "Path" or exact.explicit:
                continue
            rivals = [r for r in routers if r.matcher == "PathPrefix" and e.startswith(r.path)
                      and r.meets(exact)]
            if not rivals:
                continue
            pre = max(rivals, key=lambda r: r.priority)
            if pre.priority < exact.priority:
                continue  # the Exact router is tried first, as in Gateway API
            tie = pre.priority == exact.priority
            src = pre.conv.source
            other = "" if pre.conv is exact.conv else f" of {src.kind} {src.namespace}/{src.name}"
            sent = pre.backend + other + (
                f" or {exact.backend} (equal priorities: unordered)" if tie else "")
            exact.conv.note(warning(RULE_LENGTH,
                f"Traefik orders routers by priority (rule length unless set): "
                f"{pre.rule}{other} (priority {pre.priority}) "
                f"{'ties with' if tie else 'outranks'} {exact.rule} (priority "
                f"{exact.priority}), so Traefik sent {e!r} to {sent}; the HTTPRoute sends it to "
                f"the Exact match ({exact.backend}) as Gateway API precedence requires. A "
                "higher priority on the Exact path's router makes Traefik agree",
                field=exact.field))


def _svc(p: IngressPath) -> str:
    return f"Service {p.backend.service}" if p.backend.service else "a resource backend"
