"""The F5 NGINX Ingress Controller dialect (``nginx.org/*``, Plus ``nginx.com/*``, App Protect
``appprotect.f5.com/*``; controller ``nginx.org/ingress-controller``).

Its default class is also ``nginx``, so it is selected by the IngressClass controller (or
``--dialect nginx-inc``), never by the class name alone. Routing annotations convert
(rewrites, path-regex, redirects, headers, listen ports); access controls become intents
or fail closed; the rest is reported. ``TABLE`` is keyed by the full annotation key.
"""

from __future__ import annotations

import re

from gwshift.context import Context
from gwshift.handlers import Dialect
from gwshift.handlers._ir import backend_rules, has_filter, merge_filter, rules
from gwshift.handlers._table import Handler
from gwshift.handlers._values import (
    MAX_SECONDS,
    parse_bool,
    parse_int,
    parse_seconds,
    parse_size,
)
from gwshift.handlers.alb._kit import (
    FAIL_CLOSED,
    afield,
    block,
    denied,
    handler,
    has_tls,
    hosts_of,
    noop,
    parse_headers,
    prov,
    redirect_http,
    reported,
    route_intent,
    run_table,
    say,
)
from gwshift.intents import BackendTLS, BasicAuth, BodySize, Opaque, ProxyTimeouts, RateLimit
from gwshift.model import HTTP, HTTPS, Conversion, ListenerKey, Route, Rule
from gwshift.notes import info, warning

ORG, COM = "nginx.org/", "nginx.com/"
PREFIXES = (ORG, COM, "appprotect.f5.com/", "appprotectdos.f5.com/")
SSL_REDIRECT = "ingress.kubernetes.io/ssl-redirect"
SNIPPET = "nginx-inc/snippet"
AUTH_BASIC = "nginx-inc/basic-auth"
JWT = "nginx-inc/jwt"
POLICIES = "nginx-inc/policies"
WAF = "nginx-inc/app-protect"
RATE = "nginx-inc/rate-limit"
TLS = "nginx-inc/ssl-services"
SETTING = "nginx-inc/setting"
STRING_PREFIX = "nginx-inc/prefix-string-match"
REWRITE_DOUBLE_SLASH = "nginx-inc/rewrite-double-slash"
REWRITE_GLUED = "nginx-inc/rewrite-glued-path"
WHY = {
    SNIPPET: "raw NGINX configuration may hold access rules (allow/deny, auth) that Gateway "
             "API cannot express",
    AUTH_BASIC: "HTTP basic authentication protects the backends",
    JWT: "JWT validation (NGINX Plus) protects the backends",
    POLICIES: "F5 Policy resources (access control, JWT, OIDC, WAF, rate limits, mTLS) "
              "protect the backends",
    WAF: "NGINX App Protect (WAF/DoS) filters requests",
    RATE: "request rate limits protect the backends",
    TLS: "NGINX spoke HTTPS to these backends without verifying their certificates; portable "
         "Gateway API backend TLS (BackendTLSPolicy) always verifies",
    SETTING: "an NGINX proxy setting with no Gateway API field",
}


def _r(key: str, message: str, severity: str = "warning", skip: tuple[str, ...] = ()) -> Handler:
    code = "nginx-inc/annotation-not-converted"
    return handler("IMPL", "reported", reported(key, code, message, severity, skip),
                   "nothing (reported)", (code,), message)


def _sec(key: str, code: str, name: str, off: tuple[str, ...] = ("false", "False")) -> Handler:
    """An access control as an Opaque intent. ``off``: values that turn it off; only the
    boolean ``app-protect-enable`` has any. The other keys name an object (a Policy, a JWT key
    Secret, a DosProtectedResource) that may well be called ``false``: ``off=()``."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip() not in off:
            route_intent(conv, Opaque("nginx-inc", name, value.strip(), prov(key, code, WHY[code])))

    return handler("IMPL", "intent", apply, "Opaque intent; elsewhere " + FAIL_CLOSED, (code,),
                   WHY[code], Opaque)


def _param(main: str) -> Handler:
    return handler("IMPL", "intent", noop, f"read with {main}", (), f"Parameter of {main}.")


# --- routing ------------------------------------------------------------------------------------


def _path_regex(value: str, conv: Conversion, ctx: Context) -> None:
    mode = value.strip().lower()
    if mode not in ("case_sensitive", "case_insensitive", "exact"):
        block(conv, ORG + "path-regex", "nginx-inc/invalid-value",
              f"{ORG}path-regex={value[:40]!r} must be case_sensitive, case_insensitive or exact")
        return
    conv.dialect_paths = True
    for rule in rules(conv):
        for m in rule.matches:
            if m.path is None:
                continue
            if mode == "exact":
                m.path_type = "Exact"
            else:
                # nginx `location ~ <path>` searches the URI (no anchor); regex locations
                # are tried in order after prefix locations: precedence may differ.
                m.path_type = "RegularExpression"
                m.path = ("(?i)" if mode == "case_insensitive" else "") + m.path
    if mode != "exact":
        say(conv, ORG + "path-regex", warning, "nginx-inc/path-regex",
            "paths become RegularExpression matches (unanchored, as NGINX searched the URI); "
            "regex syntax and precedence are implementation-specific")
    conv.notes = [n for n in conv.notes if n.code != "ingress/path-type-implementation-specific"]


_REWRITE = re.compile(r"^serviceName=([a-z0-9][-a-z0-9.]*)\s+rewrite=(\S*)$")


def _rewrites(value: str, conv: Conversion, ctx: Context) -> None:
    key = ORG + "rewrites"
    targets: dict[str, str] = {}
    for item in (i.strip() for i in value.split(";")):
        if not item:
            continue
        m = _REWRITE.match(item)
        if not m or not (m.group(2).startswith("/") or m.group(2) == ""):
            block(conv, key, "nginx-inc/invalid-value",
                  f"{key}: {item[:60]!r} is not 'serviceName=<svc> rewrite=<path>'")
            return
        targets[m.group(1)] = m.group(2)
    for rule in backend_rules(conv):
        names = {b.name for b in rule.backends}
        hit = [targets[n] for n in names if n in targets]
        if not hit or not hit[0]:
            continue  # 'rewrite=' is 'proxy_pass http://<upstream>;': the URI goes unchanged
        m0 = rule.matches[0] if rule.matches else None
        if m0 is None or m0.path_type not in ("PathPrefix", "Exact"):
            block(conv, key, "nginx-inc/rewrite-regex",
                  f"{key}: a rewrite of a regex path uses its captures in NGINX; Gateway API "
                  "rewrites only replace a prefix or the full path")
            return
        if m0.path_type == "PathPrefix":
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                       "replacePrefixMatch": hit[0]}})
            _rewrite_joint(conv, rule, m0.path or "/", hit[0])
        else:
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                       "replaceFullPath": hit[0]}})


def _rewrite_joint(conv: Conversion, rule: Rule, path: str, target: str) -> None:
    """NGINX ``proxy_pass http://<upstream><rewrite>`` in ``location <path>`` replaces the
    matched string: upstream path = rewrite + what follows ``path`` (nginx.ingress.tmpl;
    internal/configs/ingress.go generateIngressPath). ReplacePrefixMatch joins at a path
    element instead: the two differ where exactly one of path and rewrite ends in '/'."""
    if path.endswith("/") == target.endswith("/"):
        return  # '/tea' + '/v2' or '/tea/' + '/': both send '/v2/cup' / '/cup'
    where = f"{rule.source}.path"
    if target.endswith("/"):
        conv.note(warning(REWRITE_DOUBLE_SLASH,
                          f"{ORG}rewrites {target!r} on {path!r}: NGINX sent '{path}/cup' "
                          f"upstream as '{target}/cup' (proxy_pass replaces the matched "
                          f"string); the URLRewrite sends '{target.rstrip('/')}/cup'", field=where))
    else:
        conv.note(warning(REWRITE_GLUED,
                          f"{ORG}rewrites {target!r} on {path!r}: NGINX sent "
                          f"'{path.rstrip('/')}/cup' upstream as '{target}cup' (proxy_pass "
                          f"replaces the matched string); the URLRewrite sends '{target}/cup'",
                          field=where))


def _string_prefix(conv: Conversion) -> None:
    """``location /coffee`` (pathType Prefix or ImplementationSpecific: generateIngressPath
    adds '= ' for Exact only) is an NGINX string prefix; PathPrefix matches path elements."""
    seen: set[str] = set()
    for rule in rules(conv):
        for m in rule.matches:
            if m.path_type != "PathPrefix" or not m.path or m.path == "/":
                continue
            where = f"{rule.source}.path"
            if where in seen:
                continue
            seen.add(where)
            p = m.path
            if p.endswith("/"):
                text = (f"path {p!r} is 'location {p}', an NGINX string prefix: "
                        f"{p.rstrip('/')!r} did not match it; the HTTPRoute PathPrefix ignores "
                        f"the trailing slash and serves {p.rstrip('/')!r}")
            else:
                text = (f"path {p!r} is 'location {p}', an NGINX string prefix: it also "
                        f"served {p + 'x'!r} and {p + '.json'!r}; the HTTPRoute PathPrefix "
                        f"matches {p!r} and {p + '/…'!r} only")
            conv.note(warning(STRING_PREFIX, text, field=where))
            # this note says exactly how the F5 controller matched an ImplementationSpecific
            # path; the neutral "treated as Prefix" note would only repeat it less precisely
            conv.notes = [n for n in conv.notes if not (
                n.code == "ingress/path-type-implementation-specific"
                and n.field == f"{rule.source}.pathType")]


def _redirect_to_https(value: str, conv: Conversion, ctx: Context) -> None:
    """NGINX redirected when X-Forwarded-Proto was http (TLS ends in front of NGINX)."""
    if parse_bool(value) is not True:
        return
    for route in conv.routes:
        extra = []
        for rule in backend_rules_of(route):
            copy_ = Rule(
                [m.copy() for m in rule.matches], [], rule.source,
                filters=[{"type": "RequestRedirect",
                          "requestRedirect": {"scheme": "https", "statusCode": 301}}])
            for m in copy_.matches:
                m.headers.append({"name": "X-Forwarded-Proto", "value": "http"})
            extra.append(copy_)
        route.rules = extra + route.rules
    say(conv, ORG + "redirect-to-https", info, "nginx-inc/redirect-to-https",
        "requests with X-Forwarded-Proto: http are redirected to https (301) by extra rules "
        "(a header match takes precedence over the same path without one)")


def backend_rules_of(route: Route) -> list[Rule]:
    return [r for r in route.rules if r.backends and not has_filter(r, "RequestRedirect")]


def _set_headers(value: str, conv: Conversion, ctx: Context) -> None:
    key = ORG + "proxy-set-headers"
    pairs = parse_headers(value)
    if pairs is None:
        block(conv, key, "nginx-inc/invalid-value", f"{key} must be 'Name[: value],...'")
        return
    from gwshift.handlers._ir import set_header

    for name, val in pairs:
        if val is None:
            continue  # the client's own header is passed on: nothing to do
        if "$" in val:
            say(conv, key, warning, "nginx-inc/header-variable",
                f"{key}: {name} uses an NGINX variable ({val[:40]!r}); not set")
            continue
        for rule in backend_rules(conv):
            set_header(rule, "RequestHeaderModifier", name, val)


def _hide_headers(value: str, conv: Conversion, ctx: Context) -> None:
    names = [n.strip() for n in value.split(",") if n.strip()]
    for rule in backend_rules(conv):
        for f in rule.filters:
            if f.get("type") == "ResponseHeaderModifier":
                f["responseHeaderModifier"].setdefault("remove", []).extend(names)
                break
        else:
            rule.filters.append({"type": "ResponseHeaderModifier",
                                 "responseHeaderModifier": {"remove": list(names)}})


def _listen_ports(value: str, conv: Conversion, ctx: Context) -> None:
    """Custom ports replace 80 (listen-ports) / 443 (listen-ports-ssl)."""


def _apply_listen_ports(conv: Conversion) -> None:
    for proto, key in ((HTTP, ORG + "listen-ports"), (HTTPS, ORG + "listen-ports-ssl")):
        raw = conv.source.annotation(key)
        if raw is None:
            continue
        ports = [parse_int(p) for p in raw.split(",") if p.strip()]
        if not ports or any(p is None or not 1 <= p <= 65535 for p in ports):
            block(conv, key, "nginx-inc/invalid-value", f"{key} must be a comma separated "
                  "list of ports")
            return
        for route in conv.routes:
            hosts = {k.hostname for k in route.listeners if k.protocol == proto}
            route.listeners = [k for k in route.listeners if k.protocol != proto] + [
                ListenerKey(h, proto, p) for h in sorted(hosts, key=lambda x: x or "")
                for p in ports if p is not None]


def _hsts(conv: Conversion) -> None:
    if parse_bool(conv.source.annotation(ORG + "hsts")) is not True:
        return
    age = parse_int(conv.source.annotation(ORG + "hsts-max-age") or "2592000")
    sub = parse_bool(conv.source.annotation(ORG + "hsts-include-subdomains")) is True
    value = f"max-age={age if age is not None and age >= 0 else 2592000}" + \
        ("; includeSubDomains" if sub else "")
    from gwshift.handlers._ir import set_header

    plain = False
    for route in conv.routes:
        if not any(k.protocol == HTTPS for k in route.listeners):
            continue
        plain = plain or any(k.protocol == HTTP for k in route.listeners)
        for rule in backend_rules_of(route):
            set_header(rule, "ResponseHeaderModifier", "Strict-Transport-Security", value)
    if plain:
        say(conv, ORG + "hsts", info, "nginx-inc/hsts-on-http",
            "NGINX sent Strict-Transport-Security on HTTPS only; the route also serves HTTP "
            "(ssl-redirect off), where the header is sent too (browsers ignore it there)")


# --- access controls and settings as intents ----------------------------------------------


def _basic_auth(value: str, conv: Conversion, ctx: Context) -> None:
    realm = conv.source.annotation(ORG + "basic-auth-realm")
    route_intent(conv, BasicAuth(value.strip(), realm, "auth-file",
                                 prov(ORG + "basic-auth-secret", AUTH_BASIC, WHY[AUTH_BASIC])))


def _ssl_services(value: str, conv: Conversion, ctx: Context) -> None:
    names = {n.strip() for n in value.split(",") if n.strip()}
    key = ORG + "ssl-services"
    for rule in rules(conv):
        for b in rule.backends:
            if b.name in names:
                rule.intents.append(BackendTLS(b.name, b.port, None, None, False, None,
                                               prov(key, TLS, WHY[TLS])))


_RATE = re.compile(r"^\s*([0-9]+)r/([sm])\s*$")
# uint32: the widest rate every target's CRD accepts (Envoy Gateway's limit.requests), as for
# ingress-nginx's limit-rps (handlers/nginx/security.py MAX_LIMIT).
MAX_RATE = 2**32 - 1


def _limit_req(value: str, conv: Conversion, ctx: Context) -> None:
    key = ORG + "limit-req-rate"
    m = _RATE.match(value)
    limit_key = conv.source.annotation(ORG + "limit-req-key") or "${binary_remote_addr}"
    dry = parse_bool(conv.source.annotation(ORG + "limit-req-dry-run")) is True
    if dry:
        say(conv, key, info, RATE, f"{key}: dry run (NGINX only logged); nothing to enforce")
        return
    raw_burst = conv.source.annotation(ORG + "limit-req-burst")
    burst = parse_int(raw_burst or "")
    # ASCII digits of bounded length before int(): a 5 000-digit rate made int() raise (exit
    # 3). A rate or burst no target's field holds is kept with an error, never dropped.
    rate = parse_int(m.group(1)) if m else None
    if m and (rate is None or rate > MAX_RATE):
        block(conv, key, "nginx-inc/invalid-value", f"{key}: the rate is not a number up to "
              f"{MAX_RATE} (uint32, the widest rate-limit field of any target)")
        return
    if (burst is None and raw_burst and raw_burst.strip()) or (
            burst is not None and not 0 <= burst <= MAX_RATE):
        block(conv, ORG + "limit-req-burst", "nginx-inc/invalid-value",
              f"{ORG}limit-req-burst is not a number from 0 to {MAX_RATE}")
        return
    if rate is not None and m and limit_key in ("${binary_remote_addr}", "$binary_remote_addr"):
        route_intent(conv, RateLimit(rate, "Second" if m.group(2) == "s" else "Minute",
                                     burst, prov(key, RATE, WHY[RATE])))
    else:
        route_intent(conv, Opaque("nginx-inc", "limit-req", f"{value.strip()} key={limit_key}",
                                  prov(key, RATE, WHY[RATE])))


def _body_size(value: str, conv: Conversion, ctx: Context) -> None:
    key = ORG + "client-max-body-size"
    size = parse_size(value)
    if size is None:
        block(conv, key, "nginx-inc/invalid-value", f"{key}={value[:20]!r} is not an NGINX size")
        return
    route_intent(conv, BodySize(size, prov(key, SETTING, WHY[SETTING], security=False)))


def _timeout(name: str) -> Handler:
    key = ORG + name

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        secs = parse_seconds(value)
        if secs is None:
            say(conv, key, warning, "nginx-inc/invalid-value", f"{key}={value[:20]!r} is not "
                f"whole seconds up to {MAX_SECONDS}; not converted")
            return
        parts: dict[str, int | None] = {"connect": None, "read": None, "send": None}
        parts[name.split("-")[1]] = secs
        route_intent(conv, ProxyTimeouts(parts["connect"], parts["read"], parts["send"],
                                         prov(key, SETTING, WHY[SETTING], security=False)))

    return handler("IMPL", "intent", apply, "ProxyTimeouts intent (e.g. NGF ProxySettingsPolicy)",
                   (SETTING,), intent=ProxyTimeouts)


TABLE: dict[str, Handler] = {
    # --- routing (converted) --------------------------------------------------------------------
    ORG + "path-regex": handler("IMPL", "approximated", _path_regex,
        "case_sensitive/case_insensitive -> RegularExpression (unanchored), exact -> Exact",
        ("nginx-inc/path-regex", "nginx-inc/invalid-value")),
    ORG + "rewrites": handler("STD", "converted", _rewrites,
        "URLRewrite ReplacePrefixMatch (ReplaceFullPath on Exact) on that Service's rules only",
        ("nginx-inc/invalid-value", "nginx-inc/rewrite-regex", REWRITE_DOUBLE_SLASH,
         REWRITE_GLUED)),
    ORG + "redirect-to-https": handler("STD", "approximated", _redirect_to_https,
        "rules matching X-Forwarded-Proto: http -> RequestRedirect https 301",
        ("nginx-inc/redirect-to-https",)),
    SSL_REDIRECT: handler("STD", "converted", noop,
        "default on: HTTP listeners of TLS hosts -> `<route>-redirect` RequestRedirect https 301",
        ("nginx-inc/invalid-value",)),
    ORG + "proxy-set-headers": handler("STD", "converted", _set_headers,
        "RequestHeaderModifier set (names without a value pass the client's header: nothing)",
        ("nginx-inc/header-variable", "nginx-inc/invalid-value")),
    ORG + "proxy-hide-headers": handler("STD", "converted", _hide_headers,
        "ResponseHeaderModifier remove"),
    ORG + "hsts": handler("STD", "converted", noop,
        "ResponseHeaderModifier set Strict-Transport-Security on HTTPS routes",
        ("nginx-inc/hsts-on-http",)),
    ORG + "hsts-max-age": _param(ORG + "hsts"),
    ORG + "hsts-include-subdomains": _param(ORG + "hsts"),
    ORG + "hsts-behind-proxy": _r(ORG + "hsts-behind-proxy", "the header follows the listener "
                                  "protocol, not X-Forwarded-Proto", "info", ("false", "False")),
    ORG + "listen-ports": handler("STD", "converted", _listen_ports,
        "HTTP listeners on these ports instead of 80", ("nginx-inc/invalid-value",)),
    ORG + "listen-ports-ssl": handler("STD", "converted", _listen_ports,
        "HTTPS listeners on these ports instead of 443", ("nginx-inc/invalid-value",)),
    ORG + "websocket-services": handler("STD", "converted", noop,
        "nothing needed: Gateway implementations proxy WebSocket upgrades"),
    ORG + "grpc-services": handler("STD", "converted", noop,
        "rules of those Services -> GRPCRoute (its own `<route>-grpc` when mixed)",
        ("nginx-inc/grpc-paths",), "GRPCRoute matches services/methods: only `/` paths convert."),
    ORG + "mergeable-ingress-type": handler("STD", "approximated", noop,
        "master and minions convert on their own (routes of one host); master annotations are "
        "not inherited", ("nginx-inc/mergeable-master-security", "nginx-inc/mergeable")),
    # --- access controls ------------------------------------------------------------------------
    ORG + "basic-auth-secret": handler("IMPL", "intent", _basic_auth,
        "BasicAuth intent; elsewhere " + FAIL_CLOSED, (AUTH_BASIC,), WHY[AUTH_BASIC], BasicAuth),
    ORG + "basic-auth-realm": _param(ORG + "basic-auth-secret"),
    COM + "jwt-key": _sec(COM + "jwt-key", JWT, "jwt", off=()),
    COM + "jwt-realm": _param(COM + "jwt-key"),
    COM + "jwt-token": _param(COM + "jwt-key"),
    COM + "jwt-login-url": _param(COM + "jwt-key"),
    ORG + "policies": _sec(ORG + "policies", POLICIES, "policies", off=()),
    ORG + "server-snippets": handler("NONE", "blocked", denied(ORG + "server-snippets", SNIPPET,
        WHY[SNIPPET], ("",)), FAIL_CLOSED, (SNIPPET,), WHY[SNIPPET]),
    ORG + "location-snippets": handler("NONE", "blocked", denied(ORG + "location-snippets",
        SNIPPET, WHY[SNIPPET], ("",)), FAIL_CLOSED, (SNIPPET,), WHY[SNIPPET]),
    ORG + "limit-req-rate": handler("IMPL", "intent", _limit_req,
        "RateLimit intent per client IP; other keys: Opaque; elsewhere " + FAIL_CLOSED,
        (RATE, "nginx-inc/invalid-value"), WHY[RATE], RateLimit),
    **{ORG + f"limit-req-{p}": _param(ORG + "limit-req-rate") for p in (
        "key", "zone-size", "delay", "no-delay", "burst", "dry-run", "log-level",
        "reject-code", "scale")},
    ORG + "ssl-services": handler("STD", "intent", _ssl_services,
        "BackendTLS intent (unverified, as NGINX); elsewhere " + FAIL_CLOSED, (TLS,), WHY[TLS],
        BackendTLS),
    "appprotect.f5.com/app-protect-enable": _sec("appprotect.f5.com/app-protect-enable", WAF,
                                                 "app-protect"),
    "appprotect.f5.com/app-protect-policy": _param("appprotect.f5.com/app-protect-enable"),
    "appprotect.f5.com/app-protect-security-log-enable": _param(
        "appprotect.f5.com/app-protect-enable"),
    "appprotect.f5.com/app-protect-security-log": _param("appprotect.f5.com/app-protect-enable"),
    "appprotect.f5.com/app-protect-security-log-destination": _param(
        "appprotect.f5.com/app-protect-enable"),
    "appprotectdos.f5.com/app-protect-dos-resource": _sec(
        "appprotectdos.f5.com/app-protect-dos-resource", WAF, "app-protect-dos", off=()),
    # --- proxy settings ------------------------------------------------------------------------
    ORG + "client-max-body-size": handler("IMPL", "intent", _body_size,
        "BodySize intent (e.g. NGF ClientSettingsPolicy)", (SETTING, "nginx-inc/invalid-value"),
        intent=BodySize),
    ORG + "proxy-connect-timeout": _timeout("proxy-connect-timeout"),
    ORG + "proxy-read-timeout": _timeout("proxy-read-timeout"),
    ORG + "proxy-send-timeout": _timeout("proxy-send-timeout"),
    **{ORG + n: _r(ORG + n, "buffering is the implementation's", "info") for n in (
        "proxy-buffering", "proxy-buffers", "proxy-buffer-size", "proxy-max-temp-file-size",
        "proxy-busy-buffers-size", "client-body-buffer-size")},
    ORG + "lb-method": _r(ORG + "lb-method", "the balancing method is the implementation's "
                          "(NGF UpstreamSettingsPolicy)", "info"),
    **{ORG + n: _r(ORG + n, "upstream tuning is the implementation's", "info") for n in (
        "keepalive", "max-fails", "max-conns", "fail-timeout", "upstream-zone-size")},
    ORG + "proxy-pass-headers": _r(ORG + "proxy-pass-headers", "Gateway implementations pass "
                                   "upstream headers through", "info"),
    ORG + "server-tokens": _r(ORG + "server-tokens", "the Server header is the implementation's",
                              "info"),
    ORG + "use-cluster-ip": _r(ORG + "use-cluster-ip", "the implementation decides whether it "
                               "proxies to endpoints or the ClusterIP", "info", ("false",)),
    ORG + "ssl-ciphers": _r(ORG + "ssl-ciphers", "listener TLS options are "
                            "implementation-specific (NGF tls.options nginx.org/ssl-ciphers)"),
    ORG + "ssl-protocols": _r(ORG + "ssl-protocols", "listener TLS options are "
                              "implementation-specific (NGF tls.options nginx.org/ssl-protocols)"),
    COM + "sticky-cookie-services": _r(COM + "sticky-cookie-services", "session persistence "
                                       "is experimental in Gateway API (sessionPersistence)"),
    **{COM + n: _r(COM + n, "active health checks are the implementation's") for n in (
        "health-checks", "health-checks-mandatory", "health-checks-mandatory-queue",
        "slow-start")},
}


def _name_of(key: str) -> str | None:
    if key in TABLE or key.startswith(PREFIXES):
        return key
    return None


def supported() -> list[str]:
    from gwshift.handlers._table import supported as derived

    return derived(TABLE)


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        run_table(conv, ctx, TABLE, _name_of, "nginx-inc/unknown-annotation",
                  "F5 NGINX Ingress Controller")
        if conv.blocked:
            continue
        _apply_listen_ports(conv)
        _string_prefix(conv)
        _grpc(conv)
        if conv.blocked:
            continue
        _ssl_redirect(conv, ctx)
        _hsts(conv)
    _mergeable(convs)


def _ssl_redirect(conv: Conversion, ctx: Context) -> None:
    raw = conv.source.annotation(SSL_REDIRECT)
    if raw is not None:
        conv.consumed_annotations.add(SSL_REDIRECT)
    on = parse_bool(raw) if raw is not None else True
    if on is None:
        block(conv, SSL_REDIRECT, "nginx-inc/invalid-value", f"{SSL_REDIRECT}={raw!r} must be a "
              "boolean")
        return
    if on:
        redirect_http(conv, lambda h: has_tls(conv, ctx, h), 301, afield(SSL_REDIRECT))


def _grpc(conv: Conversion) -> None:
    """Rules whose backends are all gRPC Services become a GRPCRoute."""
    key = ORG + "grpc-services"
    raw = conv.source.annotation(key)
    names = {n.strip() for n in (raw or "").split(",") if n.strip()}
    if not names:
        return
    routes = []
    for route in conv.routes:
        grpc = [r for r in route.rules if r.backends and all(b.name in names for b in r.backends)]
        if route.kind != "HTTPRoute" or not grpc:
            routes.append(route)
            continue
        if any(m.path_type != "PathPrefix" or m.path != "/" or m.method or m.query_params
               for r in grpc for m in r.matches) or any(r.filters for r in grpc):
            block(conv, key, "nginx-inc/grpc-paths",
                  f"{key}: a GRPCRoute matches gRPC services and methods, not paths, and takes "
                  "no rewrites; only gRPC rules on '/' convert")
            return
        rest = [r for r in route.rules if r not in grpc]
        if rest:
            route.rules = rest
            routes.append(route)
            suffix = f"{route.suffix}-grpc" if route.suffix else "grpc"
            routes.append(Route("GRPCRoute", suffix, list(route.hostnames), grpc,
                                list(route.listeners), source=route.source))
        else:
            route.kind = "GRPCRoute"
            routes.append(route)
    conv.routes = routes


def _mergeable(convs: list[Conversion]) -> None:
    kind = ORG + "mergeable-ingress-type"
    masters: dict[tuple[str | None, str], Conversion] = {}
    for conv in convs:
        if (conv.source.annotation(kind) or "").strip() == "master":
            for r in conv.ingress.rules:
                if r.host:
                    masters[(conv.source.namespace, r.host)] = conv
    for conv in convs:
        if (conv.source.annotation(kind) or "").strip() != "minion" or conv.blocked:
            continue
        hosts = {h for route in conv.routes for h in hosts_of(route)}
        for host in hosts:
            master = masters.get((conv.source.namespace, host or ""))
            if master is None:
                continue
            guarded = sorted(k for k, _ in master.source.annotations if k in TABLE
                             and TABLE[k].disposition in ("intent", "blocked")
                             and any(c in WHY and c != SETTING for c in TABLE[k].codes))
            if guarded:
                block(conv, kind, "nginx-inc/mergeable-master-security",
                      f"the master Ingress {master.source.name} sets {', '.join(guarded)}, which "
                      "NGINX applied to this minion too; the minion does not carry it over")
            else:
                conv.note(info("nginx-inc/mergeable",
                               f"minion of master Ingress {master.source.name}: the master's "
                               "host and TLS apply through the shared Gateway; its other "
                               "annotations are not inherited", field=afield(kind)))


DIALECT = Dialect(name="nginx-inc", refine=refine, table=TABLE)

__all__ = ["DIALECT", "TABLE", "WHY", "supported"]
