"""The ingress-nginx dialect: ``nginx.ingress.kubernetes.io/*`` (prefix configurable).

``TABLE`` is the single source of truth: every catalogue annotation (ingress-nginx
v1.15.1, 136 names + aliases) maps to a handler. Supported means "in TABLE with a class
other than reported"; the docs page is generated from it (scripts/gen_annotation_docs.py).

Order of work (``refine``): ssl-passthrough Ingresses become TLSRoutes; hosts touched by
use-regex/rewrite-target turn regex; ImplementationSpecific paths are refined; handlers run
per Ingress in TABLE order; canaries merge into their primaries; HTTP->HTTPS redirect
routes are split off; gRPC routes are checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwshift.context import Context
from gwshift.handlers import Dialect
from gwshift.handlers._table import Apply, Handler, Level
from gwshift.handlers._table import supported as table_supported
from gwshift.handlers._values import parse_bool, parse_csv, parse_int, parse_size
from gwshift.handlers.nginx import affinity as aff
from gwshift.handlers.nginx import (
    auth,
    backend,
    canary,
    cors,
    defaults,
    redirects,
    rewrite,
    security,
    timeouts,
)
from gwshift.handlers.nginx._common import ann, ingresses_only, prefix, row
from gwshift.handlers.nginx.misc import reported, reported_intent
from gwshift.handlers.nginx.security import (
    AUTH_BASIC,
    AUTH_EXTERNAL,
    AUTH_SATISFY,
    AUTH_TLS,
    IP_ACL,
    RATE_LIMIT,
    SNIPPET,
    WAF,
    WHY,
)
from gwshift.intents import (
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CustomErrors,
    ExternalAuth,
    Intent,
    IPAccess,
    Provenance,
    RateLimit,
)
from gwshift.model import Conversion
from gwshift.notes import Note, info, warning

FAIL_CLOSED = "nothing: the Ingress is kept with an error (fail closed)"


def _r(name: str, cls: Level, message: str, severity: str = "warning",
       skip: tuple[str, ...] = ()) -> Handler:
    code = f"nginx/{name}-not-converted"
    make = info if severity == "info" else warning
    return row(cls, reported(name, code, message, make, skip), "nothing (reported)",
               (code,), message, "reported")


def _deny(name: str, cls: Level, code: str, off: tuple[str, ...] = ("",)) -> Handler:
    """No intent: kept with an error whatever the target (WAF, snippets, satisfy)."""
    return row(cls, security.deny(name, code, off), FAIL_CLOSED, (code,), WHY[code], "blocked")


def _param(name: str, cls: Level, main: tuple[str, ...], code: str) -> Handler:
    of_intent = any(m in security.PARAMS for m in main)
    return row(cls, security.modifier(name, main, code),
               f"nothing: blocked together with {main[0]}", (code,), WHY[code],
               "intent" if of_intent else "blocked")


def _intent(name: str, cls: Level, apply: Apply, code: str, intent: type) -> Handler:
    """Recorded as an intent; the standard target expresses none, so the Ingress is kept."""
    return row(cls, apply, FAIL_CLOSED, (code,), WHY[code], "intent", intent)


_NO_PROVENANCE = Provenance("", "", "", "")  # replaced by reported_intent


def _body_size(value: str) -> BodySize | None:
    size = parse_size(value)
    return None if size is None else BodySize(size, _NO_PROVENANCE)


def _custom_errors(value: str) -> CustomErrors | None:
    codes = [parse_int(v) for v in parse_csv(value)]
    if not codes or any(c is None or not 400 <= c <= 599 for c in codes):
        return None
    return CustomErrors(tuple(c for c in codes if c is not None), None, _NO_PROVENANCE)


def _intent_r(name: str, cls: Level, message: str, parse: Callable[[str], Intent | None],
              intent: type) -> Handler:
    """Not security: recorded for a target; the standard target reports it (a warning)."""
    code = f"nginx/{name}-not-converted"
    return row(cls, reported_intent(name, code, message, parse), "nothing (reported)",
               (code,), message, "intent", intent)


def _limit(name: str, cls: Level) -> Handler:
    if name == "limit-rate":  # bandwidth: no intent
        return row(cls, security.rate_limit(name), FAIL_CLOSED, (RATE_LIMIT,),
                   WHY[RATE_LIMIT], "blocked")
    kind = ConnectionLimit if name == "limit-connections" else RateLimit
    return _intent(name, cls, security.rate_limit(name), RATE_LIMIT, kind)


_BASIC = ("auth-type",)
_EXT = ("auth-url",)
_TLS = ("auth-tls-secret",)
_SESSION = "sessionPersistence (read by affinity)"

TABLE: dict[str, Handler] = {
    # --- rewrite / regex -----------------------------------------------------------------
    "use-regex": row("IMPL", rewrite.use_regex,
        "RegularExpression `(?i)^<path>.*` for every path of the host (all its Ingresses)",
        ("nginx/regex-host", "nginx/regex-pcre-only"),
        "Host-wide, case-insensitive, start-anchored; regex precedence is implementation-specific; PCRE-only constructs block the Ingress."),
    "rewrite-target": row("STD", rewrite.rewrite_target,
        "URLRewrite ReplaceFullPath (literal target); PathPrefix + ReplacePrefixMatch for `<p>(/|$)(.*)` + `/$2`",
        ("nginx/rewrite-target-prefix-idiom", "nginx/rewrite-target-capture-groups"),
        "Also makes the host regex. Other capture-group or variable targets block the Ingress."),
    "app-root": row("STD", redirects.app_root,
        "rule `Exact /` -> RequestRedirect ReplaceFullPath <app-root>, 302, on every route",
        ("nginx/invalid-value",), "Server-level in nginx: applies to `/` even if no path serves it."),
    "x-forwarded-prefix": row("STD", rewrite.x_forwarded_prefix,
        "RequestHeaderModifier set X-Forwarded-Prefix (only with rewrite-target)",
        ("nginx/x-forwarded-prefix-without-rewrite",), "nginx sends it only in its rewrite branch."),
    "preserve-trailing-slash": _r("preserve-trailing-slash", "NONE",
        "Gateway redirects keep the request path as is", "info"),
    # --- redirects -----------------------------------------------------------------------
    "ssl-redirect": row("STD", redirects.ssl_redirect,
        "default on: extra `<route>-redirect` HTTPRoute on the HTTP listener of TLS hosts, RequestRedirect https 308",
        ("nginx/invalid-value",), "`false` keeps the routes on HTTP too. TLS from any Ingress of the host counts."),
    "force-ssl-redirect": row("STD", redirects.force_ssl_redirect,
        "the same HTTP->HTTPS redirect route; without TLS: rules matching X-Forwarded-Proto: http redirect",
        ("nginx/force-ssl-redirect-without-tls",),
        "nginx without use-forwarded-headers redirected every plain-HTTP request."),
    "permanent-redirect": row("STD", redirects.permanent_redirect,
        "every rule: RequestRedirect scheme/hostname/port/ReplaceFullPath from the URL, 301, no backendRefs",
        ("nginx/redirect-query", "nginx/redirect-query-dropped", "nginx/redirect-target-unsupported"),
        "Gateway carries the request query over; nginx variables other than a trailing $request_uri block."),
    "permanent-redirect-code": row("STD", redirects.redirect_code,
        "RequestRedirect.statusCode (read by permanent-redirect)",
        ("nginx/redirect-code-unsupported",), "300/304/305/306 block the Ingress."),
    "temporal-redirect": row("STD", redirects.temporal_redirect,
        "as permanent-redirect with 302", ("nginx/redirect-query",), "Wins over permanent-redirect."),
    "temporal-redirect-code": row("STD", redirects.redirect_code,
        "RequestRedirect.statusCode (read by temporal-redirect)",
        ("nginx/redirect-code-unsupported",), "Only 301/302/303/307 convert."),
    "from-to-www-redirect": row("STD", redirects.from_to_www_redirect,
        "extra `<other-host>-www-redirect` HTTPRoute: RequestRedirect hostname <host>, 308",
        ("nginx/www-redirect-skipped", "nginx/www-redirect-no-tls"),
        "Skipped when another Ingress serves the other name."),
    "relative-redirects": _r("relative-redirects", "NONE",
        "Location headers of generated redirects are absolute", "info", ("false",)),
    "use-port-in-redirects": _r("use-port-in-redirects", "NONE",
        "Gateway API derives the redirect port itself", "info", ("false",)),
    "proxy-redirect-from": _r("proxy-redirect-from", "NONE",
        "no rewriting of upstream Location/Refresh headers in Gateway API", skip=("off",)),
    "proxy-redirect-to": _r("proxy-redirect-to", "NONE",
        "no rewriting of upstream Location/Refresh headers in Gateway API", skip=("off",)),
    # --- canary --------------------------------------------------------------------------
    "canary": row("STD", canary.canary,
        "merged into the primary's rule (weights / header rules); the canary Ingress gets no route",
        ("nginx/canary-merged", "nginx/canary-without-primary", "nginx/canary-annotation-ignored"),
        "Same namespace, class, host, path and pathType as the primary."),
    "canary-weight": row("STD", canary.reads_canary("canary-weight"),
        "backendRefs weights canary=w, primary=total-w", ("nginx/canary-no-traffic",), "Weights are relative."),
    "canary-weight-total": row("STD", canary.reads_canary("canary-weight-total"),
        "denominator for the weights (default 100)"),
    "canary-by-header": row("STD", canary.reads_canary("canary-by-header"),
        "extra rules: header `always` -> canary, `never` -> primary", (),
        "Header rules precede the weighted rule (more header matches win)."),
    "canary-by-header-value": row("STD", canary.reads_canary("canary-by-header-value"),
        "header Exact match on that value -> canary"),
    "canary-by-header-pattern": row("IMPL", canary.reads_canary("canary-by-header-pattern"),
        "header RegularExpression match -> canary", ("nginx/canary-header-pattern",),
        "Regex dialect implementation-specific; ignored when -value is set."),
    "canary-by-cookie": row("IMPL", canary.reads_canary("canary-by-cookie"),
        "header RegularExpression on Cookie (`<name>=always|never`)",
        ("nginx/canary-by-cookie-approximate",), "Approximation."),
    # --- affinity ------------------------------------------------------------------------
    "affinity": row("EXP", aff.affinity,
        "rules[].sessionPersistence type Cookie (experimental channel only)",
        ("nginx/affinity-experimental", "nginx/invalid-value"),
        "Standard channel: reported, not emitted."),
    "affinity-mode": _r("affinity-mode", "NONE", "balanced/persistent rebalancing has no "
        "Gateway API form", "info", ("balanced",)),
    "affinity-canary-behavior": _r("affinity-canary-behavior", "NONE",
        "canary stickiness has no Gateway API form", "info", ("sticky",)),
    "session-cookie-name": row("EXP", aff.needs_affinity("session-cookie-name"),
        "sessionPersistence.sessionName (default INGRESSCOOKIE)"),
    "session-cookie-expires": row("EXP", aff.needs_affinity("session-cookie-expires"),
        "sessionPersistence.absoluteTimeout + cookieConfig.lifetimeType Permanent",
        ("nginx/invalid-value",)),
    "session-cookie-max-age": row("EXP", aff.needs_affinity("session-cookie-max-age"),
        "sessionPersistence.absoluteTimeout (wins over -expires)", ("nginx/invalid-value",)),
    "session-cookie-path": row("IMPL", aff.needs_affinity("session-cookie-path",
        "the cookie Path cannot be set in Gateway API"), "nothing (reported)",
        ("nginx/session-cookie-attribute-lost",)),
    "session-cookie-domain": row("IMPL", aff.needs_affinity("session-cookie-domain",
        "the cookie Domain cannot be set in Gateway API"), "nothing (reported)",
        ("nginx/session-cookie-attribute-lost",)),
    "session-cookie-secure": row("IMPL", aff.needs_affinity("session-cookie-secure",
        "the cookie Secure flag cannot be set in Gateway API"), "nothing (reported)",
        ("nginx/session-cookie-attribute-lost",)),
    "session-cookie-samesite": row("IMPL", aff.needs_affinity("session-cookie-samesite",
        "the cookie SameSite attribute cannot be set in Gateway API"), "nothing (reported)",
        ("nginx/session-cookie-attribute-lost",)),
    "session-cookie-conditional-samesite-none": _r("session-cookie-conditional-samesite-none",
        "NONE", "no Gateway API form", "info", ("false",)),
    "session-cookie-change-on-failure": _r("session-cookie-change-on-failure", "NONE",
        "no Gateway API form", "info", ("false",)),
    # --- load balancing ------------------------------------------------------------------
    "upstream-hash-by": _r("upstream-hash-by", "IMPL",
        "consistent hashing needs an implementation policy (e.g. Envoy Gateway "
        "BackendTrafficPolicy consistentHash); requests are balanced normally"),
    "upstream-hash-by-subset": _r("upstream-hash-by-subset", "NONE", "no Gateway API form",
        skip=("false",)),
    "upstream-hash-by-subset-size": _r("upstream-hash-by-subset-size", "NONE",
        "no Gateway API form", "info"),
    "load-balance": _r("load-balance", "IMPL", "the balancing algorithm is the "
        "implementation's", "info", ("round_robin",)),
    "service-upstream": _r("service-upstream", "NONE", "the implementation decides whether "
        "it proxies to endpoints or the ClusterIP", "info", ("false",)),
    # --- backend protocol / TLS ------------------------------------------------------------
    "backend-protocol": row("STD", backend.backend_protocol,
        "GRPC/GRPCS -> GRPCRoute; HTTPS/GRPCS -> BackendTLSPolicy (needs proxy-ssl-verify on)",
        ("nginx/backend-protocol-unsupported", "nginx/backend-tls-unverified",
         "nginx/grpc-paths-dropped", "nginx/grpc-paths"),
        "Unverified backend TLS fails closed; FCGI and unknown values block."),
    "proxy-ssl-secret": row("STD", backend.proxy_ssl("proxy-ssl-secret"),
        "BackendTLSPolicy caCertificateRefs ConfigMap <secret name> (key ca.crt)",
        ("nginx/backend-tls-ca-configmap",), "Create the ConfigMap; a client cert goes to the Gateway."),
    "proxy-ssl-verify": row("STD", backend.proxy_ssl("proxy-ssl-verify"),
        "`on` -> BackendTLSPolicy is emitted", ("nginx/backend-tls-hostname",)),
    "proxy-ssl-name": row("STD", backend.proxy_ssl("proxy-ssl-name"),
        "BackendTLSPolicy validation.hostname"),
    "proxy-ssl-server-name": row("STD", backend.proxy_ssl("proxy-ssl-server-name"),
        "implicit: BackendTLSPolicy always sends SNI", ("nginx/backend-tls-sni",)),
    "proxy-ssl-verify-depth": _r("proxy-ssl-verify-depth", "NONE",
        "verification depth is the implementation's", "info", ("1",)),
    "proxy-ssl-ciphers": _r("proxy-ssl-ciphers", "IMPL",
        "upstream ciphers need implementation-specific BackendTLSPolicy options"),
    "proxy-ssl-protocols": _r("proxy-ssl-protocols", "IMPL",
        "upstream TLS versions need implementation-specific BackendTLSPolicy options"),
    "ssl-passthrough": row("STD", backend.ssl_passthrough,
        "TLSRoute per host group + TLS passthrough listener", ("nginx/ssl-passthrough",
        "nginx/ssl-passthrough-no-host", "nginx/passthrough-ignores-security-annotation"),
        "Every other annotation and all paths stop applying (security ones get a warning)."),
    "ssl-ciphers": _r("ssl-ciphers", "IMPL", "listener TLS ciphers are Gateway-wide "
        "(implementation-specific tls.options)"),
    "ssl-prefer-server-ciphers": _r("ssl-prefer-server-ciphers", "IMPL",
        "listener TLS options are implementation-specific", "info"),
    # --- authentication (fail closed) -----------------------------------------------------
    "auth-tls-secret": _intent("auth-tls-secret", "STD", security.client_cert, AUTH_TLS,
                               ClientCertAuth),
    "auth-tls-verify-client": _param("auth-tls-verify-client", "STD", _TLS, AUTH_TLS),
    "auth-tls-verify-depth": _param("auth-tls-verify-depth", "NONE", _TLS, AUTH_TLS),
    "auth-tls-error-page": _param("auth-tls-error-page", "NONE", _TLS, AUTH_TLS),
    "auth-tls-pass-certificate-to-upstream": _param("auth-tls-pass-certificate-to-upstream",
        "IMPL", _TLS, AUTH_TLS),
    "auth-tls-match-cn": _param("auth-tls-match-cn", "IMPL", _TLS, AUTH_TLS),
    "auth-type": _intent("auth-type", "IMPL", security.basic_auth, AUTH_BASIC, BasicAuth),
    "auth-secret": _param("auth-secret", "IMPL", _BASIC, AUTH_BASIC),
    "auth-secret-type": _param("auth-secret-type", "IMPL", _BASIC, AUTH_BASIC),
    "auth-realm": _param("auth-realm", "IMPL", _BASIC, AUTH_BASIC),
    "auth-url": row("EXP", auth.auth_url,
        "experimental channel: ExternalAuth filter (HTTP, in-cluster Service); standard: "
        + FAIL_CLOSED, (AUTH_EXTERNAL, "nginx/auth-url-path-prefixed",
                        "nginx/auth-response-headers-all", "nginx/auth-url-parameter-lost"),
        "ExternalAuth prefixes the client path with the URL path; external URLs fail closed.",
        "intent", ExternalAuth),
    "auth-method": _param("auth-method", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-signin": _param("auth-signin", "IMPL", _EXT, AUTH_EXTERNAL),
    "auth-signin-redirect-param": _param("auth-signin-redirect-param", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-response-headers": row("EXP", security.modifier(
        "auth-response-headers", _EXT, AUTH_EXTERNAL),
        "externalAuth.http.allowedResponseHeaders (read by auth-url)", (AUTH_EXTERNAL,),
        disposition="intent", intent=ExternalAuth),
    "auth-proxy-set-headers": _param("auth-proxy-set-headers", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-request-redirect": _param("auth-request-redirect", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-cache-key": _param("auth-cache-key", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-cache-duration": _param("auth-cache-duration", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-always-set-cookie": _param("auth-always-set-cookie", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-keepalive": _param("auth-keepalive", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-keepalive-share-vars": _param("auth-keepalive-share-vars", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-keepalive-requests": _param("auth-keepalive-requests", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-keepalive-timeout": _param("auth-keepalive-timeout", "NONE", _EXT, AUTH_EXTERNAL),
    "auth-snippet": _deny("auth-snippet", "NONE", SNIPPET),
    "enable-global-auth": _r("enable-global-auth", "NONE", "global auth (ConfigMap "
        "global-auth-url) is not converted; switching it off changes nothing", "info", ("true",)),
    "satisfy": _deny("satisfy", "NONE", AUTH_SATISFY, ("", "all")),
    # --- CORS ------------------------------------------------------------------------------
    "enable-cors": row("STD", cors.enable_cors,
        "CORS filter on every proxying rule with nginx defaults written out",
        ("nginx/cors-origin-invalid", "nginx/cors-method-invalid"),
        "Defaults: origins *, credentials true, maxAge 1728000, nginx method/header lists."),
    "cors-allow-origin": row("STD", cors.needs_enable_cors("cors-allow-origin"),
        "cors.allowOrigins", ("nginx/cors-origin-invalid",), "`*` stands alone (CEL)."),
    "cors-allow-methods": row("STD", cors.needs_enable_cors("cors-allow-methods"),
        "cors.allowMethods", ("nginx/cors-method-invalid",)),
    "cors-allow-headers": row("STD", cors.needs_enable_cors("cors-allow-headers"),
        "cors.allowHeaders"),
    "cors-expose-headers": row("STD", cors.needs_enable_cors("cors-expose-headers"),
        "cors.exposeHeaders"),
    "cors-allow-credentials": row("STD", cors.needs_enable_cors("cors-allow-credentials"),
        "cors.allowCredentials (nginx default true)"),
    "cors-max-age": row("STD", cors.needs_enable_cors("cors-max-age"),
        "cors.maxAge (nginx default 1728000)", ("nginx/cors-max-age-capped",)),
    # --- upstream request ------------------------------------------------------------------
    "upstream-vhost": row("STD", backend.upstream_vhost, "URLRewrite hostname",
        ("nginx/upstream-vhost-unsupported",), "Merged with rewrite-target into one URLRewrite."),
    "connection-proxy-header": _r("connection-proxy-header", "NONE",
        "Connection is hop-by-hop; Gateway implementations manage it"),
    "custom-headers": row("STD", backend.custom_headers,
        "ResponseHeaderModifier set, from the ConfigMap in the input",
        ("nginx/custom-headers-configmap-missing", "nginx/custom-headers-too-many"),
        "Fails closed if the ConfigMap is not in the input (often security headers)."),
    "proxy-connect-timeout": row("IMPL", timeouts.timeout("proxy-connect-timeout"),
        "part of timeouts.backendRequest = connect + send + read", ("nginx/timeout-approximated",)),
    "proxy-read-timeout": row("STD", timeouts.timeout("proxy-read-timeout"),
        "timeouts.request = backendRequest = connect + send + read (defaults 5/60/60)",
        ("nginx/timeout-approximated",), "nginx idle timeouts become a total; long streams are cut."),
    "proxy-send-timeout": row("IMPL", timeouts.timeout("proxy-send-timeout"),
        "part of timeouts.backendRequest", ("nginx/timeout-approximated",)),
    "proxy-next-upstream": row("EXP", timeouts.next_upstream("proxy-next-upstream"),
        "rules[].retry.codes (experimental channel only)",
        ("nginx/retry-experimental", "nginx/retry-no-codes", "nginx/retry-non-idempotent"),
        "error/timeout have no status code."),
    "proxy-next-upstream-timeout": _r("proxy-next-upstream-timeout", "NONE",
        "retry time budget has no Gateway API field", "info", ("0",)),
    "proxy-next-upstream-tries": row("EXP", timeouts.next_upstream("proxy-next-upstream-tries"),
        "rules[].retry.attempts = tries - 1 (experimental channel only)", ("nginx/retry-experimental",)),
    "proxy-body-size": _intent_r("proxy-body-size", "IMPL", "request body size limits need an "
        "implementation policy; the Gateway's own limit applies", _body_size, BodySize),
    "client-body-buffer-size": _r("client-body-buffer-size", "NONE", "buffering is the "
        "implementation's", "info"),
    "proxy-request-buffering": _r("proxy-request-buffering", "NONE", "buffering is the "
        "implementation's", "info", ("on",)),
    "proxy-buffering": _r("proxy-buffering", "NONE", "buffering is the implementation's",
        "info", ("off",)),
    "proxy-buffers-number": _r("proxy-buffers-number", "NONE", "buffering is the "
        "implementation's", "info"),
    "proxy-buffer-size": _r("proxy-buffer-size", "NONE", "buffering is the implementation's",
        "info"),
    "proxy-busy-buffers-size": _r("proxy-busy-buffers-size", "NONE", "buffering is the "
        "implementation's", "info"),
    "proxy-max-temp-file-size": _r("proxy-max-temp-file-size", "NONE", "buffering is the "
        "implementation's", "info"),
    "proxy-http-version": _r("proxy-http-version", "NONE", "the upstream HTTP version "
        "follows Service appProtocol (e.g. kubernetes.io/h2c)", "info", ("1.1",)),
    "proxy-cookie-domain": _r("proxy-cookie-domain", "NONE", "no Set-Cookie rewriting in "
        "Gateway API", skip=("off",)),
    "proxy-cookie-path": _r("proxy-cookie-path", "NONE", "no Set-Cookie rewriting in "
        "Gateway API", skip=("off",)),
    # --- rate limits and IP access control (fail closed) ------------------------------------
    "limit-rps": _limit("limit-rps", "IMPL"),
    "limit-rpm": _limit("limit-rpm", "IMPL"),
    "limit-connections": _limit("limit-connections", "IMPL"),
    "limit-burst-multiplier": _param("limit-burst-multiplier", "IMPL",
        ("limit-rps", "limit-rpm"), RATE_LIMIT),
    "limit-rate": _limit("limit-rate", "NONE"),
    "limit-rate-after": _param("limit-rate-after", "NONE", ("limit-rate",), RATE_LIMIT),
    "limit-allowlist": _param("limit-allowlist", "IMPL",
        ("limit-rps", "limit-rpm", "limit-connections"), RATE_LIMIT),
    "limit-whitelist": _param("limit-whitelist", "IMPL",
        ("limit-rps", "limit-rpm", "limit-connections"), RATE_LIMIT),
    "allowlist-source-range": _intent("allowlist-source-range", "IMPL", security.ip_access("allowlist-source-range"), IP_ACL, IPAccess),
    "whitelist-source-range": _intent("whitelist-source-range", "IMPL", security.ip_access("whitelist-source-range"), IP_ACL, IPAccess),
    "denylist-source-range": _intent("denylist-source-range", "IMPL", security.ip_access("denylist-source-range"), IP_ACL, IPAccess),
    # Removed in controller v1.12 but enforced by older ones (a shared-store rate limit):
    # fail closed unless the limit is 0 (off); its parameters go with it.
    "global-rate-limit": row("IMPL", security.limit("global-rate-limit"), FAIL_CLOSED,
        (RATE_LIMIT,), WHY[RATE_LIMIT], "blocked"),
    "global-rate-limit-window": _param("global-rate-limit-window", "IMPL",
        ("global-rate-limit",), RATE_LIMIT),
    "global-rate-limit-key": _param("global-rate-limit-key", "IMPL", ("global-rate-limit",),
        RATE_LIMIT),
    "global-rate-limit-ignored-cidrs": _param("global-rate-limit-ignored-cidrs", "IMPL",
        ("global-rate-limit",), RATE_LIMIT),
    # --- errors, mirror --------------------------------------------------------------------
    "default-backend": _r("default-backend", "NONE", "no fallback Service for backends "
        "without endpoints; the Gateway answers 500/503"),
    "custom-http-errors": _intent_r("custom-http-errors", "IMPL", "error pages need an "
        "implementation policy; upstream error bodies pass through", _custom_errors,
        CustomErrors),
    "disable-proxy-intercept-errors": _r("disable-proxy-intercept-errors", "NONE",
        "upstream errors pass through anyway", "info"),
    "mirror-target": row("STD", backend.mirror_target,
        "RequestMirror backendRef (in-cluster Service URLs only)",
        ("nginx/mirror-target-unsupported", "nginx/mirror-cross-namespace"),
        "External or variable URLs are reported, not mirrored."),
    "mirror-uri": _r("mirror-uri", "NONE", "obsolete nginx mirror location; use mirror-target",
        "info"),
    "secure-backends": _r("secure-backends", "NONE", "removed in ingress-nginx 0.21 and "
        "ignored by current controllers; backend-protocol: HTTPS replaced it", "info"),
    "mirror-request-body": _r("mirror-request-body", "NONE", "RequestMirror always "
        "mirrors the body", "info", ("on",)),
    "mirror-host": _r("mirror-host", "NONE", "the mirror's Host header cannot be set"),
    # --- snippets and WAF (fail closed) ----------------------------------------------------
    "configuration-snippet": _deny("configuration-snippet", "NONE", SNIPPET),
    "server-snippet": _deny("server-snippet", "NONE", SNIPPET),
    "stream-snippet": _deny("stream-snippet", "NONE", SNIPPET),
    "modsecurity-snippet": _deny("modsecurity-snippet", "NONE", WAF),
    "enable-modsecurity": _deny("enable-modsecurity", "IMPL", WAF),
    "enable-owasp-core-rules": _deny("enable-owasp-core-rules", "IMPL", WAF),
    "modsecurity-transaction-id": _param("modsecurity-transaction-id", "NONE",
        ("enable-modsecurity", "modsecurity-snippet"), WAF),
    # --- misc ------------------------------------------------------------------------------
    "server-alias": row("STD", backend.server_alias,
        "extra hostnames (and listeners) on the Ingress's routes", ("nginx/server-alias-own-paths",
                                                               "nginx/server-alias-invalid"),
        "Aliases equal to a host of another Ingress are skipped, as in nginx."),
    "enable-access-log": _r("enable-access-log", "NONE", "access logging is the "
        "implementation's", "info", ("true",)),
    "enable-rewrite-log": _r("enable-rewrite-log", "NONE", "no rewrite log", "info", ("false",)),
    "enable-opentelemetry": _r("enable-opentelemetry", "IMPL", "tracing is configured on "
        "the implementation", "info", ("false",)),
    "opentelemetry-trust-incoming-span": _r("opentelemetry-trust-incoming-span", "NONE",
        "tracing is configured on the implementation", "info"),
    "opentelemetry-operation-name": _r("opentelemetry-operation-name", "NONE",
        "tracing is configured on the implementation", "info"),
    "http2-push-preload": _r("http2-push-preload", "NONE", "HTTP/2 push is obsolete",
        "info", ("false",)),
    "fastcgi-index": _r("fastcgi-index", "NONE", "FastCGI backends cannot be expressed"),
    "fastcgi-params-configmap": _r("fastcgi-params-configmap", "NONE",
        "FastCGI backends cannot be expressed"),
}

ALIASES = {"whitelist-source-range": "allowlist-source-range",
           "limit-whitelist": "limit-allowlist"}
LEGACY = ("mirror-uri", "secure-backends", "global-rate-limit", "global-rate-limit-window",
          "global-rate-limit-key", "global-rate-limit-ignored-cidrs")  # removed from ingress-nginx; still seen in old charts


def supported() -> list[str]:
    """Annotations that convert, fully, approximately or through a target (from TABLE)."""
    return table_supported(TABLE)


def refine(convs: list[Conversion], ctx: Context) -> None:
    """Per Ingress: passthrough, regex hosts, then the TABLE handlers (they record intents)."""
    for conv in convs:
        _consume(conv, ctx)
    active = [c for c in convs if not _passthrough(c, ctx)]
    rewrite.apply_regex_hosts(active, ctx)
    for conv in active:
        if not rewrite.is_canary(conv, ctx):
            rewrite.refine_implementation_specific(conv)
            _run_handlers(conv, ctx)
            defaults.express_defaults(conv, ctx)


def _active(convs: list[Conversion], ctx: Context) -> list[Conversion]:
    return [c for c in convs if parse_bool(ann(c, ctx, "ssl-passthrough")) is not True]


def cross_ingress(convs: list[Conversion], ctx: Context) -> None:
    """After the kept Ingresses are known: canaries merge, redirect routes, gRPC checks."""
    active = _active(convs, ctx)
    merged = canary.merge_canaries(active, ctx)
    redirects.apply_ssl_redirects(active, ctx)
    for conv in active:
        backend.check_grpc(conv, ctx)
    backend.check_grpc_hosts(active, ctx)
    defaults.controller_defaults(active, ctx)
    canary.keep_with_primaries(active, merged)


def _consume(conv: Conversion, ctx: Context) -> None:
    """Every key under the prefix is this dialect's; unknown ones get their own note."""
    own = prefix(ctx) + "/"
    for k, _ in conv.source.annotations:
        if not k.startswith(own):
            continue
        conv.consumed_annotations.add(k)
        if k[len(own):] not in TABLE:
            conv.note(warning("nginx/unknown-annotation",
                              f"{k} is not an ingress-nginx annotation (v1.15); not converted",
                              field=f"metadata.annotations[{k}]"))


def _passthrough(conv: Conversion, ctx: Context) -> bool:
    if parse_bool(ann(conv, ctx, "ssl-passthrough")) is not True:
        return False
    backend.apply_passthrough(conv, ctx)
    own = prefix(ctx) + "/"
    for k, _ in conv.source.annotations:
        handler = TABLE.get(k[len(own):]) if k.startswith(own) else None
        if handler is not None and any(code in WHY for code in handler.codes):
            # The controller proxies passthrough at layer 4 and never enforced it either;
            # conversion loses nothing, but a reviewer must see the control is not there.
            conv.note(warning("nginx/passthrough-ignores-security-annotation",
                              f"{k} had no effect: ingress-nginx ignores it on ssl-passthrough "
                              "Ingresses, and the TLSRoute enforces nothing either; enforce it "
                              "in the backend or with a Gateway policy",
                              field=f"metadata.annotations[{k}]"))
    return True


_ORDER = {name: i for i, name in enumerate(TABLE)}


def _run_handlers(conv: Conversion, ctx: Context) -> None:
    own = prefix(ctx) + "/"
    present = [k[len(own):] for k, _ in conv.source.annotations if k.startswith(own)]
    for name in sorted((n for n in present if n in _ORDER), key=_ORDER.__getitem__):
        value = ann(conv, ctx, name)
        if value is not None:
            TABLE[name].apply(value, conv, ctx)


def _parse_stream_services(obj: dict[str, Any], doc: int,
                           ctx: Context) -> tuple[Conversion | None, list[Note]]:
    """A tcp/udp-services ConfigMap the controller names (``tcp_services``: imported only
    when a stream has one, it is not on the start-up path of every chart)."""
    from gwshift.handlers.nginx import tcp_services

    return tcp_services.parse(obj, doc, ctx)


def _select_stream_services(docs: list[dict[str, Any]],
                            ctx: Context) -> list[tuple[str, str | None, str]]:
    from gwshift.handlers.nginx import tcp_services

    return tcp_services.select(docs, ctx)


# Where the generated docs find the section of these sources (scripts/gen_docs.py).
_parse_stream_services.doc_module = "gwshift.handlers.nginx.tcp_services"  # type: ignore[attr-defined]

DIALECT = Dialect(name="nginx", refine=ingresses_only(refine), table=TABLE,
                  passes=(ingresses_only(cross_ingress),),
                  parsers={("", "ConfigMap"): _parse_stream_services},
                  select=_select_stream_services)

__all__ = ["ALIASES", "DIALECT", "LEGACY", "TABLE", "Handler", "supported"]
