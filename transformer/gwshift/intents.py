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

from typing import Literal

from gwshift.model import FrozenRecord, _set


class Provenance(FrozenRecord):
    """Where an intent came from and what to say when nobody can express it."""

    __slots__ = _fields = ("key", "field", "code", "why", "security", "params")
    key: str  # the annotation key (or spec path) that asked for it
    field: str  # note field, e.g. metadata.annotations[nginx.ingress.kubernetes.io/auth-url]
    code: str  # note code when not expressed, e.g. nginx/ip-access-control
    why: str  # fail-closed explanation (today's WHY text), or the warning text
    security: bool  # not expressed -> error + Ingress kept (fail closed)
    # Parameter annotations read into the intent, as (key, field): when it is knowingly
    # dropped (--allow-insecure-drop), each gets its own warning too.
    params: tuple[tuple[str, str], ...]

    def __init__(self, key: str, field: str, code: str, why: str, security: bool = True,
                 params: tuple[tuple[str, str], ...] = ()) -> None:
        _set(self, "key", key)
        _set(self, "field", field)
        _set(self, "code", code)
        _set(self, "why", why)
        _set(self, "security", security)
        _set(self, "params", params)


class ServiceRef(FrozenRecord):
    """An in-cluster HTTP(S) service named by a URL (auth-url, mirror-target ...)."""

    __slots__ = _fields = ("name", "namespace", "port", "path", "scheme")
    name: str
    namespace: str | None  # None: the source object's namespace
    port: int
    path: str
    scheme: Literal["http", "https"]

    def __init__(self, name: str, namespace: str | None, port: int, path: str = "",
                 scheme: Literal["http", "https"] = "http") -> None:
        _set(self, "name", name)
        _set(self, "namespace", namespace)
        _set(self, "port", port)
        _set(self, "path", path)
        _set(self, "scheme", scheme)


class IPAccess(FrozenRecord):
    """Client-IP allow and/or deny lists (CIDRs, normalised). Empty allow: no allowlist."""

    __slots__ = _fields = ("allow", "deny", "by")
    allow: tuple[str, ...]
    deny: tuple[str, ...]
    by: Provenance

    def __init__(self, allow: tuple[str, ...], deny: tuple[str, ...], by: Provenance) -> None:
        _set(self, "allow", allow)
        _set(self, "deny", deny)
        _set(self, "by", by)


class BasicAuth(FrozenRecord):
    __slots__ = _fields = ("secret", "realm", "secret_type", "by")
    secret: str  # Secret name in the source namespace
    realm: str | None
    # ingress-nginx: auth-file = htpasswd lines under key "auth"; auth-map = user -> hash keys
    secret_type: Literal["auth-file", "auth-map"]
    by: Provenance

    def __init__(self, secret: str, realm: str | None,
                 secret_type: Literal["auth-file", "auth-map"], by: Provenance) -> None:
        _set(self, "secret", secret)
        _set(self, "realm", realm)
        _set(self, "secret_type", secret_type)
        _set(self, "by", by)


class ExternalAuth(FrozenRecord):
    __slots__ = _fields = ("url", "service", "response_headers", "request_headers", "signin",
                           "method", "by", "dropped")
    url: str  # as written
    service: ServiceRef | None  # None: not an in-cluster service URL (external host)
    response_headers: tuple[str, ...]  # copied from the auth response to the upstream request
    request_headers: tuple[str, ...]  # request headers the auth service needs (if any)
    signin: str | None  # redirect for 401 (nginx auth-signin)
    method: str | None
    by: Provenance
    # Source parameters no ExternalAuth intent carries (caching, keep-alive ...): (key,
    # field, what is lost, warn). A target that expresses the intent reports them.
    dropped: tuple[tuple[str, str, str, bool], ...]

    def __init__(self, url: str, service: ServiceRef | None, response_headers: tuple[str, ...],
                 request_headers: tuple[str, ...], signin: str | None, method: str | None,
                 by: Provenance, dropped: tuple[tuple[str, str, str, bool], ...] = ()) -> None:
        _set(self, "url", url)
        _set(self, "service", service)
        _set(self, "response_headers", response_headers)
        _set(self, "request_headers", request_headers)
        _set(self, "signin", signin)
        _set(self, "method", method)
        _set(self, "by", by)
        _set(self, "dropped", dropped)

    def param_field(self, name: str) -> str:
        """The note field of the source parameter ``name`` (e.g. ``auth-signin``)."""
        return next((f for k, f in self.by.params if k.rsplit("/", 1)[-1] == name), self.by.field)


class ClientCertAuth(FrozenRecord):
    __slots__ = _fields = ("ca_secret", "verify", "depth", "pass_to_upstream", "by")
    ca_secret: str  # namespace/name or name of the Secret holding ca.crt
    verify: Literal["on", "optional", "optional_no_ca", "off"]
    depth: int | None
    pass_to_upstream: bool
    by: Provenance

    def __init__(self, ca_secret: str, verify: Literal["on", "optional", "optional_no_ca", "off"],
                 depth: int | None, pass_to_upstream: bool, by: Provenance) -> None:
        _set(self, "ca_secret", ca_secret)
        _set(self, "verify", verify)
        _set(self, "depth", depth)
        _set(self, "pass_to_upstream", pass_to_upstream)
        _set(self, "by", by)


class RateLimit(FrozenRecord):
    """Requests per client IP (nginx limit_req keyed by $binary_remote_addr)."""

    __slots__ = _fields = ("requests", "unit", "burst", "by")
    requests: int
    unit: Literal["Second", "Minute"]
    burst: int | None  # extra requests allowed in a burst (nginx: requests × multiplier)
    by: Provenance

    def __init__(self, requests: int, unit: Literal["Second", "Minute"], burst: int | None,
                 by: Provenance) -> None:
        _set(self, "requests", requests)
        _set(self, "unit", unit)
        _set(self, "burst", burst)
        _set(self, "by", by)


class ConnectionLimit(FrozenRecord):
    """Concurrent connections per client IP (nginx limit_conn)."""

    __slots__ = _fields = ("connections", "by")
    connections: int
    by: Provenance

    def __init__(self, connections: int, by: Provenance) -> None:
        _set(self, "connections", connections)
        _set(self, "by", by)


class BodySize(FrozenRecord):
    __slots__ = _fields = ("limit_bytes", "by")
    limit_bytes: int  # 0: unlimited
    by: Provenance

    def __init__(self, limit_bytes: int, by: Provenance) -> None:
        _set(self, "limit_bytes", limit_bytes)
        _set(self, "by", by)


class ProxyTimeouts(FrozenRecord):
    """Timeouts beyond the standard rule timeouts, in seconds (None: not set)."""

    __slots__ = _fields = ("connect", "read", "send", "by")
    connect: int | None
    read: int | None
    send: int | None
    by: Provenance

    def __init__(self, connect: int | None, read: int | None, send: int | None,
                 by: Provenance) -> None:
        _set(self, "connect", connect)
        _set(self, "read", read)
        _set(self, "send", send)
        _set(self, "by", by)


class CookieAffinity(FrozenRecord):
    __slots__ = _fields = ("name", "ttl_seconds", "path", "same_site", "secure", "by")
    name: str
    ttl_seconds: int | None
    path: str | None
    same_site: str | None
    secure: bool | None
    by: Provenance

    def __init__(self, name: str, ttl_seconds: int | None, path: str | None, same_site: str | None,
                 secure: bool | None, by: Provenance) -> None:
        _set(self, "name", name)
        _set(self, "ttl_seconds", ttl_seconds)
        _set(self, "path", path)
        _set(self, "same_site", same_site)
        _set(self, "secure", secure)
        _set(self, "by", by)


class CustomErrors(FrozenRecord):
    __slots__ = _fields = ("status_codes", "service", "by")
    status_codes: tuple[int, ...]
    service: ServiceRef | None  # where nginx sent them (default backend), if known
    by: Provenance

    def __init__(self, status_codes: tuple[int, ...], service: ServiceRef | None,
                 by: Provenance) -> None:
        _set(self, "status_codes", status_codes)
        _set(self, "service", service)
        _set(self, "by", by)


class RegexRewrite(FrozenRecord):
    """Rewrite the path with a regex and capture groups (nginx rewrite-target /$2)."""

    __slots__ = _fields = ("pattern", "substitution", "by")
    pattern: str
    substitution: str  # RE2/Envoy style: \\1 for the first group
    by: Provenance

    def __init__(self, pattern: str, substitution: str, by: Provenance) -> None:
        _set(self, "pattern", pattern)
        _set(self, "substitution", substitution)
        _set(self, "by", by)


class BackendTLS(FrozenRecord):
    """TLS from the gateway to a Service (in the source namespace)."""

    __slots__ = _fields = ("service", "port", "hostname", "ca_secret", "verify", "client_secret",
                           "by", "sections")
    service: str
    port: int | None
    hostname: str | None  # SNI / name to verify
    ca_secret: str | None  # None with verify: system CAs
    verify: bool
    client_secret: str | None  # mTLS client certificate (proxy-ssl-secret tls.crt/tls.key)
    by: Provenance
    # Service port names to target (sectionName); empty: every port of the Service.
    sections: tuple[str, ...]

    def __init__(self, service: str, port: int | None, hostname: str | None, ca_secret: str | None,
                 verify: bool, client_secret: str | None, by: Provenance,
                 sections: tuple[str, ...] = ()) -> None:
        _set(self, "service", service)
        _set(self, "port", port)
        _set(self, "hostname", hostname)
        _set(self, "ca_secret", ca_secret)
        _set(self, "verify", verify)
        _set(self, "client_secret", client_secret)
        _set(self, "by", by)
        _set(self, "sections", sections)


class ExtensionRef(FrozenRecord):
    """A controller object the source references by name (Traefik Middleware, KongPlugin).

    Only a target of that controller can attach it (an ExtensionRef filter); elsewhere the
    dialect translates what it can into other intents first, and what is left fails closed
    (an unknown middleware or plugin may be authentication).
    """

    __slots__ = _fields = ("group", "kind", "name", "namespace", "by")
    group: str
    kind: str
    name: str
    namespace: str | None
    by: Provenance

    def __init__(self, group: str, kind: str, name: str, namespace: str | None,
                 by: Provenance) -> None:
        _set(self, "group", group)
        _set(self, "kind", kind)
        _set(self, "name", name)
        _set(self, "namespace", namespace)
        _set(self, "by", by)


class GatewayAddress(FrozenRecord):
    """A pre-allocated address for the Gateway (GKE static IP name, ALB ...)."""

    __slots__ = _fields = ("type", "value", "by")
    type: Literal["IPAddress", "Hostname", "NamedAddress"]
    value: str
    by: Provenance

    def __init__(self, type: Literal["IPAddress", "Hostname", "NamedAddress"], value: str,
                 by: Provenance) -> None:
        _set(self, "type", type)
        _set(self, "value", value)
        _set(self, "by", by)


class ListenerTLSOption(FrozenRecord):
    """An implementation listener ``tls.options`` entry (GKE pre-shared certificates)."""

    __slots__ = _fields = ("key", "value", "by")
    key: str
    value: str
    by: Provenance

    def __init__(self, key: str, value: str, by: Provenance) -> None:
        _set(self, "key", key)
        _set(self, "value", value)
        _set(self, "by", by)


class Opaque(FrozenRecord):
    """A controller setting with a name but no typed shape yet (ALB scheme, healthcheck-*,
    GKE BackendConfig ...): only a target that lists ``(dialect, name)`` can express it."""

    __slots__ = _fields = ("dialect", "name", "value", "by")
    dialect: str
    name: str
    value: str
    by: Provenance

    def __init__(self, dialect: str, name: str, value: str, by: Provenance) -> None:
        _set(self, "dialect", dialect)
        _set(self, "name", name)
        _set(self, "value", value)
        _set(self, "by", by)


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
