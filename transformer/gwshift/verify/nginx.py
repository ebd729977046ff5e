"""ingress-nginx semantics (controller v1.x), table driven; the generic Ingress model too.

Every rule below names where it comes from in kubernetes/ingress-nginx:
- servers: ``internal/ingress/controller/controller.go`` ``createServers`` (one server per
  host across all Ingresses of the class, hostless rules on the default server ``_``; the
  Ingress that first creates a host gives its ``defaultBackend`` as that host's ``/``; a
  rule-less Ingress with a ``defaultBackend`` configures the catch-all server) and
  ``getBackendServers`` (a path already present is skipped; an explicit ``/`` replaces the
  default-backend ``/``). Ingresses are taken oldest first, then by namespace/name
  (``store.ListIngresses``).
- wildcard hosts: ``template.go buildServerName``: ``*.example.com`` becomes
  ``~^(?<subdomain>[\\w-]+)\\.example\\.com$``: exactly one label.
- locations: ``location.go updateServerLocations`` (Prefix ``/p`` becomes ``location /p/``
  plus ``location = /p``), ``template.go buildLocation`` (Exact ``= /p``; every location of
  a host becomes ``~* "^<path>"`` when one of them uses ``use-regex`` or
  ``rewrite-target``, ``enforceRegexModifier``), regex locations tried first match in
  descending path length (docs ``user-guide/ingress-path-matching.md``).
- nginx location lookup (``ngx_http_core_find_location``): exact, then a prefix location
  ending in ``/`` whose name is the URI plus ``/`` (auto 301, proxy_pass locations), then
  the longest prefix; case-sensitive.
- ``nginx.tmpl`` order inside a server and location: app-root (server level,
  ``return 302``), HTTPS redirect (``$redirect_to_https``: force-ssl-redirect, or
  ssl-redirect and a certificate for the host; ``http-redirect-code`` 308), allowlist /
  denylist (``return 403``), auth (401 without credentials), permanent/temporal redirect
  (``return <code> <url>``, literal), then ``buildProxyPass`` (``rewrite "(?i)<path>"
  <target> break`` unless the target is empty or equals the path).
- canary: ``balancer.lua route_to_alternative_balancer``: header (value / pattern /
  always / never), then cookie (always / never), then weight out of ``canary-weight-total``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwshift.verify import objects as o
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

DEFAULT_SERVER = "_"
HTTP_REDIRECT_CODE = 308  # ConfigMap http-redirect-code default
NGINX_CLASSES = ("nginx",)
NGINX_CONTROLLERS = ("k8s.io/ingress-nginx",)


def _bool(v: str) -> bool | None:
    return {"true": True, "false": False}.get(v.strip().lower())


def _int(v: str) -> int | None:
    try:
        return int(v.strip())
    except ValueError:
        return None


def _cidrs(v: str) -> list[str]:
    return [c.strip() for c in v.split(",") if c.strip()]


def _str(v: str) -> str:
    return v.strip()


# annotation (without prefix) -> (LocationConfig field, parser). Aliases share a field.
ANNOTATIONS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "ssl-redirect": ("ssl_redirect", _bool),
    "force-ssl-redirect": ("force_ssl_redirect", _bool),
    "use-regex": ("use_regex", _bool),
    "rewrite-target": ("rewrite_target", _str),
    "app-root": ("app_root", _str),
    "permanent-redirect": ("permanent_redirect", _str),
    "permanent-redirect-code": ("permanent_redirect_code", _int),
    "temporal-redirect": ("temporal_redirect", _str),
    "temporal-redirect-code": ("temporal_redirect_code", _int),
    "whitelist-source-range": ("allow", _cidrs),
    "allowlist-source-range": ("allow", _cidrs),
    "denylist-source-range": ("deny", _cidrs),
    "auth-type": ("auth_type", _str),
    "auth-url": ("auth_url", _str),
    "from-to-www-redirect": ("www_redirect", _bool),
    "server-alias": ("server_alias", _str),
    "ssl-passthrough": ("ssl_passthrough", _bool),
    "x-forwarded-prefix": ("x_forwarded_prefix", _str),
    "upstream-vhost": ("upstream_vhost", _str),
    "canary": ("canary", _bool),
    "canary-by-header": ("canary_header", _str),
    "canary-by-header-value": ("canary_header_value", _str),
    "canary-by-header-pattern": ("canary_header_pattern", _str),
    "canary-by-cookie": ("canary_cookie", _str),
    "canary-weight": ("canary_weight", _int),
    "canary-weight-total": ("canary_weight_total", _int),
}


@dataclass
class Config:
    """The annotations of one Ingress as its locations see them (defaults: ConfigMap's)."""

    ssl_redirect: bool = True
    force_ssl_redirect: bool = False
    use_regex: bool = False
    rewrite_target: str = ""
    app_root: str = ""
    permanent_redirect: str = ""
    permanent_redirect_code: int | None = None
    temporal_redirect: str = ""
    temporal_redirect_code: int | None = None
    allow: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)
    auth_type: str = ""
    auth_url: str = ""
    www_redirect: bool = False
    server_alias: str = ""
    ssl_passthrough: bool = False
    x_forwarded_prefix: str = ""
    upstream_vhost: str = ""
    canary: bool = False
    canary_header: str = ""
    canary_header_value: str = ""
    canary_header_pattern: str = ""
    canary_cookie: str = ""
    canary_weight: int | None = None
    canary_weight_total: int | None = None

    @property
    def regex(self) -> bool:
        return self.use_regex or bool(self.rewrite_target)

    def redirect(self) -> tuple[int, str] | None:
        """temporal-redirect wins over permanent-redirect (annotations/redirect)."""
        if self.temporal_redirect:
            code = self.temporal_redirect_code
            return (code if code is not None and 300 <= code <= 307 else 302,
                    self.temporal_redirect)
        if self.permanent_redirect:
            code = self.permanent_redirect_code
            return (code if code is not None and 300 <= code <= 308 else 301,
                    self.permanent_redirect)
        return None


def read_config(annotations: dict[str, str], prefix: str, enabled: bool) -> Config:
    if not enabled:
        return Config(ssl_redirect=False)  # the Ingress spec: no HTTPS redirect by itself
    cfg = Config()
    head = prefix.rstrip("/") + "/"
    for key, value in annotations.items():
        if not key.startswith(head):
            continue
        entry = ANNOTATIONS.get(key[len(head):])
        if entry is None:
            continue
        attr, parse = entry
        parsed = parse(value)
        if parsed is not None:
            setattr(cfg, attr, parsed)
    return cfg


@dataclass
class Canary:
    backend: str
    cfg: Config
    ing: Ref


@dataclass
class Location:
    path: str
    path_type: str  # Exact | Prefix | ImplementationSpecific
    ing: Ref
    backend: str | None  # "ns/svc:port"; None: the controller's default backend (404)
    cfg: Config
    is_default: bool = False
    canary: Canary | None = None
    # Same host, path and type in a later Ingress (skipped by getBackendServers); which one
    # nginx keeps depends on creation timestamps when the manifests carry none.
    rivals: list[tuple[Ref, str | None]] = field(default_factory=list)


@dataclass
class Server:
    host: str
    locations: list[Location] = field(default_factory=list)
    cert: bool | None = False  # None: unknown (TLS entry without hosts)
    regex: bool = False
    nginx_locations: list[tuple[str, str, Location]] | None = None  # cache, after build
    app_root: str = ""
    www_to: str = ""  # from-to-www-redirect: this server only redirects to www_to
    www_by: Ref | None = None


@dataclass
class World:
    """One controller instance: the Ingresses of one class."""

    cls: str
    dialect: str  # "nginx" | "generic"
    servers: dict[str, Server] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    ingresses: list[Ingress] = field(default_factory=list)
    # canary backend ("ns/svc:port") -> the canary Ingresses naming it: a Gateway rule that
    # sends traffic there is attributed to them too (their notes may explain it)
    canary_backends: dict[str, list[Ref]] = field(default_factory=dict)
    wildcards: o.HostIndex[Server] = field(default_factory=lambda: o.HostIndex(one_label=True))


@dataclass
class Path:
    host: str  # "" for hostless
    path: str
    path_type: str
    backend: str | None


@dataclass
class Ingress:
    ref: Ref
    obj: o.Obj
    cls: str
    cfg: Config
    paths: list[Path]
    default_backend: str | None
    has_default_backend: bool
    tls: list[tuple[list[str], str]]  # (hosts, secret)
    rule_hosts: list[str]

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (o.created(self.obj), self.ref.namespace, self.ref.name)


def ingress_class(obj: o.Obj, default_class: str) -> str:
    cls = o.spec(obj).get("ingressClassName")
    if isinstance(cls, str) and cls:
        return cls
    ann = o.annotations_of(obj).get("kubernetes.io/ingress.class")
    return ann or default_class


def _service_ref(b: object, ns: str, ports: dict[tuple[str, str, str], int]) -> str | None:
    """``ns/svc:port`` of an Ingress backend (v1 or v1beta1); None for resource backends."""
    if not isinstance(b, dict):
        return None
    svc = b.get("service")
    if isinstance(svc, dict):
        name = svc.get("name")
        port = o.sub(svc, "port")
        pnum, pname = port.get("number"), port.get("name")
    else:
        name, pnum, pname = b.get("serviceName"), b.get("servicePort"), None
        if isinstance(pnum, str) and not pnum.isdigit():
            pnum, pname = None, pnum
    if not isinstance(name, str):
        return None
    if pnum is not None:
        return f"{ns}/{name}:{int(pnum) if str(pnum).isdigit() else pnum}"
    if isinstance(pname, str):
        resolved = ports.get((ns, name, pname))
        return f"{ns}/{name}:{resolved if resolved is not None else pname}"
    return f"{ns}/{name}:?"


def read_ingress(obj: o.Obj, ns: str, cls: str, cfg: Config,
                 ports: dict[tuple[str, str, str], int]) -> Ingress:
    sp = o.spec(obj)
    ref = Ref("Ingress", ns, o.name(obj))
    db = sp.get("defaultBackend", sp.get("backend"))
    paths: list[Path] = []
    hosts: list[str] = []
    for rule in o.dicts(sp.get("rules")):
        host = o.text(rule, "host")
        hosts.append(host.lower())
        http = o.sub(rule, "http")
        for p in o.dicts(http.get("paths")):
            path = o.text(p, "path", "/")
            ptype = o.text(p, "pathType", "ImplementationSpecific")
            paths.append(Path(host.lower(), path, ptype, _service_ref(p.get("backend"), ns, ports)))
    tls = [(list(o.strs(t.get("hosts"))), str(t.get("secretName") or ""))
           for t in o.dicts(sp.get("tls"))]
    return Ingress(ref, obj, cls, cfg, paths, _service_ref(db, ns, ports), isinstance(db, dict),
                   tls, hosts)


def dialect_of(cls: str, forced: str, controllers: dict[str, str]) -> str:
    """nginx, generic (the Ingress spec), or ``unmodelled:<dialect>``: a controller gwshift
    converts with its own dialect (Traefik, Kong, ALB ...) whose matching rules verify does
    not model yet; its probes are not compared (counted as such), never judged by the
    generic model, which would call every dialect feature a difference."""
    if forced == "nginx":
        return "nginx"
    if forced == "none":
        return "generic"
    from gwshift.handlers import DIALECTS

    owner = forced if forced in DIALECTS else None
    controller = controllers.get(cls)
    if owner is None and controller is not None:  # the IngressClass says who serves the class
        owner = next((d.name for d in DIALECTS.values() if controller in d.controllers), None)
        if owner is None:
            return "generic"
    if owner is None:
        owner = next((d.name for d in DIALECTS.values() if cls in d.classes), None)
    if owner == "nginx" or (owner is None and cls in NGINX_CLASSES):
        return "nginx"
    return f"unmodelled:{owner}" if owner else "generic"


def classless_dialect(objs: list[o.Obj], default_class: str, forced: str,
                      prefix: str) -> str | None:
    """How the converter reads class-less Ingresses (``handlers.select_dialect``: without a
    class or default IngressClass, the one dialect whose annotations an Ingress carries):
    nginx, ``unmodelled:<dialects>``, or None (generic) when none of them has one."""
    if forced != "auto" or default_class:
        return None
    from gwshift.handlers import ANNOTATION_PREFIX, DIALECTS

    own = prefix.rstrip("/") + "/"
    found: set[str] = set()
    for obj in objs:
        if o.kind(obj) != "Ingress" or ingress_class(obj, ""):
            continue
        owners = {d.name for key in o.annotations_of(obj) for d in DIALECTS.values()
                  if key in d.keys or key.startswith(
                      tuple(own if p == ANNOTATION_PREFIX else p for p in d.prefixes))}
        if len(owners) == 1:
            found |= owners
    if not found:
        return None
    if found == {"nginx"}:
        return "nginx"
    return "unmodelled:" + ",".join(sorted(found - {"nginx"}))


def build(objs: list[o.Obj], default_ns: str, forced_dialect: str, prefix: str) -> dict[str, World]:
    """One World per Ingress class found in ``objs``."""
    ports: dict[tuple[str, str, str], int] = {}
    controllers: dict[str, str] = {}
    default_class = ""
    for obj in objs:
        k = o.kind(obj)
        if k == "Service":
            ns = o.namespace(obj, default_ns)
            for p in o.dicts(o.spec(obj).get("ports")):
                if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                    ports[(ns, o.name(obj), p["name"])] = p["port"]
        elif k == "IngressClass":
            ctrl = o.spec(obj).get("controller")
            if isinstance(ctrl, str):
                controllers[o.name(obj)] = ctrl
            if o.annotations_of(obj).get("ingressclass.kubernetes.io/is-default-class") == "true":
                default_class = o.name(obj)
    worlds: dict[str, World] = {}
    classless = classless_dialect(objs, default_class, forced_dialect, prefix)
    for obj in objs:
        if o.kind(obj) != "Ingress":
            continue
        cls = ingress_class(obj, default_class)
        world = worlds.get(cls)
        if world is None:
            dialect = dialect_of(cls, forced_dialect, controllers)
            if not cls and classless:
                dialect = classless
            world = worlds[cls] = World(cls, dialect)
        cfg = read_config(o.annotations_of(obj), prefix, world.dialect == "nginx")
        world.ingresses.append(read_ingress(obj, o.namespace(obj, default_ns), cls, cfg, ports))
    for world in worlds.values():
        _servers(world)
    return worlds


def _covers(tls_host: str, host: str) -> bool:
    """``extractTLSSecretName``: the same name (``*.a.com`` covers the server ``*.a.com``),
    else the certificate's names: a wildcard covers one label."""
    return tls_host.lower() == host or o.host_matches(tls_host, host, one_label=True)


def _servers(world: World) -> None:
    ings = sorted(world.ingresses, key=lambda i: i.sort_key)
    primaries = [i for i in ings if not i.cfg.canary]
    servers = world.servers
    root = Location("/", "Prefix", Ref("Controller", "", "default-backend"), None, Config(),
                    is_default=True)
    servers[DEFAULT_SERVER] = Server(DEFAULT_SERVER, [root])
    # createServers: the catch-all server's "/" from a rule-less Ingress. The generic model
    # follows the Ingress spec instead: a defaultBackend handles whatever matches no rule.
    for ing in primaries:
        catch_all = not ing.rule_hosts or world.dialect == "generic"
        if catch_all and ing.has_default_backend and servers[DEFAULT_SERVER].locations[0].ing.kind == "Controller":
            servers[DEFAULT_SERVER].locations[0] = Location(
                "/", "Prefix", ing.ref, ing.default_backend, ing.cfg, is_default=True)
    for ing in primaries:  # createServers: each host's "/" from its first Ingress
        for host in ing.rule_hosts:
            name = host or DEFAULT_SERVER
            if name in servers:
                continue
            db = ing.default_backend if ing.has_default_backend else None
            servers[name] = Server(name, [Location("/", "Prefix", ing.ref, db, ing.cfg,
                                                   is_default=True)])
    for ing in primaries:  # certificates: first Ingress with a rule and a TLS entry for it
        for host in ing.rule_hosts:
            srv = servers[host or DEFAULT_SERVER]
            if srv.cert is True or not host:
                continue
            listed = [hs for hs, _ in ing.tls if any(_covers(h, host) for h in hs)]
            if listed or (ing.tls and world.dialect == "nginx"):
                # createServers: in ingress-nginx a host of an Ingress with a tls section
                # always gets a certificate, its listed/SAN-matching Secret or else the
                # default one ("Using default certificate"): HTTPS, and HTTP redirects.
                srv.cert = True
            elif any(secret for _, secret in ing.tls):
                srv.cert = None  # other controllers: the certificate's SANs decide
    for ing in primaries:  # getBackendServers: locations
        for p in ing.paths:
            srv = servers[p.host or DEFAULT_SERVER]
            _add_location(srv, Location(p.path, p.path_type, ing.ref, p.backend, ing.cfg),
                          world.dialect)
            if ing.cfg.app_root and not srv.app_root:
                srv.app_root = ing.cfg.app_root
    for ing in primaries:
        if ing.cfg.server_alias:
            for alias in ing.cfg.server_alias.replace(",", " ").split():
                for host in ing.rule_hosts:
                    if host and alias.lower() not in servers:
                        world.aliases.setdefault(alias.lower(), host)
        if ing.cfg.www_redirect:
            for host in ing.rule_hosts:
                if not host or host.startswith("*"):
                    continue
                other = host[4:] if host.startswith("www.") else "www." + host
                if other not in servers:
                    servers[other] = Server(other, [], cert=servers[host].cert, www_to=host,
                                            www_by=ing.ref)
    for name in sorted(servers):
        srv = servers[name]
        srv.regex = any(loc.cfg.regex for loc in srv.locations)
        if name.startswith("*."):
            world.wildcards.add(name, srv)
    for ing in ings:
        if ing.cfg.canary:
            _merge_canary(world, ing)


def _same_path(a: Location, b: Location, dialect: str) -> bool:
    """ingress-nginx compares the path strings and types as written; the Ingress spec
    matches Prefix element-wise, so '/api' and '/api/' are the same path there (and
    ImplementationSpecific is taken as Prefix)."""
    if dialect == "nginx":
        if a.path_type == b.path_type == "Prefix":
            # both become "location <path ending in />": nginx -t refuses the duplicate, so
            # which one serves is not a property of the manifests
            return a.path.rstrip("/") == b.path.rstrip("/")
        return a.path == b.path and a.path_type == b.path_type

    def norm(loc: Location) -> tuple[str, bool]:
        exact = loc.path_type == "Exact"
        return (loc.path if exact else loc.path.rstrip("/") or "/", exact)

    return norm(a) == norm(b)


def _add_location(srv: Server, loc: Location, dialect: str = "nginx") -> None:
    """getBackendServers: an explicit "/" replaces the default one; a path already there
    (same path and type) keeps the first Ingress's backend."""
    for i, old in enumerate(srv.locations):
        if old.is_default:
            if loc.path == "/":
                srv.locations[i] = loc  # an explicit "/" replaces the default-backend "/"
                return
            continue
        if _same_path(old, loc, dialect):
            if old.backend != loc.backend and old.ing != loc.ing:
                old.rivals.append((loc.ing, loc.backend))
            return  # duplicate: the older Ingress keeps it
    srv.locations.append(loc)


def _merge_canary(world: World, ing: Ingress) -> None:
    for p in ing.paths:
        if p.backend is not None:
            world.canary_backends.setdefault(p.backend, []).append(ing.ref)
        srv = world.servers.get(p.host or DEFAULT_SERVER)
        if srv is None or p.backend is None:
            continue
        for loc in srv.locations:
            if (loc.path == p.path and loc.path_type == p.path_type and not loc.is_default
                    and loc.canary is None):
                loc.canary = Canary(p.backend, ing.cfg, ing.ref)
                break


# -- request evaluation ------------------------------------------------------------------

def select_server(world: World, host: str) -> Server:
    """nginx server_name: exact name, then the (one-label) wildcard regexes, then ``_``."""
    srv = world.servers.get(host)
    if srv is not None:
        return srv
    alias = world.aliases.get(host)
    if alias is not None:
        return world.servers[alias]
    wild = world.wildcards.named(host)
    return wild[0] if wild else world.servers[DEFAULT_SERVER]


class Match:
    __slots__ = ("auto_redirect", "loc", "nginx_path")

    def __init__(self, loc: Location, nginx_path: str, auto_redirect: bool = False) -> None:
        self.loc, self.nginx_path, self.auto_redirect = loc, nginx_path, auto_redirect


def _nginx_locations(srv: Server) -> list[tuple[str, str, Location]]:
    """(modifier, nginx path, location): ``=`` exact, ``~*`` regex, ``""`` prefix.

    ``location.go updateServerLocations``: a Prefix path other than ``/`` whose location
    neither rewrites nor uses regex becomes ``<path ending in />`` plus an exact copy of
    the original path, unless an Exact path of the same name exists.
    """
    exact = {loc.path for loc in srv.locations if loc.path_type == "Exact"}
    out: list[tuple[str, str, Location]] = []
    for loc in srv.locations:
        paths: list[tuple[str, str]]
        if loc.path_type == "Prefix" and loc.path != "/" and not (
                loc.cfg.use_regex or _needs_rewrite(loc)):
            slash = loc.path if loc.path.endswith("/") else loc.path + "/"
            paths = [("", slash)] if loc.path in exact else [("", slash), ("=", loc.path)]
        elif loc.path_type == "Exact":
            paths = [("=", loc.path)]
        else:
            paths = [("", loc.path)]
        for mod, path in paths:
            out.append(("~*" if srv.regex else mod, path, loc))
    if srv.regex:
        out.sort(key=lambda t: -len(t[1]))
    return out


def _needs_rewrite(loc: Location) -> bool:
    """``location.go needsRewrite``: a target that differs from the path."""
    return bool(loc.cfg.rewrite_target) and loc.cfg.rewrite_target != loc.path


_PCRE_NAMED = re.compile(r"\(\?<(?![=!])")
_regex_cache: dict[str, re.Pattern[str] | None] = {}


def pcre(pattern: str) -> re.Pattern[str] | None:
    """A Python regex for a PCRE pattern (None when it does not compile here)."""
    if pattern not in _regex_cache:
        if len(_regex_cache) > 10_000:
            _regex_cache.clear()
        _regex_cache[pattern] = o.safe_regex(_PCRE_NAMED.sub("(?P<", pattern))
    return _regex_cache[pattern]


def _spec_prefix(prefix: str, path: str) -> bool:
    """Ingress ``Prefix``: element-wise, a trailing ``/`` ignored (networking/v1 types.go)."""
    p = prefix.rstrip("/")
    return p == "" or path == p or path.startswith(p + "/")


def select_generic(srv: Server, path: str) -> Match | None:
    """The Ingress spec's own matching (controllers other than ingress-nginx): Exact, then
    the longest Prefix; ImplementationSpecific is taken as Prefix."""
    for loc in srv.locations:
        if loc.path_type == "Exact" and loc.path == path:
            return Match(loc, loc.path)
    best: Match | None = None
    for loc in srv.locations:
        if loc.path_type != "Exact" and _spec_prefix(loc.path, path) and (
                best is None or len(loc.path.rstrip("/")) > len(best.nginx_path.rstrip("/"))):
            best = Match(loc, loc.path)
    return best


def select_location(srv: Server, path: str) -> Match | None | str:
    """The location serving ``path`` (a str: why it cannot be modelled)."""
    if srv.nginx_locations is None:
        srv.nginx_locations = _nginx_locations(srv)
    locs = srv.nginx_locations
    if srv.regex:
        for _mod, npath, loc in locs:
            rx = pcre("(?i)^" + npath)
            if rx is None:
                return f"regex {npath!r} is not modelled"
            if rx.match(path):
                return Match(loc, npath)
        return None
    for mod, npath, loc in locs:
        if mod == "=" and npath == path:
            return Match(loc, npath)
    for mod, npath, loc in locs:
        if mod == "" and npath.endswith("/") and npath == path + "/" and loc.backend is not None:
            return Match(loc, npath, auto_redirect=True)
    best: Match | None = None
    for mod, npath, loc in locs:
        if mod == "" and path.startswith(npath) and (best is None or len(npath) > len(best.nginx_path)):
            best = Match(loc, npath)
    return best


def _canary_wins(c: Canary, req: Request) -> bool | None:
    """balancer.lua: True/False when header or cookie decide, None: the weight decides."""
    cfg = c.cfg
    if cfg.canary_header:
        value = req.header(cfg.canary_header)
        if value is not None:
            if cfg.canary_header_value:
                if value == cfg.canary_header_value:
                    return True
            elif cfg.canary_header_pattern:
                rx = pcre(cfg.canary_header_pattern)
                if rx is not None and rx.search(value):
                    return True
            elif value == "always":
                return True
            elif value == "never":
                return False
    if cfg.canary_cookie:
        value = req.cookie(cfg.canary_cookie)
        if value == "always":
            return True
        if value == "never":
            return False
    return None


def _rewrite(loc: Location, nginx_path: str, req: Request) -> str | None:
    """buildProxyPass: ``rewrite "(?i)<path>" <target> break``; None when not modelled."""
    target = loc.cfg.rewrite_target
    if not _needs_rewrite(loc):
        return req.uri
    rx = pcre("(?i)" + nginx_path)
    if rx is None:
        return None
    m = rx.search(req.path)
    if m is None:
        return req.uri

    def group(g: re.Match[str]) -> str:
        n = int(g.group(1))
        return (m.group(n) or "") if n <= (rx.groups if rx else 0) else ""

    new = re.sub(r"\$(\d)", group, target)
    if "?" in new:
        path, _, args = new.partition("?")
        if new.endswith("?"):
            return path + (f"?{args[:-1]}" if args[:-1] else "")
        query = args + (f"&{req.query}" if req.query else "")
        return f"{path}?{query}"
    return new + (f"?{req.query}" if req.query else "")


def evaluate(world: World, req: Request) -> Verdict:
    srv = select_server(world, req.host)
    base = f"{req.scheme}://{req.host}"
    if srv.www_to:
        return redirect(HTTP_REDIRECT_CODE, f"{req.scheme}://{srv.www_to}{req.uri}",
                        (srv.www_by,) if srv.www_by else ())
    if req.scheme == "https" and srv.cert is not True:
        return unknown("nginx answers HTTPS for this host with its default certificate")
    if any(loc.cfg.ssl_passthrough for loc in srv.locations) and req.scheme == "https":
        return unknown("ssl-passthrough: nginx proxies the TLS stream")
    if srv.app_root and req.path == "/":
        return redirect(302, base + srv.app_root, _owners(srv))
    found = (select_location(srv, req.path) if world.dialect == "nginx"
             else select_generic(srv, req.path))
    if isinstance(found, str):
        return unknown(found)
    if found is None:
        return status(404, "no location", _owners(srv))
    loc = found.loc
    by = (loc.ing,) + ((loc.canary.ing,) if loc.canary else ())
    verdict = _evaluate_location(srv, found, req, by)
    if loc.rivals and verdict.result.kind == "backend" and not any(
            o.created(i.obj) for i in world.ingresses
            if i.ref in (loc.ing, *(r for r, _ in loc.rivals))):
        return verdict._replace(rivals=tuple(r for r, _ in loc.rivals))
    return verdict


def _evaluate_location(srv: Server, found: Match, req: Request, by: tuple[Ref, ...]) -> Verdict:
    loc = found.loc
    base = f"{req.scheme}://{req.host}"
    if found.auto_redirect:
        return redirect(301, f"{base}{req.path}/" + (f"?{req.query}" if req.query else ""), by)
    if loc.backend is None and loc.is_default:
        return status(404, "default backend", _owners(srv) if srv.host != DEFAULT_SERVER else ())
    cfg = loc.cfg
    if req.scheme == "http" and (cfg.force_ssl_redirect or (cfg.ssl_redirect and srv.cert)):
        return redirect(HTTP_REDIRECT_CODE, f"https://{req.host}{req.uri}", by)
    if req.scheme == "http" and cfg.ssl_redirect and srv.cert is None:
        return unknown("whether nginx redirects to HTTPS depends on the certificate's names")
    if cfg.allow and not o.in_cidrs(req.client, cfg.allow):
        return status(403, "allowlist", by)
    if cfg.deny and o.in_cidrs(req.client, cfg.deny):
        return status(403, "denylist", by)
    if cfg.auth_type or cfg.auth_url:
        return status(401, "authentication", by)
    red = cfg.redirect()
    if red is not None:
        return redirect(red[0], red[1], by)
    if loc.backend is None:
        return status(503, "no service backend", by)
    upstream = _rewrite(loc, found.nginx_path, req)
    if upstream is None:
        return unknown("rewrite regex not modelled", by)
    headers = {}
    if cfg.x_forwarded_prefix and _needs_rewrite(loc):  # buildProxyPass: rewrite branch only
        headers["x-forwarded-prefix"] = cfg.x_forwarded_prefix
    if cfg.upstream_vhost:
        headers["host"] = cfg.upstream_vhost
    if loc.canary is None:
        return backend({loc.backend: 1.0}, upstream, by, headers)
    wins = _canary_wins(loc.canary, req)
    if wins is not None:
        return backend({loc.canary.backend if wins else loc.backend: 1.0}, upstream, by, headers)
    weight = loc.canary.cfg.canary_weight or 0
    total = loc.canary.cfg.canary_weight_total or 100
    weight = max(0, min(weight, total))
    if loc.canary.backend == loc.backend:
        return backend({loc.backend: 1.0}, upstream, by, headers)
    return backend({loc.backend: total - weight, loc.canary.backend: weight}, upstream, by,
                   headers)


def _owners(srv: Server) -> tuple[Ref, ...]:
    refs: list[Ref] = []
    for loc in srv.locations:
        if loc.ing.kind == "Ingress" and loc.ing not in refs:
            refs.append(loc.ing)
    return tuple(refs)
