"""Kong TCPIngress / UDPIngress (configuration.konghq.com/v1beta1) as sources.

- TCPIngress rule without host: Kong routes by port only -> listener {TCP, port} + TCPRoute.
- TCPIngress rule with host: Kong terminates TLS and routes by SNI (TCPIngress cannot do
  passthrough) -> listener {TLS, port, hostname, tls Terminate with the spec.tls Secret} +
  TLSRoute. Never Passthrough: that would hand the client's TLS to a plain-TCP backend.
- UDPIngress rule -> listener {UDP, port} + UDPRoute.

Fields outside the CRD schema (or that gwshift cannot express) keep the object unchanged.
"""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.convert import host_problem
from gwshift.handlers._stream_source import StreamSource
from gwshift.handlers.kong._common import metadata_problem, seq, show
from gwshift.model import (
    BackendRef,
    Conversion,
    IngressTLS,
    ListenerKey,
    Route,
    RouteKind,
    Rule,
    mapping,
)
from gwshift.names import host_slug
from gwshift.notes import Note, ObjRef, error

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
_SPEC = {"TCPIngress": {"rules", "tls"}, "UDPIngress": {"rules"}}
_RULE = {"TCPIngress": {"host", "port", "backend"}, "UDPIngress": {"port", "backend"}}


class _Invalid(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _strings(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), "" if v is None else str(v)) for k, v in mapping(raw).items()))


def parse(obj: dict[str, Any], doc: int, ctx: Context) -> tuple[Conversion | None, list[Note]]:
    kind = str(obj.get("kind"))
    meta = mapping(obj.get("metadata"))
    name = meta.get("name")
    ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
    api = str(obj.get("apiVersion", ""))
    problem = metadata_problem(meta)
    if problem is not None or not isinstance(name, str):
        where, message = problem or ("metadata.name", "metadata.name is required")
        return None, [error("kong/stream-ingress-invalid", f"{message}; the {kind} is kept",
                            ObjRef(kind, ns, name if isinstance(name, str) else None, api),
                            where)._replace(doc=doc)]
    labels, annotations = _strings(meta.get("labels")), _strings(meta.get("annotations"))
    spec = mapping(obj.get("spec"))
    src = StreamSource(kind, api, name, ns, labels, annotations, doc,
                        content=repr(sorted(spec.items(), key=str)))
    cls = dict(annotations).get(CLASS_ANNOTATION) or ctx.default_ingress_class or "kong"
    conv = Conversion(source=src, ingress_class=cls)
    conv.labels = {k: v for k, v in labels if len(v) <= 63}
    try:
        _build(conv, kind, spec)
    except _Invalid as exc:
        conv.block(error("kong/stream-ingress-unsupported", f"{exc.message}; the {kind} is kept",
                         field=exc.where))
    return conv, []


def _build(conv: Conversion, kind: str, spec: dict[str, Any]) -> None:
    extra = sorted(set(spec) - _SPEC[kind])
    if extra:
        raise _Invalid(f"spec.{extra[0]}", f"spec.{extra[0]} is not a {kind} field gwshift can "
                       "convert")
    rules = spec.get("rules")
    if not isinstance(rules, list) or not rules:
        raise _Invalid("spec.rules", "spec.rules is empty")
    tls = _tls(spec.get("tls"))
    conv.tls = list(tls)
    parsed = [_rule(kind, mapping(r), f"spec.rules[{i}]") for i, r in enumerate(rules)]
    seen: dict[tuple[str | None, int], str] = {}
    for host, port, backend, where in parsed:
        if (host, port) in seen:
            raise _Invalid(where, f"port {port}{' and host ' + host if host else ''} is also "
                           f"used by {seen[(host, port)]}")
        seen[(host, port)] = where
    for host, port, backend, where in parsed:
        route_kind: RouteKind
        if kind == "UDPIngress":
            route_kind, key = "UDPRoute", ListenerKey(None, "UDP", port)
        elif host is None:
            route_kind, key = "TCPRoute", ListenerKey(None, "TCP", port)
        else:
            if not any(host in t.hosts for t in tls if t.secret):
                raise _Invalid(f"{where}.host", f"host {host} has no spec.tls Secret: Kong "
                               "terminated TLS with its default certificate, which a Gateway "
                               "TLS listener cannot name")
            route_kind, key = "TLSRoute", ListenerKey(host, "TLS", port, tls_mode="Terminate")
        suffix = "" if len(parsed) == 1 else (f"{port}" if host is None else
                                               f"{host_slug(host)}-{port}")
        conv.routes.append(Route(route_kind, suffix, [host] if host else [],
                                 [Rule([], [backend], where)], [key], source=where))


def _tls(raw: Any) -> list[IngressTLS]:
    out = []
    if raw is not None and not isinstance(raw, list):
        raise _Invalid("spec.tls", "spec.tls is not a list")
    for i, t in enumerate(raw or []):
        t = mapping(t)
        hosts = tuple(str(h).lower() for h in seq(t.get("hosts")))
        secret = t.get("secretName") if isinstance(t.get("secretName"), str) else None
        out.append(IngressTLS(hosts, secret, f"spec.tls[{i}]"))
    return out


def _rule(kind: str, r: dict[str, Any], where: str) -> tuple[str | None, int, BackendRef, str]:
    extra = sorted(set(r) - _RULE[kind])
    if extra:
        raise _Invalid(f"{where}.{extra[0]}", f"{extra[0]} is not a {kind} rule field gwshift "
                       "can convert")
    port = r.get("port")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise _Invalid(f"{where}.port", f"port {show(port)} is not 1-65535")
    b = mapping(r.get("backend"))
    svc, sport = b.get("serviceName"), b.get("servicePort")
    if not isinstance(svc, str) or not svc:
        raise _Invalid(f"{where}.backend.serviceName", "backend.serviceName is required")
    if not isinstance(sport, int) or isinstance(sport, bool) or not 1 <= sport <= 65535:
        raise _Invalid(f"{where}.backend.servicePort", f"servicePort {show(sport)} is not 1-65535")
    if set(b) - {"serviceName", "servicePort"}:
        raise _Invalid(f"{where}.backend", "backend fields other than serviceName/servicePort")
    host = r.get("host")
    if host is not None:
        if not isinstance(host, str) or host_problem(host.lower()):
            raise _Invalid(f"{where}.host", f"host {show(host)} is not a valid DNS name")
        host = host.lower()
    return host or None, port, BackendRef(svc, sport), where
