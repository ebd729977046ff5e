"""The Kong dialect: ``konghq.com/*`` (Kong Ingress Controller 3.x) and TCPIngress/UDPIngress.

``TABLE`` is the single source of truth for the annotations: those Kong reads from the
Ingress and those it reads from the backend Service (``SERVICE_KEYS``; on the Ingress
they have no effect in Kong either and are reported). ``headers.<name>`` stands for every
header key.

Order of work (``refine``): every key under the prefix is consumed (unknown ones noted);
regex paths (``/~``) become RegularExpression matches; header and method matches expand
the rules; handlers run in TABLE order (plugins record intents); the backend Services'
annotations and the Ingress's strip-path/rewrite/host settings become one URLRewrite per
rule; protocols (listeners, HTTPS redirect, GRPCRoute) come last because they copy rules.
TCPIngress/UDPIngress objects are converted entirely by their parser (``l4.parse``).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers import Dialect
from gwshift.handlers._split import split_prefix_rewrites
from gwshift.handlers._table import Handler, Level
from gwshift.handlers.kong import l4, plugins, routing, service
from gwshift.handlers.kong._common import PREFIX, field, key, say
from gwshift.intents import BackendTLS, ExtensionRef
from gwshift.model import Conversion
from gwshift.notes import info, warning

HEADERS = "headers.<name>"
FORCE_SSL = "ingress.kubernetes.io/force-ssl-redirect"


def _reported(name: str, level: Level, message: str, severity: str = "warning") -> Handler:
    code = f"kong/{name}-not-converted"
    make = info if severity == "info" else warning

    def apply_(value: str, conv: Conversion, ctx: Context) -> None:
        say(conv, name, make, code, f"{key(name)}={value!r} is not converted: {message}")

    return Handler(level, "reported", apply_, "nothing (reported)", (code,), message)


def _read(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by a later step of refine (see the module docstring)."""


def _on_service(name: str, level: Level, disposition: str, emits: str,
                codes: tuple[str, ...] = (), caveat: str = "",
                intent: type | None = None) -> Handler:
    def apply_(value: str, conv: Conversion, ctx: Context) -> None:
        say(conv, name, info, "kong/service-annotation-on-ingress",
            f"{key(name)} is read by Kong from the backend Service, not the Ingress; it had no "
            "effect here and is not converted")

    return Handler(level, disposition, apply_, emits,  # type: ignore[arg-type]
                   ("kong/service-annotation-on-ingress", *codes), caveat, intent)


def _plugins(value: str, conv: Conversion, ctx: Context) -> None:
    origin = plugins.Origin(key("plugins"), field("plugins"))
    eff = plugins.effects(plugins.refs_of(value, conv.source.namespace, ctx), origin)
    rules = [r for route in conv.routes for r in route.rules if r.backends]
    plugins.apply_to_rules(conv, rules, eff, origin)
    for route in conv.routes:
        route.intents.extend(i for i in eff.intents if i not in route.intents)


_PLUGIN_CODES = ("kong/plugin", "kong/plugin-dropped", "kong/ip-restriction",
                 "kong/rate-limiting", "kong/plugin-approximated", "kong/too-many-headers")

TABLE: dict[str, Handler] = {
    # --- matches -----------------------------------------------------------------------------
    "methods": Handler("STD", "converted", routing.methods, "one match per method",
        ("kong/invalid-method", "kong/too-many-matches"),
        "Methods outside the Gateway API list keep the Ingress."),
    HEADERS: Handler("STD", "converted", _read,
        "header Exact matches; comma = one match per value; `~*` values RegularExpression",
        ("kong/header-match-case", "kong/too-many-matches"),
        "Several headers multiply the matches (at most 64). Kong compared values "
        "case-insensitively."),
    "regex-prefix": Handler("STD", "converted", routing.regex_prefix,
        "ImplementationSpecific paths with this prefix (default `/~`) -> RegularExpression "
        "`^<re>.*`", ("kong/regex-path",), "Regex dialects are implementation-specific."),
    "regex-priority": Handler("NONE", "reported", routing.regex_priority, "nothing (reported)",
        ("kong/regex-priority-not-converted",), "Gateway API orders regex matches itself."),
    # --- hostnames -----------------------------------------------------------------------------
    "host-aliases": Handler("STD", "converted", routing.host_aliases,
        "extra hostnames (and listeners) on the Ingress's routes", ("kong/invalid-value",)),
    "snis": Handler("STD", "reported", routing.snis, "nothing (reported)",
        ("kong/snis-not-converted",), "HTTPS listeners follow the route hostnames."),
    # --- plugins -------------------------------------------------------------------------------
    "plugins": Handler("IMPL", "intent", _plugins,
        "ip-restriction -> IPAccess, rate-limiting -> RateLimit intents; cors -> CORS filter; "
        "request-/response-transformer headers -> header modifiers; anything else (or not in "
        "the input) -> ExtensionRef to the KongPlugin/KongClusterPlugin",
        _PLUGIN_CODES, "Also read from the backend Service (rule-scoped). Unknown or absent "
        "plugins fail closed unless the target is kong.", ExtensionRef),
    # --- rewriting (applied after the Service annotations are known) ---------------------------
    "strip-path": Handler("STD", "converted", routing.strip_path,
        "URLRewrite ReplacePrefixMatch `/` (Exact: ReplaceFullPath)",
        ("kong/strip-path-regex", "kong/strip-path-mixed", "kong/invalid-value"),
        "Combined with the Service's konghq.com/path into one URLRewrite."),
    "rewrite": Handler("STD", "converted", routing.rewrite,
        "URLRewrite ReplaceFullPath (literal values only)", ("kong/rewrite-captures",),
        "Capture references ($1) keep the Ingress."),
    "preserve-host": Handler("STD", "approximated", routing.preserve_host,
        "`false`: URLRewrite hostname <service>.<namespace>.svc",
        ("kong/preserve-host-approximated",), "Kong sent its upstream name as Host."),
    "host-header": Handler("STD", "converted", routing.host_header,
        "URLRewrite hostname (Ingress or Service)", ("kong/invalid-value",)),
    # --- reported ------------------------------------------------------------------------------
    "path-handling": _reported("path-handling", "IMPL",
        "Kong's path joining versions have no Gateway API form; URLRewrite joins paths its "
        "own way", "info"),
    "request-buffering": _reported("request-buffering", "IMPL",
        "buffering is the implementation's", "info"),
    "response-buffering": _reported("response-buffering", "IMPL",
        "buffering is the implementation's", "info"),
    "override": _reported("override", "NONE",
        "KongIngress overrides are deprecated (removed in Kong Operator 2.0)"),
    "tags": _reported("tags", "NONE", "Kong entity tags have no Gateway API form", "info"),
    # --- Service annotations (Kong reads them from the backend Service) ------------------------
    "protocol": _on_service("protocol", "STD", "intent",
        "https/grpcs: BackendTLS intent; grpc(s): reported (Service appProtocol h2c)",
        ("kong/backend-tls", "kong/backend-tls-hostname", "kong/backend-h2c",
         "kong/protocol-stream"), "Read from the Service.", BackendTLS),
    "path": _on_service("path", "STD", "converted",
        "URLRewrite ReplacePrefixMatch <path>[<matched prefix>] (with strip-path: <path>)"),
    "connect-timeout": _on_service("connect-timeout", "IMPL", "approximated",
        "part of timeouts.request = backendRequest = connect + write + read",
        ("kong/timeout-approximated",)),
    "read-timeout": _on_service("read-timeout", "STD", "approximated",
        "timeouts.request = backendRequest = connect + write + read (defaults 60s each)",
        ("kong/timeout-approximated",), "Kong's idle timeouts become a total."),
    "write-timeout": _on_service("write-timeout", "IMPL", "approximated",
        "part of timeouts.request = backendRequest", ("kong/timeout-approximated",)),
    "retries": _on_service("retries", "EXP", "reported", "nothing (reported)",
        ("kong/retries-not-converted",)),
    "tls-verify": _on_service("tls-verify", "STD", "intent",
        "BackendTLS intent verify", ("kong/backend-tls",)),
    "tls-verify-depth": _on_service("tls-verify-depth", "NONE", "reported",
        "nothing (reported)", ("kong/tls-verify-depth-not-converted",)),
    "ca-certificates-secrets": _on_service("ca-certificates-secrets", "STD", "intent",
        "BackendTLS intent CA Secret (first one)", ("kong/backend-tls",)),
    "ca-certificates-configmaps": _on_service("ca-certificates-configmaps", "STD", "reported",
        "nothing (reported)", ("kong/unknown-annotation",)),
    "client-cert": _on_service("client-cert", "STD", "intent",
        "BackendTLS intent client certificate", ("kong/backend-tls",)),
    "upstream-policy": _on_service("upstream-policy", "IMPL", "reported",
        "nothing (reported)", ("kong/upstream-policy-not-converted",)),
    # --- listeners (last: a redirect copies the rules) -----------------------------------------
    "protocols": Handler("STD", "converted", _read,
        "http/https -> HTTP/HTTPS listeners; http only -> unchanged (Kong still serves HTTPS); "
        "https only -> HTTPS listener (+ redirect route with https-redirect-status-code); "
        "grpc/grpcs -> GRPCRoute",
        (routing.PLACEHOLDER, "kong/protocols-unsupported", "kong/protocols-mixed",
         routing.HTTP_ONLY, "kong/https-only", "kong/grpc-paths", "kong/grpc-paths-dropped",
         "kong/grpc-filter-unsupported"),
        "Kong's default 426 for plain HTTP has no Gateway API form (404 instead)."),
    "https-redirect-status-code": Handler("STD", "converted",
        routing.https_redirect_status_code,
        "RequestRedirect scheme https with this status (301/302/303/307/308)",
        ("kong/invalid-value",)),
}
SERVICE_KEYS = frozenset({
    "protocol", "path", "connect-timeout", "read-timeout", "write-timeout", "retries",
    "tls-verify", "tls-verify-depth", "ca-certificates-secrets", "ca-certificates-configmaps",
    "client-cert", "upstream-policy", "host-header", "plugins", "override", "tags",
})
_ORDER = {name: i for i, name in enumerate(TABLE)}


def supported() -> list[str]:
    return [k for k, h in TABLE.items() if h.disposition in ("converted", "approximated",
                                                                "intent")]


def table_name(name: str) -> str:
    return HEADERS if name.startswith("headers.") else name


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        if conv.source.kind != "Ingress" or conv.blocked:
            continue  # TCPIngress/UDPIngress are converted by their parser
        present = _consume(conv)
        routing.regex_paths(conv, ctx)
        routing.headers(conv, ctx)
        for name, k in sorted(present, key=lambda nk: (_ORDER[nk[0]], nk[1])):
            value = conv.source.annotation(k)
            if value is not None and not conv.blocked:
                TABLE[name].apply(value, conv, ctx)
        if conv.blocked:
            continue
        facts = service.apply_services(conv, ctx, SERVICE_KEYS)
        routing.rewrite_paths(conv, ctx, facts.paths)
        routing.set_host(conv, ctx, facts.hosts)
        if not conv.blocked:
            routing.protocols(conv, ctx)
        split_prefix_rewrites(conv)


def _consume(conv: Conversion) -> list[tuple[str, str]]:
    present = []
    for k, _ in conv.source.annotations:
        if k == FORCE_SSL:
            conv.consumed_annotations.add(k)  # read by protocols (KIC honours it)
        if not k.startswith(PREFIX):
            continue
        conv.consumed_annotations.add(k)
        name = table_name(k[len(PREFIX):])
        if name in TABLE:
            present.append((name, k))
        else:
            conv.note(warning("kong/unknown-annotation",
                              f"{k} is not a Kong Ingress annotation (KIC 3.x); not converted",
                              field=f"metadata.annotations[{k}]"))
    return present


DIALECT = Dialect(name="kong", refine=refine, table=TABLE, parsers={
    ("configuration.konghq.com", "TCPIngress"): l4.parse,
    ("configuration.konghq.com", "UDPIngress"): l4.parse,
})

__all__ = ["DIALECT", "SERVICE_KEYS", "TABLE", "supported"]
