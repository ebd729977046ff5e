"""Route-level Kong annotations: matches (methods, headers, regex paths), hostnames, the
protocols a route serves (listeners, HTTPS redirect, gRPC), and path/host rewriting."""

from __future__ import annotations

import copy
import re
from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import (
    add_host_aliases,
    backend_rules,
    has_filter,
    make_redirect_rule,
    merge_filter,
)
from gwshift.handlers._listeners import pin
from gwshift.handlers._values import parse_bool, parse_csv, parse_int
from gwshift.handlers.kong._common import PREFIX, ann, field, key, say
from gwshift.model import HTTP, HTTPS, Conversion, ListenerKey, Match, Route
from gwshift.notes import error, info, warning

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
MAX_MATCHES = 64
DEFAULT_REGEX_PREFIX = "/~"
REDIRECT_CODES = (301, 302, 303, 307, 308)
_HOST = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
PLACEHOLDER = "kong/tls-secret-placeholder"


def _block(conv: Conversion, name: str, code: str, message: str) -> None:
    conv.block(error(code, f"{key(name)}: {message}; the Ingress is kept", field=field(name)))


# --- regex paths ---------------------------------------------------------------------------


def regex_paths(conv: Conversion, ctx: Context) -> None:
    """ImplementationSpecific paths starting with the regex prefix (``/~``) are regexes.

    Kong anchors them at the start and searches onward; Gateway implementations match the
    whole path, so the pattern is padded with ``.*`` unless it ends with ``$``.
    """
    prefix = ann(conv, "regex-prefix") or DEFAULT_REGEX_PREFIX
    paths = {p.field: p for r in conv.ingress.rules for p in r.paths}
    done = set()
    for rule in (r for route in conv.routes for r in route.rules):
        p = paths.get(rule.source)
        if p is None or p.path_type != "ImplementationSpecific" or not (p.path or "").startswith(
                prefix):
            continue
        pattern = (p.path or "")[len(prefix):]
        value = pattern if pattern.startswith("^") else "^" + pattern
        if not (value.endswith("$") and not value.endswith("\\$")):
            value += ".*"
        for m in rule.matches:
            m.path_type, m.path = "RegularExpression", value
        if p.field not in done:
            done.add(p.field)
            conv.note(info("kong/regex-path", f"Kong regex path {p.path!r} became "
                           f"RegularExpression {value!r}; regex dialects and precedence are "
                           "implementation-specific", field=f"{p.field}.path"))
    # The neutral "ImplementationSpecific became PathPrefix" guess does not apply to these.
    gone = {f"{f}.pathType" for f in done}
    conv.notes = [n for n in conv.notes
                  if not (n.code == "ingress/path-type-implementation-specific" and n.field in gone)]


def regex_priority(value: str, conv: Conversion, ctx: Context) -> None:
    say(conv, "regex-priority", warning, "kong/regex-priority-not-converted",
        f"{key('regex-priority')}={value!r} is not converted: Gateway API orders regex matches "
        "in an implementation-specific way; check overlapping regex paths")


def regex_prefix(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by regex_paths."""


# --- methods and headers -------------------------------------------------------------------


def methods(value: str, conv: Conversion, ctx: Context) -> None:
    wanted = [m.upper() for m in parse_csv(value)]
    bad = [m for m in wanted if m not in METHODS]
    if bad:
        _block(conv, "methods", "kong/invalid-method",
               f"methods {bad} cannot be an HTTPRoute method match (only {', '.join(METHODS)})")
        return
    if wanted:
        _expand(conv, "methods", lambda m, v: setattr(m, "method", v), list(dict.fromkeys(wanted)))


def headers(conv: Conversion, ctx: Context) -> None:
    """``headers.<name>: a,b``: the header equals one of the values; several headers AND."""
    for k, value in conv.source.annotations:
        if not k.startswith(PREFIX + "headers."):
            continue
        name = k[len(PREFIX + "headers."):]
        values = parse_csv(value)
        if not name or not values:
            conv.note(warning("kong/invalid-value", f"{k}={value!r} names no header or value; "
                              "Kong ignores it", field=f"metadata.annotations[{k}]"))
            continue
        entries = []
        for v in values:
            if v.startswith("~*"):
                entries.append({"type": "RegularExpression", "name": name, "value": v[2:]})
            else:
                entries.append({"name": name, "value": v})

        def add(m: Match, entry: dict[str, str]) -> None:
            m.headers.append(dict(entry))

        _expand(conv, f"headers.{name}", add, entries)
    if any(k.startswith(PREFIX + "headers.") for k, _ in conv.source.annotations):
        conv.note(info("kong/header-match-case", "Kong compared header values without regard "
                       "to case; HTTPRoute Exact header matches are case-sensitive",
                       field=f"metadata.annotations[{PREFIX}headers.*]"))


def _expand(conv: Conversion, name: str, setter: Any, values: list[Any]) -> None:
    for route in conv.routes:
        for rule in route.rules:
            new = []
            for m in rule.matches:
                for v in values:
                    c = m.copy()
                    setter(c, v)
                    new.append(c)
            if len(new) > MAX_MATCHES:
                _block(conv, name, "kong/too-many-matches",
                       f"{len(new)} match combinations exceed the {MAX_MATCHES} matches of an "
                       "HTTPRoute rule")
                return
            rule.matches = new


# --- hostnames ------------------------------------------------------------------------------


def host_aliases(value: str, conv: Conversion, ctx: Context) -> None:
    aliases = [a.lower() for a in parse_csv(value)]
    bad = [a for a in aliases if not _HOST.match(a)]
    if bad:
        say(conv, "host-aliases", warning, "kong/invalid-value",
            f"aliases {bad} are not valid hostnames; not converted")
    aliases = [a for a in aliases if a not in bad]
    add_host_aliases(conv, ctx, aliases)


def snis(value: str, conv: Conversion, ctx: Context) -> None:
    say(conv, "snis", info, "kong/snis-not-converted",
        f"{key('snis')}={value!r}: HTTPS listeners follow the route hostnames and their "
        "certificates; a separate SNI list is not converted")


# --- protocols ------------------------------------------------------------------------------


HTTP_ONLY = "kong/http-only-serves-https"
_HTTPISH = {"http": HTTP, "https": HTTPS, "ws": HTTP, "wss": HTTPS}
_GRPC = {"grpc": HTTP, "grpcs": HTTPS}


def protocols(conv: Conversion, ctx: Context) -> None:
    """After every other handler: listeners, HTTPS redirect, GRPCRoute."""
    raw = ann(conv, "protocols")
    force = parse_bool(conv.source.annotation("ingress.kubernetes.io/force-ssl-redirect"))
    wanted = [p.lower() for p in parse_csv(raw)]
    if force and not wanted:
        wanted = ["https"]
    if not wanted:
        return
    unknown = [p for p in wanted if p not in _HTTPISH and p not in _GRPC]
    if unknown:
        _block(conv, "protocols", "kong/protocols-unsupported",
               f"protocols {unknown} do not apply to an Ingress (TCPIngress/UDPIngress carry "
               "stream routes) or are unknown")
        return
    grpc = [p for p in wanted if p in _GRPC]
    http_like = [p for p in wanted if p in _HTTPISH]
    if grpc and http_like:
        say(conv, "protocols", warning, "kong/protocols-mixed",
            f"gRPC and HTTP protocols together ({', '.join(wanted)}): converted as an HTTPRoute "
            "(gRPC is HTTP/2 and matches by path too)")
    listen = {_HTTPISH.get(p) or _GRPC[p] for p in wanted}
    if set(wanted) == {"http"}:
        _http_only(conv)
        return
    where = field("protocols")
    for route in list(conv.routes):
        pin(conv, ctx, route, HTTP in listen, HTTPS in listen, PLACEHOLDER, where,
            "Kong served these hosts over TLS with its default certificate, and spec.tls names "
            "no Secret for them")
        if grpc and not http_like:
            _to_grpc(conv, route)
    if listen == {HTTPS} and not grpc:
        _https_redirect(conv, ctx, force is True)


def _http_only(conv: Conversion) -> None:
    """``protocols: http`` does not turn HTTPS away in Kong's default router flavor
    (traditional_compatible): kong/router/transform.lua get_expression has no protocol
    predicate, and kong/runloop/handler.lua only refuses plain HTTP on HTTPS-only routes.
    Only ``router_flavor = expressions`` adds ``net.protocol == "http"``
    (kong/router/expressions.lua). So the neutral listeners stay: HTTPS too where TLS is
    known."""
    https = sorted({k.hostname or "*" for r in conv.routes for k in r.listeners
                    if k.protocol == HTTPS})
    if https:
        say(conv, "protocols", info, HTTP_ONLY,
            f"protocols http: Kong's default router (traditional_compatible) still served "
            f"HTTPS for {', '.join(https)}; the routes stay on the HTTPS listeners too "
            "(with router_flavor expressions Kong refused HTTPS: detach them by hand then)")


def https_redirect_status_code(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by protocols."""
    code = parse_int(value)
    if code not in (*REDIRECT_CODES, 426):
        say(conv, "https-redirect-status-code", warning, "kong/invalid-value",
            f"{value!r} is not a redirect status Gateway API can send "
            f"({', '.join(map(str, REDIRECT_CODES))}); plain-HTTP requests get no redirect")


def _https_redirect(conv: Conversion, ctx: Context, forced: bool) -> None:
    code = parse_int(ann(conv, "https-redirect-status-code"))
    if code is None and forced:
        code = 302  # KIC: force-ssl-redirect means https + 302 unless the code is set
    if code not in REDIRECT_CODES:
        say(conv, "protocols", info, "kong/https-only",
            "HTTPS only: Kong answered plain-HTTP requests with 426 Upgrade Required; the routes "
            "are not attached to HTTP listeners, so those requests get 404 (set "
            f"{key('https-redirect-status-code')} to 301/302/307/308 for a redirect)")
        return
    extra = []
    for route in conv.routes:
        if route.kind != "HTTPRoute" or route.suffix.endswith("redirect"):
            continue
        rules = []
        for rule in route.rules:
            new = copy.deepcopy(rule)
            make_redirect_rule(new, {"scheme": "https", "statusCode": code})
            rules.append(new)
        suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
        hosts: list[str | None] = list(route.hostnames) or [None]
        extra.append(Route("HTTPRoute", suffix, list(route.hostnames), rules,
                           [ListenerKey(h, HTTP) for h in hosts], source=route.source))
    conv.routes.extend(extra)


def _to_grpc(conv: Conversion, route: Route) -> None:
    """GRPCRoute matches services/methods, not paths: keep header matches, drop paths."""
    paths = sorted({m.path or "/" for r in route.rules for m in r.matches})
    sets = {tuple(sorted((b.name, b.port or 0) for b in r.backends)) for r in route.rules}
    if len(sets) > 1:
        _block(conv, "protocols", "kong/grpc-paths",
               "paths of a gRPC Ingress lead to different backends, and GRPCRoute cannot "
               "match paths")
        return
    if paths != ["/"]:
        say(conv, "protocols", warning, "kong/grpc-paths-dropped",
            f"GRPCRoute has no path match: paths {paths} now match every gRPC method")
    for rule in route.rules:
        rule.matches = [Match(None, None, m.headers, [], None) for m in rule.matches
                        if m.headers] or []
        rule.timeouts = rule.retry = None
        bad = [f["type"] for f in rule.filters if f.get("type") not in (
            "RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef")]
        if bad:
            _block(conv, "protocols", "kong/grpc-filter-unsupported",
                   f"GRPCRoute cannot carry {bad} filters")
    route.kind = "GRPCRoute"


# --- path and host rewriting ---------------------------------------------------------------


def rewrite_paths(conv: Conversion, ctx: Context, service_paths: dict[str, str]) -> None:
    """strip-path, the Service's konghq.com/path and konghq.com/rewrite as one URLRewrite."""
    strip = parse_bool(ann(conv, "strip-path")) is True
    rewrite = ann(conv, "rewrite")
    for rule in backend_rules(conv):
        svc_paths = {service_paths.get(b.name, "") for b in rule.backends}
        if len(svc_paths) > 1:
            _block(conv, "strip-path", "kong/service-path-mixed",
                   "backends of one rule have different konghq.com/path values")
            return
        sp = svc_paths.pop() if svc_paths else ""
        if rewrite is not None:
            if "$" in rewrite:
                _block(conv, "rewrite", "kong/rewrite-captures",
                       f"{rewrite!r} uses regex captures; HTTPRoute URLRewrite replaces with "
                       "literals only")
                return
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                       "replaceFullPath": rewrite or "/"}})
            continue
        if not strip and not sp:
            continue
        kinds = {m.path_type for m in rule.matches}
        if kinds - {"PathPrefix", "Exact"}:
            _block(conv, "strip-path", "kong/strip-path-regex",
                   "stripping or prefixing the path of a regex match has no HTTPRoute form")
            return
        results = set()
        for m in rule.matches:
            rest = "" if strip else (m.path or "/")
            value = (sp.rstrip("/") + rest) if sp else rest
            results.add((m.path_type, value or "/"))
        if len(results) != 1:
            _block(conv, "strip-path", "kong/strip-path-mixed",
                   "the rule's matches would need different path rewrites")
            return
        kind, value = results.pop()
        if kind == "Exact":
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                       "replaceFullPath": value}})
        elif value != rule.matches[0].path:
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                       "replacePrefixMatch": value}})


def strip_path(value: str, conv: Conversion, ctx: Context) -> None:
    if parse_bool(value) is None:
        say(conv, "strip-path", warning, "kong/invalid-value", f"{value!r} is not a boolean")


def rewrite(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by rewrite_paths."""


def set_host(conv: Conversion, ctx: Context, service_hosts: dict[str, str]) -> None:
    """host-header (Ingress or Service) and preserve-host: false -> URLRewrite hostname."""
    own = ann(conv, "host-header")
    preserve = parse_bool(ann(conv, "preserve-host"))
    approximated = False
    for rule in backend_rules(conv):
        if has_filter(rule, "RequestRedirect"):
            continue
        hosts = {service_hosts.get(b.name) for b in rule.backends}
        host = own or (hosts.pop() if len(hosts) == 1 else None)
        if host is None and preserve is False and len({b.name for b in rule.backends}) == 1:
            b = rule.backends[0]
            ns = ctx.namespace_of(conv.source.namespace)
            host = f"{b.name}.{ns}.svc" if ns else b.name
            approximated = True
        if host:
            if not _HOST.match(host.lower()) or host.startswith("*"):
                say(conv, "host-header", warning, "kong/invalid-value",
                    f"{host!r} is not a valid hostname; the Host header is not rewritten")
                continue
            merge_filter(rule, "URLRewrite", {"hostname": host.lower()})
    if approximated:
        say(conv, "preserve-host", warning, "kong/preserve-host-approximated",
            "Kong sent its upstream name as Host; the routes rewrite Host to "
            "<service>.<namespace>.svc instead")


def preserve_host(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by set_host."""


def host_header(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by set_host."""
