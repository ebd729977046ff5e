"""F5 NGINX Ingress Controller (``nginx.org/*``) semantics: one nginx server per host.

Every rule names where it comes from in nginx/kubernetes-ingress (``internal/configs``) or
nginx itself:
- servers (``ingress.go generateNginxCfg``): one server per rule host of the Ingress
  (``server_name``: exact, then ``*.`` wildcards, which in nginx match one or more labels,
  longest first); several non-mergeable Ingresses for one host: the controller keeps one
  (not compared); mergeable master/minion Ingresses are not modelled; no server: the
  default server answers 404.
- locations (``generateIngressPath``, ``template_helper.go makeLocationPath``): Exact is
  ``location = /p``, Prefix and ImplementationSpecific ``location /p`` (an nginx *string*
  prefix); ``nginx.org/path-regex`` makes every path of the Ingress ``~ "^p"``
  (case_sensitive), ``~* "^p"`` (case_insensitive) or ``= "p"`` (exact); a
  ``defaultBackend`` is ``location /`` unless a rule has ``/``.
- nginx location lookup (``ngx_http_core_find_location``): exact, then the longest prefix;
  then the regex locations in order, the first match winning over the prefix; a prefix
  location ending in ``/`` answers the URI without it with a 301.
- ``nginx.ingress.tmpl``: a server with TLS (a ``spec.tls`` entry listing the host) and
  ``ssl-redirect`` (``nginx.org/ssl-redirect`` or ``ingress.kubernetes.io/ssl-redirect``,
  default true) answers HTTP with ``http-redirect-code`` (default 301) to
  ``https://$host:443$request_uri`` (compared as the equivalent URL without ``:443``);
  ``nginx.org/app-root`` answers ``/`` with 302; basic auth (``nginx.org/basic-auth-secret``)
  and JWT (``nginx.com/jwt-key``) answer 401 without credentials.
- rewrites: ``nginx.org/rewrites`` (``serviceName=s rewrite=/r;...``) is the URI of
  ``proxy_pass``: the part of the URI the location matched is replaced by it (nginx
  ``proxy_pass`` with a URI); ``nginx.org/rewrite-target`` is ``rewrite <path> <target>
  break`` (``makeRewritePattern``: the path, unanchored, or anchored with path-regex).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from gwshift.verify import objects as o
from gwshift.verify.router import SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

ORG = "nginx.org/"
DEFAULT_CERT = "NGINX Ingress Controller answers HTTPS for this host with its default server"


@dataclass
class Location:
    mod: str  # "=", "", "~", "~*"
    path: str
    backend: str
    rewrite: str | None  # nginx.org/rewrites URI for proxy_pass


@dataclass
class Server:
    ref: Ref
    host: str
    locations: list[Location]
    ssl: bool
    ssl_redirect: bool
    redirect_code: int
    app_root: str
    auth: bool
    rewrite_target: str
    path_regex: str
    unknown: str = ""


def _bool(v: str | None, default: bool) -> bool:
    return {"true": True, "false": False}.get((v or "").strip().lower(), default)


def parse_rewrites(value: str) -> dict[str, str]:
    """``ParseRewriteList``: ``serviceName=tea rewrite=/;serviceName=coffee rewrite=/beans``."""
    out: dict[str, str] = {}
    for part in value.split(";"):
        fields = dict(f.split("=", 1) for f in part.split() if "=" in f)
        if "serviceName" in fields and "rewrite" in fields:
            out[fields["serviceName"]] = fields["rewrite"]
    return out


def _location(path: str, ptype: str, regex: str) -> tuple[str, str]:
    mod = "=" if ptype == "Exact" else ""
    if regex == "case_sensitive":
        return "~", "^" + path
    if regex == "case_insensitive":
        return "~*", "^" + path
    if regex == "exact":
        return "=", path
    return mod, path


def find_location(locs: list[Location], path: str) -> tuple[Location, bool] | str | None:
    """``ngx_http_core_find_location``: (location, auto 301) or why not modelled."""
    for loc in locs:
        if loc.mod == "=" and loc.path == path:
            return loc, False
    best: Location | None = None
    for loc in locs:
        if loc.mod == "" and path.startswith(loc.path) and (
                best is None or len(loc.path) > len(best.path)):
            best = loc
    for loc in locs:
        if loc.mod in ("~", "~*"):
            rx = o.safe_regex(("(?i)" if loc.mod == "~*" else "") + loc.path)
            if rx is None:
                return f"regex location {loc.path!r} is not modelled"
            if rx.search(path):
                return loc, False
    if best is not None:
        return best, False
    for loc in locs:
        if loc.mod == "" and loc.path.endswith("/") and loc.path == path + "/":
            return loc, True
    return None


def _upstream(srv: Server, loc: Location, req: Request) -> str | None:
    q = f"?{req.query}" if req.query else ""
    if loc.rewrite:  # an empty rewrite= is proxy_pass without a URI: the path passes as is
        if loc.mod == "=":
            return loc.rewrite + q
        if loc.mod == "":
            return loc.rewrite + req.path[len(loc.path):] + q
        return None  # proxy_pass with a URI in a regex location: nginx -t refuses it
    if srv.rewrite_target:
        # makeRewritePattern: the location's path (anchored by path-regex already)
        pattern = loc.path
        if srv.path_regex == "case_insensitive":
            pattern = "(?i)" + pattern
        rx = o.safe_regex(pattern)
        if rx is None:
            return None
        m = rx.search(req.path)
        if m is None:
            return req.path + q
        new = re.sub(r"\$(\d)", lambda g: (m.group(int(g.group(1))) or "")
                     if int(g.group(1)) <= (rx.groups or 0) else "", srv.rewrite_target)
        return new + q
    return req.path + q


@dataclass
class NicWorld(SourceWorld):
    servers: dict[str, list[Server]] = dataclasses.field(default_factory=dict)

    def server(self, host: str) -> list[Server] | None:
        if host in self.servers:
            return self.servers[host]
        wild = [(len(h), s) for h, s in self.servers.items()
                if h.startswith("*.") and o.host_matches(h, host, one_label=False)]
        return max(wild, key=lambda t: t[0])[1] if wild else None

    def evaluate(self, req: Request) -> Verdict:
        srvs = self.server(req.host)
        if srvs is None:
            return status(404, "default server")
        if len(srvs) > 1:
            return unknown("several Ingresses claim this host; the controller keeps one")
        srv = srvs[0]
        by = (srv.ref,)
        if srv.unknown:
            return unknown(srv.unknown, by)
        if req.scheme == "https" and not srv.ssl:
            return unknown(DEFAULT_CERT, by)
        if req.scheme == "http" and srv.ssl and srv.ssl_redirect:
            return redirect(srv.redirect_code, f"https://{req.host}{req.uri}", by)
        if srv.auth:
            return status(401, "authentication", by)
        if srv.app_root and req.path == "/":
            return redirect(302, f"{req.scheme}://{req.host}{srv.app_root}", by)
        found = find_location(srv.locations, req.path)
        if isinstance(found, str):
            return unknown(found, by)
        if found is None:
            return status(404, "no location", by)
        loc, auto = found
        if auto:
            return redirect(301, f"{req.scheme}://{req.host}{req.path}/"
                            + (f"?{req.query}" if req.query else ""), by)
        upstream = _upstream(srv, loc, req)
        if upstream is None:
            return unknown("rewrite not modelled", by)
        return backend({loc.backend: 1.0}, upstream, by)


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str) -> SourceWorld:
    from gwshift.verify.nginx import _service_ref

    ports: dict[tuple[str, str, str], int] = {}
    for obj in objs:
        if o.kind(obj) == "Service":
            sns = o.namespace(obj, default_ns)
            for p in o.dicts(o.spec(obj).get("ports")):
                if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                    ports[(sns, o.name(obj), p["name"])] = p["port"]
    world = NicWorld(cls, "nginx-inc")
    for obj in sorted(ingresses, key=lambda x: (o.namespace(x, default_ns), o.name(x))):
        ns = o.namespace(obj, default_ns)
        ann = o.annotations_of(obj)
        sp = o.spec(obj)
        ref = Ref("Ingress", ns, o.name(obj))
        tls_hosts = {h.lower() for t in o.dicts(sp.get("tls")) for h in o.strs(t.get("hosts"))}
        rewrites = parse_rewrites(ann.get(ORG + "rewrites", ""))
        regex = ann.get(ORG + "path-regex", "").strip()
        try:
            code = int(ann.get(ORG + "http-redirect-code", "301").strip())
        except ValueError:
            code = 301
        redirect_on = _bool(ann.get(ORG + "ssl-redirect",
                                    ann.get("ingress.kubernetes.io/ssl-redirect")), True)
        why = ("mergeable Ingresses (master/minion) are not modelled"
               if ann.get(ORG + "mergeable-ingress-type") else "")
        db = sp.get("defaultBackend", sp.get("backend"))
        for rule in o.dicts(sp.get("rules")):
            host = o.text(rule, "host").lower()
            if not host:
                continue  # NIC serves host-less rules on no server of its own
            locs: list[Location] = []
            for p in o.dicts(o.sub(rule, "http").get("paths")):
                svc = _service_ref(p.get("backend"), ns, ports)
                if svc is None:
                    continue
                raw = str(p["path"]) if isinstance(p.get("path"), str) and p.get("path") else "/"
                mod, lpath = _location(raw, o.text(p, "pathType", "ImplementationSpecific"), regex)
                name = svc.partition("/")[2].partition(":")[0]
                locs.append(Location(mod, lpath, svc, rewrites.get(name)))
            if isinstance(db, dict) and not any(loc.path == "/" for loc in locs):
                svc = _service_ref(db, ns, ports)
                if svc is not None:
                    name = svc.partition("/")[2].partition(":")[0]
                    locs.append(Location("", "/", svc, rewrites.get(name)))
            srv = Server(ref, host, locs, host in tls_hosts, redirect_on, code,
                         ann.get(ORG + "app-root", "").strip(),
                         bool(ann.get(ORG + "basic-auth-secret") or ann.get("nginx.com/jwt-key")),
                         "" if rewrites else ann.get(ORG + "rewrite-target", "").strip(), regex,
                         why)
            world.servers.setdefault(host, []).append(srv)
            for concrete in ([f"w1{host[1:]}", f"w2.w1{host[1:]}"] if host.startswith("*.")
                             else [host]):
                s = world.seed(concrete)
                s.paths.add("/")
                for loc in locs:
                    s.paths.add(path_seed(loc.path.lstrip("^")))
    return world
