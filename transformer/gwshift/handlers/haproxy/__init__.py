"""The HAProxy dialects: HAProxy Technologies' controller (``haproxy.org/*``, older
``haproxy.com/*``) and jcmoraisjr's HAProxy Ingress (``haproxy-ingress.github.io/*``).

Both default to the class ``haproxy``; the annotation family present decides the meaning
(defaults differ: HAProxy Technologies redirects an Ingress with spec.tls unless
ssl-redirect is false, with ssl-redirect-code or 302; HAProxy Ingress redirects TLS hosts by
default, always with 302 unless its global ConfigMap says otherwise). Both also read a legacy
``ingress.kubernetes.io/*`` family, which other controllers share: those keys are read for
the names below only. ``TABLE`` is keyed by ``<family>/<name>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from ipaddress import ip_network

from gwshift.context import Context
from gwshift.handlers import Dialect
from gwshift.handlers._ir import backend_rules, merge_filter, set_header
from gwshift.handlers._table import Apply, Disposition, Handler, Level
from gwshift.handlers._values import parse_bool, parse_int, parse_seconds
from gwshift.handlers.alb._kit import (
    FAIL_CLOSED,
    afield,
    block,
    denied,
    handler,
    has_tls,
    noop,
    prov,
    redirect_http,
    reported,
    route_intent,
    run_table,
    say,
)
from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    CookieAffinity,
    ExternalAuth,
    IPAccess,
    Opaque,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
)
from gwshift.model import Conversion
from gwshift.notes import info, warning

ORG_FAMILY = ("haproxy.org/", "haproxy.com/")
HI = "haproxy-ingress.github.io/"
LEGACY = "ingress.kubernetes.io/"
IP_ACL = "haproxy/ip-access-control"
AUTH = "haproxy/authentication"
RATE = "haproxy/rate-limit"
SNIPPET = "haproxy/snippet"
TLS = "haproxy/backend-tls"
REWRITE = "haproxy/path-rewrite-regex"
SETTING = "haproxy/setting"
PASSTHROUGH = "haproxy/ssl-passthrough"
UNMATCHED = "haproxy/path-rewrite-unmatched"
SCOPE = "haproxy/ssl-redirect-scope"
CODE_GLOBAL = "haproxy/ssl-redirect-code-global"
WHY = {
    IP_ACL: "client IP allow/deny lists restrict who may reach the backends",
    AUTH: "authentication protects the backends",
    RATE: "request rate limits protect the backends",
    SNIPPET: "raw HAProxy configuration may hold access rules that Gateway API cannot express",
    TLS: "HAProxy spoke TLS to the backend; portable Gateway API backend TLS needs a CA to "
         "verify against (BackendTLSPolicy)",
    REWRITE: "the path rewrite uses a regular expression with captures; portable Gateway API "
             "rewrites only replace a full path or a matched prefix",
    SETTING: "an HAProxy setting with no Gateway API field",
    PASSTHROUGH: "TLS passthrough needs a TLSRoute on a Passthrough listener; the HTTP routes "
                 "would terminate TLS instead",
}


def _first(conv: Conversion, family: str, *names: str) -> tuple[str, str] | None:
    """(key, value) of the first of ``names`` set in the family (aliases) or legacy keys."""
    prefixes = ORG_FAMILY if family == "org" else (HI,)
    for name in names:
        for p in (*prefixes, LEGACY):
            v = conv.source.annotation(p + name)
            if v is not None:
                return p + name, v
    return None


Factory = Callable[[str], Handler]


def _r(message: str, severity: str = "info") -> Factory:
    code = "haproxy/annotation-not-converted"
    return lambda key: handler("IMPL", "reported", reported(key, code, message, severity),
                               "nothing (reported)", (code,), message)


def _param(main: str) -> Factory:
    return lambda key: handler("IMPL", "intent", noop, f"read with {main}", (),
                               f"Parameter of {main}.")


def _deny(code: str) -> Factory:
    return lambda key: handler("NONE", "blocked", denied(key, code, WHY[code], ("",)),
                               FAIL_CLOSED, (code,), WHY[code])


def _h(level: Level, disposition: Disposition, make: Callable[[str], Apply], emits: str,
       codes: tuple[str, ...] = (), caveat: str = "", intent: type | None = None) -> Factory:
    return lambda key: handler(level, disposition, make(key), emits, codes, caveat, intent)


def _cidrs(value: str) -> tuple[str, ...] | None:
    try:
        return tuple(str(ip_network(v.strip(), strict=False))
                     for v in re.split(r"[,\s]+", value) if v.strip())
    except ValueError:
        return None


def _ip(allow: bool) -> Factory:
    def make(key: str) -> Apply:
        def apply(value: str, conv: Conversion, ctx: Context) -> None:
            cidrs = _cidrs(value)
            if cidrs is None:
                block(conv, key, "haproxy/invalid-value", f"{key} must be a list of CIDRs")
                return
            route_intent(conv, IPAccess(cidrs if allow else (), () if allow else cidrs,
                                        prov(key, IP_ACL, WHY[IP_ACL])))

        return apply

    return _h("IMPL", "intent", make, "IPAccess intent; elsewhere " + FAIL_CLOSED, (IP_ACL,),
              WHY[IP_ACL], IPAccess)


def _family(key: str) -> str:
    return "org" if key.startswith(ORG_FAMILY) else "hi"


def _basic(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip() not in ("basic-auth", "basic"):
            block(conv, key, "haproxy/invalid-value", f"{key}={value[:30]!r} is not basic-auth")
            return
        secret = _first(conv, _family(key), "auth-secret")
        realm = _first(conv, _family(key), "auth-realm")
        if secret is None:
            block(conv, key, "haproxy/invalid-value", f"{key} needs auth-secret")
            return
        route_intent(conv, BasicAuth(secret[1].strip(), realm[1] if realm else None, "auth-file",
                                     prov(key, AUTH, WHY[AUTH])))

    return apply


def _rate(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        n = parse_int(value)
        period = _first(conv, "org", "rate-limit-period")
        unit = {"1s": "Second", "1m": "Minute"}.get((period[1] if period else "1s").strip())
        if n is not None and n > 0 and unit == "Second":
            route_intent(conv, RateLimit(n, "Second", None, prov(key, RATE, WHY[RATE])))
        elif n is not None and n > 0 and unit == "Minute":
            route_intent(conv, RateLimit(n, "Minute", None, prov(key, RATE, WHY[RATE])))
        else:
            route_intent(conv, Opaque("haproxy", "rate-limit", value.strip(),
                                      prov(key, RATE, WHY[RATE])))

    return apply


def _path_rewrite(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        parts = value.split()
        if len(parts) not in (1, 2):
            block(conv, key, "haproxy/invalid-value", f"{key} must be '<path>' or "
                  "'<regex> <replacement>'")
            return
        for rule in backend_rules(conv):
            if len(parts) == 1:
                merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                           "replaceFullPath": parts[0]}})
                continue
            m = re.fullmatch(r"\^?(/[A-Za-z0-9._~\-/]*?)/?\(\.\*\)\$?", parts[0])
            m0 = rule.matches[0] if len(rule.matches) == 1 else None
            if m and parts[1].endswith("\\1") and "\\" not in parts[1][:-2] and m0 is not None \
                    and m0.path_type == "PathPrefix" and (m0.path or "/").rstrip("/") == \
                    m.group(1).rstrip("/"):
                merge_filter(rule, "URLRewrite", {"path": {
                    "type": "ReplacePrefixMatch",
                    "replacePrefixMatch": parts[1][:-2].rstrip("/") or "/"}})
                # HAProxy's replace-path leaves a path the regex does not match unchanged:
                # the bare prefix ('/app' for '^/app/(.*)') goes upstream as is, while
                # ReplacePrefixMatch rewrites it too.
                bare = (m0.path or "/").rstrip("/") or "/"
                if not _regex_matches(parts[0], bare):
                    say(conv, key, warning, UNMATCHED,
                        f"{key}: {parts[0]!r} does not match the bare prefix "
                        f"{bare!r}, which HAProxy sends upstream unchanged; the "
                        f"URLRewrite ReplacePrefixMatch rewrites it too")
            else:
                rule.intents.append(RegexRewrite(parts[0], parts[1],
                                                 prov(key, REWRITE, WHY[REWRITE])))

    return apply


def _regex_matches(regex: str, path: str) -> bool:
    """Whether HAProxy's replace-path regex (unanchored search) matches ``path``."""
    try:
        return re.search(regex, path) is not None
    except re.error:
        return False


def _rewrite_target(key: str) -> Apply:
    """HAProxy Ingress replaces the matched path prefix with the target."""
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        target = value.strip() or "/"
        for rule in backend_rules(conv):
            m0 = rule.matches[0] if rule.matches else None
            if m0 is not None and m0.path_type == "PathPrefix":
                merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                           "replacePrefixMatch": target}})
            else:
                merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                           "replaceFullPath": target}})

    return apply


def _set_host(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        for rule in backend_rules(conv):
            merge_filter(rule, "URLRewrite", {"hostname": value.strip().lower()})

    return apply


def _headers(ftype: str) -> Callable[[str], Apply]:
    def make(key: str) -> Apply:
        def apply(value: str, conv: Conversion, ctx: Context) -> None:
            for line in (ln.strip() for ln in value.splitlines()):
                if not line:
                    continue
                name, _, val = line.partition(" ")
                if "%[" in val or not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}", name):
                    say(conv, key, warning, "haproxy/header-expression",
                        f"{key}: {line[:60]!r} uses an HAProxy expression; not set")
                    continue
                for rule in backend_rules(conv):
                    set_header(rule, ftype, name, val.strip().strip('"'))

        return apply

    return make


def _timeout(part: str) -> Factory:
    def make(key: str) -> Apply:
        def apply(value: str, conv: Conversion, ctx: Context) -> None:
            v = value.strip()
            secs = parse_seconds(v) if not v.endswith(("ms", "m", "h")) else None
            if secs is None:
                say(conv, key, warning, "haproxy/invalid-value", f"{key}={v[:20]!r}: only whole "
                    "seconds convert; not converted")
                return
            parts: dict[str, int | None] = {"connect": None, "read": None, "send": None}
            parts[part] = secs
            route_intent(conv, ProxyTimeouts(parts["connect"], parts["read"], parts["send"],
                                             prov(key, SETTING, WHY[SETTING], security=False)))

        return apply

    return _h("IMPL", "intent", make, "ProxyTimeouts intent", (SETTING,), intent=ProxyTimeouts)


def _server_ssl(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        v = value.strip().lower()
        if parse_bool(value) is not True and v not in ("h1-ssl", "h2-ssl", "https"):
            return
        ca = _first(conv, "org", "server-ca") or _first(conv, "hi", "secure-verify-ca-secret")
        for rule in backend_rules(conv):
            for b in rule.backends:
                rule.intents.append(BackendTLS(b.name, b.port, None, ca[1] if ca else None,
                                               ca is not None, None, prov(key, TLS, WHY[TLS])))

    return apply


def _cookie(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        route_intent(conv, CookieAffinity(value.strip(), None, None, None, None,
                                          prov(key, SETTING, WHY[SETTING], security=False)))

    return apply


def _ssl_passthrough(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if parse_bool(value) is True:
            block(conv, key, PASSTHROUGH, f"{key}: {WHY[PASSTHROUGH]}")

    return apply


def _auth_url(key: str) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        route_intent(conv, ExternalAuth(value.strip(), None, (), (), None, None,
                                        prov(key, AUTH, WHY[AUTH])))

    return apply


_REPORTED = {
    "load-balance": "the balancing algorithm is the implementation's",
    "balance-algorithm": "the balancing algorithm is the implementation's",
    "check": "health checks are the implementation's",
    "check-interval": "health checks are the implementation's",
    "check-http": "health checks are the implementation's",
    "forwarded-for": "X-Forwarded-For is the implementation's",
    "pod-maxconn": "connection limits per pod are the implementation's",
    "timeout-client": "client timeouts are listener settings of the implementation",
    "timeout-tunnel": "tunnel timeouts are the implementation's",
    "timeout-queue": "queue timeouts are the implementation's",
    "timeout-check": "health checks are the implementation's",
    "send-proxy-protocol": "PROXY protocol to backends is the implementation's",
    "src-ip-header": "the client address source is the implementation's",
    "scale-server-slots": "server slots are the implementation's",
    "standalone-backend": "backends are per route in Gateway API",
    "server-proto": "the upstream protocol follows Service appProtocol (kubernetes.io/h2c)",
    "server-crt": "a client certificate for backends needs Gateway tls.backend",
    "timeout-http-request": "request header timeouts are listener settings",
    "timeout-keep-alive": "keep-alive timeouts are the implementation's",
    "hsts": "Strict-Transport-Security: set it with response-set-header",
    "hsts-max-age": "Strict-Transport-Security: set it with response-set-header",
    "hsts-include-subdomains": "Strict-Transport-Security: set it with response-set-header",
    "hsts-preload": "Strict-Transport-Security: set it with response-set-header",
}
# CORS makes browsers more permissive, never less: losing it breaks cross-origin clients
# (a warning), it opens nothing.
_CORS = {n: "CORS needs the CORS filter on the route (not converted yet)" for n in (
    "cors-enable", "cors-allow-origin", "cors-allow-methods", "cors-allow-headers",
    "cors-allow-credentials", "cors-max-age", "cors-expose-headers")}
_BASIC = _h("IMPL", "intent", _basic, "BasicAuth intent; elsewhere " + FAIL_CLOSED, (AUTH,),
            WHY[AUTH], BasicAuth)
_TLS = _h("STD", "intent", _server_ssl, "BackendTLS intent (a CA verifies); elsewhere "
          + FAIL_CLOSED, (TLS,), WHY[TLS], BackendTLS)
_PASS = _h("STD", "blocked", _ssl_passthrough, FAIL_CLOSED, (PASSTHROUGH,), WHY[PASSTHROUGH])

ORG_SPECS: dict[str, Factory] = {
    "ssl-redirect": _h("STD", "converted", lambda k: noop,
        "true (default when spec.tls is set): HTTP listeners of TLS hosts -> "
        "`<route>-redirect` RequestRedirect https (ssl-redirect-code, default 302; "
        "ssl-redirect-port)", ("haproxy/invalid-value", "haproxy/ssl-redirect-scope"),
        "Default on for an Ingress with spec.tls, else off. HAProxy redirects only the "
        "Ingress's own paths; the redirect route covers every path of its hosts."),
    "ssl-redirect-code": _param("ssl-redirect"),
    "ssl-redirect-port": _param("ssl-redirect"),
    "allow-list": _ip(True),
    "whitelist": _ip(True),
    "deny-list": _ip(False),
    "blacklist": _ip(False),
    "path-rewrite": _h("STD", "approximated", _path_rewrite,
        "one path -> ReplaceFullPath; `^/p/(.*) /q/\\1` -> ReplacePrefixMatch; other regexes -> "
        "RegexRewrite intent (fail closed elsewhere)", (REWRITE, UNMATCHED, "haproxy/invalid-value")),
    "set-host": _h("STD", "converted", _set_host, "URLRewrite hostname"),
    "request-set-header": _h("STD", "converted", _headers("RequestHeaderModifier"),
        "RequestHeaderModifier set", ("haproxy/header-expression",)),
    "response-set-header": _h("STD", "converted", _headers("ResponseHeaderModifier"),
        "ResponseHeaderModifier set", ("haproxy/header-expression",)),
    "timeout-server": _timeout("read"),
    "timeout-connect": _timeout("connect"),
    "auth-type": _BASIC,
    "auth-secret": _param("auth-type"),
    "auth-realm": _param("auth-type"),
    "rate-limit-requests": _h("IMPL", "intent", _rate,
        "RateLimit intent per client; elsewhere " + FAIL_CLOSED, (RATE,), WHY[RATE], RateLimit),
    "rate-limit-period": _param("rate-limit-requests"),
    "rate-limit-size": _param("rate-limit-requests"),
    "rate-limit-status-code": _param("rate-limit-requests"),
    "server-ssl": _TLS,
    "server-ca": _param("server-ssl"),
    "ssl-passthrough": _PASS,
    "cookie-persistence": _h("EXP", "intent", _cookie, "CookieAffinity intent "
                             "(sessionPersistence)", (SETTING,), intent=CookieAffinity),
    "backend-config-snippet": _deny(SNIPPET),
    "frontend-config-snippet": _deny(SNIPPET),
    "route-acl": _deny(SNIPPET),
    **{n: _r(m) for n, m in _REPORTED.items()},
    **{n: _r(m, "warning") for n, m in _CORS.items()},
}
HI_SPECS: dict[str, Factory] = {
    "ssl-redirect": _h("STD", "converted", lambda k: noop,
        "default on: HTTP listeners of TLS hosts -> `<route>-redirect` RequestRedirect https "
        "(always 302: ssl-redirect-code is a global ConfigMap key)",
        ("haproxy/invalid-value", "haproxy/ssl-redirect-scope", "haproxy/ssl-redirect-code-global"),
        "HAProxy Ingress redirects only the Ingress's own paths; the redirect route covers "
        "every path of its hosts."),
    "ssl-redirect-code": _param("ssl-redirect"),
    "allowlist-source-range": _ip(True),
    "whitelist-source-range": _ip(True),
    "denylist-source-range": _ip(False),
    "auth-type": _BASIC,
    "auth-secret": _param("auth-type"),
    "auth-realm": _param("auth-type"),
    "auth-url": _h("EXP", "intent", _auth_url, "ExternalAuth intent; elsewhere " + FAIL_CLOSED,
                   (AUTH,), WHY[AUTH], ExternalAuth),
    **{n: _param("auth-url") for n in ("auth-signin", "auth-method", "auth-headers-request",
                                       "auth-headers-succeed", "auth-headers-fail")},
    "auth-tls-secret": _deny(AUTH),
    "auth-tls-verify-client": _param("auth-tls-secret"),
    "auth-tls-strict": _param("auth-tls-secret"),
    "rewrite-target": _h("STD", "converted", _rewrite_target,
        "URLRewrite ReplacePrefixMatch (the matched prefix is replaced)"),
    "backend-protocol": _h("STD", "intent", _server_ssl, "h1-ssl/h2-ssl -> BackendTLS intent; "
                           "elsewhere " + FAIL_CLOSED, (TLS,), WHY[TLS], BackendTLS),
    "secure-verify-ca-secret": _param("backend-protocol"),
    "ssl-passthrough": _PASS,
    "affinity": _r("session affinity is experimental (sessionPersistence); not converted",
                   "warning"),
    **{f"session-cookie-{n}": _param("affinity") for n in (
        "name", "dynamic", "keywords", "preserve", "same-site", "shared", "strategy",
        "value-strategy")},
    "timeout-server": _timeout("read"),
    "timeout-connect": _timeout("connect"),
    "app-root": _r("a root redirect; not converted for HAProxy Ingress yet", "warning"),
    **{n: _deny(SNIPPET) for n in ("config-backend", "config-frontend", "config-defaults",
                                   "config-global", "config-sections", "config-tcp",
                                   "config-proxy")},
    **{n: _r(m) for n, m in _REPORTED.items()},
    **{n: _r(m, "warning") for n, m in _CORS.items()},
}

TABLE: dict[str, Handler] = {
    **{p + n: f(p + n) for p in ORG_FAMILY for n, f in ORG_SPECS.items()},
    **{HI + n: f(HI + n) for n, f in HI_SPECS.items()},
    # The legacy prefix is shared with other controllers: only these names are read.
    **{LEGACY + n: f(LEGACY + n) for n, f in HI_SPECS.items()},
}


def _name_of(key: str) -> str | None:
    if key.startswith((*ORG_FAMILY, HI)):
        return key
    return key if key in TABLE else None


def supported() -> list[str]:
    from gwshift.handlers._table import supported as derived

    return derived(TABLE)


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        run_table(conv, ctx, TABLE, _name_of, "haproxy/unknown-annotation", "HAProxy")
        if conv.blocked:
            continue
        keys = [k for k, _ in conv.source.annotations]
        family = "org" if any(k.startswith(ORG_FAMILY) for k in keys) else "hi"
        found = _first(conv, family, "ssl-redirect")
        # HAProxy Technologies redirects an Ingress with a spec.tls section unless told
        # otherwise (pkg/annotations/ingress/httpsRedirect.go); HAProxy Ingress always
        # redirects TLS hosts by default.
        on = parse_bool(found[1]) if found else (family == "hi" or bool(conv.tls))
        if on is None and found is not None:
            block(conv, found[0], "haproxy/invalid-value", f"{found[0]} must be a boolean")
            continue
        if not on:
            continue
        code = _ssl_redirect_code(conv, family)
        if code is None:
            block(conv, found[0] if found else "ssl-redirect-code", "haproxy/invalid-value",
                  "ssl-redirect-code must be 301, 302, 303, 307 or 308")
            continue
        port_found = _first(conv, family, "ssl-redirect-port")
        port = parse_int(port_found[1]) if port_found else None
        before = sum(r.suffix.endswith("redirect") for r in conv.routes)
        redirect_http(conv, lambda h, c=conv: has_tls(c, ctx, h), code,  # type: ignore[misc]
                      afield(found[0]) if found else "spec.tls", port)
        added = sum(r.suffix.endswith("redirect") for r in conv.routes) > before
        if added and not _catch_all(conv):
            conv.note(warning(SCOPE, "HAProxy redirects HTTP to HTTPS only for requests that "
                              "match this Ingress's paths (others get the default backend); "
                              "the redirect route redirects every path of its hosts",
                              field=afield(found[0]) if found else "spec.tls"))


def _catch_all(conv: Conversion) -> bool:
    """Whether the Ingress's own paths match every path (a Prefix '/' rule)."""
    return any(m.path_type == "PathPrefix" and (m.path or "/") == "/"
               for r in conv.routes if not r.suffix.endswith("redirect")
               for rule in r.rules for m in rule.matches)


def _ssl_redirect_code(conv: Conversion, family: str) -> int | None:
    found = _first(conv, family, "ssl-redirect-code")
    if family == "hi" and found is not None:
        # HAProxy Ingress reads ssl-redirect-code from the global ConfigMap only (keys.md
        # "Scope": global keys are ignored elsewhere): the redirect stays 302.
        say(conv, found[0], info, CODE_GLOBAL, f"{found[0]} is a global ConfigMap key that "
            "HAProxy Ingress ignores in Ingress annotations; the redirect stays 302")
        return 302
    code = parse_int(found[1]) if found else 302
    return code if code in (301, 302, 303, 307, 308) else None


DIALECT = Dialect(name="haproxy", refine=refine, table=TABLE)

__all__ = ["DIALECT", "TABLE", "WHY", "supported"]
