"""HAProxy semantics: the two controllers that serve the ``haproxy`` class.

The class is shared (``handlers/haproxy``): which controller serves it comes from the
IngressClass's ``spec.controller`` (``haproxy.org/ingress-controller``: HAProxy
Technologies' kubernetes-ingress, "org"; ``haproxy-ingress.github.io/controller``:
jcmoraisjr's HAProxy Ingress, "hi"), else, as for conversion, from the annotation family an
Ingress carries (``haproxy.org/``/``haproxy.com/`` -> org, otherwise hi).

HAProxy Technologies (haproxytech/kubernetes-ingress):
- host (``pkg/controller/controller.go setupHAProxyRules``): ``txn.host`` is the Host
  header without port, lowercased; ``host_match`` is the host in ``host.map``, else the host
  without its first label (``regsub(^[^.]*,,)``: ``*.example.com`` is stored as
  ``.example.com``, so a wildcard matches exactly one label), else ``''`` (the hostless
  rules).
- paths (``pkg/route/route.go MapRows`` and the same rules): ``path-exact.map`` (Exact),
  then ``path-prefix-exact.map`` (Prefix and ImplementationSpecific ``/p``, trailing slash
  trimmed), then ``map_beg`` on ``path-prefix.map``: Prefix ``/p`` is ``/p/`` (element
  wise), ImplementationSpecific ``/p`` is ``/p`` (a string prefix), ``/`` is ``/``; the
  longest prefix wins (HAProxy ``pattern.c``: ``beg`` patterns are indexed in a prefix tree
  and looked up longest first). Nothing matched: the default backend (404).
- per-Ingress rules run in ``pkg/haproxy/rules/types.go`` order: deny (``allow-list`` /
  ``deny-list``: 403), auth (``auth-type: basic-auth``: 401), redirect, set-host, path
  rewrite. ``ssl-redirect`` (``pkg/annotations/ingress/httpsRedirect.go``): on when set, and
  *automatically* for an Ingress with a ``spec.tls`` section; HTTP frontend only
  (``pkg/ingress/ingress.go addRules``); ``redirect scheme https`` when the port is 443,
  else ``https://<host>:<ssl-redirect-port><uri>``; code ``ssl-redirect-code`` (302).
  The default ``ssl-redirect-port`` (8443, ``annotations/common/main.go``) is "the HTTPS
  port as seen by the client" (documentation/annotations.md): this model takes the client's
  port, 443, when it is not set. ``request-redirect`` (``hostRedirect.go``): both frontends,
  ``http://<value><uri>`` (``https://`` when the value says so), code
  ``request-redirect-code`` (302). ``path-rewrite`` (``reqPathRewrite.go``): ``<fmt>`` is
  ``replace-path (.*) <fmt>``, ``<regex> <fmt>`` is ``replace-path <regex> <fmt>`` (the
  whole path becomes ``<fmt>`` with ``\\N`` captures when the regex finds a match).
  ``set-host``: the upstream Host.

HAProxy Ingress (jcmoraisjr/haproxy-ingress, docs/content/en/docs/configuration/keys.md):
- ``path-type`` (Path scope, for ImplementationSpecific; default ``begin``): ``begin`` a
  case-insensitive string prefix, ``exact``, ``prefix`` element-wise, ``regex``;
  ``pkg/haproxy/types/maps.go rebuildMatchFiles``: exact paths first, then the longest
  declared path (``/dir/sub`` before ``/dir`` whatever their type), equal paths in
  ``path-type-order`` (``exact,prefix,begin,regex``).
- hosts: a wildcard matches one label (``convertWildcardToRegex``); with ``strict-host``
  false (the default) a host's unmatched path is tried on the matching wildcard hosts.
- ``ssl-redirect`` (Path scope, default true): HTTP requests to a host with TLS get a
  redirect to HTTPS; ``ssl-redirect-code`` is a Global key (ConfigMap only): 302.
- ``rewrite-target`` (keys.md "Rewrite target" table): the declared path is replaced by the
  target (``/abc`` + ``/y``: ``/abc/x`` -> ``/y/x``; target ``/``: ``/abc/x`` -> ``/x``).
- ``allowlist-source-range``/``whitelist-source-range`` 403 outside, ``denylist-source-range``
  403 inside, ``auth-type: basic``/``auth-url``: 401 without credentials.

Not modelled (the probe is "not compared"): regex paths, raw configuration snippets,
a named host falling back to hostless rules (HAProxy Ingress), duplicate host+path keys
across Ingresses, ``app-root``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gwshift.verify import objects as o
from gwshift.verify.router import HOSTLESS, SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

ORG_PREFIXES = ("haproxy.org/", "haproxy.com/")
HI_PREFIXES = ("haproxy-ingress.github.io/", "ingress.kubernetes.io/")
CONTROLLERS = {"haproxy.org/ingress-controller": "org",
               "haproxy-ingress.github.io/controller": "hi"}
# Annotations whose effect the model does not evaluate and which can change the answer.
OPAQUE = {
    "org": ("backend-config-snippet", "frontend-config-snippet", "route-acl",
            "ssl-passthrough", "rate-limit-requests"),
    "hi": ("config-backend", "config-frontend", "config-defaults", "config-global",
           "config-sections", "config-tcp", "config-proxy", "ssl-passthrough",
           "auth-tls-secret", "app-root"),
}
_BACKREF = re.compile(r"\\(\d)")


def family_of(ann: dict[str, str], controller: str | None) -> str:
    """org / hi: the IngressClass's controller, else the conversion's rule
    (``handlers/haproxy.refine``: an ``haproxy.org/``/``haproxy.com/`` key makes it org)."""
    fam = CONTROLLERS.get(controller or "")
    if fam:
        return fam
    return "org" if any(k.startswith(ORG_PREFIXES) for k in ann) else "hi"


def _get(ann: dict[str, str], fam: str, name: str) -> str | None:
    for p in ORG_PREFIXES if fam == "org" else HI_PREFIXES:
        if p + name in ann:
            return ann[p + name]
    return None


def _bool(v: str | None) -> bool | None:
    if v is None:
        return None
    s = v.strip().lower()
    return True if s in ("true", "1", "yes", "on") else False if s in ("false", "0", "no", "off") else None


def _int(v: str | None, default: int) -> int | None:
    if v is None:
        return default
    s = v.strip()
    return int(s) if s.isdigit() else None


@dataclass
class Settings:
    """What one Ingress's annotations do to the requests routed to its paths."""

    ref: Ref
    fam: str
    ssl_redirect: bool = False
    ssl_code: int = 302
    ssl_port: int = 443
    request_redirect: tuple[str, str, int] | None = None  # (scheme, host, code)
    rewrites: list[tuple[str, str]] = field(default_factory=list)  # (regex, fmt)
    rewrite_target: str | None = None
    set_host: str | None = None
    allow: list[str] | None = None
    deny: list[str] | None = None
    auth: bool = False
    opaque: str | None = None  # why its requests are not compared
    tls: bool = False
    tls_hosts: set[str] = field(default_factory=set)
    path_type: str = "begin"  # hi: ImplementationSpecific


def read_settings(ref: Ref, ann: dict[str, str], fam: str, tls: list[o.Obj]) -> Settings:
    s = Settings(ref, fam)
    s.tls = bool(tls)
    s.tls_hosts = {h.lower() for t in tls for h in o.strs(t.get("hosts"))}
    for name in OPAQUE[fam]:
        v = _get(ann, fam, name)
        if v is not None and (name != "ssl-passthrough" or _bool(v)):
            s.opaque = f"{name} not modelled"
    red = _bool(_get(ann, fam, "ssl-redirect"))
    if fam == "org":
        # httpsRedirect.go: unset -> on for an Ingress with TLS; "false" -> off
        s.ssl_redirect = red if red is not None else s.tls
        code = _int(_get(ann, fam, "ssl-redirect-code"), 302)
        port = _int(_get(ann, fam, "ssl-redirect-port"), 443)
        rr = _get(ann, fam, "request-redirect")
        if rr is not None and rr.strip():
            v = rr.strip()
            scheme = "https" if v.startswith("https://") else "http"
            rcode = _int(_get(ann, fam, "request-redirect-code"), 302)
            if rcode is None:
                s.opaque = "request-redirect-code not an integer"
            else:
                s.request_redirect = (scheme, v.removeprefix("https://").removeprefix("http://"),
                                      rcode)
        pr = _get(ann, fam, "path-rewrite")
        for line in (pr or "").strip().splitlines():
            parts = line.split()
            if len(parts) == 1:
                s.rewrites.append(("(.*)", parts[0]))
            elif len(parts) == 2:
                s.rewrites.append((parts[0], parts[1]))
            elif parts:
                s.opaque = "path-rewrite with more than 2 fields (the controller refuses it)"
        sh = _get(ann, fam, "set-host")
        s.set_host = sh.strip() if sh else None
        allow = _get(ann, fam, "allow-list") or _get(ann, fam, "whitelist")
        deny = _get(ann, fam, "deny-list") or _get(ann, fam, "blacklist")
        s.auth = (_get(ann, fam, "auth-type") or "").strip() == "basic-auth"
    else:
        s.ssl_redirect = red if red is not None else True
        code, port = 302, 443  # ssl-redirect-code is a Global key: the ConfigMap's
        rt = _get(ann, fam, "rewrite-target")
        s.rewrite_target = rt.strip() if rt is not None else None
        allow = (_get(ann, fam, "allowlist-source-range")
                 or _get(ann, fam, "whitelist-source-range"))
        deny = _get(ann, fam, "denylist-source-range")
        s.auth = (_get(ann, fam, "auth-type") or "").strip() in ("basic", "basic-auth") or bool(
            _get(ann, fam, "auth-url"))
        s.path_type = (_get(ann, fam, "path-type") or "begin").strip().lower()
    if code is None or port is None:
        s.opaque = "ssl-redirect-code/port not an integer"
    else:
        s.ssl_code, s.ssl_port = code, port
    s.allow = [c for c in re.split(r"[,\s]+", allow) if c] if allow else None
    s.deny = [c for c in re.split(r"[,\s]+", deny) if c] if deny else None
    return s


def replace_path(m: re.Match[str], fmt: str) -> str:
    """HAProxy ``replace-path``: the whole path becomes ``fmt`` with ``\\N`` replaced by the
    regex's groups (an unknown or unset group is empty)."""
    def group(g: re.Match[str]) -> str:
        n = int(g.group(1))
        return (m.group(n) or "") if n <= (m.re.groups or 0) else ""

    return _BACKREF.sub(group, fmt)


@dataclass
class HPath:
    host: str  # "" hostless, "*.x" wildcard
    path: str
    kind: str  # exact | prefix | begin | impl (org ImplementationSpecific) | regex
    backend: str | None
    cfg: Settings


def _org_keys(p: HPath) -> list[tuple[str, str]]:
    """(map, key) rows of route.go MapRows (key without the host)."""
    if p.kind == "exact":
        return [("exact", p.path)]
    if p.path in ("", "/"):
        return [("beg", "/")]
    trimmed = p.path.removesuffix("/")
    return [("prefix-exact", trimmed), ("beg", trimmed + "/" if p.kind == "prefix" else trimmed)]


def _hi_match(p: HPath, path: str) -> bool:
    if p.kind == "exact":
        return path == p.path
    if p.kind == "prefix":
        base = p.path.rstrip("/")
        return path == base or path.startswith(base + "/") or (not base and path.startswith("/"))
    return path.lower().startswith(p.path.lower())  # begin


_HI_ORDER = {"exact": 0, "prefix": 1, "begin": 2}


@dataclass
class HaproxyWorld(SourceWorld):
    paths: dict[str, list[HPath]] = field(default_factory=dict)  # host -> paths
    default_backends: set[str] = field(default_factory=set)
    fams: dict[str, set[str]] = field(default_factory=dict)  # host -> families
    tls_hosts: set[str] = field(default_factory=set)

    def _host_key(self, host: str) -> str | None:
        if host in self.paths:
            return host
        first, _, rest = host.partition(".")
        if rest and first and f"*.{rest}" in self.paths:
            return f"*.{rest}"
        return None

    def evaluate(self, req: Request) -> Verdict:
        key = self._host_key(req.host)
        fams = self.fams.get(key if key is not None else "", set())
        if len(fams) > 1:
            return unknown("Ingresses of both HAProxy controllers' annotation families share "
                           "this host")
        fam = next(iter(fams), "org")
        if req.scheme == "https":
            tls = key is not None and (key in self.tls_hosts or (
                fam == "org" and any(p.cfg.tls for p in self.paths[key])))
            if not tls:
                return unknown("HTTPS with the controller's default certificate")
        if fam == "org":
            chosen, why = self._org_pick(key or "", req.path)
        else:
            chosen, why = self._hi_pick(key, req.host, req.path)
        if why:
            return unknown(why, (chosen.cfg.ref,) if chosen else ())
        if chosen is None:
            if len(self.default_backends) == 1:
                return backend({next(iter(self.default_backends)): 1.0}, req.uri)
            if self.default_backends:
                return unknown("several Ingress defaultBackends: the controller keeps one")
            return status(404, "default backend")
        return self._apply(chosen, req, key)

    def _org_pick(self, key: str, path: str) -> tuple[HPath | None, str]:
        rows: dict[str, dict[str, list[HPath]]] = {"exact": {}, "prefix-exact": {}, "beg": {}}
        for p in self.paths.get(key, []):
            if p.kind == "regex":
                continue
            for m, k in _org_keys(p):
                rows[m].setdefault(k, []).append(p)
        for m in ("exact", "prefix-exact"):
            hit = rows[m].get(path)
            if hit:
                return self._one(hit)
        best = max((k for k in rows["beg"] if path.startswith(k)), key=len, default=None)
        return self._one(rows["beg"][best]) if best is not None else (None, "")

    @staticmethod
    def _one(hits: list[HPath]) -> tuple[HPath | None, str]:
        if len({(h.backend, h.cfg.ref) for h in hits}) > 1:
            return hits[0], "the same host and path in two Ingresses (map order decides)"
        return hits[0], ""

    def _hi_pick(self, key: str | None, host: str, path: str) -> tuple[HPath | None, str]:
        keys = [key] if key is not None else [""]
        if key is not None and not key.startswith("*."):
            rest = host.partition(".")[2]
            if f"*.{rest}" in self.paths:
                keys.append(f"*.{rest}")  # strict-host false: the wildcard host's paths too
        for k in keys:
            cands = self.paths.get(k, [])
            if any(p.kind == "regex" for p in cands):
                return None, "regex path-type not modelled"
            hits = [p for p in cands if _hi_match(p, path)]
            if hits:
                exact = [p for p in hits if p.kind == "exact"]
                if exact:
                    return self._one(exact)
                longest = max(len(p.path.rstrip("/") or "/") for p in hits)
                top = [p for p in hits if len(p.path.rstrip("/") or "/") == longest]
                top.sort(key=lambda p: _HI_ORDER.get(p.kind, 3))
                return self._one([p for p in top if p.kind == top[0].kind])
        if key is not None and self.paths.get(""):
            return None, "a named host's unmatched path on the hostless rules not modelled"
        return None, ""

    def _apply(self, p: HPath, req: Request, key: str | None) -> Verdict:
        c = p.cfg
        by = (c.ref,)
        if c.opaque:
            return unknown(c.opaque, by)
        hi = c.fam == "hi"
        if hi and req.scheme == "http" and c.ssl_redirect and key is not None and (
                key in c.tls_hosts or key in self.tls_hosts):
            return redirect(c.ssl_code, f"https://{req.host}{req.uri}", by)
        if c.allow is not None and not o.in_cidrs(req.client, c.allow):
            return status(403, "allow-list", by)
        if c.deny is not None and o.in_cidrs(req.client, c.deny):
            return status(403, "deny-list", by)
        if c.auth:
            return status(401, "authentication", by)
        if not hi and req.scheme == "http" and c.ssl_redirect:
            port = "" if c.ssl_port == 443 else f":{c.ssl_port}"
            return redirect(c.ssl_code, f"https://{req.host}{port}{req.uri}", by)
        if c.request_redirect is not None:
            scheme, host, code = c.request_redirect
            return redirect(code, f"{scheme}://{host}{req.uri}", by)
        if p.backend is None:
            return status(503, "no service", by)
        path = req.path
        headers: dict[str, str] = {}
        if c.set_host:
            headers["host"] = c.set_host
        for rx, fmt in c.rewrites:
            pattern = o.safe_regex(rx)
            if pattern is None:
                return unknown(f"path-rewrite {rx!r} not evaluated", by)
            m = pattern.search(path)
            if m is not None:
                path = replace_path(m, fmt)
        if hi and c.rewrite_target is not None:
            if p.kind == "prefix" and p.path.endswith("/") and not path.startswith(p.path):
                return unknown("rewrite-target on a trailing-slash path answers 404", by)
            rest = path[len(p.path):] if p.kind != "prefix" else path[len(p.path.rstrip("/")):]
            target = c.rewrite_target
            path = target + rest[1:] if target.endswith("/") and rest.startswith("/") else target + rest
        q = f"?{req.query}" if req.query else ""
        return backend({p.backend: 1.0}, path + q, by, headers)


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str) -> SourceWorld:
    from gwshift.verify.nginx import _service_ref

    ports: dict[tuple[str, str, str], int] = {}
    controller: str | None = None
    for obj in objs:
        if o.kind(obj) == "Service":
            sns = o.namespace(obj, default_ns)
            for sp in o.dicts(o.spec(obj).get("ports")):
                if isinstance(sp.get("name"), str) and isinstance(sp.get("port"), int):
                    ports[(sns, o.name(obj), sp["name"])] = sp["port"]
        elif o.kind(obj) == "IngressClass" and o.name(obj) == cls:
            ctrl = o.spec(obj).get("controller")
            controller = ctrl if isinstance(ctrl, str) else None
    world = HaproxyWorld(cls, "haproxy")
    for obj in ingresses:
        ns = o.namespace(obj, default_ns)
        ann = o.annotations_of(obj)
        fam = family_of(ann, controller)
        sp = o.spec(obj)
        cfg = read_settings(Ref("Ingress", ns, o.name(obj)), ann, fam, o.dicts(sp.get("tls")))
        world.tls_hosts |= cfg.tls_hosts
        db = sp.get("defaultBackend", sp.get("backend"))
        if isinstance(db, dict):
            ref = _service_ref(db, ns, ports)
            if ref:
                world.default_backends.add(ref)
        for rule in o.dicts(sp.get("rules")):
            host = o.text(rule, "host").lower()
            world.fams.setdefault(host, set()).add(fam)
            seeds = world.seed(None if not host else
                               f"w1{host[1:]}" if host.startswith("*.") else host)
            if host.startswith("*."):
                world.seed(f"w2.w1{host[1:]}").paths.add("/")
            seeds.paths.add("/")
            for p in o.dicts(o.sub(rule, "http").get("paths")):
                raw = o.text(p, "path", "/")
                ptype = o.text(p, "pathType", "ImplementationSpecific")
                kind = {"Exact": "exact", "Prefix": "prefix"}.get(ptype)
                if kind is None:
                    kind = "impl" if fam == "org" else cfg.path_type
                    if kind not in ("exact", "prefix", "begin", "regex"):
                        kind = "begin"
                world.paths.setdefault(host, []).append(
                    HPath(host, raw, kind, _service_ref(p.get("backend"), ns, ports), cfg))
                seeds.paths.add(path_seed(raw))
    if not world.paths and world.default_backends:
        world.seed(HOSTLESS).paths.add("/")
    return world
