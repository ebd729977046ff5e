"""backend-protocol (GRPCRoute, BackendTLSPolicy), proxy-ssl-*, upstream-vhost, mirror-target,
custom-headers, server-alias, ssl-passthrough."""

from __future__ import annotations

import re
from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import add_host_aliases
from gwshift.handlers._values import parse_csv
from gwshift.handlers.nginx._common import (
    ann,
    backend_rules,
    fail_closed,
    field,
    key,
    merge_filter,
    rules,
    say,
    service_url,
    set_header,
    source_hosts,
)
from gwshift.intents import BackendTLS, Intent, Provenance
from gwshift.model import BackendRef, Conversion, ListenerKey, Match, Route, Rule
from gwshift.notes import error, info, warning

PROTOCOLS = ("HTTP", "HTTPS", "AUTO_HTTP", "GRPC", "GRPCS", "FCGI")
GRPC_FILTERS = ("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "ExtensionRef")
_HOSTNAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


# --- backend-protocol + proxy-ssl-* -----------------------------------------------------


def backend_protocol(value: str, conv: Conversion, ctx: Context) -> None:
    proto = value.strip().upper()
    if proto not in PROTOCOLS or proto == "FCGI":
        conv.block(error("nginx/backend-protocol-unsupported",
                         f"backend-protocol {value!r} has no Gateway API form; the Ingress is "
                         "kept", field=field(ctx, "backend-protocol")))
        return
    if proto in ("HTTPS", "GRPCS"):
        backend_tls(conv, ctx)
    if proto in ("GRPC", "GRPCS"):
        to_grpc(conv, ctx)


UNVERIFIED = ("nginx speaks TLS to the backend without verifying it (proxy-ssl-verify is "
              "off); Gateway API BackendTLSPolicy always verifies, so set proxy-ssl-verify "
              "on with proxy-ssl-secret (CA) and proxy-ssl-name, or add "
              "implementation-specific backend TLS yourself")


def backend_tls(conv: Conversion, ctx: Context) -> None:
    """A BackendTLS intent per Service; nginx verifies nothing unless proxy-ssl-verify is on.

    ``proxy-ssl-verify: on`` without ``proxy-ssl-secret`` is a no-op in ingress-nginx (the
    proxyssl annotation parser needs the secret's CA; without it no proxy_ssl_* directive is
    written), so the backend TLS is unverified, not verified against system CAs.
    """
    secret = ann(conv, ctx, "proxy-ssl-secret")
    asked = (ann(conv, ctx, "proxy-ssl-verify") or "off").strip().lower() == "on"
    verify = asked and bool(secret and secret.strip())
    if asked and not verify:
        say(conv, ctx, "proxy-ssl-verify", warning, "nginx/backend-tls-verify-without-secret",
            "proxy-ssl-verify is on without proxy-ssl-secret: nginx ignores it (no CA to "
            "verify with), so the backend TLS was unverified")
    name = ann(conv, ctx, "proxy-ssl-name")
    by = Provenance(key(ctx, "backend-protocol"), field(ctx, "backend-protocol"),
                    "nginx/backend-tls-unverified", UNVERIFIED)
    ca = secret.rpartition("/")[2] if secret and verify else None
    if ca and secret:
        say(conv, ctx, "proxy-ssl-secret", warning, "nginx/backend-tls-ca-configmap",
            f"BackendTLSPolicy refers to ConfigMap {ca!r} (key ca.crt) in the Ingress "
            f"namespace: create it from Secret {secret!r}; a client certificate in that Secret "
            "must go to Gateway spec.tls.backend.clientCertificateRef")
    ports: dict[str, set[int]] = {}
    for r in rules(conv):
        for b in r.backends:
            if b.kind == "Service" and not b.group:
                ports.setdefault(b.name, set()).update([b.port] if b.port else [])
    intents: list[Intent] = []
    if not verify:  # one intent says it: the Ingress is kept whatever its Services
        intents.append(BackendTLS(next(iter(sorted(ports)), ""), None, None, None, False, None, by))
    for svc in sorted(ports) if verify else ():
        host = name or f"{svc}.{ctx.namespace_of(conv.source.namespace) or 'default'}.svc"
        if not name:
            say(conv, ctx, "proxy-ssl-verify", warning, "nginx/backend-tls-hostname",
                f"no proxy-ssl-name: BackendTLSPolicy verifies {svc!r} as {host!r}")
        sections = _sections(conv, ctx, svc, ports[svc])
        port = next(iter(ports[svc])) if len(ports[svc]) == 1 else None
        intents.append(BackendTLS(svc, port, host.lower(), ca, True, None, by, sections))
    for route in conv.routes:
        route.intents.extend(intents)


def _sections(conv: Conversion, ctx: Context, svc: str, ports: set[int]) -> tuple[str, ...]:
    """One targetRef per Service port name, so other ports of the Service stay plain HTTP."""
    found = ctx.find_service(conv.source.namespace, svc)
    spec = found.get("spec") if isinstance(found, dict) else None
    named = {p.get("port"): p.get("name") for p in (spec or {}).get("ports") or []
             if isinstance(p, dict)}
    names = sorted({str(named[p]) for p in ports if named.get(p)})
    if not ports or len(names) != len(ports):
        conv.note(info("nginx/backend-tls-whole-service",
                       f"BackendTLSPolicy targets every port of Service {svc!r} (port names not "
                       "known from the input): plain-HTTP routes to its other ports would use TLS"))
        return ()
    return tuple(names)


def proxy_ssl(name: str) -> Any:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        proto = (ann(conv, ctx, "backend-protocol") or "HTTP").strip().upper()
        if proto not in ("HTTPS", "GRPCS"):
            say(conv, ctx, name, info, "nginx/proxy-ssl-without-https",
                "ignored, as by nginx: backend-protocol is not HTTPS/GRPCS")
        elif name == "proxy-ssl-server-name" and value.strip().lower() != "on":
            say(conv, ctx, name, info, "nginx/backend-tls-sni",
                "BackendTLSPolicy always sends SNI (validation.hostname)")

    return apply


_GRPC_PATH = re.compile(r"^/(?P<service>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
                        r"(?:/(?P<method>[A-Za-z_][A-Za-z0-9_]*))?/?$")


def to_grpc(conv: Conversion, ctx: Context) -> None:
    """GRPCRoute matches services/methods, not paths: gRPC paths (/pkg.Service[/Method])
    become method matches; other paths route every method to one backend set."""
    for route in conv.routes:
        if route.kind != "HTTPRoute":
            continue
        if _method_rules(route):
            route.kind = "GRPCRoute"
            continue
        sets = {tuple(sorted((b.name, b.port or 0) for b in r.backends)) for r in route.rules}
        paths = sorted({m.path or "/" for r in route.rules for m in r.matches})
        if len(sets) > 1:
            conv.block(error("nginx/grpc-paths", "paths of a gRPC Ingress lead to different "
                             "backends; GRPCRoute cannot match paths; the Ingress is kept",
                             field=field(ctx, "backend-protocol")))
            return
        if paths != ["/"]:
            say(conv, ctx, "backend-protocol", warning, "nginx/grpc-paths-dropped",
                f"GRPCRoute has no path match: paths {paths} now route every gRPC method")
        first = route.rules[0]
        first.matches = []
        route.rules = [first]
        route.kind = "GRPCRoute"


def _method_rules(route: Route) -> bool:
    """Every rule's path is a gRPC service or method path (``/` too, as the catch-all):
    each becomes a GRPCRoute method match (type Exact), the catch-all a rule without match."""
    parsed: list[tuple[Match, re.Match[str] | None]] = []
    for r in route.rules:
        for m in r.matches:
            if (m.path or "/") == "/":
                parsed.append((m, None))
                continue
            found = _GRPC_PATH.match(m.path or "")
            # A package-qualified service or a method: "/x" alone is more likely a plain path.
            if (found is None or m.path_type not in ("PathPrefix", "Exact")
                    or ("." not in found["service"] and not found["method"])):
                return False
            parsed.append((m, found))
    if all(found is None for _, found in parsed):
        return False
    for m, found in parsed:
        if found is None:
            m.path_type, m.path = None, None
            continue
        m.path_type = "GRPCMethod"
        m.path = found["service"] + ("/" + found["method"] if found["method"] else "")
    return True


def check_grpc_hosts(convs: list[Conversion], ctx: Context) -> None:
    """Gateway API (GRPCRoute, "Cross-serving"): an implementation must not accept an
    HTTPRoute and a GRPCRoute for the same hostname (one of them is rejected). nginx served
    both from one server block; the gRPC Ingress is kept (its backends need HTTP/2, which a
    plain HTTPRoute would not speak without appProtocol on the Service)."""
    kinds: dict[tuple[str | None, str], set[str]] = {}
    for conv in convs:
        if conv.blocked:
            continue
        for route in conv.routes:
            for h in route.hostnames:
                kinds.setdefault((conv.ingress_class, h), set()).add(route.kind)
    for conv in convs:
        if conv.blocked:
            continue
        clash = sorted(h for route in conv.routes if route.kind == "GRPCRoute"
                       for h in route.hostnames
                       if "HTTPRoute" in kinds.get((conv.ingress_class, h), set()))
        if clash:
            conv.block(error("nginx/grpc-http-same-host",
                             f"host {clash[0]} is also served by an HTTPRoute: Gateway API "
                             "rejects a GRPCRoute and an HTTPRoute on one hostname; the gRPC "
                             "Ingress is kept", field=field(ctx, "backend-protocol")))


def check_grpc(conv: Conversion, ctx: Context) -> None:
    """After all handlers: filters/timeouts that GRPCRoute rules do not have."""
    for route in conv.routes:
        if route.kind != "GRPCRoute":
            continue
        for rule in route.rules:
            bad = [f["type"] for f in rule.filters if f.get("type") not in GRPC_FILTERS]
            if bad:
                conv.block(error("nginx/grpc-filter-unsupported",
                                 f"GRPCRoute cannot carry {bad} filters; the Ingress is kept",
                                 field=field(ctx, "backend-protocol")))
            if rule.timeouts or rule.retry:
                rule.timeouts = rule.retry = None
                say(conv, ctx, "backend-protocol", warning, "nginx/grpc-timeouts-dropped",
                    "GRPCRoute rules have no timeouts/retry; dropped")


# --- upstream-vhost, custom-headers, mirror-target ---------------------------------------


def upstream_vhost(value: str, conv: Conversion, ctx: Context) -> None:
    host = value.strip().lower()
    if not _HOSTNAME.match(host):
        conv.block(error("nginx/upstream-vhost-unsupported",
                         f"{value!r} is not a plain hostname (ports and nginx variables cannot "
                         "be expressed by URLRewrite.hostname); the Ingress is kept",
                         field=field(ctx, "upstream-vhost")))
        return
    for rule in backend_rules(conv):
        merge_filter(rule, "URLRewrite", {"hostname": host})


def custom_headers(value: str, conv: Conversion, ctx: Context) -> None:
    """ConfigMap data -> response headers (often security headers: fail closed if missing)."""
    ns, _, name = value.strip().rpartition("/")
    cm = ctx.find_configmap(ns or conv.source.namespace, name)
    data = cm.get("data") if isinstance(cm, dict) else None
    if not isinstance(data, dict):
        fail_closed(conv, ctx, "custom-headers", "nginx/custom-headers-configmap-missing",
                    f"ConfigMap {value!r} with the response headers is not in the input")
        return
    if len(data) > 16:
        fail_closed(conv, ctx, "custom-headers", "nginx/custom-headers-too-many",
                    f"{len(data)} headers; ResponseHeaderModifier sets at most 16")
        return
    for rule in rules(conv):
        for hname, hval in data.items():
            set_header(rule, "ResponseHeaderModifier", str(hname), str(hval))
    say(conv, ctx, "custom-headers", info, "nginx/custom-headers-static",
        "headers copied from the ConfigMap at conversion time; later ConfigMap edits do not "
        "apply")


def mirror_target(value: str, conv: Conversion, ctx: Context) -> None:
    """Only in-cluster Services (``http://svc[.ns[.svc...]][:port][$request_uri]``) convert."""
    url = value.removesuffix("$request_uri")
    target = service_url(url)
    if target is None or target.path not in ("", "/"):
        say(conv, ctx, "mirror-target", warning, "nginx/mirror-target-unsupported",
            f"{value!r} is not an in-cluster Service URL; mirroring dropped")
        return
    ref = BackendRef(name=target.name, port=target.port)
    if target.namespace and target.namespace != ctx.namespace_of(conv.source.namespace):
        ref.namespace = target.namespace
        say(conv, ctx, "mirror-target", warning, "nginx/mirror-cross-namespace",
            f"mirror Service in namespace {target.namespace!r} needs a ReferenceGrant there")
    for rule in backend_rules(conv):
        rule.filters.append({"type": "RequestMirror", "requestMirror": {"backendRef": ref.to_dict()}})


# --- server-alias, ssl-passthrough ----------------------------------------------------------


def server_alias(value: str, conv: Conversion, ctx: Context) -> None:
    from gwshift.convert import host_problem  # the Gateway API Hostname rule, checked on every run

    taken = {h for c in ctx.conversions if ctx.same_group(c, conv) for h in source_hosts(c)}
    aliases = [a.lower() for a in parse_csv(value) if a.lower() not in taken]
    bad = [a for a in aliases if host_problem(a)]
    if bad:
        # nginx takes regexes and odd names in server_name; an HTTPRoute hostname that breaks
        # the CRD pattern would make the whole route invalid, so only those aliases are dropped.
        say(conv, ctx, "server-alias", warning, "nginx/server-alias-invalid",
            f"aliases {bad} are not Gateway API hostnames (DNS names, optional '*.'); "
            "they are not served")
        aliases = [a for a in aliases if a not in bad]
    add_host_aliases(conv, ctx, aliases)
    if aliases:
        say(conv, ctx, "server-alias", info, "nginx/server-alias-own-paths",
            "aliases get this Ingress's paths; nginx also served other Ingresses' paths of the "
            "same host under them")


def ssl_passthrough(value: str, conv: Conversion, ctx: Context) -> None:
    """Handled before the other handlers (see ``__init__``)."""


def apply_passthrough(conv: Conversion, ctx: Context) -> None:
    """TLSRoute (one rule) per route: the backend of ``/`` (or the first path) of the host."""
    for route in conv.routes:
        if not route.hostnames:
            conv.block(error("nginx/ssl-passthrough-no-host",
                             "ssl-passthrough needs a host (SNI); the Ingress is kept",
                             field=field(ctx, "ssl-passthrough")))
            return
        root = [r for r in route.rules if any(m.path == "/" for m in r.matches)]
        chosen = (root or route.rules)[0]
        route.kind = "TLSRoute"
        route.rules = [Rule([], chosen.backends, chosen.source)]
        route.listeners = [ListenerKey(h, "TLS") for h in route.hostnames]
    say(conv, ctx, "ssl-passthrough", info, "nginx/ssl-passthrough",
        "TLS passthrough: paths and every other annotation of this Ingress no longer apply")

