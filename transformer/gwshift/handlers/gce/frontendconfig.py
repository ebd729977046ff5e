"""``networking.gke.io/v1beta1.FrontendConfig``: HTTPS redirect and SSL policy of the LB."""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers.alb._kit import afield, gateway_intent, prov
from gwshift.intents import Opaque
from gwshift.model import HTTP, Conversion, Match, Route, Rule, mapping
from gwshift.notes import warning

KEY = "networking.gke.io/v1beta1.FrontendConfig"
CODES = {"MOVED_PERMANENTLY_DEFAULT": 301, "FOUND": 302, "SEE_OTHER": 303,
         "TEMPORARY_REDIRECT": 307, "PERMANENT_REDIRECT": 308}
SSL_POLICY = "gce/ssl-policy"
ERRORS = ("gce/frontendconfig-missing", "gce/frontendconfig-invalid", SSL_POLICY)
WHY_SSL = ("the SSL policy (TLS versions and ciphers of the load balancer) is a "
           "GCPGatewayPolicy with --target gke; other Gateways use their own defaults")


def apply(conv: Conversion, ctx: Context) -> None:
    name = (conv.source.annotation(KEY) or "").strip()
    if not name:
        return
    fc = ctx.find("FrontendConfig", conv.source.namespace, name)
    if fc is None:
        conv.note(warning("gce/frontendconfig-missing",
                          f"FrontendConfig {name} "
                          f"{ctx.missing_phrase('FrontendConfig', conv.source.namespace, name)}: "
                          "its HTTPS redirect and SSL "
                          "policy are not converted (convert it together with the Ingress)",
                          field=afield(KEY)))
        return
    spec = mapping(fc.get("spec"))
    redirect = mapping(spec.get("redirectToHttps"))
    if redirect.get("enabled") is True:
        code_name = redirect.get("responseCodeName") or "MOVED_PERMANENTLY_DEFAULT"
        code = CODES.get(code_name) if isinstance(code_name, str) else None
        if code is None:
            conv.note(warning("gce/frontendconfig-invalid",
                              f"FrontendConfig {name}: responseCodeName {str(code_name)[:40]!r} is "
                              "not a GKE redirect code; the redirect uses 301", field=afield(KEY)))
            code = 301
        _redirect_http(conv, code)
    policy = spec.get("sslPolicy")
    if isinstance(policy, str) and policy:
        gateway_intent(conv, Opaque("gce", "ssl-policy", policy,
                                    prov(KEY, SSL_POLICY, WHY_SSL, security=False)))
    other = sorted(set(spec) - {"redirectToHttps", "sslPolicy"})
    if other:
        conv.note(warning("gce/frontendconfig-invalid",
                          f"FrontendConfig {name}: {', '.join(map(str, other))[:80]} not converted",
                          field=afield(KEY)))


def _redirect_http(conv: Conversion, code: int) -> None:
    extra = []
    for route in conv.routes:
        http = [k for k in route.listeners if k.protocol == HTTP]
        if not http or route.kind != "HTTPRoute":
            continue
        route.listeners = [k for k in route.listeners if k.protocol != HTTP]
        redirect: dict[str, Any] = {"scheme": "https", "statusCode": code}
        rule = Rule([Match("PathPrefix", "/")], [], afield(KEY),
                    filters=[{"type": "RequestRedirect", "requestRedirect": redirect}])
        suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
        extra.append(Route("HTTPRoute", suffix, list(route.hostnames), [rule], http,
                           source=route.source))
    conv.routes = [r for r in conv.routes if r.listeners] + extra


__all__ = ["ERRORS", "apply"]
