"""The small typed model: a parsed Ingress and the route plan (IR) built from it.

The Ingress side is frozen (parsed once). The IR is a mutable draft that the neutral
converter builds and controller dialects refine before the emitter turns it into objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from gwshift.notes import Note, ObjRef

if TYPE_CHECKING:
    from gwshift.intents import Intent


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (rendered YAML can hold anything)."""
    return value if isinstance(value, dict) else {}


HTTP = "HTTP"
HTTPS = "HTTPS"
Protocol_ = Literal["HTTP", "HTTPS", "TLS", "TCP", "UDP"]
RouteKind = Literal["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"]
DEFAULT_PORTS = {"HTTP": 80, "HTTPS": 443, "TLS": 443}


class Source(Protocol):
    """What a Conversion converts: an Ingress, or a dialect's source kind (e.g. TCPIngress).

    Neutral stages read only this much; a dialect may read its own source type's fields.
    """

    @property
    def kind(self) -> str: ...
    @property
    def api_version(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def namespace(self) -> str | None: ...
    @property
    def labels(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def annotations(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def doc(self) -> int: ...
    @property
    def ref(self) -> ObjRef: ...
    def annotation(self, key: str) -> str | None: ...
    def content_key(self) -> str: ...


# --- Ingress (parsed input) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngressBackend:
    service: str | None = None
    port_number: int | None = None
    port_name: str | None = None
    resource: tuple[str, str, str] | None = None  # (apiGroup, kind, name)
    field: str = ""  # path of the backend inside the Ingress

    def _replace_field(self) -> tuple[object, ...]:
        """Identity of the backend without where it was written (for grouping hosts)."""
        return (self.service, self.port_number, self.port_name, self.resource)


@dataclass(frozen=True, slots=True)
class IngressPath:
    path: str | None
    path_type: str | None  # Exact | Prefix | ImplementationSpecific | None (legacy)
    backend: IngressBackend
    field: str


@dataclass(frozen=True, slots=True)
class IngressRule:
    host: str | None
    paths: tuple[IngressPath, ...]
    field: str


@dataclass(frozen=True, slots=True)
class IngressTLS:
    hosts: tuple[str, ...]
    secret: str | None
    field: str


@dataclass(frozen=True, slots=True)
class Ingress:
    api_version: str
    name: str
    namespace: str | None
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    ingress_class: str | None
    default_backend: IngressBackend | None
    rules: tuple[IngressRule, ...]
    tls: tuple[IngressTLS, ...]
    doc: int  # index of the document in the stream
    _annotation_table: dict[str, str] | None = field(default=None, compare=False, repr=False)
    kind: str = "Ingress"

    def content_key(self) -> str:
        """What the Ingress says, without where it stands: a position-free tie-break."""
        return repr((self.api_version, self.labels, self.annotations, self.ingress_class,
                     self.default_backend, self.rules, self.tls))

    @property
    def ref(self) -> ObjRef:
        return ObjRef(self.kind, self.namespace, self.name, self.api_version)

    def annotation(self, key: str) -> str | None:
        # Dialects ask for ~150 keys per Ingress: a lookup table, built once.
        table = self._annotation_table
        if table is None:
            table = dict(self.annotations)
            object.__setattr__(self, "_annotation_table", table)
        return table.get(key)


# --- Route plan (IR) --------------------------------------------------------------------


@dataclass(slots=True)
class BackendRef:
    name: str
    port: int | None
    group: str = ""
    kind: str = "Service"
    weight: int | None = None
    namespace: str | None = None
    filters: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.group:
            out["group"] = self.group
        if self.kind != "Service" or self.group:
            out["kind"] = self.kind
        out["name"] = self.name
        if self.namespace:
            out["namespace"] = self.namespace
        if self.port is not None:
            out["port"] = self.port
        if self.weight is not None:
            out["weight"] = self.weight
        if self.filters:
            out["filters"] = self.filters
        return out


@dataclass(slots=True)
class Match:
    path_type: str | None = "PathPrefix"  # Exact | PathPrefix | RegularExpression | None (no path)
    path: str | None = "/"
    headers: list[dict[str, str]] = field(default_factory=list)  # {type?, name, value}
    query_params: list[dict[str, str]] = field(default_factory=list)
    method: str | None = None

    def copy(self) -> Match:
        """A deep copy (headers and query params are flat string dicts)."""
        return Match(self.path_type, self.path, [dict(h) for h in self.headers],
                     [dict(q) for q in self.query_params], self.method)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.path_type is not None and self.path is not None:
            out["path"] = {"type": self.path_type, "value": self.path}
        if self.headers:
            out["headers"] = [dict(h) for h in self.headers]
        if self.query_params:
            out["queryParams"] = [dict(q) for q in self.query_params]
        if self.method:
            out["method"] = self.method
        return out


@dataclass(slots=True)
class Rule:
    matches: list[Match]
    backends: list[BackendRef]
    source: str  # Ingress field the rule came from, e.g. spec.rules[0].http.paths[1]
    filters: list[dict[str, Any]] = field(default_factory=list)
    timeouts: dict[str, str] | None = None
    session_persistence: dict[str, Any] | None = None
    retry: dict[str, Any] | None = None
    name: str | None = None
    # Policy intents scoped to this rule (e.g. a Traefik middleware on one path): the target
    # expresses them narrowly (rule sectionName / ExtensionRef filter) or they fail closed.
    intents: list[Intent] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ListenerKey:
    """A listener a route needs: hostname (None: any host), protocol and port.

    ``port`` defaults from the protocol (HTTP 80, HTTPS/TLS 443); TCP/UDP must name it and
    have no hostname (a TCP/UDP listener cannot match one).
    """

    hostname: str | None
    protocol: str
    port: int = 0
    # TLS listeners only: Passthrough (default, ssl-passthrough) or Terminate (certificates
    # from the TLS entries covering the hostname, as for HTTPS).
    tls_mode: Literal["Passthrough", "Terminate"] | None = None

    def __post_init__(self) -> None:
        if not self.port:
            if self.protocol not in DEFAULT_PORTS:
                raise ValueError(f"a {self.protocol} listener needs a port")
            object.__setattr__(self, "port", DEFAULT_PORTS[self.protocol])
        if self.protocol == "TLS" and self.tls_mode is None:
            object.__setattr__(self, "tls_mode", "Passthrough")


@dataclass(slots=True)
class Route:
    kind: RouteKind
    suffix: str  # "" for the main route; e.g. "redirect" for an extra one
    hostnames: list[str]  # empty: all hosts
    rules: list[Rule]
    listeners: list[ListenerKey]
    source: str = "spec"
    # Policy intents for the whole route (every rule), e.g. an IP allowlist on an Ingress.
    intents: list[Intent] = field(default_factory=list)


@dataclass
class Conversion:
    """Everything one source object turns into, plus its notes. Dialects refine it in place."""

    source: Source  # an Ingress or a dialect's source kind; see ``ingress`` for Ingress fields
    ingress_class: str | None  # the Ingress class (before --gateway-class mapping)
    routes: list[Route] = field(default_factory=list)
    extra_objects: list[dict[str, Any]] = field(default_factory=list)  # e.g. BackendTLSPolicy
    tls: list[IngressTLS] = field(default_factory=list)  # TLS entries feeding listeners
    notes: list[Note] = field(default_factory=list)
    blocked: bool = False  # keep the Ingress unconverted (error notes say why)
    consumed_annotations: set[str] = field(default_factory=set)
    dialect: str | None = None
    # Set by a dialect that rewrites paths itself (e.g. regex paths): the neutral
    # converter then keeps paths that are not valid Exact/PathPrefix values.
    dialect_paths: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # copied to generated routes
    # Conversions this one was merged into (e.g. a canary's primaries): kept together.
    depends_on: list[Conversion] = field(default_factory=list)
    # Intents about the Gateway that serves this source (addresses, listener TLS options,
    # infrastructure annotations): expressed by emit/target on the generated Gateway.
    gateway_intents: list[Intent] = field(default_factory=list)
    # --name-template: generated kind -> base name of this source's objects of that kind.
    names: dict[str, str] = field(default_factory=dict)

    @property
    def ingress(self) -> Ingress:
        """The source as an Ingress, for stages that read Ingress fields (rules, TLS)."""
        if not isinstance(self.source, Ingress):
            raise TypeError(f"{self.source.kind} is not an Ingress")
        return self.source

    def note(self, n: Note) -> None:
        if n.obj is None:
            n = n._replace(obj=self.source.ref)
        if n.doc is None:
            n = n._replace(doc=self.source.doc)
        self.notes.append(n)

    def block(self, n: Note) -> None:
        self.note(n)
        self.blocked = True
