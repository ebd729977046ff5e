"""Security annotations: access control, authentication and limits become policy intents
(``gwshift.intents``) that the selected target expresses or cannot; what cannot be expressed
keeps the Ingress with an error (``checks.unconsumed``), unless the note code is in
``--allow-insecure-drop`` (then a warning says it was dropped). WAF, snippets, ``satisfy``
and bandwidth limits have no intent: they fail closed here, whatever the target.
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers._values import parse_bool, parse_int, parse_size
from gwshift.handlers.nginx._common import Apply, ann, fail_closed, field, key, say
from gwshift.intents import (
    BasicAuth,
    ClientCertAuth,
    ConnectionLimit,
    Intent,
    IPAccess,
    Provenance,
    RateLimit,
)
from gwshift.model import Conversion
from gwshift.notes import info

IP_ACL = "nginx/ip-access-control"
AUTH_BASIC = "nginx/auth-basic"
AUTH_EXTERNAL = "nginx/auth-external"
AUTH_TLS = "nginx/auth-client-certificate"
AUTH_SATISFY = "nginx/auth-satisfy"
RATE_LIMIT = "nginx/rate-limit"
# uint32: the widest rate/connection count every target's CRD accepts (Envoy Gateway
# BackendTrafficPolicy rateLimit ... limit.requests is a uint32).
MAX_LIMIT = 2**32 - 1
_TOO_LARGE = ("{what} is above " + str(MAX_LIMIT) + " (uint32), which no target's rate-limit "
              "field holds; dropping it removes abuse protection")
WAF = "nginx/waf"
SNIPPET = "nginx/snippet"

WHY = {
    IP_ACL: "Gateway API has no client-IP allow/deny list (implementation policies only, e.g. "
            "Envoy Gateway SecurityPolicy clientCIDRs); dropping it opens the routes to everyone",
    AUTH_BASIC: "Gateway API has no HTTP basic/digest authentication; dropping it makes the "
                "routes public",
    AUTH_EXTERNAL: "external authentication needs the experimental ExternalAuth filter, which "
                   "gwshift does not emit for nginx auth-url semantics; dropping it makes the "
                   "routes public",
    AUTH_TLS: "client-certificate validation is Gateway-wide (spec.tls.frontend) in Gateway API, "
              "per host in nginx; dropping it accepts clients without certificates",
    AUTH_SATISFY: "satisfy combines authentication methods; nothing to combine in Gateway API",
    RATE_LIMIT: "Gateway API has no rate or connection limits (implementation policies only); "
                "dropping them removes abuse protection",
    WAF: "Gateway API has no ModSecurity/OWASP CRS; dropping it removes the WAF",
    SNIPPET: "raw nginx configuration cannot be translated and may carry access rules, headers "
             "or redirects; review it by hand",
}


# Parameters read into (or dropped with) the intent of a main annotation.
PARAMS: dict[str, tuple[str, ...]] = {
    "auth-type": ("auth-secret", "auth-secret-type", "auth-realm"),
    "auth-tls-secret": ("auth-tls-verify-client", "auth-tls-verify-depth", "auth-tls-error-page",
                        "auth-tls-pass-certificate-to-upstream", "auth-tls-match-cn"),
    "limit-rps": ("limit-burst-multiplier", "limit-allowlist", "limit-whitelist"),
    "limit-rpm": ("limit-burst-multiplier", "limit-allowlist", "limit-whitelist"),
    "limit-connections": ("limit-allowlist", "limit-whitelist"),
    "auth-url": ("auth-response-headers", "auth-method", "auth-signin",
                 "auth-signin-redirect-param", "auth-proxy-set-headers", "auth-request-redirect",
                 "auth-always-set-cookie", "auth-cache-key", "auth-cache-duration",
                 "auth-keepalive", "auth-keepalive-share-vars", "auth-keepalive-requests",
                 "auth-keepalive-timeout"),
}
VERIFY_CLIENT = ("on", "optional", "optional_no_ca", "off")
DEFAULT_BURST_MULTIPLIER = 5  # ingress-nginx limit-burst-multiplier default


def _off(value: str, off: tuple[str, ...] = ("",)) -> bool:
    v = value.strip()
    return v.lower() in off or parse_bool(v) is False


def _params(conv: Conversion, ctx: Context, name: str) -> tuple[tuple[str, str], ...]:
    return tuple((key(ctx, p), field(ctx, p)) for p in PARAMS.get(name, ())
                 if ann(conv, ctx, p) is not None)


def _record(conv: Conversion, ctx: Context, name: str, code: str,
            make: type, *args: object) -> None:
    """Record ``make(*args, by)`` on every route: the whole Ingress is one nginx server block
    location set, and each of its locations carries the annotation."""
    by = Provenance(key(ctx, name), field(ctx, name), code, WHY[code], True,
                    _params(conv, ctx, name))
    intent: Intent = make(*args, by)
    for route in conv.routes:
        route.intents.append(intent)


def _refuse(conv: Conversion, ctx: Context, name: str, code: str, why: str = "") -> None:
    """No intent can carry this value: fail closed here, parameters with it."""
    fail_closed(conv, ctx, name, code, why or WHY[code])
    if code in ctx.settings.allow_insecure_drop:
        for param in PARAMS.get(name, ()):
            if ann(conv, ctx, param) is not None:
                fail_closed(conv, ctx, param, code, why or WHY[code])


def _cidrs(value: str) -> tuple[str, ...] | None:
    """Normalised CIDRs, or None when an entry is not one (nginx then rejects the list).

    Every comma-separated item counts, empty ones too: ingress-nginx splits on "," and its
    ``net.ParseIPNets`` fails on the "" of ``10.0.0.0/8,`` (neither a CIDR nor an IP), so the
    ipallowlist parser denies every request; dropping the empty item would open what was closed.
    """
    import ipaddress  # only for Ingresses with access lists: keeps start-up lean

    out = []
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            return None
        try:
            out.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            return None
    return tuple(out) or None


def ip_access(name: str) -> Apply:
    """allowlist/whitelist/denylist-source-range -> IPAccess."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        # No "off" value: ingress-nginx's parser fails on "", "false" or any non-CIDR and
        # then denies the location (LocationDeniedError), so those fail closed too.
        cidrs = _cidrs(value)
        if cidrs is None:
            fail_closed(conv, ctx, name, IP_ACL, "ingress-nginx denies every request to these "
                        "paths when the value is not a list of CIDRs (empty, \"false\", a "
                        f"typo); {WHY[IP_ACL]}")
        elif name.startswith("denylist"):
            _record(conv, ctx, name, IP_ACL, IPAccess, (), cidrs)
        else:
            _record(conv, ctx, name, IP_ACL, IPAccess, cidrs, ())

    return apply


def basic_auth(value: str, conv: Conversion, ctx: Context) -> None:
    """auth-type basic + auth-secret (+ auth-secret-type, auth-realm) -> BasicAuth."""
    if _off(value):
        return
    secret = (ann(conv, ctx, "auth-secret") or "").strip()
    secret_type = (ann(conv, ctx, "auth-secret-type") or "auth-file").strip()
    ns, _, secret_name = secret.rpartition("/")
    own_ns = ctx.namespace_of(conv.source.namespace)
    if (value.strip().lower() != "basic" or not secret_name
            or secret_type not in ("auth-file", "auth-map") or (ns and ns != own_ns)):
        _refuse(conv, ctx, "auth-type", AUTH_BASIC)  # digest, no Secret, other namespace
        return
    _record(conv, ctx, "auth-type", AUTH_BASIC, BasicAuth, secret_name,
            ann(conv, ctx, "auth-realm"), secret_type)


def client_cert(value: str, conv: Conversion, ctx: Context) -> None:
    """auth-tls-secret (+ verify-client, verify-depth, pass-certificate) -> ClientCertAuth.

    match-cn and error-page have no intent field: dropping match-cn would accept any
    client of the CA, so they keep the Ingress whatever the target.
    """
    if _off(value):
        return
    verify = (ann(conv, ctx, "auth-tls-verify-client") or "on").strip().lower()
    depth_text = ann(conv, ctx, "auth-tls-verify-depth")
    depth = parse_int(depth_text)
    if (verify not in VERIFY_CLIENT or (depth_text is not None and (depth is None or depth < 0))
            or ann(conv, ctx, "auth-tls-match-cn") is not None
            or ann(conv, ctx, "auth-tls-error-page") is not None):
        _refuse(conv, ctx, "auth-tls-secret", AUTH_TLS)
        return
    passes = parse_bool(ann(conv, ctx, "auth-tls-pass-certificate-to-upstream")) is True
    _record(conv, ctx, "auth-tls-secret", AUTH_TLS, ClientCertAuth, value.strip(), verify,
            depth, passes)


def rate_limit(name: str) -> Apply:
    """limit-rps/limit-rpm -> RateLimit (burst: limit × limit-burst-multiplier, as nginx);
    limit-connections -> ConnectionLimit; limit-rate (bandwidth) has no intent."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if parse_size(value) == 0:
            return
        n = parse_int(value)
        # A limit beyond uint32 (Envoy Gateway's requests field) cannot be written faithfully
        # on any target: refuse it here, on every run, instead of emitting what the CRD rejects.
        if n is not None and n > MAX_LIMIT:
            _refuse(conv, ctx, name, RATE_LIMIT, _TOO_LARGE.format(what="the limit"))
        elif n is None or n < 0 or name == "limit-rate":
            _refuse(conv, ctx, name, RATE_LIMIT)
        elif name == "limit-connections":
            _record(conv, ctx, name, RATE_LIMIT, ConnectionLimit, n)
        else:
            mult = parse_int(ann(conv, ctx, "limit-burst-multiplier"))
            burst = n * (mult if mult and mult > 0 else DEFAULT_BURST_MULTIPLIER)
            if burst > MAX_LIMIT:
                _refuse(conv, ctx, name, RATE_LIMIT, _TOO_LARGE.format(
                    what="the burst (limit × limit-burst-multiplier)"))
                return
            unit = "Second" if name == "limit-rps" else "Minute"
            _record(conv, ctx, name, RATE_LIMIT, RateLimit, n, unit, burst)

    return apply


def deny(name: str, code: str, off: tuple[str, ...] = ("",)) -> Apply:
    """Fail closed unless the value switches the feature off (``off`` values, or false)."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        v = value.strip()
        if v.lower() in off or parse_bool(v) is False:
            return
        fail_closed(conv, ctx, name, code, WHY[code])

    return apply


def modifier(name: str, main: tuple[str, ...], code: str) -> Apply:
    """A parameter of another security annotation: blocked with it, inert without it."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if any(ann(conv, ctx, m) for m in main):
            # A parameter of an intent goes with it (Provenance.params); of a blocked
            # feature (WAF, snippets, external auth ...) it is dropped with it.
            if code in ctx.settings.allow_insecure_drop and not any(m in PARAMS for m in main):
                fail_closed(conv, ctx, name, code, WHY[code])
            return
        say(conv, ctx, name, info, "nginx/security-parameter-inert",
            f"ignored, as by nginx: none of {', '.join(main)} is set")

    return apply


def limit(name: str) -> Apply:
    """limit-*: ``0`` (the default) disables the limit in nginx."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if parse_size(value) == 0:
            return
        fail_closed(conv, ctx, name, RATE_LIMIT, WHY[RATE_LIMIT])

    return apply
