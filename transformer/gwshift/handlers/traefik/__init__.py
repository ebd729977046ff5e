"""The Traefik dialect: ``traefik.ingress.kubernetes.io/*`` (Traefik v3.7) and IngressRoute.

``TABLE`` is the single source of truth for the Ingress annotations (router.* on the
Ingress, service.* on the backend Service); docs and "supported" derive from it. Keys with
an index (``router.tls.domains.0.main``) are looked up as ``router.tls.domains.n.main``.

Order of work (``refine``): every key under the prefix is consumed (unknown ones noted);
Service annotations land on the rules routing to that Service; handlers run in TABLE order
(path matcher, then listeners, then middlewares, which may split redirect routes off).
IngressRoute objects are converted entirely by their parser (``ingressroute.parse``).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers import Dialect
from gwshift.handlers._split import split_prefix_rewrites
from gwshift.handlers._table import Handler, Level
from gwshift.handlers.traefik import ingressroute, routing, service
from gwshift.handlers.traefik._common import PREFIX, fail_closed, field, key, say
from gwshift.handlers.traefik.middlewares import Origin, Scope, annotation_refs, apply
from gwshift.intents import BackendTLS, ExtensionRef
from gwshift.model import Conversion
from gwshift.notes import info, warning

FAIL_CLOSED = "nothing: the Ingress is kept with an error (fail closed)"


def _reported(name: str, code: str, message: str, severity: str = "warning",
              skip: tuple[str, ...] = ()) -> Handler:
    make = info if severity == "info" else warning

    def apply_(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip() not in skip:
            say(conv, name, make, code, f"{key(name)}={value!r} is not converted: {message}")

    return Handler("NONE", "reported", apply_, "nothing (reported)", (code,), message)


def _r(name: str, level: Level, message: str, severity: str = "warning",
       skip: tuple[str, ...] = ()) -> Handler:
    code = f"traefik/{name.replace('.n.', '-').replace('.', '-')}-not-converted"
    return _reported(name, code, message, severity, skip)._replace(level=level)


def _svc(name: str, level: Level, disposition: str, emits: str, codes: tuple[str, ...] = (),
         caveat: str = "", intent: type | None = None) -> Handler:
    def apply_(value: str, conv: Conversion, ctx: Context) -> None:
        service.ingress_note(conv, name)

    return Handler(level, disposition, apply_, emits,  # type: ignore[arg-type]
                   ("traefik/service-annotation-on-ingress", *codes), caveat, intent)


def _middlewares(value: str, conv: Conversion, ctx: Context) -> None:
    refs = annotation_refs(value, conv, ctx)
    origin = Origin(key("router.middlewares"), field("router.middlewares"))
    apply(conv, ctx, refs, [Scope(r, None) for r in list(conv.routes)], origin)


def _tls_options(value: str, conv: Conversion, ctx: Context) -> None:
    if value.strip():
        fail_closed(conv, ctx, field("router.tls.options"), "traefik/tls-options",
                    key("router.tls.options"),
                    "a TLSOption may require client certificates (clientAuth); listener TLS "
                    "options are Gateway-wide and implementation-specific")


TABLE: dict[str, Handler] = {
    # --- which requests: path matcher, listeners ---------------------------------------------
    "router.pathmatcher": Handler("STD", "converted", routing.pathmatcher,
        "ImplementationSpecific paths: Path -> Exact, PathPrefix -> PathPrefix, PathRegexp -> "
        "RegularExpression", ("traefik/path-regexp", "traefik/invalid-value"),
        "Regex matches are implementation-specific; the unanchored Go search is padded."),
    "router.entrypoints": Handler("STD", "converted", routing.entrypoints,
        "web -> HTTP listener, websecure -> HTTPS listener (parentRefs sectionName)",
        ("traefik/custom-entrypoint", routing.PLACEHOLDER),
        "Custom entry points fail closed (unknown port, often internal-only). websecure "
        "without a spec.tls Secret gets a placeholder Secret name."),
    "router.tls": Handler("STD", "converted", routing.tls,
        "`true`: HTTPS listener only (plain HTTP no longer matches)",
        (routing.PLACEHOLDER, "traefik/tls-on-web", "traefik/invalid-value"),
        "Hosts without a spec.tls Secret get a placeholder Secret name (ACME / default cert)."),
    "router.tls.certresolver": _r("router.tls.certresolver", "NONE",
        "ACME certificates are Traefik-internal; issue them for the Gateway listener with "
        "cert-manager"),
    "router.tls.domains.n.main": _r("router.tls.domains.n.main", "NONE",
        "certificate domains come from the Secret; listener hostnames from the rules", "info"),
    "router.tls.domains.n.sans": _r("router.tls.domains.n.sans", "NONE",
        "certificate domains come from the Secret; listener hostnames from the rules", "info"),
    "router.tls.options": Handler("IMPL", "blocked", _tls_options, FAIL_CLOSED,
        ("traefik/tls-options",), "A TLSOption may hold clientAuth (mTLS)."),
    "router.priority": _r("router.priority", "NONE",
        "Gateway API route precedence is fixed (longest match first); check overlapping paths"),
    "router.rulesyntax": _r("router.rulesyntax", "NONE",
        "the rule syntax version changes nothing in a converted Ingress", "info"),
    "router.observability.accesslogs": _r("router.observability.accesslogs", "NONE",
        "observability is configured on the implementation", "info"),
    "router.observability.metrics": _r("router.observability.metrics", "NONE",
        "observability is configured on the implementation", "info"),
    "router.observability.tracing": _r("router.observability.tracing", "NONE",
        "observability is configured on the implementation", "info"),
    "router.observability.traceverbosity": _r("router.observability.traceverbosity", "NONE",
        "observability is configured on the implementation", "info"),
    # --- backend Service annotations (read from the Service) -----------------------------------
    "service.serversscheme": _svc("service.serversscheme", "STD", "intent",
        "https: BackendTLS intent (BackendTLSPolicy where the target has it); h2c: reported "
        "(Service appProtocol kubernetes.io/h2c)",
        ("traefik/backend-tls", "traefik/backend-tls-hostname", "traefik/backend-h2c"),
        "Read from the Service; port 443 or a port named https* is HTTPS too.", BackendTLS),
    "service.serverstransport": _svc("service.serverstransport", "STD", "reported",
        "nothing (reported)", ("traefik/serverstransport-not-converted",),
        "CA, client certificate and insecureSkipVerify live in the ServersTransport."),
    "service.passhostheader": _svc("service.passhostheader", "NONE", "approximated",
        "`false`: URLRewrite hostname <service>.<namespace>.svc",
        ("traefik/passhostheader-approximated",), "Traefik sent the server address as Host."),
    "service.nativelb": _svc("service.nativelb", "IMPL", "reported", "nothing (reported)",
        ("traefik/load-balancing-not-converted",)),
    "service.nodeportlb": _svc("service.nodeportlb", "IMPL", "reported", "nothing (reported)",
        ("traefik/load-balancing-not-converted",)),
    "service.sticky.cookie": _svc("service.sticky.cookie", "EXP", "converted",
        "rules[].sessionPersistence type Cookie (experimental channel only)",
        ("traefik/sticky-experimental",), "Standard channel: reported, not emitted."),
    "service.sticky.cookie.name": _svc("service.sticky.cookie.name", "EXP", "converted",
        "sessionPersistence.sessionName"),
    "service.sticky.cookie.maxage": _svc("service.sticky.cookie.maxage", "EXP", "converted",
        "sessionPersistence.absoluteTimeout + cookieConfig.lifetimeType Permanent"),
    **{f"service.sticky.cookie.{a}": _svc(f"service.sticky.cookie.{a}", "IMPL", "reported",
                                          "nothing (reported)",
                                          ("traefik/sticky-cookie-attribute-lost",))
       for a in service.COOKIE_ATTRIBUTES},
    # --- middlewares (last: a redirect may split a route) -------------------------------------
    "router.middlewares": Handler("IMPL", "intent", _middlewares,
        "redirectScheme -> RequestRedirect; stripPrefix/addPrefix/replacePath -> URLRewrite; "
        "headers -> header modifiers / CORS; ipAllowList, basicAuth, forwardAuth, rateLimit -> "
        "intents; anything else (or not in the input) -> ExtensionRef to the Middleware",
        ("traefik/middleware", "traefik/middleware-dropped", "traefik/middleware-provider",
         "traefik/ip-allowlist", "traefik/basic-auth", "traefik/forward-auth",
         "traefik/rate-limit", "traefik/redirect-scheme-noop",
         "traefik/middleware-path-unsupported", "traefik/middleware-approximated"),
        "Unknown or absent Middlewares fail closed unless the target is traefik.",
        ExtensionRef),
}

_ORDER = {name: i for i, name in enumerate(TABLE)}


def supported() -> list[str]:
    return [k for k, h in TABLE.items() if h.disposition in ("converted", "approximated",
                                                                "intent")]


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        if conv.source.kind != "Ingress" or conv.blocked:
            continue  # IngressRoutes are converted by their parser
        present = _consume(conv)
        routing.drop_neutral_notes(conv)
        service.apply_services(conv, ctx)
        for name, k in sorted(present, key=lambda nk: (_ORDER[nk[0]], nk[1])):
            value = conv.source.annotation(k)
            if value is None or conv.blocked:
                continue
            if name != k[len(PREFIX):]:  # an indexed key (router.tls.domains.<n>.*)
                h = TABLE[name]
                conv.note(info(h.codes[0], f"{k}={value!r} is not converted: {h.caveat}",
                               field=f"metadata.annotations[{k}]"))
                continue
            TABLE[name].apply(value, conv, ctx)
        if not conv.blocked:
            routing.string_prefix_notes(conv)
        split_prefix_rewrites(conv)
    routing.rule_length_notes(convs)


def _consume(conv: Conversion) -> list[tuple[str, str]]:
    """Every key under the prefix is this dialect's; unknown ones get their own note."""
    present = []
    for k, _ in conv.source.annotations:
        if not k.startswith(PREFIX):
            continue
        conv.consumed_annotations.add(k)
        name = routing.table_name(k[len(PREFIX):])
        if name in TABLE:
            present.append((name, k))
        else:
            conv.note(warning("traefik/unknown-annotation",
                              f"{k} is not a Traefik Ingress annotation (v3.7); not converted",
                              field=f"metadata.annotations[{k}]"))
    return present


DIALECT = Dialect(name="traefik", refine=refine, table=TABLE, parsers={
    ("traefik.io", "IngressRoute"): ingressroute.parse,
    ("traefik.containo.us", "IngressRoute"): ingressroute.parse,
})

__all__ = ["DIALECT", "TABLE", "supported"]
