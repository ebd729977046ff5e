"""GKE Ingress (ingress-gce) semantics: one Google Cloud URL map per Ingress.

Every rule names where it comes from in kubernetes/ingress-gce and the URL map docs:
- ``pkg/controller/translator/translator.go TranslateIngress``: each Ingress is its own load
  balancer (URL map, own address); a rule without host is the ``*`` host; an empty path is
  ``/*``; ``defaultBackend`` (else the system default backend, a 404) answers whatever no
  rule matches.
- ``validateAndGetPaths``: Exact ``/p`` is the path itself; Prefix ``/`` is ``/*``, Prefix
  ``/p`` (or ``/p/``) is ``/p`` plus ``/p/*``; ImplementationSpecific is the path as written
  (``/*`` and ``/p/*`` wildcards, anything else exact).
- ``pkg/utils/gceurlmap.go PutPathRulesForHost``: a duplicated path keeps the *later* rule;
  a host repeated in a later rule replaces the earlier host's paths.
- URL map path matching (Cloud Load Balancing "URL map concepts", path matchers): the
  longest matching path wins; ``*`` only at the end after ``/``; case-sensitive; the query
  string is not part of the path. Host rules: exact host first, then ``*.`` wildcards
  (one or more labels), then ``*``.
- ``kubernetes.io/ingress.allow-http: "false"``: no HTTP forwarding rule (nothing answers
  on port 80); HTTPS exists only with certificates (``spec.tls``, ``pre-shared-cert``,
  ``networking.gke.io/managed-certificates``).
- FrontendConfig (``networking.gke.io/v1beta1.FrontendConfig`` annotation)
  ``redirectToHttps.enabled``: the HTTP load balancer answers every request with a redirect
  to HTTPS, ``responseCodeName`` (default MOVED_PERMANENTLY_DEFAULT: 301).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gwshift.verify import objects as o
from gwshift.verify.router import SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

ALLOW_HTTP = "kubernetes.io/ingress.allow-http"
FRONTEND = "networking.gke.io/v1beta1.FrontendConfig"
CERT_ANNOTATIONS = ("ingress.gcp.kubernetes.io/pre-shared-cert",
                    "networking.gke.io/managed-certificates")
REDIRECT_CODES = {"MOVED_PERMANENTLY_DEFAULT": 301, "FOUND": 302, "SEE_OTHER": 303,
                  "TEMPORARY_REDIRECT": 307, "PERMANENT_REDIRECT": 308}


def paths_for(path: str, ptype: str) -> list[str]:
    """``validateAndGetPaths`` (an empty path is ``/*``; invalid paths are dropped)."""
    if ptype == "Exact":
        return [path] if path and "*" not in path else []
    if ptype == "Prefix":
        if not path or "*" in path:
            return []
        if path == "/":
            return ["/*"]
        base = path.removesuffix("/")
        return [base, base + "/*"]
    return [path or "/*"]


def path_rank(pattern: str, path: str) -> int | None:
    """How long a match ``pattern`` is for ``path`` (None: no match)."""
    if pattern.endswith("/*"):
        stem = pattern[:-1]  # "/p/"
        return len(stem) if path.startswith(stem) else None
    return len(pattern) + 1 if path == pattern else None  # an exact path outranks "/p/*"


@dataclass
class UrlMap:
    ref: Ref
    hosts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # host -> (path, svc)
    default: str | None = None  # None: the system default backend (404)
    http: bool = True
    https: bool = False
    redirect_code: int | None = None  # FrontendConfig redirectToHttps

    def host_rule(self, host: str) -> list[tuple[str, str]] | None:
        if host in self.hosts:
            return self.hosts[host]
        best: tuple[int, list[tuple[str, str]]] | None = None
        for pattern, rules in self.hosts.items():
            if (pattern.startswith("*.") and o.host_matches(pattern, host, one_label=False)
                    and (best is None or len(pattern) > best[0])):
                best = (len(pattern), rules)
        if best is not None:
            return best[1]
        return self.hosts.get("*")

    def names(self, host: str) -> bool:
        return host in self.hosts or any(
            p.startswith("*.") and o.host_matches(p, host, one_label=False) for p in self.hosts)

    def evaluate(self, req: Request) -> Verdict:
        by = (self.ref,)
        if req.scheme == "http":
            if not self.http:
                return status(404, "no HTTP forwarding rule (allow-http false)")
            if self.redirect_code is not None:
                return redirect(self.redirect_code, f"https://{req.host}{req.uri}", by)
        elif not self.https:
            return status(404, "no HTTPS forwarding rule (no certificate)")
        rules = self.host_rule(req.host) or []
        best: tuple[int, str] | None = None
        for pattern, svc in rules:
            rank = path_rank(pattern, req.path)
            if rank is not None and (best is None or rank > best[0]):
                best = (rank, svc)
        chosen = best[1] if best else self.default
        if chosen is None:
            return status(404, "system default backend", by)
        return backend({chosen: 1.0}, req.uri, by)


@dataclass
class GceWorld(SourceWorld):
    maps: list[UrlMap] = field(default_factory=list)

    def evaluate(self, req: Request) -> Verdict:
        named = [m for m in self.maps if m.names(req.host)]
        if not named:
            named = [m for m in self.maps if "*" in m.hosts or m.default is not None]
        if not named:
            return status(404, "no load balancer serves this host")
        if len(named) > 1:
            return unknown("several Ingresses (load balancers) serve this host: DNS decides")
        return named[0].evaluate(req)


def _frontend_configs(objs: list[o.Obj], ns: str) -> dict[tuple[str, str], int | None]:
    out: dict[tuple[str, str], int | None] = {}
    for obj in objs:
        if o.kind(obj) == "FrontendConfig" and o.group(obj) == "networking.gke.io":
            red = o.sub(o.spec(obj), "redirectToHttps")
            code = None
            if red.get("enabled") is True:
                code = REDIRECT_CODES.get(str(red.get("responseCodeName") or
                                              "MOVED_PERMANENTLY_DEFAULT"), 301)
            out[(o.namespace(obj, ns), o.name(obj))] = code
    return out


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str) -> SourceWorld:
    from gwshift.verify.nginx import _service_ref

    ports: dict[tuple[str, str, str], int] = {}
    for obj in objs:
        if o.kind(obj) == "Service":
            sns = o.namespace(obj, default_ns)
            for p in o.dicts(o.spec(obj).get("ports")):
                if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                    ports[(sns, o.name(obj), p["name"])] = p["port"]
    fcs = _frontend_configs(objs, default_ns)
    world = GceWorld(cls, "gce")
    for obj in sorted(ingresses, key=lambda x: (o.namespace(x, default_ns), o.name(x))):
        ns = o.namespace(obj, default_ns)
        ann = o.annotations_of(obj)
        sp = o.spec(obj)
        um = UrlMap(Ref("Ingress", ns, o.name(obj)))
        um.http = ann.get(ALLOW_HTTP, "true").strip().lower() != "false"
        um.https = bool(sp.get("tls")) or any(ann.get(a) for a in CERT_ANNOTATIONS)
        fc = ann.get(FRONTEND)
        if fc:
            um.redirect_code = fcs.get((ns, fc.strip()))
        for rule in o.dicts(sp.get("rules")):
            host = (o.text(rule, "host") or "*").lower()
            entries: list[tuple[str, str]] = []
            for p in o.dicts(o.sub(rule, "http").get("paths")):
                svc = _service_ref(p.get("backend"), ns, ports)
                if svc is None:
                    continue
                raw = str(p["path"]) if isinstance(p.get("path"), str) else ""
                for path in paths_for(raw, str(p.get("pathType") or "ImplementationSpecific")):
                    entries.append((path, svc))
            seen: dict[str, str] = {}
            for path, svc in entries:  # PutPathRulesForHost: the later duplicate wins
                seen[path] = svc
            um.hosts[host] = list(seen.items())  # a repeated host replaces the earlier one
            for concrete in ([f"w1{host[1:]}", f"w2.w1{host[1:]}"] if host.startswith("*.")
                             else [None if host == "*" else host]):
                s = world.seed(concrete)
                s.paths.add("/")
                for path in seen:
                    s.paths.add(path_seed(path.rstrip("*") or "/"))
        db = sp.get("defaultBackend", sp.get("backend"))
        if isinstance(db, dict):
            um.default = _service_ref(db, ns, ports)
        world.maps.append(um)
    return world
