"""The small typed model: a parsed Ingress and the route plan (IR) built from it.

The Ingress side is frozen (parsed once). The IR is a mutable draft that the neutral
converter builds and controller dialects refine before the emitter turns it into objects.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from gwshift.notes import Note, ObjRef

if TYPE_CHECKING:
    from gwshift.intents import Intent


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (rendered YAML can hold anything)."""
    return value if isinstance(value, dict) else {}


# --- Records: value classes without the dataclass machinery -------------------------------
#
# Start-up (issue 12): ``import dataclasses`` pulls in ``inspect`` (~6 ms) and every
# ``@dataclass`` costs ~0.5 ms to create (generated methods are compiled at import), which
# for the model and the intents was ~18 ms of a ~100 ms chart run. These classes write their
# ``__init__`` by hand and share equality, hashing, repr and copying here; they behave as the
# dataclasses they replaced (same repr text, same equality and hash, frozen where they were);
# ``_replace`` stands for ``dataclasses.replace``.


class Record:
    """A mutable slotted value: ``_fields`` lists the constructor arguments in order,
    ``_compare`` (default: all of them) those that equality and repr use."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _compare: ClassVar[tuple[str, ...]] = ()
    _key: ClassVar[Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_fields" not in cls.__dict__:
            return
        if "_compare" not in cls.__dict__:
            cls._compare = cls._fields
        get = attrgetter(*cls._compare)
        cls._key = staticmethod(get if len(cls._compare) > 1 else lambda obj: (get(obj),))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._key(self) == self._key(other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._compare)
        return f"{self.__class__.__qualname__}({args})"

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return self.__class__(**{n: changes.pop(n, getattr(self, n)) for n in self._fields},
                              **changes)


class FrozenRecord(Record):
    """An immutable, hashable record (a frozen dataclass): ``__init__`` sets its fields with
    ``object.__setattr__``."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._key(self))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # copy/deepcopy/pickle despite __setattr__
        return (self.__class__, tuple(getattr(self, n) for n in self._fields))


_set = object.__setattr__


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


class IngressBackend(FrozenRecord):
    __slots__ = _fields = ("service", "port_number", "port_name", "resource", "field")
    service: str | None
    port_number: int | None
    port_name: str | None
    resource: tuple[str, str, str] | None  # (apiGroup, kind, name)
    field: str  # path of the backend inside the Ingress

    def __init__(self, service: str | None = None, port_number: int | None = None,
                 port_name: str | None = None, resource: tuple[str, str, str] | None = None,
                 field: str = "") -> None:
        _set(self, "service", service)
        _set(self, "port_number", port_number)
        _set(self, "port_name", port_name)
        _set(self, "resource", resource)
        _set(self, "field", field)

    def _replace_field(self) -> tuple[object, ...]:
        """Identity of the backend without where it was written (for grouping hosts)."""
        return (self.service, self.port_number, self.port_name, self.resource)


class IngressPath(FrozenRecord):
    __slots__ = _fields = ("path", "path_type", "backend", "field")
    path: str | None
    path_type: str | None  # Exact | Prefix | ImplementationSpecific | None (legacy)
    backend: IngressBackend
    field: str

    def __init__(self, path: str | None, path_type: str | None, backend: IngressBackend,
                 field: str) -> None:
        _set(self, "path", path)
        _set(self, "path_type", path_type)
        _set(self, "backend", backend)
        _set(self, "field", field)


class IngressRule(FrozenRecord):
    __slots__ = _fields = ("host", "paths", "field")
    host: str | None
    paths: tuple[IngressPath, ...]
    field: str

    def __init__(self, host: str | None, paths: tuple[IngressPath, ...], field: str) -> None:
        _set(self, "host", host)
        _set(self, "paths", paths)
        _set(self, "field", field)


class IngressTLS(FrozenRecord):
    __slots__ = _fields = ("hosts", "secret", "field")
    hosts: tuple[str, ...]
    secret: str | None
    field: str

    def __init__(self, hosts: tuple[str, ...], secret: str | None, field: str) -> None:
        _set(self, "hosts", hosts)
        _set(self, "secret", secret)
        _set(self, "field", field)


class Ingress(FrozenRecord):
    __slots__ = _fields = (
        "api_version", "name", "namespace", "labels", "annotations", "ingress_class",
        "default_backend", "rules", "tls", "doc", "_annotation_table", "kind")
    # The lookup table is a cache: not part of the value (equality, hash, repr).
    _compare = tuple(n for n in _fields if n != "_annotation_table")
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
    _annotation_table: dict[str, str] | None
    kind: str

    def __init__(self, api_version: str, name: str, namespace: str | None,
                 labels: tuple[tuple[str, str], ...], annotations: tuple[tuple[str, str], ...],
                 ingress_class: str | None, default_backend: IngressBackend | None,
                 rules: tuple[IngressRule, ...], tls: tuple[IngressTLS, ...], doc: int,
                 _annotation_table: dict[str, str] | None = None,
                 kind: str = "Ingress") -> None:
        _set(self, "api_version", api_version)
        _set(self, "name", name)
        _set(self, "namespace", namespace)
        _set(self, "labels", labels)
        _set(self, "annotations", annotations)
        _set(self, "ingress_class", ingress_class)
        _set(self, "default_backend", default_backend)
        _set(self, "rules", rules)
        _set(self, "tls", tls)
        _set(self, "doc", doc)
        _set(self, "_annotation_table", _annotation_table)
        _set(self, "kind", kind)

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
            _set(self, "_annotation_table", table)
        return table.get(key)


# --- Route plan (IR) --------------------------------------------------------------------


class BackendRef(Record):
    __slots__ = _fields = ("name", "port", "group", "kind", "weight", "namespace", "filters")
    name: str
    port: int | None
    group: str
    kind: str
    weight: int | None
    namespace: str | None
    filters: list[dict[str, Any]]

    def __init__(self, name: str, port: int | None, group: str = "", kind: str = "Service",
                 weight: int | None = None, namespace: str | None = None,
                 filters: list[dict[str, Any]] | None = None) -> None:
        self.name = name
        self.port = port
        self.group = group
        self.kind = kind
        self.weight = weight
        self.namespace = namespace
        self.filters = [] if filters is None else filters

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


class Match(Record):
    __slots__ = _fields = ("path_type", "path", "headers", "query_params", "method")
    path_type: str | None  # Exact | PathPrefix | RegularExpression | None (no path)
    path: str | None
    headers: list[dict[str, str]]  # {type?, name, value}
    query_params: list[dict[str, str]]
    method: str | None

    def __init__(self, path_type: str | None = "PathPrefix", path: str | None = "/",
                 headers: list[dict[str, str]] | None = None,
                 query_params: list[dict[str, str]] | None = None,
                 method: str | None = None) -> None:
        self.path_type = path_type
        self.path = path
        self.headers = [] if headers is None else headers
        self.query_params = [] if query_params is None else query_params
        self.method = method

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


class Rule(Record):
    __slots__ = _fields = ("matches", "backends", "source", "filters", "timeouts",
                           "session_persistence", "retry", "name", "intents")
    matches: list[Match]
    backends: list[BackendRef]
    source: str  # Ingress field the rule came from, e.g. spec.rules[0].http.paths[1]
    filters: list[dict[str, Any]]
    timeouts: dict[str, str] | None
    session_persistence: dict[str, Any] | None
    retry: dict[str, Any] | None
    name: str | None
    # Policy intents scoped to this rule (e.g. a Traefik middleware on one path): the target
    # expresses them narrowly (rule sectionName / ExtensionRef filter) or they fail closed.
    intents: list[Intent]

    def __init__(self, matches: list[Match], backends: list[BackendRef], source: str,
                 filters: list[dict[str, Any]] | None = None,
                 timeouts: dict[str, str] | None = None,
                 session_persistence: dict[str, Any] | None = None,
                 retry: dict[str, Any] | None = None, name: str | None = None,
                 intents: list[Intent] | None = None) -> None:
        self.matches = matches
        self.backends = backends
        self.source = source
        self.filters = [] if filters is None else filters
        self.timeouts = timeouts
        self.session_persistence = session_persistence
        self.retry = retry
        self.name = name
        self.intents = [] if intents is None else intents


class ListenerKey(FrozenRecord):
    """A listener a route needs: hostname (None: any host), protocol and port.

    ``port`` defaults from the protocol (HTTP 80, HTTPS/TLS 443); TCP/UDP must name it and
    have no hostname (a TCP/UDP listener cannot match one).
    """

    __slots__ = _fields = ("hostname", "protocol", "port", "tls_mode")
    hostname: str | None
    protocol: str
    port: int
    # TLS listeners only: Passthrough (default, ssl-passthrough) or Terminate (certificates
    # from the TLS entries covering the hostname, as for HTTPS).
    tls_mode: Literal["Passthrough", "Terminate"] | None

    def __init__(self, hostname: str | None, protocol: str, port: int = 0,
                 tls_mode: Literal["Passthrough", "Terminate"] | None = None) -> None:
        if not port:
            if protocol not in DEFAULT_PORTS:
                raise ValueError(f"a {protocol} listener needs a port")
            port = DEFAULT_PORTS[protocol]
        if protocol == "TLS" and tls_mode is None:
            tls_mode = "Passthrough"
        _set(self, "hostname", hostname)
        _set(self, "protocol", protocol)
        _set(self, "port", port)
        _set(self, "tls_mode", tls_mode)


class Route(Record):
    __slots__ = _fields = ("kind", "suffix", "hostnames", "rules", "listeners", "source",
                           "intents")
    kind: RouteKind
    suffix: str  # "" for the main route; e.g. "redirect" for an extra one
    hostnames: list[str]  # empty: all hosts
    rules: list[Rule]
    listeners: list[ListenerKey]
    source: str
    # Policy intents for the whole route (every rule), e.g. an IP allowlist on an Ingress.
    intents: list[Intent]

    def __init__(self, kind: RouteKind, suffix: str, hostnames: list[str], rules: list[Rule],
                 listeners: list[ListenerKey], source: str = "spec",
                 intents: list[Intent] | None = None) -> None:
        self.kind = kind
        self.suffix = suffix
        self.hostnames = hostnames
        self.rules = rules
        self.listeners = listeners
        self.source = source
        self.intents = [] if intents is None else intents


class Conversion(Record):
    """Everything one source object turns into, plus its notes. Dialects refine it in place."""

    # Slotted (one per source, all alive until the plan is written: ~0.5 KB less each).
    __slots__ = _fields = (
        "source", "ingress_class", "routes", "extra_objects", "tls", "notes", "blocked",
        "consumed_annotations", "dialect", "dialect_paths", "labels", "depends_on",
        "gateway_intents", "names")
    source: Source  # an Ingress or a dialect's source kind; see ``ingress`` for Ingress fields
    ingress_class: str | None  # the Ingress class (before --gateway-class mapping)
    routes: list[Route]
    extra_objects: list[dict[str, Any]]  # e.g. BackendTLSPolicy
    tls: list[IngressTLS]  # TLS entries feeding listeners
    notes: list[Note]
    blocked: bool  # keep the Ingress unconverted (error notes say why)
    consumed_annotations: set[str]
    dialect: str | None
    # Set by a dialect that rewrites paths itself (e.g. regex paths): the neutral
    # converter then keeps paths that are not valid Exact/PathPrefix values.
    dialect_paths: bool
    labels: dict[str, str]  # copied to generated routes
    # Conversions this one was merged into (e.g. a canary's primaries): kept together.
    depends_on: list[Conversion]
    # Intents about the Gateway that serves this source (addresses, listener TLS options,
    # infrastructure annotations): expressed by emit/target on the generated Gateway.
    gateway_intents: list[Intent]
    # --name-template: generated kind -> base name of this source's objects of that kind.
    names: dict[str, str]

    def __init__(self, source: Source, ingress_class: str | None,
                 routes: list[Route] | None = None,
                 extra_objects: list[dict[str, Any]] | None = None,
                 tls: list[IngressTLS] | None = None, notes: list[Note] | None = None,
                 blocked: bool = False, consumed_annotations: set[str] | None = None,
                 dialect: str | None = None, dialect_paths: bool = False,
                 labels: dict[str, str] | None = None,
                 depends_on: list[Conversion] | None = None,
                 gateway_intents: list[Intent] | None = None,
                 names: dict[str, str] | None = None) -> None:
        self.source = source
        self.ingress_class = ingress_class
        self.routes = [] if routes is None else routes
        self.extra_objects = [] if extra_objects is None else extra_objects
        self.tls = [] if tls is None else tls
        self.notes = [] if notes is None else notes
        self.blocked = blocked
        self.consumed_annotations = set() if consumed_annotations is None else consumed_annotations
        self.dialect = dialect
        self.dialect_paths = dialect_paths
        self.labels = {} if labels is None else labels
        self.depends_on = [] if depends_on is None else depends_on
        self.gateway_intents = [] if gateway_intents is None else gateway_intents
        self.names = {} if names is None else names

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
