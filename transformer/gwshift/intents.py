"""Policy intents: what a source object asked for, independent of who expresses it.

Dialects *record* intents on the IR (``Route.intents`` for the whole route, ``Rule.intents``
for one rule, ``Conversion.gateway_intents`` for the Gateway that serves the source); the
selected target (``gwshift.targets``) *expresses* each one as objects (e.g. an Envoy Gateway
SecurityPolicy) and/or filters (e.g. an ExtensionRef to a Traefik Middleware), or cannot.
One check after refinement turns every intent the target cannot express into a note: a
security intent (``by.security``) fails closed with ``by.code`` and ``by.why``, exactly as
the dialect would have done before intents existed; anything else is a warning.

Intents have two consumers (dialects produce, targets consume), so they earn types; every
field is already validated and normalised by the dialect (targets never re-parse values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an intent came from and what to say when nobody can express it."""

    key: str  # the annotation key (or spec path) that asked for it
    field: str  # note field, e.g. metadata.annotations[nginx.ingress.kubernetes.io/auth-url]
    code: str  # note code when not expressed, e.g. nginx/ip-access-control
    why: str  # fail-closed explanation (today's WHY text), or the warning text
    security: bool = True  # not expressed -> error + Ingress kept (fail closed)
    # Parameter annotations read into the intent, as (key, field): when it is knowingly
    # dropped (--allow-insecure-drop), each gets its own warning too.
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """An in-cluster HTTP(S) service named by a URL (auth-url, mirror-target ...)."""

    name: str
    namespace: str | None  # None: the source object's namespace
    port: int
    path: str = ""
    scheme: Literal["http", "https"] = "http"


@dataclass(frozen=True, slots=True)
class IPAccess:
    """Client-IP allow and/or deny lists (CIDRs, normalised). Empty allow: no allowlist."""

    allow: tuple[str, ...]
    deny: tuple[str, ...]
    by: Provenance


@dataclass(frozen=True, slots=True)
class BasicAuth:
    secret: str  # Secret name in the source namespace
    realm: str | None
    # ingress-nginx: auth-file = htpasswd lines under key "auth"; auth-map = user -> hash keys
    secret_type: Literal["auth-file", "auth-map"]
    by: Provenance


@dataclass(frozen=True, slots=True)
class ExternalAuth:
    url: str  # as written
    service: ServiceRef | None  # None: not an in-cluster service URL (external host)
    response_headers: tuple[str, ...]  # copied from the auth response to the upstream request
    request_headers: tuple[str, ...]  # request headers the auth service needs (if any)
    signin: str | None  # redirect for 401 (nginx auth-signin)
    method: str | None
    by: Provenance
    # Source parameters no ExternalAuth intent carries (caching, keep-alive ...): (key,
    # field, what is lost, warn). A target that expresses the intent reports them.
    dropped: tuple[tuple[str, str, str, bool], ...] = ()

    def param_field(self, name: str) -> str:
        """The note field of the source parameter ``name`` (e.g. ``auth-signin``)."""
        return next((f for k, f in self.by.params if k.rsplit("/", 1)[-1] == name), self.by.field)


@dataclass(frozen=True, slots=True)
class ClientCertAuth:
    ca_secret: str  # namespace/name or name of the Secret holding ca.crt
    verify: Literal["on", "optional", "optional_no_ca", "off"]
    depth: int | None
    pass_to_upstream: bool
    by: Provenance


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Requests per client IP (nginx limit_req keyed by $binary_remote_addr)."""

    requests: int
    unit: Literal["Second", "Minute"]
    burst: int | None  # extra requests allowed in a burst (nginx: requests × multiplier)
    by: Provenance


@dataclass(frozen=True, slots=True)
class ConnectionLimit:
    """Concurrent connections per client IP (nginx limit_conn)."""

    connections: int
    by: Provenance


@dataclass(frozen=True, slots=True)
class BodySize:
    limit_bytes: int  # 0: unlimited
    by: Provenance


@dataclass(frozen=True, slots=True)
class ProxyTimeouts:
    """Timeouts beyond the standard rule timeouts, in seconds (None: not set)."""

    connect: int | None
    read: int | None
    send: int | None
    by: Provenance


@dataclass(frozen=True, slots=True)
class CookieAffinity:
    name: str
    ttl_seconds: int | None
    path: str | None
    same_site: str | None
    secure: bool | None
    by: Provenance


@dataclass(frozen=True, slots=True)
class CustomErrors:
    status_codes: tuple[int, ...]
    service: ServiceRef | None  # where nginx sent them (default backend), if known
    by: Provenance


@dataclass(frozen=True, slots=True)
class RegexRewrite:
    """Rewrite the path with a regex and capture groups (nginx rewrite-target /$2)."""

    pattern: str
    substitution: str  # RE2/Envoy style: \\1 for the first group
    by: Provenance


@dataclass(frozen=True, slots=True)
class BackendTLS:
    """TLS from the gateway to a Service (in the source namespace)."""

    service: str
    port: int | None
    hostname: str | None  # SNI / name to verify
    ca_secret: str | None  # None with verify: system CAs
    verify: bool
    client_secret: str | None  # mTLS client certificate (proxy-ssl-secret tls.crt/tls.key)
    by: Provenance
    # Service port names to target (sectionName); empty: every port of the Service.
    sections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtensionRef:
    """A controller object the source references by name (Traefik Middleware, KongPlugin).

    Only a target of that controller can attach it (an ExtensionRef filter); elsewhere the
    dialect translates what it can into other intents first, and what is left fails closed
    (an unknown middleware or plugin may be authentication).
    """

    group: str
    kind: str
    name: str
    namespace: str | None
    by: Provenance


@dataclass(frozen=True, slots=True)
class GatewayAddress:
    """A pre-allocated address for the Gateway (GKE static IP name, ALB ...)."""

    type: Literal["IPAddress", "Hostname", "NamedAddress"]
    value: str
    by: Provenance


@dataclass(frozen=True, slots=True)
class ListenerTLSOption:
    """An implementation listener ``tls.options`` entry (GKE pre-shared certificates)."""

    key: str
    value: str
    by: Provenance


@dataclass(frozen=True, slots=True)
class Opaque:
    """A controller setting with a name but no typed shape yet (ALB scheme, healthcheck-*,
    GKE BackendConfig ...): only a target that lists ``(dialect, name)`` can express it."""

    dialect: str
    name: str
    value: str
    by: Provenance


Intent = (
    IPAccess | BasicAuth | ExternalAuth | ClientCertAuth | RateLimit | ConnectionLimit | BodySize
    | ProxyTimeouts | CookieAffinity | CustomErrors | RegexRewrite | BackendTLS | ExtensionRef
    | GatewayAddress | ListenerTLSOption | Opaque
)
INTENT_TYPES: tuple[type, ...] = (
    IPAccess, BasicAuth, ExternalAuth, ClientCertAuth, RateLimit, ConnectionLimit, BodySize,
    ProxyTimeouts, CookieAffinity, CustomErrors, RegexRewrite, BackendTLS, ExtensionRef,
    GatewayAddress, ListenerTLSOption, Opaque,
)
