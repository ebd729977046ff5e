"""Kong Ingress Controller (3.x) on Kong Gateway 3.x (router_flavor traditional_compatible).

Every rule names where it comes from:
- KIC ``internal/dataplane/translator/subtranslator/ingress.go PathsFromIngressPaths``:
  Prefix ``/p`` is the prefix ``/p/`` plus the regex ``~/p$`` (``/`` stays ``/``); Exact is
  the regex ``~/p$`` (the path is not escaped); ImplementationSpecific is the path as
  written, a regex when it starts with ``/~`` (``konghq.com/regex-prefix``); a rule without
  host matches any host; ``defaultBackend`` is a host-less ``/`` route.
- KIC route annotations (``internal/annotations``): ``konghq.com/methods``,
  ``headers.<name>`` (values comma-separated), ``protocols`` (an HTTP request to an
  HTTPS-only route is answered ``https-redirect-status-code``, default 426),
  ``strip-path`` (default false), ``preserve-host`` (default true), ``regex-priority``,
  ``host-aliases``, ``plugins``; Service annotation ``konghq.com/path`` (upstream path
  prefix).
- Kong ``kong/router/transform.lua get_priority`` and ``split_routes_and_services_by_path``:
  a route's paths are split into one route per prefix length and one for its regexes;
  the routes are tried by a 64-bit priority: match weight (one point each for methods,
  hosts, headers, paths, snis), plain hosts only (no ``*``), header count, a regex bit,
  regex_priority (regex routes only), the prefix length; equal priorities: undefined.
  Hosts compare case-insensitively, ``*.x`` matches any subdomain; prefix paths are string
  prefixes; regex paths are anchored at the start; header values case-insensitive.
- strip_path: the matched part (prefix, or the whole regex match) is removed; the
  Service's path is prepended (``path_handling`` v0).
- KongPlugin (``konghq.com/plugins``): authentication plugins (``key-auth``,
  ``basic-auth``, ``jwt``, ``oauth2``, ``hmac-auth``, ``ldap-auth``, ``openid-connect``)
  answer 401 without credentials, ``ip-restriction`` 403 outside ``allow`` / inside ``deny``,
  ``request-termination`` its ``status_code``; plugins that change neither the target nor
  access (cors, rate-limiting, response-transformer, logging ...) are neutral; others are
  not modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gwshift.verify import objects as o
from gwshift.verify.router import SourceRoute, SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

PREFIX = "konghq.com/"
REGEX_PREFIX = "/~"
AUTH_PLUGINS = frozenset({"key-auth", "basic-auth", "jwt", "oauth2", "hmac-auth", "ldap-auth",
                          "openid-connect", "key-auth-enc", "ldap-auth-advanced", "mtls-auth"})
NEUTRAL_PLUGINS = frozenset({
    "cors", "rate-limiting", "rate-limiting-advanced", "response-transformer",
    "response-ratelimiting", "correlation-id", "prometheus", "file-log", "http-log", "tcp-log",
    "udp-log", "syslog", "statsd", "datadog", "zipkin", "opentelemetry", "request-size-limiting",
    "bot-detection", "proxy-cache", "session", "response-transformer-advanced",
})
DISABLED_NOTE = "disabled"
DEFAULT_CERT = "Kong answers HTTPS for this host with its default certificate"
SERVICE_HOST = "<service host>"  # preserve_host false: Kong sends the upstream's host


@dataclass
class Plugin:
    ref: Ref
    name: str
    config: o.Obj
    disabled: bool


@dataclass
class KongRoute:
    ref: Ref
    hosts: list[str]
    paths: list[str]  # Kong paths: prefixes, or "~regex"
    methods: list[str]
    headers: dict[str, list[str]]
    protocols: set[str]
    redirect_code: int
    strip: bool
    preserve_host: bool
    regex_priority: int
    plugins: list[Plugin | str]
    backend: str | None
    service_path: str = ""


def kong_paths(path: str, ptype: str) -> list[str]:
    """``PathsFromIngressPaths`` (with the ``/~`` regex prefix of ImplementationSpecific)."""
    if ptype == "Prefix":
        base = path.strip("/")
        return ["/"] if not base else [f"/{base}/", f"~/{base}$"]
    if ptype == "Exact":
        return [f"~/{path.lstrip('/')}$"]
    if not path:
        return ["/"]
    if path.startswith(REGEX_PREFIX):
        return ["~" + path[len(REGEX_PREFIX):]]
    return [path]


def priority(r: KongRoute, paths: list[str]) -> tuple[int, ...]:
    """``get_priority`` as a tuple (compared like the 64-bit value, highest first)."""
    weight = sum(1 for f in (r.methods, r.hosts, r.headers, paths) if f)
    plain = 1 if r.hosts and not any("*" in h for h in r.hosts) else 0
    regex = bool(paths) and paths[0].startswith("~")
    length = 0 if regex or not paths else len(paths[0])
    return (weight, plain, len(r.headers), int(regex), r.regex_priority if regex else 0, length)


def host_matches(pattern: str, host: str) -> bool:
    pattern = pattern.lower()
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    if pattern.endswith(".*"):
        return host.startswith(pattern[:-1])
    return host == pattern


def _path_match(p: str, path: str) -> tuple[bool, str] | str:
    """(matches, the matched part) or why not modelled."""
    if p.startswith("~"):
        rx = o.safe_regex(p[1:])
        if rx is None:
            return f"regex path {p[1:]!r} is not modelled"
        m = rx.match(path)
        return (m is not None, m.group(0) if m else "")
    return (path.startswith(p), p)


def _plugin_verdict(pl: Plugin, req: Request, by: tuple[Ref, ...]) -> Verdict | None | str:
    if pl.disabled:
        return None
    if pl.name in AUTH_PLUGINS:
        return status(401, pl.name, by)
    if pl.name == "ip-restriction":
        allow, deny = o.strs(pl.config.get("allow")), o.strs(pl.config.get("deny"))
        if (allow and not o.in_cidrs(req.client, allow)) or (deny and o.in_cidrs(req.client, deny)):
            code = pl.config.get("status")
            return status(code if isinstance(code, int) else 403, "ip-restriction", by)
        return None
    if pl.name == "request-termination":
        code = pl.config.get("status_code")
        return status(code if isinstance(code, int) else 503, "request-termination", by)
    if pl.name in NEUTRAL_PLUGINS:
        return None
    return f"KongPlugin {pl.ref.name} ({pl.name}) is not modelled"


def _make(r: KongRoute, paths: list[str]) -> SourceRoute:
    by = (r.ref,)

    def match(req: Request) -> bool | str:
        if r.hosts and not any(host_matches(h, req.host) for h in r.hosts):
            return False
        if r.methods and req.method not in r.methods:
            return False
        for name, values in r.headers.items():
            got = req.header(name)
            if got is None or got.lower() not in [v.lower() for v in values]:
                return False
        if not paths:
            return True
        for p in paths:
            m = _path_match(p, req.path)
            if isinstance(m, str):
                return m
            if m[0]:
                return True
        return False

    def handle(req: Request) -> Verdict:
        # runloop/handler.lua: the protocol is checked after routing
        if req.scheme == "http" and "https" in r.protocols and "http" not in r.protocols:
            if r.redirect_code in (301, 302, 307, 308):
                return redirect(r.redirect_code, f"https://{req.host}{req.uri}", by)
            return status(426, "Please use HTTPS protocol", by)
        if r.protocols & {"grpc", "grpcs"}:
            return unknown("gRPC route: the probes are not gRPC calls (Kong answers 415)", by)
        for pl in r.plugins:
            if isinstance(pl, str):
                return unknown(pl, by)
            v = _plugin_verdict(pl, req, by)
            if isinstance(v, str):
                return unknown(v, by)
            if v is not None:
                return v
        if r.backend is None:
            return status(503, "no service", by)
        prefix = "/"
        for p in paths:
            m = _path_match(p, req.path)
            if isinstance(m, tuple) and m[0]:
                prefix = m[1] or "/"
                break
        upstream = upstream_uri(r.strip, _sanitize(req.path[len(prefix):]), req.path,
                                r.service_path or "/")
        headers = {} if r.preserve_host else {"host": SERVICE_HOST}
        return backend({r.backend: 1.0}, upstream + (f"?{req.query}" if req.query else ""),
                       by, headers)

    # Kong matches a route on every protocol it lists, and an HTTPS-only route also "matches"
    # HTTP requests to answer them with the redirect / 426.
    rank = tuple(-x for x in priority(r, paths))
    return SourceRoute(r.ref, match, rank, frozenset({"http", "https"}), handle, tuple(r.hosts),
                       describe=f"{r.hosts} {paths}", rank=rank)


def _sanitize(postfix: str) -> str:
    """``kong/router/utils.lua sanitize_uri_postfix``."""
    if postfix in (".", ".."):
        return ""
    for head in ("./", "../"):
        if postfix.startswith(head):
            return postfix[len(head):]
    return postfix


def upstream_uri(strip: bool, postfix: str, req_uri: str, base: str) -> str:
    """``kong/router/utils.lua get_upstream_uri_v0`` (path_handling v0, KIC's default)."""
    if base.endswith("/"):
        if strip:
            if postfix == "":
                if base == "/":
                    return "/"
                return base if req_uri.endswith("/") else base[:-1]
            if postfix.startswith("/"):
                return base[:-1] + postfix
            return base + postfix
        return base + req_uri[1:]
    if strip:
        if postfix == "":
            return base + "/" if len(req_uri) > 1 and req_uri.endswith("/") else base
        if postfix.startswith("/"):
            return base + postfix
        return base + "/" + postfix
    return base if req_uri == "/" else base + req_uri


def _csv(v: str) -> list[str]:
    return [x.strip() for x in v.split(",") if x.strip()]


def _plugins(objs: list[o.Obj], ns: str) -> dict[tuple[str, str], Plugin]:
    out: dict[tuple[str, str], Plugin] = {}
    for obj in objs:
        k = o.kind(obj)
        if k in ("KongPlugin", "KongClusterPlugin") and o.group(obj) == "configuration.konghq.com":
            pns = "" if k == "KongClusterPlugin" else o.namespace(obj, ns)
            cfg = obj.get("config")
            out[(pns, o.name(obj))] = Plugin(Ref(k, pns, o.name(obj)), str(obj.get("plugin") or ""),
                                             cfg if isinstance(cfg, dict) else {},
                                             obj.get("disabled") is True)
    return out


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str) -> SourceWorld:
    from gwshift.verify.nginx import _service_ref

    ports: dict[tuple[str, str, str], int] = {}
    svc_ann: dict[tuple[str, str], dict[str, str]] = {}
    for obj in objs:
        if o.kind(obj) == "Service":
            sns = o.namespace(obj, default_ns)
            svc_ann[(sns, o.name(obj))] = o.annotations_of(obj)
            for p in o.dicts(o.spec(obj).get("ports")):
                if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                    ports[(sns, o.name(obj), p["name"])] = p["port"]
    plugins = _plugins(objs, default_ns)
    world = SourceWorld(cls, "kong", https_default=DEFAULT_CERT)
    for obj in sorted(ingresses, key=lambda x: (o.namespace(x, default_ns), o.name(x))):
        ns = o.namespace(obj, default_ns)
        ref = Ref("Ingress", ns, o.name(obj))
        ann = {k[len(PREFIX):]: v for k, v in o.annotations_of(obj).items() if k.startswith(PREFIX)}
        protocols = set(_csv(ann.get("protocols", ""))) or {"http", "https"}
        try:
            code = int(ann.get("https-redirect-status-code", "426").strip())
        except ValueError:
            code = 426
        try:
            rprio = int(ann.get("regex-priority", "0").strip())
        except ValueError:
            rprio = 0
        headers = {k[len("headers."):].lower(): _csv(v) for k, v in ann.items()
                   if k.startswith("headers.")}
        pls: list[Plugin | str] = []
        for name in _csv(ann.get("plugins", "")):
            pl = plugins.get((ns, name)) or plugins.get(("", name))
            pls.append(pl if pl else f"KongPlugin {name!r} is not in BEFORE")
        aliases = [h.lower() for h in _csv(ann.get("host-aliases", ""))]
        sp = o.spec(obj)
        for t in o.dicts(sp.get("tls")):
            for h in o.strs(t.get("hosts")):
                world.https_known.add(h.lower(), True)
        entries: list[tuple[list[str], str, str, object]] = []  # (hosts, path, type, backend)
        for rule in o.dicts(sp.get("rules")):
            host = o.text(rule, "host").lower()
            hosts = [host, *aliases] if host else []
            for p in o.dicts(o.sub(rule, "http").get("paths")):
                raw = str(p["path"]) if isinstance(p.get("path"), str) else ""
                entries.append((hosts, raw, o.text(p, "pathType", "ImplementationSpecific"),
                                p.get("backend")))
        db = sp.get("defaultBackend", sp.get("backend"))
        if isinstance(db, dict):
            entries.append(([], "/", "ImplementationSpecific", db))
        for hosts, raw, ptype, b in entries:
            svc = _service_ref(b, ns, ports)
            if not protocols & {"http", "https", "grpc", "grpcs"}:
                continue  # stream routes (tcp, tls, udp): not on the HTTP router
            sname = svc.partition("/")[2].partition(":")[0] if svc else ""
            sa = svc_ann.get((ns, sname), {})
            route = KongRoute(ref, hosts, kong_paths(raw, ptype),
                              [m.upper() for m in _csv(ann.get("methods", ""))], headers,
                              protocols, code,
                              ann.get("strip-path", "false").strip().lower() == "true",
                              ann.get("preserve-host", "true").strip().lower() != "false",
                              rprio, pls, svc, sa.get(PREFIX + "path", ""))
            groups: dict[object, list[str]] = {}
            for kp in route.paths:  # split_routes_and_services_by_path
                groups.setdefault(True if kp.startswith("~") else len(kp), []).append(kp)
            for paths in groups.values():
                world.routes.append(_make(route, paths))
            for seed_host in list[str | None](hosts) or [None]:
                for concrete in ([f"w1{seed_host[1:]}", f"w2.w1{seed_host[1:]}"]
                                 if seed_host and seed_host.startswith("*.") else [seed_host]):
                    s = world.seed(concrete)
                    s.paths.add("/")
                    for kp in route.paths:
                        s.paths.add(path_seed(_literal(kp)))
                    for name, values in headers.items():
                        for v in values:
                            s.headers.add(((name, v),))
                    s.methods.update(route.methods)
                    for item in pls:
                        if isinstance(item, Plugin) and item.name == "ip-restriction":
                            pl = item
                            for cidr in o.strs(pl.config.get("allow")) + o.strs(pl.config.get("deny")):
                                inside = o.first_address(cidr)
                                if inside:
                                    s.clients.add(inside)
    world.finish()
    return world


_META = re.compile(r"[()\[\]{}*+?|^$\\.]")


def _literal(kong_path: str) -> str:
    if not kong_path.startswith("~"):
        return kong_path
    body = kong_path[1:].lstrip("^")
    cut = _META.search(body)
    return body if cut is None else body[: cut.start()]


# -- TCPIngress / UDPIngress (stream routes) ------------------------------------------------

@dataclass
class L4Rule:
    ref: Ref
    proto: str  # "tcp" (port only), "tls" (SNI; Kong terminates), "udp"
    port: int
    sni: str  # "" for port-only rules
    backend: str


OTHER_SNI = "unlisted-sni.example.net"


def l4_rules(objs: list[o.Obj], default_ns: str) -> list[L4Rule]:
    """KIC ``translate_tcpingress.go`` / ``translate_udpingress.go``: one stream route per
    rule, matched by destination port, and by SNI when the rule names a host (Kong
    terminates that TLS: TCPIngress cannot pass it through). Classes are not checked: a
    TCPIngress is Kong's by kind."""
    out: list[L4Rule] = []
    for obj in objs:
        k = o.kind(obj)
        if k not in ("TCPIngress", "UDPIngress") or o.group(obj) != "configuration.konghq.com":
            continue
        ns = o.namespace(obj, default_ns)
        ref = Ref(k, ns, o.name(obj))
        for rule in o.dicts(o.spec(obj).get("rules")):
            port, b = rule.get("port"), o.sub(rule, "backend")
            name, bport = b.get("serviceName"), b.get("servicePort")
            if not isinstance(port, int) or not isinstance(name, str):
                continue
            host = o.text(rule, "host").lower()
            proto = "udp" if k == "UDPIngress" else ("tls" if host else "tcp")
            out.append(L4Rule(ref, proto, port, host, f"{ns}/{name}:{bport}"))
    return out


def l4_probes(rules: list[L4Rule]) -> list[Request]:
    """A connection per rule; an SNI rule also with another SNI (no route: closed)."""
    seen: list[Request] = []
    for r in sorted(rules, key=lambda r: (r.port, r.proto, r.sni)):
        probes = [Request(r.proto, r.sni, "/", l4_port=r.port)]
        if r.sni:
            probes.append(Request("tls", OTHER_SNI, "/", l4_port=r.port))
        seen += [p for p in probes if p not in seen]
    return seen


def evaluate_l4(rules: list[L4Rule], req: Request) -> Verdict:
    """``stream_get_priority``: SNI routes before port-only ones; equal routes: undefined."""
    cands = [r for r in rules if r.port == req.l4_port and r.proto == req.scheme
             and (not r.sni or host_matches(r.sni, req.host))]
    if not cands:
        return status(404, "no stream route: connection closed")
    cands.sort(key=lambda r: not r.sni)
    best = cands[0]
    rivals = tuple(r.ref for r in cands[1:] if bool(r.sni) == bool(best.sni)
                   and r.backend != best.backend and r.ref != best.ref)
    v = backend({best.backend: 1.0}, "", (best.ref,))
    return v._replace(rivals=rivals) if rivals else v
