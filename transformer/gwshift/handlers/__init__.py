"""Controller dialects: each refines the neutral route plan of the sources it owns.

``DIALECTS`` is the explicit registry, kept as data so that selecting a dialect, knowing
which annotation prefixes are whose, and which extra kinds the planner must read never
imports a dialect module: a module (exposing ``DIALECT``, a :class:`Dialect`) is imported
only when a source of that dialect is in the stream.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from gwshift.model import FrozenRecord, _set

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion
    from gwshift.notes import Note
    from gwshift.settings import Settings

# Stands for the --annotation-prefix value in ``DialectEntry.prefixes`` (ingress-nginx only).
ANNOTATION_PREFIX = "$annotation-prefix"


class DialectEntry(NamedTuple):
    """What the core needs to know about a dialect without importing it."""

    name: str
    module: str
    classes: tuple[str, ...]  # Ingress class names owned by default
    controllers: tuple[str, ...]  # IngressClass spec.controller values owned by default
    prefixes: tuple[str, ...]  # annotation key prefixes it owns (ending in "/")
    reads: frozenset[str] = frozenset()  # extra kinds it looks up in the stream
    # Extra source kinds it converts: (apiVersion group, kind), e.g. Kong TCPIngress.
    sources: tuple[tuple[str, str], ...] = ()
    # Whole annotation keys outside its prefixes that only this controller reads (GKE's
    # kubernetes.io/ingress.global-static-ip-name): with the prefixes they tell a class-less
    # Ingress's dialect (``select_dialect``).
    keys: tuple[str, ...] = ()
    # Ingress class ("" = class-less) -> the GatewayClass the controller's Gateway
    # implementation conventionally serves; an explicit --gateway-class mapping wins.
    gateway_classes: tuple[tuple[str, str], ...] = ()
    # Set when only the objects other documents name are sources (ingress-nginx converts
    # the ConfigMaps its controller's --tcp-services-configmap names, never any other):
    # (kind, text) of the documents that may name them. Only documents of that kind whose
    # text contains it are read (none in most inputs) and handed to ``Dialect.select``; an
    # object of a ``sources`` kind it does not name is no source and is never loaded.
    named_by: tuple[tuple[str, str], ...] = ()


# Which sources share a Gateway: (namespace or "", class or "") by default.
GroupKey = tuple[str, ...]

# Parses one extra source object (document index given) into a Conversion, or notes why not.
SourceParser = Callable[[dict[str, Any], int, "Context"], "tuple[Conversion | None, list[Note]]"]


class Dialect(FrozenRecord):
    """What a dialect module exposes as ``DIALECT`` (a frozen record, not a dataclass:
    start-up, see ``gwshift.model.Record``)."""

    __slots__ = _fields = ("name", "refine", "table", "parsers", "passes", "group_key", "select")
    name: str
    # Refines every Conversion of this dialect in the stream (per source and across them).
    refine: Callable[[list[Conversion], Context], None]
    # Annotation name (without prefix) -> handler; supported/docs/report derive from it.
    table: Mapping[str, Any]
    # (group, kind) -> parser for the extra source kinds declared in the DialectEntry.
    parsers: Mapping[tuple[str, str], SourceParser]
    # Cross-source passes (canary merges, redirect routes ...) run after the intents the
    # target cannot express have kept their sources: a pass sees which sources are kept.
    passes: tuple[Callable[[list[Conversion], Context], None], ...]
    # Gateway grouping key override (ALB IngressGroup); None: (namespace, class). Sources
    # with equal keys share one Gateway (``Context.group_of`` is the only caller).
    group_key: Callable[[Conversion, Context], GroupKey] | None
    # With ``DialectEntry.named_by``: (kind, namespace or None, name) of every source the
    # given documents (those whose text has a ``named_by`` marker) name.
    select: Callable[[list[dict[str, Any]], Context],
                     Iterable[tuple[str, str | None, str]]] | None

    def __init__(self, name: str, refine: Callable[[list[Conversion], Context], None],
                 table: Mapping[str, Any] | None = None,
                 parsers: Mapping[tuple[str, str], SourceParser] | None = None,
                 passes: tuple[Callable[[list[Conversion], Context], None], ...] = (),
                 group_key: Callable[[Conversion, Context], GroupKey] | None = None,
                 select: Callable[[list[dict[str, Any]], Context],
                                  Iterable[tuple[str, str | None, str]]] | None = None) -> None:
        _set(self, "name", name)
        _set(self, "refine", refine)
        _set(self, "table", {} if table is None else table)
        _set(self, "parsers", {} if parsers is None else parsers)
        _set(self, "passes", passes)
        _set(self, "group_key", group_key)
        _set(self, "select", select)


DIALECTS: dict[str, DialectEntry] = {
    "nginx": DialectEntry(
        name="nginx", module="gwshift.handlers.nginx", classes=("nginx",),
        controllers=("k8s.io/ingress-nginx",), prefixes=(ANNOTATION_PREFIX,),
        sources=(("", "ConfigMap"),), named_by=(("Deployment", "-services-configmap"),
                                                 ("DaemonSet", "-services-configmap"))),
    "traefik": DialectEntry(
        name="traefik", module="gwshift.handlers.traefik", classes=("traefik",),
        controllers=("traefik.io/ingress-controller",),
        prefixes=("traefik.ingress.kubernetes.io/",), reads=frozenset({"Middleware"}),
        sources=(("traefik.io", "IngressRoute"), ("traefik.containo.us", "IngressRoute"))),
    "kong": DialectEntry(
        name="kong", module="gwshift.handlers.kong", classes=("kong",),
        controllers=("ingress-controllers.konghq.com/kong",), prefixes=("konghq.com/",),
        reads=frozenset({"KongPlugin", "KongClusterPlugin"}),
        sources=(("configuration.konghq.com", "TCPIngress"),
                 ("configuration.konghq.com", "UDPIngress"))),
    "alb": DialectEntry("alb", "gwshift.handlers.alb", ("alb",), ("ingress.k8s.aws/alb",), ("alb.ingress.kubernetes.io/",)),
    "gce": DialectEntry("gce", "gwshift.handlers.gce", ("gce", "gce-internal"), ("k8s.io/ingress-gce",), ("ingress.gcp.kubernetes.io/", "networking.gke.io/"), frozenset({"FrontendConfig", "BackendConfig"}),
                        keys=("kubernetes.io/ingress.global-static-ip-name", "kubernetes.io/ingress.regional-static-ip-name", "kubernetes.io/ingress.allow-http"),
                        gateway_classes=(("gce", "gke-l7-global-external-managed"), ("gce-internal", "gke-l7-rilb"), ("", "gke-l7-global-external-managed"))),
    "nginx-inc": DialectEntry("nginx-inc", "gwshift.handlers.nginx_inc", (), ("nginx.org/ingress-controller",), ("nginx.org/", "nginx.com/", "appprotect.f5.com/", "appprotectdos.f5.com/")),
    "haproxy": DialectEntry("haproxy", "gwshift.handlers.haproxy", ("haproxy",), ("haproxy.org/ingress-controller", "haproxy-ingress.github.io/controller"), ("haproxy.org/", "haproxy.com/", "haproxy-ingress.github.io/")),
}


def prefixes_of(entry: DialectEntry, settings: Settings) -> tuple[str, ...]:
    own = settings.annotation_prefix.rstrip("/") + "/"
    return tuple(own if p == ANNOTATION_PREFIX else p for p in entry.prefixes)


def owner_of(key: str, settings: Settings) -> str | None:
    """The dialect whose annotation prefix ``key`` carries (None: no dialect's)."""
    for entry in DIALECTS.values():
        if key.startswith(prefixes_of(entry, settings)):
            return entry.name
    return None


class KnownController(NamedTuple):
    """An Ingress controller whose annotations gwshift recognises but does not convert."""

    name: str
    prefixes: tuple[str, ...]
    # Access controls whose names the generic SECURITY pattern does not catch: these keys
    # fail closed too (an allow list is never dropped silently, under any prefix).
    security: tuple[str, ...] = ()


# Controllers without a dialect yet: their keys are reported, security ones fail closed. A
# dialect registered in DIALECTS with the same prefix takes precedence (``controller_of``).
KNOWN_CONTROLLERS: tuple[KnownController, ...] = (
    # ingress-nginx under its default prefix, for when --annotation-prefix moves the dialect.
    KnownController("ingress-nginx", ("nginx.ingress.kubernetes.io/",),
                    ("global-rate-limit", "global-rate-limit-window", "global-rate-limit-key",
                     "global-rate-limit-ignored-cidrs", "denylist-source-range")),
    # NGINX Inc. and its F5 add-ons (App Protect WAF and DoS): a WAF under another class
    # is an access control too (issue 19).
    KnownController("nginx-inc", ("nginx.org/", "nginx.com/", "appprotect.f5.com/",
                                  "appprotectdos.f5.com/"),
                    ("policies", "lb-method", "server-snippets", "location-snippets",
                     "app-protect-enable", "app-protect-policy", "app-protect-dos-resource",
                     "app-protect-security-log")),
    KnownController("traefik", ("traefik.ingress.kubernetes.io/",),
                    ("router.middlewares", "router.tls.options")),
    KnownController("alb", ("alb.ingress.kubernetes.io/",),
                    ("security-groups", "manage-backend-security-group-rules", "wafv2-acl-arn",
                     "waf-acl-id", "shield-advanced-protection", "auth-type", "auth-idp-cognito",
                     "auth-idp-oidc", "inbound-cidrs", "ssl-policy")),
    KnownController("legacy", ("ingress.kubernetes.io/",),
                    ("whitelist-source-range", "auth-type", "auth-secret")),
    KnownController("haproxy", ("haproxy.org/", "haproxy.com/"),
                    ("allow-list", "deny-list", "whitelist", "blacklist", "auth-type",
                     "auth-secret", "rate-limit-requests", "src-ip-header")),
    KnownController("kong", ("konghq.com/",), ("plugins", "protocols", "https-redirect-status-code")),
    KnownController("gce", ("ingress.gcp.kubernetes.io/", "networking.gke.io/",
                            "cloud.google.com/"),
                    ("backend-config", "v1beta1.FrontendConfig", "pre-shared-cert",
                     "app-protocols")),
    KnownController("appgw", ("appgw.ingress.kubernetes.io/",),
                    ("waf-policy-for-path", "appgw-ssl-certificate")),
    KnownController("ingress-class", ("kubernetes.io/ingress.",)),
    KnownController("bluemix", ("ingress.bluemix.net/",), ("appid-auth", "custom-errors")),
    KnownController("skipper", ("zalando.org/",),
                    ("skipper-filter", "skipper-predicate", "skipper-routes")),
    KnownController("contour", ("projectcontour.io/", "contour.heptio.com/")),
    KnownController("emissary", ("getambassador.io/",)),
    KnownController("ncp", ("ncp.navercorp.com/",)),
    KnownController("f5", ("virtual-server.f5.com/",), ("whitelist-source-range", "allow-source-range")),
)


class Owner(NamedTuple):
    """Whose annotation a key is: a registered dialect's or a known controller's."""

    name: str
    dialect: bool  # a registered dialect (it reports its own keys) or only known
    security: tuple[str, ...] = ()

    def is_security(self, key: str) -> bool:
        """Access-control keys: the generic pattern, or the controller's own list."""
        return is_security_key(key) or key.split("/", 1)[-1] in self.security


# Keys that restrict who may reach a backend; never dropped without an explicit opt-in.
SECURITY = re.compile(
    r"auth|whitelist|allowlist|denylist|blacklist|source-range|inbound-cidrs|waf|modsecurity|"
    r"limit-r|rate-?limit|ratelimit|limit-connections|security-polic|middlewares|firewall|"
    r"ip-?allow|ip-?deny|satisfy|snippet|client-cert|mtls|jwt|oidc|cognito",
    re.IGNORECASE,
)


def is_security_key(key: str) -> bool:
    """Whether an annotation key looks like an access control (its name after the prefix)."""
    return bool(SECURITY.search(key.split("/", 1)[-1]))


def controller_of(key: str, settings: Settings) -> Owner | None:
    """The controller whose annotation ``key`` is (None: not a controller's annotation).

    A registered dialect owns its prefixes; a known controller's security list still
    applies to them (a Kong key on an Ingress of another dialect must fail closed too).
    """
    memo = (key, settings.annotation_prefix, len(DIALECTS))
    if memo not in _owners:
        if len(_owners) > 4096:  # bounded: keys come from untrusted input
            _owners.clear()
        _owners[memo] = _controller_of(key, settings)
    return _owners[memo]


_owners: dict[tuple[str, str, int], Owner | None] = {}


def _controller_of(key: str, settings: Settings) -> Owner | None:
    known = [k for k in KNOWN_CONTROLLERS if key.startswith(k.prefixes)]
    security = tuple(name for k in known for name in k.security)
    dialect = owner_of(key, settings)
    if dialect is not None:
        return Owner(dialect, True, security)
    return Owner(known[0].name, False, security) if known else None


def extra_reads() -> frozenset[str]:
    return frozenset().union(*(e.reads for e in DIALECTS.values()))


def naming_kinds(text: str | None = None) -> frozenset[str]:
    """Kinds of the documents that may name sources (``DialectEntry.named_by``); given the
    input ``text``, only those whose marker occurs in it (usually none: one substring scan)."""
    return frozenset(kind for e in DIALECTS.values() for kind, marker in e.named_by
                     if text is None or marker in text)


def source_kinds() -> dict[tuple[str, str], str]:
    """(group, kind) of every extra source kind -> the dialect that converts it."""
    return {src: e.name for e in DIALECTS.values() for src in e.sources}


_loaded: dict[str, Dialect] = {}


def load(name: str) -> Dialect:
    if name not in _loaded:
        _loaded[name] = importlib.import_module(DIALECTS[name].module).DIALECT
    return _loaded[name]


def load_dialects() -> dict[str, Dialect]:
    """Every registered dialect (docs, tests); the planner loads only those it needs."""
    return {name: load(name) for name in DIALECTS}


def select_dialect(conv: Conversion, ctx: Context, dialects: object = None) -> str | None:
    """The dialect of ``conv``: --dialect, else its IngressClass controller, else class name,
    else (no class and no default IngressClass in the stream) its annotations' controller.

    The controller is checked first: an IngressClass named ``nginx`` whose controller is
    F5's is not ingress-nginx. A class-less Ingress is served by the cluster's default
    class, which the stream does not show; the annotations it carries were written for one
    controller (GKE serves class-less Ingresses by default), so when they all belong to one
    registered dialect, that dialect reads them. Mixed or no controller annotations: none.
    """
    forced = ctx.settings.dialect
    if forced == "none":
        return None
    if forced != "auto":
        return forced
    cls = conv.ingress_class
    controller = ctx.ingress_class_controllers.get(cls or "")
    if controller is not None:
        for entry in DIALECTS.values():
            if controller in entry.controllers:
                return entry.name
    for entry in DIALECTS.values():
        if cls in entry.classes:
            return entry.name
    if cls is None:
        owners = {e.name for key, _ in conv.source.annotations for e in DIALECTS.values()
                  if key in e.keys or key.startswith(prefixes_of(e, ctx.settings))}
        if len(owners) == 1:
            return owners.pop()
    return None
