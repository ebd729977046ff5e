"""Traefik ``IngressRoute`` (traefik.io/v1alpha1) as a source: one HTTPRoute per host group.

Each ``spec.routes[]`` entry becomes one rule per host it matches (its ``match`` expression
expanded into HTTPRoute matches), with its weighted ``services`` as backendRefs and its
``middlewares`` applied to that rule only. ``entryPoints`` and ``tls`` choose the
listeners as the Ingress annotations do. Whatever cannot be expressed keeps the object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from gwshift.context import Context
from gwshift.handlers._listeners import ensure_certificate
from gwshift.handlers._split import split_prefix_rewrites
from gwshift.handlers._values import MAX_SECONDS, duration, parse_port
from gwshift.handlers.traefik import matchexpr, routing
from gwshift.handlers.traefik._common import fail_closed, metadata_problem, seq, show
from gwshift.handlers.traefik.middlewares import Origin, Scope, apply, resolve_crd_ref
from gwshift.handlers.traefik.service import backend_tls
from gwshift.model import (
    HTTP,
    HTTPS,
    BackendRef,
    Conversion,
    IngressTLS,
    ListenerKey,
    Match,
    Route,
    Rule,
    mapping,
)
from gwshift.names import host_slug, short_hash
from gwshift.notes import Note, ObjRef, error, info, warning

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
ENTRYPOINTS = {"web": HTTP, "websecure": HTTPS}


@dataclass(frozen=True, slots=True)
class IngressRoute:
    """The Source an IngressRoute conversion carries (the spec is read once, by ``parse``)."""

    api_version: str
    name: str
    namespace: str | None
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    doc: int
    rules: tuple[()] = ()  # no Ingress rules: neutral stages see none
    default_backend: None = None
    kind: str = "IngressRoute"
    _spec_key: str = field(default="", compare=False, repr=False)
    # Its routers that match a host and a path only (routing.rule_length_notes compares
    # them with the other routers of the host).
    routers: tuple[tuple[str | None, routing.Router], ...] = field(
        default=(), compare=False, repr=False)

    @property
    def ref(self) -> ObjRef:
        return ObjRef(self.kind, self.namespace, self.name, self.api_version)

    def annotation(self, key: str) -> str | None:
        return dict(self.annotations).get(key)

    def content_key(self) -> str:
        return repr((self.api_version, self.labels, self.annotations, self._spec_key))


def _strings(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), "" if v is None else str(v)) for k, v in mapping(raw).items()))


def parse(obj: dict[str, Any], doc: int, ctx: Context) -> tuple[Conversion | None, list[Note]]:
    meta = mapping(obj.get("metadata"))
    name = meta.get("name")
    ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
    api = str(obj.get("apiVersion", ""))
    problem = metadata_problem(meta)
    if problem is not None or not isinstance(name, str):
        where, message = problem or ("metadata.name", "metadata.name is required")
        return None, [error("traefik/ingressroute-invalid", f"{message}; the IngressRoute is "
                            "kept", ObjRef("IngressRoute", ns, name if isinstance(name, str)
                                           else None, api), where)._replace(doc=doc)]
    labels, annotations = _strings(meta.get("labels")), _strings(meta.get("annotations"))
    src = IngressRoute(api, name, ns, labels, annotations, doc,
                       _spec_key=repr(sorted(mapping(obj.get("spec")).items(), key=str)))
    cls = dict(annotations).get(CLASS_ANNOTATION) or "traefik"
    conv = Conversion(source=src, ingress_class=cls)
    conv.labels = {k: v for k, v in labels if len(v) <= 63}
    try:
        _build(conv, mapping(obj.get("spec")), ctx)
    except matchexpr.Unsupported as exc:
        conv.block(error("traefik/match-unsupported", f"{exc}; the IngressRoute is kept"))
    except _Invalid as exc:
        conv.block(error("traefik/ingressroute-invalid", f"{exc.message}; the IngressRoute is "
                         "kept", field=exc.where))
    return conv, []


class _Invalid(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass
class _Entry:
    index: int
    alts: list[matchexpr.Conj]
    backends: list[BackendRef]
    raw: dict[str, Any]
    rules: dict[str | None, Rule] = field(default_factory=dict)


def _build(conv: Conversion, spec: dict[str, Any], ctx: Context) -> None:
    http, https = _protocols(conv, spec, ctx)
    if conv.blocked:
        return
    entries = []
    for i, raw in enumerate(seq(spec.get("routes"))):
        raw = mapping(raw)
        where = f"spec.routes[{i}]"
        if raw.get("kind", "Rule") != "Rule":
            raise _Invalid(f"{where}.kind", f"kind {show(raw.get('kind'))} is not Rule")
        match = raw.get("match")
        if not isinstance(match, str) or not match.strip():
            raise _Invalid(f"{where}.match", "match is required")
        alts = matchexpr.parse(match)
        _v2_syntax(conv, raw, match, where)
        backends = _backends(conv, ctx, raw, where)
        if conv.blocked:
            return
        entries.append(_Entry(i, alts, backends, raw))
        _route_options(conv, raw, where)
    if not entries:
        conv.block(info("traefik/ingressroute-empty", "the IngressRoute has no routes; it is "
                        "kept as it is", field="spec.routes"))
        return
    _routes(conv, entries, http, https, spec, ctx)
    routing.string_prefix_notes(conv, ".match")
    if isinstance(conv.source, IngressRoute):
        eps = frozenset(str(e) for e in seq(spec.get("entryPoints")))
        conv.source = replace(conv.source, routers=_routers(conv, entries, eps))
    for e in entries:
        _services(conv, ctx, e)
        refs = [resolve_crd_ref(str(mapping(m).get("name") or ""),
                                mapping(m).get("namespace") if isinstance(
                                    mapping(m).get("namespace"), str) else None, conv, ctx)
                for m in seq(e.raw.get("middlewares"))]
        if refs:
            where = f"spec.routes[{e.index}].middlewares"
            mine = {id(rule) for rule in e.rules.values()}
            scopes = [Scope(r, [rule for rule in r.rules if id(rule) in mine])
                      for r in list(conv.routes)]
            apply(conv, ctx, refs, [s for s in scopes if s.rules], Origin(where, where))
        if conv.blocked:
            return
    split_prefix_rewrites(conv)


def _protocols(conv: Conversion, spec: dict[str, Any], ctx: Context) -> tuple[bool, bool]:
    eps = [str(e) for e in seq(spec.get("entryPoints"))]
    custom = [e for e in eps if e not in ENTRYPOINTS]
    if custom:
        fail_closed(conv, ctx, "spec.entryPoints", "traefik/custom-entrypoint",
                    f"entry point(s) {', '.join(custom)}",
                    "gwshift does not know their ports, and a custom entry point is often "
                    "internal-only; serving the routes on the public listeners could expose "
                    "them")
    tls = spec.get("tls")
    if tls is not None:
        t = mapping(tls)
        if t.get("options"):
            fail_closed(conv, ctx, "spec.tls.options", "traefik/tls-options", "spec.tls.options",
                        "a TLSOption may require client certificates (clientAuth); listener "
                        "TLS options are Gateway-wide and implementation-specific")
        return False, True
    known = [e for e in eps if e in ENTRYPOINTS]
    if not known:
        # Every entry point, as for an Ingress: HTTP; HTTPS only with a certificate named
        # (spec.tls), like the neutral plan of an Ingress host without TLS.
        return True, False
    return "web" in known, "websecure" in known


def _backends(conv: Conversion, ctx: Context, raw: dict[str, Any], where: str) -> list[BackendRef]:
    out = []
    for j, s in enumerate(seq(raw.get("services"))):
        s = mapping(s)
        sw = f"{where}.services[{j}]"
        if s.get("kind", "Service") != "Service":
            conv.block(error("traefik/service-kind-unsupported",
                             f"{s.get('kind')} backends (weighted/mirrored TraefikService) have "
                             "no Gateway API form here; the IngressRoute is kept",
                             field=f"{sw}.kind"))
            return []
        name = s.get("name")
        if not isinstance(name, str) or not name:
            raise _Invalid(f"{sw}.name", "service name is required")
        ns = s.get("namespace")
        if ns is not None and ns != "":
            problem = metadata_problem({"name": "x", "namespace": ns})
            if problem is not None:
                raise _Invalid(f"{sw}.namespace", problem[1].replace("metadata.namespace",
                                                                      "the service namespace"))
        ns = ns or None
        port = _port(ctx, ns or conv.source.namespace, name, s.get("port"), f"{sw}.port")
        if port is None:
            conv.block(error("ingress/unresolved-port-name",
                             f"service port {show(s.get('port'))} of Service {show(name)} cannot "
                             "be resolved to a number; the IngressRoute is kept",
                             field=f"{sw}.port"))
            return []
        weight = _weight(s.get("weight"), f"{sw}.weight")
        other_ns = ns if ns and ns != conv.source.namespace else None
        if other_ns:
            conv.note(warning("traefik/cross-namespace-backend",
                              f"Service {other_ns}/{name} is in another namespace: the Gateway "
                              "needs a ReferenceGrant in that namespace to reach it",
                              field=f"{sw}.namespace"))
        out.append(BackendRef(name, port, weight=weight, namespace=other_ns))
    if not out:
        raise _Invalid(f"{where}.services", "a route needs at least one service")
    return out


# Gateway API backendRef weight: 0..1 000 000 (the CRD's maximum).
MAX_WEIGHT = 1_000_000


def _weight(raw: Any, where: str) -> int | None:
    """Traefik's weight is an integer (the CRD refuses anything else); an unset weight is 1
    in both. A weight that is no integer 0..1 000 000 would silently become an equal split
    or an HTTPRoute the API server refuses: the IngressRoute is kept."""
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= MAX_WEIGHT:
        raise _Invalid(where, f"weight ({show(raw)}) must be an integer from 0 to {MAX_WEIGHT} "
                       "(the HTTPRoute backendRef range)")
    return raw


def _port(ctx: Context, ns: str | None, name: str, port: Any, where: str) -> int | None:
    if isinstance(port, int) and not isinstance(port, bool):
        return port if 1 <= port <= 65535 else None
    if isinstance(port, str) and port.strip().isdigit():
        # ASCII digits only, bounded: int() reads '٨٠' as 80 and raises on '²' or 5 000 digits.
        number = parse_port(port)
        if number is None:
            raise _Invalid(where, f"service port {show(port)} is not a port number "
                           "(ASCII digits, 1-65535)")
        return number
    if not isinstance(port, str):
        return None
    svc = ctx.find("Service", ns, name)
    for p in seq(mapping(mapping(svc).get("spec")).get("ports")):
        if isinstance(p, dict) and p.get("name") == port and isinstance(p.get("port"), int):
            return int(p["port"])
    return None


def _routers(conv: Conversion, entries: list[_Entry], eps: frozenset[str]
             ) -> tuple[tuple[str | None, routing.Router], ...]:
    """Traefik's router per route entry: priority ``priority`` or ``len(match)``."""
    out = []
    for e in entries:
        match = str(e.raw.get("match"))
        raw = e.raw.get("priority")
        explicit = raw if isinstance(raw, int) and not isinstance(raw, bool) and raw else None
        names = [b.name for b in e.backends]
        backend = f"Service {names[0]}" + (" and others" if len(names) > 1 else "")
        for alt in e.alts:
            if alt.path is None or alt.headers or alt.queries or alt.method:
                continue
            kind, value = alt.path
            matcher = {"Exact": "Path", "PathPrefix": "PathPrefix"}.get(kind)
            if matcher is None:
                continue
            out.append((alt.host, routing.Router(
                conv, value, matcher, match, explicit or len(match), explicit is not None,
                f"spec.routes[{e.index}].match", backend, eps)))
    return tuple(out)


def _v2_syntax(conv: Conversion, raw: dict[str, Any], match: str, where: str) -> None:
    """``Query(`k=v`)`` is the v2 form; under the v3 rule syntax (Traefik v3's default, unless
    the route says ``syntax: v2``) it names a parameter ``k=v`` that ordinary requests never
    send. The conversion keeps the v2 meaning (``k`` equals ``v``), which the author meant."""
    if str(raw.get("syntax") or "v3").strip().lower() != "v3":
        return
    for q in matchexpr.v2_queries(match):
        k, _, v = q.partition("=")
        conv.note(warning("traefik/query-v3-syntax",
                          f"Query(`{q}`) is v2 rule syntax: Traefik v3 (default rule syntax v3) "
                          f"matched a query parameter named {q!r}, so '?{q}' did not match this "
                          f"route; the HTTPRoute matches parameter {k!r} = {v!r} (the v2 "
                          f"meaning). Write Query(`{k}`, `{v}`) in Traefik, or set syntax: v2 "
                          "on the route if Traefik reads it as v2 (core.defaultRuleSyntax)",
                          field=f"{where}.match"))


def _route_options(conv: Conversion, raw: dict[str, Any], where: str) -> None:
    if raw.get("priority") not in (None, 0):
        conv.note(warning("traefik/priority-not-converted", "route priority is not converted: "
                          "Gateway API route precedence is fixed (longest match first); check "
                          "overlapping routes", field=f"{where}.priority"))
    for k in ("syntax", "observability"):
        if raw.get(k):
            conv.note(info(f"traefik/{k}-not-converted", f"{k} changes nothing in the "
                           "converted route", field=f"{where}.{k}"))


def _routes(conv: Conversion, entries: list[_Entry], http: bool, https: bool,
            spec: dict[str, Any], ctx: Context) -> None:
    """Group hosts with identical rules into one route (like Ingress conversion)."""
    by_host: dict[str | None, list[tuple[_Entry, list[matchexpr.Conj]]]] = {}
    for e in entries:
        hosts: dict[str | None, list[matchexpr.Conj]] = {}
        for alt in e.alts:
            hosts.setdefault(alt.host, []).append(alt)
        for host, alts in hosts.items():
            by_host.setdefault(host, []).append((e, alts))
    if None in by_host and len(by_host) > 1:
        conv.note(info("traefik/hostless-alternative",
                       "alternatives without Host() match every host; they become a route "
                       "without hostnames next to the host routes", field="spec.routes"))
    groups: dict[str, list[str | None]] = {}
    for host, items in by_host.items():
        sig = repr((host is None, [(e.index, [(a.path, a.headers, a.queries, a.method)
                                              for a in alts]) for e, alts in items]))
        groups.setdefault(sig, []).append(host)
    tls_spec = mapping(spec.get("tls"))
    secret = tls_spec.get("secretName") if isinstance(tls_spec.get("secretName"), str) else None
    for group in groups.values():
        names = sorted(h for h in group if h is not None)
        rules = []
        for e, alts in by_host[group[0]]:
            rule = Rule([_match(a) for a in alts], [_copy(b) for b in e.backends],
                        f"spec.routes[{e.index}]")
            for h in group:
                e.rules[h] = rule
            rules.append(rule)
        keys = []
        for h in group if not names else names:
            if http:
                keys.append(ListenerKey(h, HTTP))
            if https:
                if secret and not any(h in t.hosts or (h is None and not t.hosts)
                                      for t in conv.tls):
                    conv.tls.append(IngressTLS((h,) if h else (), secret, "spec.tls.secretName"))
                keys.append(ListenerKey(h, HTTPS))
        conv.routes.append(Route("HTTPRoute", "", names, rules, keys))
    if https:
        _certificates(conv, ctx, tls_spec)
    if len(conv.routes) > 1:
        firsts = [r.hostnames[0] if r.hostnames else None for r in conv.routes]
        slugs = [host_slug(h) for h in firsts]
        for r, h, s in zip(conv.routes, firsts, slugs):
            r.suffix = s if slugs.count(s) == 1 else f"{s}-{short_hash(h or '')}"


def _certificates(conv: Conversion, ctx: Context, tls_spec: dict[str, Any]) -> None:
    ctx.invalidate_tls()  # the TLS entries above are new
    why = ("Traefik served these hosts over TLS with " + (
        f"certificates from its {tls_spec['certResolver']!r} ACME resolver"
        if tls_spec.get("certResolver") else "its default certificate") +
        " and spec.tls names no Secret")
    for route in conv.routes:
        for k in route.listeners:
            if k.protocol == HTTPS:
                ensure_certificate(conv, ctx, k.hostname, "traefik/tls-secret-placeholder",
                                   "spec.tls", why)
    if tls_spec.get("domains"):
        conv.note(info("traefik/tls-domains-not-converted", "certificate domains come from the "
                       "Secret; listener hostnames from the Host() matches", field="spec.tls"))


def _match(alt: matchexpr.Conj) -> Match:
    kind, value = alt.path if alt.path else (None, None)
    return Match(kind, value, [dict(h) for h in alt.headers], [dict(q) for q in alt.queries],
                 alt.method)


def _copy(b: BackendRef) -> BackendRef:
    return BackendRef(b.name, b.port, b.group, b.kind, b.weight, b.namespace)


def _services(conv: Conversion, ctx: Context, e: _Entry) -> None:
    """Per-service options of the route entry (scheme, sticky, passHostHeader ...)."""
    rules = list({id(r): r for r in e.rules.values()}.values())
    for j, s in enumerate(seq(e.raw.get("services"))):
        s = mapping(s)
        where = f"spec.routes[{e.index}].services[{j}]"
        name = str(s.get("name"))
        scheme = str(s.get("scheme") or "").lower()
        port = s.get("port")
        implicit = not scheme and (port == 443 or str(port).startswith("https"))
        if scheme == "https" or implicit:
            intent = backend_tls(conv, ctx, name, f"{where}.scheme", f"{where}.scheme",
                                 "Traefik uses HTTPS for port 443 or a port named https*"
                                 if implicit else "scheme https")
            for rule in rules:
                if intent not in rule.intents:
                    rule.intents.append(intent)
        elif scheme == "h2c":
            conv.note(warning("traefik/backend-h2c", "h2c upstreams are selected by the Service "
                              "port's appProtocol in Gateway API: set appProtocol: "
                              "kubernetes.io/h2c on the Service port", field=f"{where}.scheme"))
        if s.get("passHostHeader") is False:
            conv.note(warning("traefik/passhostheader-not-converted", "passHostHeader false is "
                              "not converted: the backend receives the client's Host",
                              field=f"{where}.passHostHeader"))
        if s.get("serversTransport"):
            conv.note(warning("traefik/serverstransport-not-converted", "ServersTransport "
                              "settings have no Gateway API form here",
                              field=f"{where}.serversTransport"))
        cookie = mapping(mapping(s.get("sticky")).get("cookie"))
        if s.get("sticky") is not None:
            _sticky(conv, ctx, rules, cookie, f"{where}.sticky")
        for k in ("healthCheck", "strategy", "responseForwarding", "nativeLB", "nodePortLB"):
            if s.get(k) not in (None, False, ""):
                conv.note(info("traefik/service-option-not-converted", f"{k} is the "
                               "implementation's choice; not converted", field=f"{where}.{k}"))


def _sticky(conv: Conversion, ctx: Context, rules: list[Rule], cookie: dict[str, Any],
            where: str) -> None:
    if ctx.settings.channel != "experimental":
        conv.note(warning("traefik/sticky-experimental", "sticky sessions need "
                          "sessionPersistence (experimental channel); not emitted, requests are "
                          "no longer sticky", field=where))
        return
    sp: dict[str, Any] = {"type": "Cookie"}
    if isinstance(cookie.get("name"), str) and cookie["name"]:
        sp["sessionName"] = cookie["name"]
    age = cookie.get("maxAge")
    if isinstance(age, int) and not isinstance(age, bool) and age > MAX_SECONDS:
        # Bounded here, with a note, rather than clamped silently by duration().
        conv.note(warning("traefik/invalid-value", f"cookie maxAge {show(age)} is above "
                          f"{MAX_SECONDS} seconds (over 3 years), the longest a Gateway API "
                          "duration written by gwshift holds; not converted (the "
                          "implementation's cookie lifetime applies)", field=f"{where}.cookie.maxAge"))
    elif isinstance(age, int) and not isinstance(age, bool) and age > 0:
        sp["absoluteTimeout"] = duration(age)
        sp["cookieConfig"] = {"lifetimeType": "Permanent"}
    for rule in rules:
        rule.session_persistence = dict(sp)
