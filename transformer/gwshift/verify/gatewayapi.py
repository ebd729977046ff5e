"""Gateway API v1.6 semantics: which listener, which route rule, which filters, which backends.

Rules and where they come from (kubernetes-sigs/gateway-api):
- listener selection: ``apis/v1/gateway_types.go`` ``Listener.Hostname`` (exact, or
  ``*.`` matching one or more labels) and the listener precedence on one port: exact
  hostname, then the longest wildcard, then no hostname; a request is served only by its
  most specific listener (``GatewayHTTPListenerIsolation``).
- attachment: ``shared_types.go`` ``ParentReference`` (``sectionName``, ``port``),
  ``AllowedRoutes`` (``from: Same`` default, ``All``, ``Selector``; ``kinds`` default from
  the protocol), hostnames must intersect the listener's; ``ListenerSet`` listeners join
  their Gateway when ``spec.allowedListeners`` admits the ListenerSet's namespace
  (default: none).
- precedence: ``httproute_types.go`` ``HTTPRouteRule.Matches``: across routes on the same
  listener, the most specific matching hostname (non-wildcard first, then longest), then
  Exact path, then the longest PathPrefix, then method, then most header matches, then
  most query matches, then oldest route, then ``namespace/name``, then rule and match
  order. RegularExpression precedence is implementation-specific: ``REGEX_RANK`` by target.
- PathPrefix: element-wise, trailing ``/`` ignored; Exact: case-sensitive; regex: full
  match (RE2 full match in Envoy-based implementations).
- filters: ``HTTPRequestRedirectFilter`` (unset scheme: request's; unset port: the
  well-known port of the scheme; unset hostname: request Host; unset path: request path;
  statusCode default 302), ``HTTPURLRewriteFilter`` and ``HTTPPathModifier``
  (ReplacePrefixMatch table in ``httproute_types.go``).
- backends: ``weight`` default 1, 0 never chosen; a cross-namespace backendRef needs a
  ReferenceGrant in the Service's namespace (``referencegrant_types.go``); invalid refs
  answer 500 for their share; a rule without backends or redirect answers 500.
- Envoy Gateway ``Backend`` (``gateway.envoyproxy.io/v1alpha1``, CRD
  ``gateway.envoyproxy.io_backends.yaml``: ``spec.type`` default ``Endpoints``,
  ``spec.endpoints[].fqdn {hostname, port}`` / ``ip`` / ``unix``, ``spec.tls``): a backendRef
  to a Backend whose single fqdn endpoint names a cluster Service
  (``<svc>.<ns>.svc.cluster.local``, ``<svc>.<ns>.svc``, ``<svc>.<ns>``; the namespace is
  the name's, not the route's) reaches that Service:port (through its cluster IP); any
  other Backend is the result ``Backend/<name>`` (equal to no source backend); a missing
  one answers 500 for its share.
- policies: ``gateway.envoyproxy.io/v1alpha1`` SecurityPolicy ``authorization`` (first
  matching rule's action, else ``defaultAction``, default Deny) and authentication
  (basicAuth/extAuth/jwt/oidc answer 401 to a probe without credentials); a route's
  policy takes precedence over its Gateway's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from gwshift.verify import objects as o
from gwshift.verify.types import (
    Ref,
    Request,
    Result,
    Verdict,
    backend,
    redirect,
    status,
    unknown,
)

GW_GROUP = "gateway.networking.k8s.io"
EG_GROUP = "gateway.envoyproxy.io"
SOURCE_KINDS = ("Ingress", "IngressRoute", "TCPIngress", "UDPIngress")  # explain.SOURCE_KINDS
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
# L4 route kinds -> the listener protocol they attach to (their rules have backendRefs only)
L4_KINDS = {"TCPRoute": "TCP", "UDPRoute": "UDP", "TLSRoute": "TLS"}
# Protocol -> route kinds a listener accepts when allowedRoutes.kinds is unset.
DEFAULT_KINDS = {"HTTP": ("HTTPRoute", "GRPCRoute"), "HTTPS": ("HTTPRoute", "GRPCRoute"),
                 "TLS": ("TLSRoute",), "TCP": ("TCPRoute",), "UDP": ("UDPRoute",)}
# Path match rank (lower first). Exact and PathPrefix are the spec's; RegularExpression is
# implementation-specific, by conversion target (--target): the portable "standard" puts
# it after every prefix (the spec's list ends with prefixes), Envoy Gateway sorts it
# between Exact and PathPrefix (internal/gatewayapi/sort.go).
REGEX_RANK = {"standard": 3, "envoy-gateway": 1, "envoy": 1}
PATH_RANK = {"Exact": 0, "PathPrefix": 2}
SCHEME_PORT = {"http": 80, "https": 443}


@dataclass
class Listener:
    gateway: Ref
    name: str
    port: int
    protocol: str
    hostname: str | None
    owner_ns: str  # namespace "Same" refers to (the Gateway's or the ListenerSet's)
    allowed_from: str = "Same"
    selector: dict[str, object] = field(default_factory=dict)
    kinds: tuple[str, ...] | None = None
    listener_set: Ref | None = None
    tls_mode: str = "Terminate"
    cert_refs: list[tuple[str, str]] = field(default_factory=list)  # (namespace, Secret name)


@dataclass
class Gateway:
    ref: Ref
    cls: str
    listeners: list[Listener]
    external: bool = False  # referenced by routes but not in the objects: assumed open
    source_class: str | None = None  # gwshift.dev/source: IngressClass/<name>
    allowed_listeners: str = "None"
    allowed_listener_selector: dict[str, object] = field(default_factory=dict)
    by_host: o.HostIndex[Listener] | None = None  # built after ListenerSets joined


@dataclass
class PathMatch:
    type: str
    value: str


@dataclass
class RouteMatch:
    path: PathMatch | None
    method: str | None
    headers: list[tuple[str, str, str]]  # (type, lowercase name, value)
    query: list[tuple[str, str, str]]


@dataclass
class Rule:
    index: int
    matches: list[RouteMatch]
    filters: list[o.Obj]
    backends: list[o.Obj]


@dataclass
class Route:
    ref: Ref
    hostnames: list[str]
    parents: list[o.Obj]
    rules: list[Rule]
    created: str
    source: Ref | None  # the Ingress it came from (gwshift.dev/source), when known
    pos: int = 0  # order in the input


@dataclass
class Policy:
    ref: Ref
    targets: list[tuple[str, str]]  # (kind, name) in ref.namespace
    allow_cidrs: list[tuple[str, list[str]]]  # (action, cidrs) in order
    default_action: str
    authn: bool


@dataclass
class Model:
    gateways: dict[tuple[str, str], Gateway] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    attached: dict[int, list[Route]] = field(default_factory=dict)  # id(listener) -> routes
    grants: list[tuple[str, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = field(
        default_factory=list)  # (namespace, from[(group, kind, ns)], to[(group, kind, name)])
    namespace_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    policies: list[Policy] = field(default_factory=list)
    regex_rank: int = REGEX_RANK["standard"]
    # Indexes built once after attachment (lookups per probe stay O(labels), not O(routes)).
    claims: o.HostIndex[Gateway] = field(default_factory=o.HostIndex)
    hostless: list[Gateway] = field(default_factory=list)
    routes_by_host: dict[int, o.HostIndex[Route]] = field(default_factory=dict)
    serving_cache: dict[tuple[str, tuple[str, ...], str], list[Gateway]] = field(
        default_factory=dict)
    # Envoy Gateway Backends: (namespace, name) -> "ns/svc:port" of the Service its single
    # fqdn endpoint names, or None when it names no cluster Service (IP, external host ...)
    eg_backends: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # (namespace, target kind, target name) -> kinds of policies attached that verify does
    # not model (anything with spec.targetRef(s) outside MODELLED_POLICIES)
    opaque: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)


def _labels(ns: str, model: Model) -> dict[str, str]:
    base = {"kubernetes.io/metadata.name": ns}
    base.update(model.namespace_labels.get(ns, {}))
    return base


def selector_matches(sel: dict[str, object], labels: dict[str, str]) -> bool:
    """metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist)."""
    ml = sel.get("matchLabels")
    if isinstance(ml, dict) and any(labels.get(str(k)) != str(v) for k, v in ml.items()):
        return False
    for e in o.dicts(sel.get("matchExpressions")):
        key, op, values = str(e.get("key")), e.get("operator"), o.strs(e.get("values"))
        has = key in labels
        if op == "In" and (not has or labels[key] not in values):
            return False
        if op == "NotIn" and has and labels[key] in values:
            return False
        if op == "Exists" and not has:
            return False
        if op == "DoesNotExist" and has:
            return False
    return True


def _listener(gw: Ref, raw: o.Obj, owner_ns: str, ls: Ref | None) -> Listener | None:
    port, proto = raw.get("port"), raw.get("protocol")
    if not isinstance(port, int) or not isinstance(proto, str):
        return None
    host = raw.get("hostname") if isinstance(raw.get("hostname"), str) else None
    ar = o.sub(raw, "allowedRoutes")
    nss = o.sub(ar, "namespaces")
    kinds = tuple(str(k.get("kind")) for k in o.dicts(ar.get("kinds"))) or None
    tls = o.sub(raw, "tls")
    sel = o.sub(nss, "selector")
    certs = [(str(c.get("namespace") or owner_ns), str(c.get("name") or ""))
             for c in o.dicts(tls.get("certificateRefs"))
             if str(c.get("kind") or "Secret") == "Secret" and not c.get("group")]
    return Listener(gw, str(raw.get("name") or ""), port, proto, host.lower() if host else None,
                    owner_ns, str(nss.get("from") or "Same"), sel, kinds, ls,
                    str(tls.get("mode") or "Terminate"), certs)


def _match(raw: o.Obj) -> RouteMatch:
    p = raw.get("path") if isinstance(raw.get("path"), dict) else None
    path = None
    if p is not None:
        path = PathMatch(str(p.get("type") or "PathPrefix"), str(p.get("value") or "/"))
    headers = [(str(h.get("type") or "Exact"), str(h.get("name") or "").lower(),
                str(h.get("value") or "")) for h in o.dicts(raw.get("headers"))]
    query = [(str(q.get("type") or "Exact"), str(q.get("name") or ""), str(q.get("value") or ""))
             for q in o.dicts(raw.get("queryParams"))]
    method = raw.get("method") if isinstance(raw.get("method"), str) else None
    return RouteMatch(path, method, headers, query)


def _grpc_match(raw: o.Obj) -> RouteMatch:
    m = o.sub(raw, "method")
    svc, meth = m.get("service"), m.get("method")
    path = None
    if m and str(m.get("type") or "Exact") == "Exact":
        if svc and meth:
            path = PathMatch("Exact", f"/{svc}/{meth}")
        elif svc:
            path = PathMatch("PathPrefix", f"/{svc}")
        elif meth:
            path = PathMatch("RegularExpression", f"/[^/]+/{re.escape(str(meth))}")
    elif m:
        path = PathMatch("RegularExpression", f"/{svc or '[^/]+'}/{meth or '[^/]+'}")
    headers = [(str(h.get("type") or "Exact"), str(h.get("name") or "").lower(),
                str(h.get("value") or "")) for h in o.dicts(raw.get("headers"))]
    return RouteMatch(path, None, headers, [])


def _source(obj: o.Obj, ns: str) -> Ref | None:
    src = o.annotations_of(obj).get("gwshift.dev/source", "")
    kind, _, name = src.partition("/")
    return Ref(kind, ns, name) if kind in SOURCE_KINDS and name else None


def _source_class(obj: o.Obj) -> str | None:
    src = o.annotations_of(obj).get("gwshift.dev/source", "")
    kind, _, name = src.partition("/")
    return name if kind == "IngressClass" else None


def build(objs: list[o.Obj], default_ns: str, target: str = "standard") -> Model:
    model = Model(regex_rank=REGEX_RANK.get(target, REGEX_RANK["standard"]))
    listener_sets: list[o.Obj] = []
    for obj in objs:
        k, g = o.kind(obj), o.group(obj)
        ns = o.namespace(obj, default_ns)
        sp = o.spec(obj)
        if k == "Namespace":
            labels = o.meta(obj).get("labels")
            if isinstance(labels, dict):
                model.namespace_labels[o.name(obj)] = {str(a): str(b) for a, b in labels.items()}
        elif g == GW_GROUP and k == "Gateway":
            ref = Ref("Gateway", ns, o.name(obj))
            ls = [x for x in (_listener(ref, raw, ns, None) for raw in o.dicts(sp.get("listeners")))
                  if x is not None]
            al = o.sub(sp, "allowedListeners")
            alns = o.sub(al, "namespaces")
            sel = o.sub(alns, "selector")
            model.gateways[(ns, ref.name)] = Gateway(
                ref, str(sp.get("gatewayClassName") or ""), ls,
                allowed_listeners=str(alns.get("from") or "None"), allowed_listener_selector=sel,
                source_class=_source_class(obj))
        elif g == GW_GROUP and k in ("ListenerSet", "XListenerSet"):
            listener_sets.append(obj)
        elif g == GW_GROUP and k in ROUTE_KINDS:
            rules = []
            for i, r in enumerate(o.dicts(sp.get("rules"))):
                raw_matches = o.dicts(r.get("matches")) or [{}]
                conv = _match if k == "HTTPRoute" else _grpc_match
                matches = [conv(m) for m in raw_matches]
                if k == "HTTPRoute":
                    for m in matches:
                        if m.path is None:
                            m.path = PathMatch("PathPrefix", "/")
                rules.append(Rule(i, matches, o.dicts(r.get("filters")), o.dicts(r.get("backendRefs"))))
            model.routes.append(Route(Ref(k, ns, o.name(obj)),
                                      [h.lower() for h in o.strs(sp.get("hostnames"))],
                                      o.dicts(sp.get("parentRefs")), rules, o.created(obj),
                                      _source(obj, ns), len(model.routes)))
        elif g == GW_GROUP and k in L4_KINDS:
            l4_rules = [Rule(i, [], [], o.dicts(r.get("backendRefs")))
                        for i, r in enumerate(o.dicts(sp.get("rules")))]
            model.routes.append(Route(Ref(k, ns, o.name(obj)),
                                      [h.lower() for h in o.strs(sp.get("hostnames"))],
                                      o.dicts(sp.get("parentRefs")), l4_rules, o.created(obj),
                                      _source(obj, ns), len(model.routes)))
        elif g == GW_GROUP and k == "ReferenceGrant":
            frm = [(str(f.get("group") or ""), str(f.get("kind") or ""), str(f.get("namespace") or ""))
                   for f in o.dicts(sp.get("from"))]
            to = [(str(t.get("group") or ""), str(t.get("kind") or ""), str(t.get("name") or ""))
                  for t in o.dicts(sp.get("to"))]
            model.grants.append((ns, frm, to))
        elif g == "gateway.envoyproxy.io" and k == "SecurityPolicy":
            model.policies.append(_envoy_security(obj, ns))
        elif g == EG_GROUP and k == "Backend":
            model.eg_backends[(ns, o.name(obj))] = eg_backend_service(sp)
        elif g not in (GW_GROUP, "") and (sp.get("targetRefs") or sp.get("targetRef")):
            for t in o.dicts(sp.get("targetRefs")) + o.dicts([sp.get("targetRef")]):
                key = (ns, str(t.get("kind") or ""), str(t.get("name") or ""))
                model.opaque.setdefault(key, set()).add(f"{k}.{g}")
    for obj in listener_sets:
        _join_listener_set(model, obj, default_ns)
    for route in model.routes:
        _attach(model, route)
    _index(model)
    return model


def _certificates_permitted(model: Model, lis: Listener) -> bool:
    """A Secret in another namespace needs a ReferenceGrant there, from the Gateway's (or
    ListenerSet's) namespace (gateway_types.go GatewayTLSConfig.CertificateRefs); without
    it the listener has ResolvedRefs=False and serves nothing."""
    kind = "ListenerSet" if lis.listener_set else "Gateway"
    for ns, name in lis.cert_refs:
        if ns == lis.owner_ns:
            continue
        if not any(gns == ns and any(g == GW_GROUP and k == kind and f == lis.owner_ns
                                     for g, k, f in frm)
                   and any(g == "" and k == "Secret" and (not n or n == name) for g, k, n in to)
                   for gns, frm, to in model.grants):
            return False
    return True


def _index(model: Model) -> None:
    for gw in model.gateways.values():
        named: set[str] = set()
        gw.by_host = o.HostIndex()
        for lis in gw.listeners:
            if lis.protocol == "HTTPS" and not _certificates_permitted(model, lis):
                continue  # not programmed: neither serves nor claims its hostname
            gw.by_host.add(lis.hostname, lis)
            if lis.hostname is not None:
                named.add(lis.hostname)
            else:
                if gw not in model.hostless:
                    model.hostless.append(gw)
            idx: o.HostIndex[Route] = o.HostIndex()
            for route in model.attached.get(id(lis), []):
                named.update(route.hostnames)
                hosts: list[str | None] = list(route.hostnames) or [None]
                for h in hosts:
                    idx.add(h, route)
            model.routes_by_host[id(lis)] = idx
        for h in sorted(named):
            model.claims.add(h, gw)


def _candidates(model: Model, lis: Listener, host: str) -> list[Route]:
    """Routes attached to ``lis`` that may serve ``host`` (each once, attachment order)."""
    idx = model.routes_by_host.get(id(lis))
    if idx is None:
        return []
    seen: dict[int, Route] = {}
    for r in idx.lookup(host):
        seen.setdefault(id(r), r)
    return sorted(seen.values(), key=lambda r: r.pos)


def _envoy_security(obj: o.Obj, ns: str) -> Policy:
    sp = o.spec(obj)
    targets = [(str(t.get("kind") or ""), str(t.get("name") or ""))
               for t in o.dicts(sp.get("targetRefs")) + o.dicts([sp.get("targetRef")])]
    authz = sp.get("authorization") if isinstance(sp.get("authorization"), dict) else None
    rules: list[tuple[str, list[str]]] = []
    default = "Allow"
    if authz is not None:
        default = str(authz.get("defaultAction") or "Deny")
        for r in o.dicts(authz.get("rules")):
            pr = o.sub(r, "principal")
            rules.append((str(r.get("action") or "Allow"), o.strs(pr.get("clientCIDRs"))))
    authn = any(isinstance(sp.get(k), dict) for k in ("basicAuth", "extAuth", "jwt", "oidc",
                                                       "apiKeyAuth"))
    return Policy(Ref("SecurityPolicy", ns, o.name(obj)), targets, rules, default, authn)


def _join_listener_set(model: Model, obj: o.Obj, default_ns: str) -> None:
    ns = o.namespace(obj, default_ns)
    sp = o.spec(obj)
    pr = o.sub(sp, "parentRef")
    gw = _gateway(model, str(pr.get("namespace") or ns), str(pr.get("name") or ""))
    if gw is None:
        return
    if not gw.external:
        allowed = gw.allowed_listeners
        if allowed == "None" or (allowed == "Same" and ns != gw.ref.namespace):
            return
        if allowed == "Selector" and not selector_matches(gw.allowed_listener_selector,
                                                          _labels(ns, model)):
            return
    ls = Ref("ListenerSet", ns, o.name(obj))
    for raw in o.dicts(sp.get("listeners")):
        lis = _listener(gw.ref, raw, ns, ls)
        if lis is not None:
            gw.listeners.append(lis)


def _gateway(model: Model, ns: str, name: str) -> Gateway | None:
    gw = model.gateways.get((ns, name))
    if gw is None and name:
        # Referenced but not given (an existing, shared Gateway): assume it listens on HTTP
        # 80 and HTTPS 443 for every hostname and admits every namespace.
        ref = Ref("Gateway", ns, name)
        gw = Gateway(ref, "", [], external=True)
        gw.listeners = [Listener(ref, "*", 80, "HTTP", None, ns, "All"),
                        Listener(ref, "*", 443, "HTTPS", None, ns, "All")]
        model.gateways[(ns, name)] = gw
    return gw


def _hosts_intersect(listener: str | None, hostnames: list[str]) -> bool:
    if listener is None or not hostnames:
        return True
    for h in hostnames:
        if (o.host_matches(listener, h, one_label=False) or o.host_matches(h, listener, one_label=False)
                or h == listener):
            return True
    return False


def _admits(model: Model, lis: Listener, route: Route) -> bool:
    kinds = lis.kinds if lis.kinds is not None else DEFAULT_KINDS.get(lis.protocol, ())
    if route.ref.kind not in kinds:
        return False
    ns = route.ref.namespace
    if lis.allowed_from == "All":
        return True
    if lis.allowed_from == "Selector":
        return selector_matches(lis.selector, _labels(ns, model))
    return lis.allowed_from == "Same" and ns == lis.owner_ns


def _attach(model: Model, route: Route) -> None:
    for pr in route.parents:
        kind = str(pr.get("kind") or "Gateway")
        ns = str(pr.get("namespace") or route.ref.namespace)
        name = str(pr.get("name") or "")
        section = pr.get("sectionName") if isinstance(pr.get("sectionName"), str) else None
        port = pr.get("port") if isinstance(pr.get("port"), int) else None
        if kind == "Gateway":
            gw = _gateway(model, ns, name)
            if gw is None:
                continue
            cands = [lis for lis in gw.listeners if lis.listener_set is None]
        elif kind in ("ListenerSet", "XListenerSet"):
            ls = Ref("ListenerSet", ns, name)
            cands = [lis for gw in model.gateways.values() for lis in gw.listeners
                     if lis.listener_set == ls]
        else:
            continue
        for lis in cands:
            if section is not None and lis.name != section and lis.name != "*":
                continue
            if port is not None and lis.port != port:
                continue
            if not _admits(model, lis, route) or not _hosts_intersect(lis.hostname, route.hostnames):
                continue
            bucket = model.attached.setdefault(id(lis), [])
            if not bucket or bucket[-1] is not route:  # routes attach in input order
                bucket.append(route)


# -- request evaluation ------------------------------------------------------------------

def _host_rank(pattern: str | None, host: str) -> tuple[int, int] | None:
    """How specifically ``pattern`` matches ``host``: exact > longer wildcard > none."""
    if pattern is None:
        return (0, 0)
    if not o.host_matches(pattern, host, one_label=False):
        return None
    return (2, len(pattern)) if not pattern.startswith("*") else (1, len(pattern))


def listener_for(gw: Gateway, req: Request) -> Listener | None:
    protocols = ("HTTP",) if req.scheme == "http" else ("HTTPS", "TLS")
    best: tuple[tuple[int, int], Listener] | None = None
    for lis in gw.by_host.lookup(req.host) if gw.by_host is not None else gw.listeners:
        if lis.port != req.port or lis.protocol not in protocols:
            continue
        rank = _host_rank(lis.hostname, req.host)
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, lis)
    return best[1] if best else None


def _route_host_rank(route: Route, lis: Listener, host: str) -> tuple[int, int] | None:
    if not route.hostnames:
        return _host_rank(lis.hostname, host)
    ranks = [r for h in route.hostnames
             if (r := _host_rank(h, host)) is not None and _hosts_intersect(lis.hostname, [h])]
    return max(ranks) if ranks else None


_rx_cache: dict[str, re.Pattern[str] | None] = {}


def _rx(pattern: str) -> re.Pattern[str] | None:
    if pattern not in _rx_cache:
        if len(_rx_cache) > 10_000:
            _rx_cache.clear()
        _rx_cache[pattern] = o.safe_regex(pattern)
    return _rx_cache[pattern]


def path_matches(pm: PathMatch, path: str) -> bool | None:
    if pm.type == "Exact":
        return path == pm.value
    if pm.type == "PathPrefix":
        v = pm.value.rstrip("/")
        return v == "" or path == v or path.startswith(v + "/")
    if pm.type == "RegularExpression":
        rx = _rx(pm.value)
        return None if rx is None else rx.fullmatch(path) is not None
    return None


def _value_matches(kind: str, want: str, got: str | None) -> bool:
    if got is None:
        return False
    if kind == "RegularExpression":
        rx = _rx(want)
        return rx is not None and rx.fullmatch(got) is not None
    return want == got


def match_applies(m: RouteMatch, req: Request) -> bool | None:
    if m.path is not None:
        ok = path_matches(m.path, req.path)
        if not ok:
            return ok
    if m.method is not None and m.method != req.method:
        return False
    for kind, name, value in m.headers:
        if not _value_matches(kind, value, req.header(name)):
            return False
    if m.query:
        params = dict(parse_qsl(req.query, keep_blank_values=True))
        for kind, name, value in m.query:
            if not _value_matches(kind, value, params.get(name)):
                return False
    return True


def _precedence(model: Model, route: Route, rule: Rule, mi: int, m: RouteMatch,
                hrank: tuple[int, int]) -> tuple[object, ...]:
    pm = m.path
    if pm is None:
        prank: tuple[int, int] = (PATH_RANK["PathPrefix"], -1)
    elif pm.type == "RegularExpression":
        prank = (model.regex_rank, -len(pm.value))
    else:
        prank = (PATH_RANK.get(pm.type, 4), -len(pm.value) if pm.type == "PathPrefix" else 0)
    return (-hrank[0], -hrank[1], prank, 0 if m.method else 1, -len(m.headers), -len(m.query),
            route.created or "~", route.ref.namespace, route.ref.name, rule.index, mi)


def _grpc_conflict(model: Model, lis: Listener, route: Route, host: str) -> bool:
    """GRPCRoute and HTTPRoute on one hostname: the GRPCRoute is not accepted (GEP-1016)."""
    if route.ref.kind != "GRPCRoute":
        return False
    return any(r.ref.kind == "HTTPRoute" and _route_host_rank(r, lis, host) is not None
               for r in _candidates(model, lis, host))


def _prefix_replace(prefix: str, replacement: str, path: str) -> str:
    rest = path[len(prefix.rstrip("/")):]
    out = replacement.rstrip("/") + rest
    return out or "/"


def _granted(model: Model, route: Route, ns: str, name: str,
             to_group: str = "", to_kind: str = "Service") -> bool:
    for gns, frm, to in model.grants:
        if gns != ns:
            continue
        if not any(g == GW_GROUP and k == route.ref.kind and f == route.ref.namespace
                   for g, k, f in frm):
            continue
        if any(g == to_group and k == to_kind and (not n or n == name) for g, k, n in to):
            return True
    return False

# A cluster Service's DNS names (Kubernetes DNS spec: <svc>.<ns>.svc.<zone>; the shorter
# forms through the Pod's resolv.conf search list <ns>.svc.cluster.local svc.cluster.local).
_SVC_DNS = re.compile(r"^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)"
                      r"(?:\.svc(?:\.cluster\.local)?)?\.?$")


def eg_backend_service(sp: o.Obj) -> str | None:
    """``ns/svc:port`` of the Service an Envoy Gateway Backend spec reaches, or None.

    Only ``type: Endpoints`` (the default; ``DynamicResolver`` picks the host per request)
    with exactly one endpoint, an ``fqdn`` whose hostname is a Service DNS name and whose
    ``port`` is an integer, resolves (CRD ``gateway.envoyproxy.io_backends.yaml``:
    ``endpoints[].fqdn.hostname``/``port``; ``ip`` and ``unix`` endpoints never name a
    Service)."""
    if str(sp.get("type") or "Endpoints") != "Endpoints":
        return None
    eps = o.dicts(sp.get("endpoints"))
    if len(eps) != 1 or set(eps[0]) - {"fqdn", "zone"}:
        return None
    fqdn = o.sub(eps[0], "fqdn")
    host, port = fqdn.get("hostname"), fqdn.get("port")
    if not isinstance(host, str) or not isinstance(port, int) or isinstance(port, bool):
        return None
    m = _SVC_DNS.match(host.lower())
    if m is None:
        return None
    return f"{m.group(2)}/{m.group(1)}:{port}"


def backend_ref(model: Model, route: Route, b: o.Obj) -> str:
    """What one backendRef of ``route`` reaches: ``ns/svc:port``, ``Backend/<name>`` (an
    Envoy Gateway Backend that names no Service) or ``!<why>`` (an invalid ref: 500)."""
    group, kind = str(b.get("group") or ""), str(b.get("kind") or "Service")
    ns = str(b.get("namespace") or route.ref.namespace)
    name, port = str(b.get("name") or ""), b.get("port")
    if group == EG_GROUP and kind == "Backend":
        if ns != route.ref.namespace and not _granted(model, route, ns, name, EG_GROUP, "Backend"):
            return f"!not granted: Backend {ns}/{name}"
        if (ns, name) not in model.eg_backends:
            return f"!Backend:{ns}/{name} (missing)"
        svc = model.eg_backends[(ns, name)]
        if svc is None:
            return f"Backend/{name}" if ns == route.ref.namespace else f"Backend/{ns}/{name}"
        return svc
    if group != "" or kind != "Service":
        return f"!{kind}:{ns}/{name}"
    if not isinstance(port, int):
        return f"!no port: {ns}/{name}"
    if ns != route.ref.namespace and not _granted(model, route, ns, name):
        return f"!not granted: {ns}/{name}:{port}"
    return f"{ns}/{name}:{port}"


def _policy(model: Model, route: Route, gw: Gateway) -> Policy | None:
    for kind, ref in (("HTTPRoute", route.ref), ("Gateway", gw.ref)):
        for p in model.policies:
            if p.ref.namespace == ref.namespace and (route.ref.kind if kind == "HTTPRoute" else kind, ref.name) in p.targets:
                return p
    return None


def _denied(p: Policy, req: Request) -> int | None:
    if p.authn:
        return 401
    if not p.allow_cidrs and p.default_action == "Allow":
        return None
    for action, cidrs in p.allow_cidrs:
        if o.in_cidrs(req.client, cidrs):
            return None if action == "Allow" else 403
    return None if p.default_action == "Allow" else 403


def evaluate_gateway(model: Model, gw: Gateway, req: Request) -> Verdict:
    lis = listener_for(gw, req)
    if lis is None:
        return status(404, f"no {req.scheme.upper()} listener for the host on {gw.ref}")
    if lis.protocol == "TLS":
        return unknown("TLS listener (passthrough)")
    best: tuple[tuple[object, ...], Route, Rule, RouteMatch] | None = None
    for route in _candidates(model, lis, req.host):
        hrank = _route_host_rank(route, lis, req.host)
        if hrank is None or _grpc_conflict(model, lis, route, req.host):
            continue
        for rule in route.rules:
            for mi, m in enumerate(rule.matches):
                ok = match_applies(m, req)
                if ok is None:
                    return unknown(f"match not modelled in {route.ref}")
                if ok:
                    key = _precedence(model, route, rule, mi, m, hrank)
                    if best is None or key < best[0]:
                        best = (key, route, rule, m)
    if best is None:
        return status(404, f"no route rule on {gw.ref} listener {lis.name}")
    _, route, rule, m = best
    by = (route.source,) if route.source else (route.ref,)
    opaque = _opaque(model, route, rule, gw)
    pol = _policy(model, route, gw)
    if pol is not None:
        code = _denied(pol, req)
        if code is not None:
            return status(code, f"{pol.ref}", by)._replace(opaque=opaque)
    return apply_rule(model, route, rule, m, req, lis, by)._replace(opaque=opaque)


def _opaque(model: Model, route: Route, rule: Rule, gw: Gateway) -> tuple[str, ...]:
    """Kinds of filters/policies on this rule, route or Gateway that verify cannot read."""
    kinds = {f"{x.get('kind')}.{x.get('group')}" for f in rule.filters
             if f.get("type") == "ExtensionRef" for x in [o.sub(f, "extensionRef")]}
    kinds |= model.opaque.get((route.ref.namespace, route.ref.kind, route.ref.name), set())
    kinds |= model.opaque.get((gw.ref.namespace, "Gateway", gw.ref.name), set())
    return tuple(sorted(kinds))


def apply_rule(model: Model, route: Route, rule: Rule, m: RouteMatch, req: Request,
               lis: Listener, by: tuple[Ref, ...]) -> Verdict:
    path = req.path
    headers: dict[str, str] = {}
    for f in rule.filters:
        t = f.get("type")
        if t == "ExternalAuth":
            return status(401, "ExternalAuth filter", by)
        if t == "RequestRedirect":
            r = o.sub(f, "requestRedirect")
            scheme = str(r.get("scheme") or req.scheme)
            host = str(r.get("hostname") or req.host)
            port = r.get("port")
            if not isinstance(port, int):
                port = SCHEME_PORT.get(scheme) if r.get("scheme") else lis.port
            new_path = _modified(r.get("path"), m, path)
            if new_path is None:
                return unknown("redirect path modifier not modelled", by)
            hostport = host if port == SCHEME_PORT.get(scheme) else f"{host}:{port}"
            q = f"?{req.query}" if req.query else ""
            raw_code = r.get("statusCode")
            code = raw_code if isinstance(raw_code, int) else 302
            return redirect(code, f"{scheme}://{hostport}{new_path}{q}", by)
        if t == "URLRewrite":
            r = o.sub(f, "urlRewrite")
            new_path = _modified(r.get("path"), m, path)
            if new_path is None:
                return unknown("rewrite path modifier not modelled", by)
            path = new_path
            if isinstance(r.get("hostname"), str):
                headers["host"] = r["hostname"]
        if t == "RequestHeaderModifier":
            mod = o.sub(f, "requestHeaderModifier")
            for h in o.dicts(mod.get("set")) + o.dicts(mod.get("add")):
                headers[str(h.get("name") or "").lower()] = str(h.get("value") or "")
    if not rule.backends:
        return status(500, "rule without backends", by)
    shares: dict[str, float] = {}
    for b in rule.backends:
        weight = b.get("weight", 1)
        if not isinstance(weight, int) or weight <= 0:
            continue
        ref = backend_ref(model, route, b)
        shares[ref] = shares.get(ref, 0) + weight
    return backend(shares, path + (f"?{req.query}" if req.query else ""), by, headers)


def _modified(mod: object, m: RouteMatch, path: str) -> str | None:
    if not isinstance(mod, dict):
        return path
    t = mod.get("type")
    if t == "ReplaceFullPath":
        return str(mod.get("replaceFullPath") or "/")
    if t == "ReplacePrefixMatch" and m.path is not None and m.path.type == "PathPrefix":
        return _prefix_replace(m.path.value, str(mod.get("replacePrefixMatch") or ""), path)
    return None


# -- which Gateway answers ---------------------------------------------------------------

def claims(model: Model, gw: Gateway, host: str) -> bool:
    """Does ``gw`` serve ``host`` by name (a listener or an attached route naming it)?"""
    return any(g is gw for g in model.claims.named(host))


def serving(model: Model, host: str, classes: tuple[str, ...], source_class: str = "") -> list[Gateway]:
    """The Gateways a client resolving ``host`` may reach: those naming it, else those
    with a hostname-less listener; narrowed to the ones generated for the Ingress class
    (``gwshift.dev/source``), else to ``classes`` (gatewayClassName), when that leaves some."""
    key = (host, classes, source_class)
    cached = model.serving_cache.get(key)
    if cached is not None:
        return cached
    gws = list({id(g): g for g in model.claims.named(host)}.values()) or list(model.hostless)
    narrowed = [g for g in gws if g.source_class == source_class or g.external]
    narrowed = narrowed or [g for g in gws if g.cls in classes or g.external]
    out = sorted(narrowed or gws, key=lambda g: (g.ref.namespace, g.ref.name))
    if len(model.serving_cache) < 100_000:
        model.serving_cache[key] = out
    return out


def evaluate(model: Model, req: Request, classes: tuple[str, ...] = (),
             source_class: str = "") -> Verdict:
    gws = serving(model, req.host, classes, source_class)
    if not gws:
        return status(404, "no Gateway serves this host")
    verdicts = [(gw, evaluate_gateway(model, gw, req)) for gw in gws]
    first = verdicts[0][1]
    if all(v.result.key() == first.result.key() for _, v in verdicts[1:]):
        return first
    parts = "; ".join(f"{gw.ref}: {v.result.describe()}" for gw, v in verdicts)
    by = tuple(r for _, v in verdicts for r in v.by)
    return Verdict(Result("split", detail=f"split across Gateways: {parts}"), by)


# -- L4 (TCPRoute, TLSRoute, UDPRoute) -----------------------------------------------------

def evaluate_l4(model: Model, req: Request) -> Verdict:
    """An L4 probe (``req.scheme`` tcp / tls / udp, ``req.l4_port``, SNI in ``req.host``):
    the listener on that port and protocol (TLS: the most specific hostname matching the
    SNI), then its oldest attached route of the kind (TLSRoute: a hostname matching the
    SNI), whose first rule's backendRefs are the shares (``TCPRoute``/``TLSRoute``/
    ``UDPRoute`` v1alpha2/v1alpha3; GEP-735)."""
    want = {"tcp": "TCP", "udp": "UDP", "tls": "TLS"}.get(req.scheme, "")
    kind = {"TCP": "TCPRoute", "UDP": "UDPRoute", "TLS": "TLSRoute"}.get(want, "")
    verdicts: list[tuple[Gateway, Verdict]] = []
    for gw in sorted(model.gateways.values(), key=lambda g: (g.ref.namespace, g.ref.name)):
        if gw.external:
            continue
        best: tuple[tuple[int, int], Listener] | None = None
        for lis in gw.listeners:
            if lis.port != req.l4_port or lis.protocol != want:
                continue
            rank = _host_rank(lis.hostname, req.host) if want == "TLS" else (0, 0)
            if rank is not None and (best is None or rank > best[0]):
                best = (rank, lis)
        if best is None:
            continue
        lis = best[1]
        if want == "TLS" and lis.tls_mode != "Terminate":
            verdicts.append((gw, unknown("TLS passthrough listener (Kong terminates TLS)")))
            continue
        routes = [r for r in model.attached.get(id(lis), []) if r.ref.kind == kind
                  and (not r.hostnames or any(o.host_matches(h, req.host, one_label=False)
                                              for h in r.hostnames))]
        routes.sort(key=lambda r: (r.created or "~", r.ref.namespace, r.ref.name))
        if not routes or not routes[0].rules:
            verdicts.append((gw, status(404, f"no {kind} on {gw.ref} listener {lis.name}")))
            continue
        route = routes[0]
        by = (route.source,) if route.source else (route.ref,)
        shares: dict[str, float] = {}
        for b in route.rules[0].backends:
            weight = b.get("weight", 1)
            if not isinstance(weight, int) or weight <= 0:
                continue
            ns = str(b.get("namespace") or route.ref.namespace)
            name, port = str(b.get("name") or ""), b.get("port")
            ref = (f"!not granted: {ns}/{name}:{port}" if ns != route.ref.namespace
                   and not _granted(model, route, ns, name) else f"{ns}/{name}:{port}")
            shares[ref] = shares.get(ref, 0) + weight
        verdicts.append((gw, backend(shares, "", by)))
    if not verdicts:
        return status(404, f"no {want} listener on port {req.l4_port}")
    first = verdicts[0][1]
    if all(v.result.key() == first.result.key() for _, v in verdicts[1:]):
        return first
    parts = "; ".join(f"{gw.ref}: {v.result.describe()}" for gw, v in verdicts)
    return Verdict(Result("split", detail=f"split across Gateways: {parts}"),
                   tuple(r for _, v in verdicts for r in v.by))
