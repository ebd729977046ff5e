"""Security annotations fail closed: an Ingress whose access control, authentication, rate
limits, WAF or raw nginx snippets cannot be expressed is kept unconverted with an error,
unless the note code is in ``--allow-insecure-drop`` (then a warning says it was dropped).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers._values import parse_bool, parse_size
from gwshift.handlers.nginx._common import Apply, ann, fail_closed, say
from gwshift.model import Conversion
from gwshift.notes import info

IP_ACL = "nginx/ip-access-control"
AUTH_BASIC = "nginx/auth-basic"
AUTH_EXTERNAL = "nginx/auth-external"
AUTH_TLS = "nginx/auth-client-certificate"
AUTH_SATISFY = "nginx/auth-satisfy"
RATE_LIMIT = "nginx/rate-limit"
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
            if code in ctx.settings.allow_insecure_drop:
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
