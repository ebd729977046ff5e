"""Controller-neutral mapping of an Ingress into a route plan (no annotations read here)."""

from __future__ import annotations

import re

from gwshift.context import Context
from gwshift.model import (
    HTTP,
    HTTPS,
    BackendRef,
    Conversion,
    Ingress,
    IngressBackend,
    IngressPath,
    ListenerKey,
    Match,
    Route,
    Rule,
    mapping,
)
from gwshift.names import host_slug, short_hash
from gwshift.notes import error, info, warning

PATH_TYPES = {"Exact": "Exact", "Prefix": "PathPrefix"}
# HTTPRoute CEL rules for Exact/PathPrefix values (RFC 3986 pchar, no dot segments).
_PCHAR = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")
_BAD_SEGMENTS = ("//", "/./", "/../", "%2f", "%2F", "#")
_HOSTNAME = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_IPV4 = re.compile(r"^[0-9.]+$")


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot be an Exact/PathPrefix value, or None when it can."""
    if not path.startswith("/"):
        return "must start with '/'"
    if len(path) > 1024:
        return "is longer than 1024 characters"
    if any(bad in path for bad in _BAD_SEGMENTS) or path.endswith(("/..", "/.")):
        return "contains '//', '/./', '/../', '%2f' or '#', or ends with '/.' or '/..'"
    if not _PCHAR.match(path):
        return "contains characters outside RFC 3986 path characters"
    return None


def host_problem(host: str) -> str | None:
    if len(host) > 253 or not _HOSTNAME.match(host):
        return "is not a valid DNS name (lowercase letters, digits, '-', '.'; optional '*.')"
    if _IPV4.match(host) or ":" in host:
        return "is an IP address; Gateway API hostnames must be DNS names"
    return None


_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def new_conversion(ing: Ingress, ctx: Context) -> Conversion:
    cls = ing.ingress_class or ctx.default_ingress_class
    conv = Conversion(source=ing, ingress_class=cls, tls=list(ing.tls))
    for key, value in ing.labels:
        if len(value) <= 63 and _LABEL_VALUE.match(value):
            conv.labels[key] = value
        else:
            conv.note(warning("ingress/invalid-label-not-copied",
                              f"label value {value!r} is not a valid label value (the API server "
                              "rejects it); not copied to the generated objects",
                              field=f"metadata.labels[{key}]"))
    return conv


def resolve_backend(conv: Conversion, b: IngressBackend, ctx: Context) -> BackendRef | None:
    if b.resource is not None:
        group, kind, name = b.resource
        conv.note(warning("ingress/resource-backend",
                          f"resource backend {group or 'core'}/{kind}/{name} kept as a backendRef; "
                          "it works only if the Gateway implementation supports that kind",
                          field=b.field))
        return BackendRef(name=name, port=None, group=group, kind=kind)
    assert b.service is not None
    if b.port_number is not None:
        return BackendRef(name=b.service, port=b.port_number)
    port = _named_port(ctx, conv.source.namespace, b.service, b.port_name or "")
    if port is None:
        ns = ctx.namespace_of(conv.source.namespace) or "NAMESPACE"
        conv.block(error("ingress/unresolved-port-name",
                         f"service port name {b.port_name!r} of Service {b.service!r} cannot be "
                         "resolved: no such Service/port in the stream (Gateway API needs a number); "
                         "the Ingress is kept. If the Service is deployed elsewhere, give its port: "
                         f"--service-port {ns}/{b.service}:{b.port_name}=NUMBER", field=b.field))
        return None
    return BackendRef(name=b.service, port=port)


def _named_port(ctx: Context, ns: str | None, service: str, port_name: str) -> int | None:
    """The port number from the Service in the stream, else from ``--service-port``."""
    svc = ctx.find_service(ns, service)
    if not svc:
        where = ctx.namespace_of(ns)
        for (s_ns, s_name, s_port), number in ctx.settings.service_ports:
            if (s_ns, s_name, s_port) == (where, service, port_name):
                return number
        return None
    spec = mapping(svc.get("spec"))
    for p in spec.get("ports") or []:
        if isinstance(p, dict) and p.get("name") == port_name and isinstance(p.get("port"), int):
            return int(p["port"])
    return None


def _match(conv: Conversion, p: IngressPath) -> Match:
    path = p.path or "/"
    if p.path_type in PATH_TYPES:
        return Match(PATH_TYPES[p.path_type], path)
    conv.note(info("ingress/path-type-implementation-specific",
                   f"pathType {p.path_type or '(unset)'} converted to PathPrefix {path!r}; "
                   "the controller may have matched differently",
                   field=f"{p.field}.pathType"))
    return Match("PathPrefix", path)


def _rule(conv: Conversion, p: IngressPath, ctx: Context) -> Rule | None:
    problem = path_problem(p.path or "/")
    if problem and not conv.dialect_paths:
        conv.block(error("ingress/invalid-path", f"path {p.path!r} {problem}, so it cannot be an "
                         "Exact or PathPrefix match; the Ingress is kept", field=f"{p.field}.path"))
        return None
    backend = resolve_backend(conv, p.backend, ctx)
    if backend is None:
        return None
    return Rule(matches=[_match(conv, p)], backends=[backend], source=p.field)


def _listeners(conv: Conversion, hosts: list[str | None], ctx: Context) -> list[ListenerKey]:
    keys = []
    for h in hosts:
        if h is not None and h.startswith("*."):
            conv.note(info("ingress/wildcard-host-depth",
                           f"host {h} matched exactly one label in the Ingress spec (and "
                           f"ingress-nginx): a.{h[2:]} but not a.b.{h[2:]}; a Gateway API "
                           "hostname also matches deeper names", field="spec.rules"))
        keys.append(ListenerKey(h, HTTP))
        if h is not None and ctx.host_has_tls(conv, h):
            keys.append(ListenerKey(h, HTTPS))
        if h is None and any(not t.hosts for t in conv.tls):
            keys.append(ListenerKey(None, HTTPS))
    return keys


def build_routes(conv: Conversion, ctx: Context) -> None:
    """One route per group of hosts with identical paths, one rule per path.

    ``defaultBackend`` (Ingress spec; ingress-nginx ``getBackendServers``): an Ingress without
    rules configures the catch-all server, so its backend becomes a hostless route; an
    Ingress with rules uses it only as the ``/`` of the hosts it names, and an explicit ``/``
    of another Ingress of the same class on that host replaces it.
    """
    ing = conv.ingress
    by_host: dict[str | None, list[IngressPath]] = {}
    for r in ing.rules:
        host = r.host.lower() if r.host else None
        bad = host_problem(host) if host else None
        if bad:
            conv.block(error("ingress/invalid-host", f"host {r.host!r} {bad}; the Ingress is kept",
                             field=f"{r.field}.host"))
            return
        by_host.setdefault(host, []).extend(r.paths)
    default = _default_rule(conv, ctx) if ing.default_backend is not None else None
    if default is not None and not ing.rules:
        by_host.setdefault(None, [])
    # An Ingress without rules keeps its catch-all route even where another Ingress serves
    # "/" without a host (nginx lets that rule win): dropping it would make the outcome depend
    # on whether the other Ingress is still an Ingress, i.e. not idempotent. Say so instead.
    replaced = _roots_elsewhere(conv, by_host, ctx) if default is not None else {}
    if not ing.rules and None in replaced:
        conv.note(warning("ingress/default-backend-shadowed",
                          f"{replaced.pop(None)} serves '/' without a host too: ingress-nginx "
                          "used that rule, Gateway API picks the older route", field="spec.defaultBackend"))
    groups: dict[tuple[object, ...], list[str | None]] = {}
    for host, paths in by_host.items():
        key = (host is None, host in replaced,
               tuple((p.path, p.path_type, p.backend._replace_field()) for p in paths))
        groups.setdefault(key, []).append(host)
    for hosts in groups.values():
        rules = [rule for p in by_host[hosts[0]] if (rule := _rule(conv, p, ctx)) is not None]
        if default is not None and hosts[0] in replaced:
            for h in hosts:
                conv.note(info("ingress/default-backend-replaced",
                               f"defaultBackend is not the '/' of host {h or '(any)'}: "
                               f"{replaced[h]} serves '/' there, as in ingress-nginx",
                               field=default.source))
        elif default is not None and not any(_is_catch_all(r) for r in rules):
            rules.append(default)
        if not rules:
            continue
        names = sorted(h for h in hosts if h is not None)
        conv.routes.append(Route("HTTPRoute", "", names, rules, _listeners(conv, hosts, ctx)))
    if not conv.routes and not conv.blocked:
        # No rule with a path and no defaultBackend: nothing routes, so nothing replaces it;
        # the Ingress is kept rather than vanishing from the stream.
        conv.block(info("ingress/nothing-to-convert", "the Ingress has no paths and no "
                        "defaultBackend, so there is nothing to convert; it is kept as it is",
                        field="spec"))
    _name_routes(conv)


def _roots_elsewhere(conv: Conversion, by_host: dict[str | None, list[IngressPath]],
                     ctx: Context) -> dict[str | None, str]:
    """Hosts of ``conv`` whose ``/`` another Ingress of the same class serves explicitly."""
    out: dict[str | None, str] = {}
    for other in ctx.conversions:
        if other is conv or other.ingress_class != conv.ingress_class:
            continue
        if not isinstance(other.source, Ingress):
            continue
        for r in other.source.rules:
            host = r.host.lower() if r.host else None
            if host in by_host and host not in out and any(
                    (p.path or "/") == "/" and p.path_type != "Exact" for p in r.paths):
                out[host] = str(other.source.ref)
    return out


def _is_catch_all(rule: Rule) -> bool:
    return any(m.path_type == "PathPrefix" and m.path == "/" and not m.headers for m in rule.matches)


def _default_rule(conv: Conversion, ctx: Context) -> Rule | None:
    b = conv.ingress.default_backend
    assert b is not None
    ref = resolve_backend(conv, b, ctx)
    if ref is None:
        return None
    return Rule(matches=[Match("PathPrefix", "/")], backends=[ref], source=b.field)


def _name_routes(conv: Conversion) -> None:
    if len(conv.routes) <= 1:
        return
    firsts = [r.hostnames[0] if r.hostnames else None for r in conv.routes]
    slugs = [host_slug(h) for h in firsts]
    for r, host, s in zip(conv.routes, firsts, slugs):
        # Hosts may slug alike (a-b.x / a.b-x, *.x / wildcard.x, host "any"): a hash of the
        # host keeps route names unique whatever the order of the rules.
        r.suffix = s if slugs.count(s) == 1 else f"{s}-{short_hash(host or '')}"
