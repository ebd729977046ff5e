"""ingress-nginx's TCP/UDP services ConfigMaps as sources (``--tcp-services-configmap``).

ingress-nginx proxies layer-4 traffic from ConfigMaps its controller is told to read
(``internal/ingress/controller/controller.go`` getStreamServices, v1.15 / main dbb11b9):
each ``data`` entry ``"<port>": "<namespace>/<service>:<service port>[:PROXY[:PROXY]]"``
opens ``<port>`` (TCP or UDP, per the flag that named the ConfigMap) and proxies it to the
Service port (a number, or a port name, of the Service). The third field ``PROXY`` makes
nginx *decode* the PROXY protocol header from clients (``listen ... proxy_protocol``), the
fourth makes it *send* one to the backend (``proxy_protocol on``); both only for TCP.

Each entry becomes a Gateway listener ``{protocol TCP|UDP, port}`` and a TCPRoute/UDPRoute
(``<configmap>-<port>``) with a backendRef to the Service; Services in another namespace
get one ReferenceGrant per namespace. The ConfigMap is replaced like a converted Ingress
(``--keep-ingress`` keeps it): fed back, the controller names a ConfigMap no longer there,
so nothing is generated twice.

Only ConfigMaps a controller in the input names are sources (``select``): a Deployment or
DaemonSet container with ``--tcp-services-configmap=<ns>/<name>`` (or ``--udp-...``;
``$(POD_NAMESPACE)`` and other ``$(VAR)`` from the container's env). There is deliberately no
name-pattern fallback (the chart's ``<fullname>-tcp`` with its labels): without the
controller the ConfigMap does not say whether the controller reads it at all (the flag may
point elsewhere), whether it is TCP or UDP, or which class (Gateway) it belongs to, and a
wrong guess would replace a working ConfigMap; a missed one stays byte-identical and keeps
working. The chart renders the flag whenever it renders the ConfigMap (both gated by
``.Values.tcp``), so a Helm post-renderer always sees both.

Entries gwshift cannot convert faithfully (a bad port or target, a reserved port, a named
port it cannot resolve, more listeners than a Gateway holds) keep the ConfigMap with an error
naming the key: ingress-nginx ignores most of them, but silently dropping one would hide it.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Any

from gwshift.context import Context
from gwshift.handlers._stream_source import StreamSource
from gwshift.handlers.nginx._common import ingresses_only  # noqa: F401  (re-exported)
from gwshift.model import BackendRef, Conversion, ListenerKey, Route, RouteKind, Rule, mapping
from gwshift.names import fit, slug
from gwshift.notes import Note, ObjRef, error, info, warning
from gwshift.yamlio import safe_text

# The docs page's section (scripts/gen_docs.py appends it to docs/annotations/nginx.md).
DOC = """\
## TCP/UDP services ConfigMaps (`--tcp-services-configmap`, `--udp-services-configmap`)

ingress-nginx proxies TCP/UDP ports listed in ConfigMaps its controller is told to read. gwshift
converts exactly those: the ConfigMaps named by a `--tcp-services-configmap=<ns>/<name>` or
`--udp-services-configmap` argument of a Deployment/DaemonSet container in the input
(`$(POD_NAMESPACE)` and other `$(VAR)` expand from the container's env, as Kubernetes does).
Any other ConfigMap, however much it looks like one, stays byte-identical; there is no
name-pattern fallback, because without the controller the ConfigMap does not say whether it is
read, TCP or UDP, or which class it belongs to (the chart renders the flag whenever it renders
the ConfigMap).

| entry | becomes |
|---|---|
| `"<port>": "<ns>/<svc>:<port>"` | Gateway listener `{protocol: TCP or UDP, port}` (Gateway of the controller's `--ingress-class`, default `nginx`, in the ConfigMap's namespace) + TCPRoute/UDPRoute `<configmap>-<port>` with a backendRef to the Service |
| service port by name | the number from the Service in the input, else `--service-port`, else the ConfigMap is kept (`nginx/stream-service-port-unresolved`) |
| Service in another namespace | backendRef with `namespace` + one ReferenceGrant per namespace (`nginx/stream-service-cross-namespace`) |
| `:PROXY` (3rd field: decode from clients), `::PROXY` (4th: send to the backend) | converted, with a warning: Gateway API has no PROXY protocol field (`nginx/stream-service-proxy-protocol-decode` / `-encode`) |
| bad port or target, reserved port, Service without that port/protocol, > 64 entries, `binaryData` | the ConfigMap is kept with an error naming the key |

The ConfigMap is replaced like a converted Ingress (`--keep-ingress` keeps it): fed back, the
controller names a ConfigMap that is gone (or, kept, whose routes exist), so nothing is
generated twice.
"""

# Text every naming document contains (both flags end with it): the core loads only the
# Deployments/DaemonSets whose text has it (the DialectEntry's ``named_by``).
MARKER = "-services-configmap"
FLAGS: dict[str, str] = {"--tcp-services-configmap": "TCP", "--udp-services-configmap": "UDP"}
WORKLOADS = frozenset({"Deployment", "DaemonSet"})
DEFAULT_CLASS = "nginx"  # --ingress-class default (ingressclass.DefaultAnnotationValue)
# Ports the controller keeps for itself (flag -> default); a stream entry on one is ignored.
RESERVED: dict[str, int] = {
    "--http-port": 80, "--https-port": 443, "--ssl-passthrough-proxy-port": 442,
    "--healthz-port": 10254, "--default-server-port": 8181, "--profiler-port": 10245,
    "--status-port": 10246, "--stream-port": 10247,
}
_VALUE_FLAGS = frozenset({*FLAGS, *RESERVED, "--ingress-class"})
MAX_LISTENERS = 64  # Gateway spec.listeners maxItems
GW_GROUP = "gateway.networking.k8s.io"
SOURCE_ANNOTATION = "gwshift.dev/source"

UNSUPPORTED = "nginx/stream-services-unsupported"
ENTRY_INVALID = "nginx/stream-service-invalid"
PORT_UNRESOLVED = "nginx/stream-service-port-unresolved"
NOT_SERVED = "nginx/stream-service-not-served"
PROXY_DECODE = "nginx/stream-service-proxy-protocol-decode"
PROXY_ENCODE = "nginx/stream-service-proxy-protocol-encode"
PROXY_UDP = "nginx/stream-service-proxy-protocol-udp"
CROSS_NAMESPACE = "nginx/stream-service-cross-namespace"
SHARED = "nginx/stream-services-shared"
CONVERTED = "nginx/stream-services-converted"

_PORT_KEY = re.compile(r"\+?[0-9]{1,5}\Z")  # Go strconv.Atoi, within the port range
_PORT_NUMBER = re.compile(r"[+-]?[0-9]+\Z")
_PORT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?\Z")  # IANA_SVC_NAME
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"(?=.{1,253}\Z)[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\Z")
_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?\Z")
_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_SELF_NS = "\x00workload-namespace"  # $(POD_NAMESPACE) of a workload without a namespace


@dataclass(frozen=True)
class Named:
    """What the controller that names a ConfigMap does with it."""

    protocols: tuple[str, ...]  # TCP and/or UDP (a ConfigMap may be named by both flags)
    ingress_class: str
    reserved: frozenset[int]
    workload: str  # Kind/namespace/name, for notes
    others: tuple[str, ...] = ()  # further workloads naming it


# select() and parse() run in one plan with one Context: parse reads what select found.
_memo: tuple[weakref.ref[Context], dict[tuple[str | None, str], Named]] | None = None


def _remember(ctx: Context, found: dict[tuple[str | None, str], Named]) -> None:
    global _memo
    _memo = (weakref.ref(ctx), found)


def _recall(ctx: Context) -> dict[tuple[str | None, str], Named]:
    if _memo is None or _memo[0]() is not ctx:
        return {}
    return _memo[1]


# --- which ConfigMaps ----------------------------------------------------------------------


def select(docs: list[dict[str, Any]], ctx: Context) -> list[tuple[str, str | None, str]]:
    """(kind, namespace, name) of the ConfigMaps a controller workload in ``docs`` names."""
    found: dict[tuple[str | None, str], Named] = {}
    for doc in docs:
        if not isinstance(doc.get("kind"), str) or doc["kind"] not in WORKLOADS:
            continue
        meta = mapping(doc.get("metadata"))
        ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
        ns = ns or None
        workload = f"{doc.get('kind')}/{ns or '-'}/{safe_text(str(meta.get('name')), 63)}"
        pod = mapping(mapping(mapping(doc.get("spec")).get("template")).get("spec"))
        containers = pod.get("containers")
        for c in containers if isinstance(containers, list) else []:
            for key, named in _named_by(mapping(c), ns, workload, ctx).items():
                first = found.get(key)
                if first is None:
                    found[key] = named
                elif first.workload == named.workload:  # both flags in one container
                    found[key] = Named(tuple(sorted({*first.protocols, *named.protocols})),
                                       first.ingress_class, first.reserved, first.workload)
                else:
                    found[key] = Named(first.protocols, first.ingress_class, first.reserved,
                                       first.workload, (*first.others, named.workload))
    _remember(ctx, found)
    return [("ConfigMap", ns, name) for ns, name in found]


def _named_by(c: dict[str, Any], ns: str | None, workload: str,
              ctx: Context) -> dict[tuple[str | None, str], Named]:
    argv = [a for part in (c.get("command"), c.get("args")) if isinstance(part, list)
            for a in part if isinstance(a, str)]
    flags = _flags(argv)
    if not any(f in flags for f in FLAGS):
        return {}
    env = _env(c.get("env"), ns)
    cls = _expand(flags.get("--ingress-class", DEFAULT_CLASS), env) or DEFAULT_CLASS
    reserved = frozenset(_int(_expand(flags.get(f, ""), env), default)
                         for f, default in RESERVED.items())
    out: dict[tuple[str | None, str], Named] = {}
    for flag, proto in FLAGS.items():
        ref = _expand(flags.get(flag, ""), env)
        parts = ref.split("/") if ref else []
        if len(parts) != 2 or not (parts[0] == _SELF_NS or _DNS_LABEL.match(parts[0])) or \
                not _SUBDOMAIN.match(parts[1]):
            # The controller cannot parse it (k8s.ParseNameNS), or names an object that
            # cannot exist (e.g. an undefined $(VAR) passed literally): it reads nothing.
            continue
        cm_ns = None if parts[0] == _SELF_NS else parts[0]
        key = (ctx.namespace_of(cm_ns), parts[1])
        protos = (*out[key].protocols, proto) if key in out else (proto,)
        out[key] = Named(protos, cls, reserved, workload)
    return out


def _flags(argv: list[str]) -> dict[str, str]:
    """The last value of each flag gwshift reads (pflag: ``--f=v`` or ``--f v``)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break  # the rest are positional arguments
        name, eq, value = arg.partition("=")
        if name in _VALUE_FLAGS:
            if eq:
                out[name] = value
            elif i + 1 < len(argv):
                out[name] = argv[i + 1]
                i += 1
        i += 1
    return out


def _env(raw: Any, ns: str | None) -> dict[str, str | None]:
    """The container's env as ``$(VAR)`` expansion sees it (None: a value gwshift cannot
    know, e.g. from a Secret)."""
    out: dict[str, str | None] = {}
    for e in raw if isinstance(raw, list) else []:
        e = mapping(e)
        name = e.get("name")
        if not isinstance(name, str):
            continue
        if "valueFrom" in e:
            path = mapping(mapping(e.get("valueFrom")).get("fieldRef")).get("fieldPath")
            out[name] = (ns or _SELF_NS) if path == "metadata.namespace" else None
        else:
            value = e.get("value", "")
            out[name] = value if isinstance(value, str) else None
    return out


def _expand(text: str, env: dict[str, str | None]) -> str:
    """Kubernetes' ``$(VAR)`` expansion of a container arg (``$$`` escapes; an undefined
    variable stays as written). A variable gwshift cannot know makes the whole value ""."""
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        if m.group(0) == "$$":
            return "$"
        name = m.group(1)
        if name not in env:
            return m.group(0)
        value = env[name]
        if value is None:
            unknown = True
            return ""
        return value

    out = _VAR.sub(sub, text)
    return "" if unknown else out


def _int(text: str, default: int) -> int:
    return int(text) if text.isdigit() and len(text) <= 5 else default


# --- the ConfigMap as a source -------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, code: str, where: str, message: str) -> None:
        super().__init__(message)
        self.code, self.where, self.message = code, where, message


def _strings(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), "" if v is None else str(v)) for k, v in mapping(raw).items()))


def _shown(value: Any, limit: int = 63) -> str:
    return repr(safe_text(value, limit)) if isinstance(value, str) else f"{value!r}"[:limit]


def parse(obj: dict[str, Any], doc: int, ctx: Context) -> tuple[Conversion | None, list[Note]]:
    """The Conversion of a ConfigMap ``select`` named (anything else: None, no note)."""
    meta = mapping(obj.get("metadata"))
    name = meta.get("name")
    ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
    ns = ns or None
    named = _recall(ctx).get((ctx.namespace_of(ns), name)) if isinstance(name, str) else None
    if named is None or not isinstance(name, str):
        return None, []
    api = str(obj.get("apiVersion", ""))
    ref = ObjRef("ConfigMap", ns, name, api)
    data = obj.get("data")
    if not isinstance(data, dict) or not data:
        return None, [info(CONVERTED, f"named by {named.workload} but has no data entries: "
                           "nothing to convert; kept", ref, "data")._replace(doc=doc)]
    labels, annotations = _strings(meta.get("labels")), _strings(meta.get("annotations"))
    small = len(data) <= MAX_LISTENERS  # bounded: a hostile ConfigMap is refused in _build
    src = StreamSource("ConfigMap", api, name, ns, labels, annotations, doc, content=repr(
        sorted((str(k), str(v)) for k, v in data.items()) if small else len(data)))
    conv = Conversion(source=src, ingress_class=named.ingress_class)
    # Copied to the routes like an Ingress's; a value the API server would refuse is not.
    conv.labels = {k: v for k, v in labels if len(v) <= 63 and _LABEL_VALUE.match(v)}
    try:
        _build(conv, obj, data, named, ctx)
    except _Invalid as exc:
        conv.routes.clear()
        conv.extra_objects.clear()
        conv.block(error(exc.code, f"{exc.message}; the ConfigMap is kept", field=exc.where))
    return conv, []


class _Entry:
    __slots__ = ("backend", "decode", "encode", "ignored", "key", "port", "where")

    def __init__(self, key: str, port: int, backend: BackendRef, decode: bool, encode: bool,
                 ignored: bool = False) -> None:
        self.key, self.port, self.backend = key, port, backend
        self.decode, self.encode, self.ignored = decode, encode, ignored
        self.where = f"data[{safe_text(key, 40)}]"


def _build(conv: Conversion, obj: dict[str, Any], data: dict[Any, Any], named: Named,
           ctx: Context) -> None:
    extra = sorted(str(k) for k in obj if k not in ("apiVersion", "kind", "metadata", "data",
                                                     "immutable"))
    if extra:
        raise _Invalid(UNSUPPORTED, safe_text(extra[0], 40), f"{safe_text(extra[0], 40)} is "
                       "not read by ingress-nginx and would be lost with the ConfigMap")
    if len(data) * len(named.protocols) > MAX_LISTENERS:
        raise _Invalid(UNSUPPORTED, "data", f"{len(data)} entries need more listeners than "
                       f"a Gateway holds ({MAX_LISTENERS}); split them by hand")
    cm_ns = ctx.namespace_of(conv.source.namespace)
    entries: dict[int, _Entry] = {}
    for raw_key in sorted(data, key=str):
        for proto in named.protocols:
            entry = _entry(raw_key, data[raw_key], proto, named, cm_ns, ctx)
            seen = entries.get(entry.port)
            if seen is not None and seen.key != entry.key:
                raise _Invalid(ENTRY_INVALID, entry.where, f"port {entry.port} is also given "
                               f"by key {_shown(seen.key)}")
            entries[entry.port] = entry
            _route(conv, entry, proto, len(named.protocols) > 1)
    _grants(conv, cm_ns)
    if named.others:
        conv.note(warning(SHARED, f"also named by {', '.join(named.others)}: ingress-nginx "
                          f"opened these ports on every controller; the listeners go to the "
                          f"Gateway of class {named.ingress_class!r} ({named.workload}) only"))
    conv.note(info(CONVERTED, f"{'/'.join(named.protocols)} services read by {named.workload} "
                   f"(class {named.ingress_class!r}) converted to listeners and "
                   f"{'/'.join(p + 'Route' for p in named.protocols)}s"))


def _entry(raw_key: Any, value: Any, proto: str, named: Named, cm_ns: str | None,
           ctx: Context) -> _Entry:
    key = str(raw_key) if isinstance(raw_key, (str, int)) and not isinstance(raw_key, bool) else ""
    where = f"data[{safe_text(key, 40)}]"
    if not _PORT_KEY.match(key) or not 1 <= int(key) <= 65535:
        raise _Invalid(ENTRY_INVALID, where, f"key {_shown(raw_key)} is not a port number "
                       "1-65535 (ingress-nginx ignores the entry)")
    port = int(key)
    if port in named.reserved:
        raise _Invalid(ENTRY_INVALID, where, f"port {port} is reserved for the controller "
                       "itself (ingress-nginx ignores the entry); remove it")
    if not isinstance(value, str):
        raise _Invalid(ENTRY_INVALID, where, "the value is not a string "
                       "'<namespace>/<service>:<port>[:PROXY[:PROXY]]'")
    fields = value.split(":", 4)
    if not 2 <= len(fields) <= 4:
        raise _Invalid(ENTRY_INVALID, where, f"{_shown(value)} is not "
                       "'<namespace>/<service>:<port>[:PROXY[:PROXY]]'")
    target, svc_port = fields[0], fields[1]
    parts = target.split("/")
    if (len(parts) != 2 or not _DNS_LABEL.match(parts[0]) or not _DNS_LABEL.match(parts[1])
            or parts[1][0].isdigit()):
        raise _Invalid(ENTRY_INVALID, where, f"{_shown(target)} is not "
                       "'<namespace>/<service>' (ingress-nginx ignores the entry)")
    proxy = [f.upper() for f in fields[2:]]
    if any(p not in ("", "PROXY") for p in proxy):
        raise _Invalid(ENTRY_INVALID, where, f"{_shown(value)}: the fields after the port "
                       "can only be PROXY (decode) and PROXY (encode)")
    svc_ns, svc = parts
    number = _service_port(svc_ns, svc, svc_port, proto, where, ctx)
    backend = BackendRef(svc, number, namespace=None if svc_ns == cm_ns else svc_ns)
    decode = proto == "TCP" and len(proxy) >= 1 and proxy[0] == "PROXY"
    encode = proto == "TCP" and len(proxy) == 2 and proxy[1] == "PROXY"
    return _Entry(key, port, backend, decode, encode, proto == "UDP" and "PROXY" in proxy)


def _service_port(ns: str, svc: str, port: str, proto: str, where: str, ctx: Context) -> int:
    """The Service port number (a backendRef needs one). A Service in the input must have
    the port for this protocol: ingress-nginx serves nothing otherwise."""
    is_number = bool(_PORT_NUMBER.match(port))
    if is_number and not 1 <= int(port) <= 65535:
        raise _Invalid(ENTRY_INVALID, where, f"service port {_shown(port)} is not 1-65535")
    if not is_number and not _PORT_NAME.match(port):
        raise _Invalid(ENTRY_INVALID, where, f"service port {_shown(port)} is neither a number "
                       "nor a port name")
    found = ctx.find_service(ns, svc)
    if found is None:
        if is_number:
            return int(port)
        for (s_ns, s_name, s_port), number in ctx.settings.service_ports:
            if (s_ns, s_name, s_port) == (ns, svc, port):
                return number
        raise _Invalid(PORT_UNRESOLVED, where, f"service port name {port!r} of Service "
                       f"{ns}/{svc} cannot be resolved: no such Service in the input (Gateway "
                       "API needs a number). If the Service is deployed elsewhere, give its "
                       f"port: --service-port {ns}/{svc}:{port}=NUMBER")
    ports = mapping(found.get("spec")).get("ports")
    for p in ports if isinstance(ports, list) else []:
        p = mapping(p)
        if (p.get("name") == port if not is_number else p.get("port") == int(port)) and \
                (p.get("protocol") or "TCP") == proto and isinstance(p.get("port"), int):
            return int(p["port"])
    raise _Invalid(NOT_SERVED, where, f"Service {ns}/{svc} has no {proto} port {port!r}: "
                   "ingress-nginx finds no endpoints and serves nothing on this port")


def _route(conv: Conversion, entry: _Entry, proto: str, both: bool) -> None:
    kind: RouteKind = "TCPRoute" if proto == "TCP" else "UDPRoute"
    suffix = f"{proto.lower()}-{entry.port}" if both else str(entry.port)
    conv.routes.append(Route(kind, suffix, [], [Rule([], [entry.backend], entry.where)],
                             [ListenerKey(None, proto, entry.port)], source=entry.where))
    if entry.decode:
        conv.note(warning(PROXY_DECODE, f"port {entry.port}: ingress-nginx decoded the PROXY "
                          "protocol header clients send (listen proxy_protocol); Gateway API has "
                          "no field for it: enable it on the implementation (e.g. Envoy Gateway "
                          "ClientTrafficPolicy proxyProtocol) or the backend receives the header "
                          "as data", field=entry.where))
    if entry.ignored:
        conv.note(info(PROXY_UDP, f"port {entry.port}: PROXY is for TCP services only; "
                       "ingress-nginx ignores it on UDP, and so does the UDPRoute",
                       field=entry.where))
    if entry.encode:
        conv.note(warning(PROXY_ENCODE, f"port {entry.port}: ingress-nginx sent a PROXY "
                          "protocol header to the backend (proxy_protocol on); Gateway API has no "
                          "field for it: enable it on the implementation (e.g. Envoy Gateway "
                          "BackendTrafficPolicy proxyProtocol) or the backend gets none",
                          field=entry.where))


def _grants(conv: Conversion, cm_ns: str | None) -> None:
    """One ReferenceGrant per Service namespace: exactly these route kinds from the
    ConfigMap's namespace may use exactly these Services (written with the routes, so a
    re-run that finds the routes finds the grant too)."""
    by_ns: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    for route in conv.routes:
        for rule in route.rules:
            for b in rule.backends:
                if b.namespace:
                    by_ns.setdefault(b.namespace, set()).add(b.name)
                    kinds.setdefault(b.namespace, set()).add(route.kind)
    for ns, services in sorted(by_ns.items()):
        if cm_ns is None:
            conv.note(warning(CROSS_NAMESPACE, f"Services in namespace {ns} are referenced "
                              "across namespaces; the ConfigMap has no namespace (and no "
                              f"--namespace is given), so no ReferenceGrant is written: create "
                              f"one in {ns}"))
            continue
        name = fit(slug(f"{conv.source.name}-from-{cm_ns}"))
        conv.extra_objects.append({
            "apiVersion": f"{GW_GROUP}/v1beta1",
            "kind": "ReferenceGrant",
            "metadata": {"name": name, "namespace": ns, "annotations": {
                SOURCE_ANNOTATION: f"{conv.source.kind}/{conv.source.name}"}},
            "spec": {"from": [{"group": GW_GROUP, "kind": k, "namespace": cm_ns}
                              for k in sorted(kinds[ns])],
                     "to": [{"group": "", "kind": "Service", "name": s} for s in sorted(services)]},
        })
        conv.note(info(CROSS_NAMESPACE, f"Services in namespace {ns} are referenced across "
                       f"namespaces, allowed by ReferenceGrant {name} in {ns}"))


# --- refinement: the Ingress stages never see these sources --------------------------------



