"""ssl-redirect (default on), force-ssl-redirect, fixed-URL redirects, app-root, www redirects.

nginx runs ``return`` (permanent/temporal redirect, app-root) in the rewrite phase, before
the Lua HTTPS redirect; so rules that already redirect are copied unchanged onto HTTP.
"""

from __future__ import annotations

import copy

from gwshift.context import Context
from gwshift.handlers._ir import source_hosts
from gwshift.handlers._values import parse_bool, parse_int
from gwshift.handlers.nginx._common import (
    ann,
    field,
    has_filter,
    make_redirect_rule,
    rules,
    say,
)
from gwshift.handlers.nginx.rewrite import hosts_of, is_canary
from gwshift.model import HTTP, HTTPS, Conversion, ListenerKey, Match, Route, Rule
from gwshift.names import slug
from gwshift.notes import error, info, warning

GATEWAY_CODES = (301, 302, 303, 307, 308)
HTTPS_REDIRECT = {"scheme": "https", "statusCode": 308}


# --- ssl-redirect / force-ssl-redirect (stream pass, after every per-Ingress handler) ----


def apply_ssl_redirects(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        if conv.blocked or is_canary(conv, ctx):
            continue
        ssl = parse_bool(ann(conv, ctx, "ssl-redirect"))
        force = parse_bool(ann(conv, ctx, "force-ssl-redirect")) is True
        _unlisted_tls_hosts(conv, ctx, ssl is not False)
        extra: list[Route] = []
        for route in conv.routes:
            if route.kind == "TLSRoute" or route.suffix.endswith("www-redirect"):
                continue
            hosts = [h for h in hosts_of(route)
                     if force or (ssl is not False and _has_tls(conv, ctx, h))]
            if hosts:
                extra.extend(_redirect_http(conv, ctx, route, hosts, force))
        conv.routes.extend(extra)


def _unlisted_tls_hosts(conv: Conversion, ctx: Context, redirect: bool) -> None:
    """ingress-nginx gives every rule host of an Ingress with a tls section a certificate
    (``createServers``/``extractTLSSecretName``): the Secret of the entry listing it, else a
    listed Secret whose certificate names it, else the controller's default certificate;
    and ssl-redirect redirects it. A Gateway HTTPS listener needs a certificate (a Secret or
    implementation options), and gwshift cannot read certificates or the default one: such
    a host is served on HTTP only, without the redirect. Hostless rules are not redirected
    by nginx either (the catch-all server), so they are not named here."""
    if conv.source.kind != "Ingress" or not conv.ingress.tls:
        return
    hosts = sorted(h for h in source_hosts(conv) if not ctx.host_has_tls(conv, h))
    if not hosts:
        return
    them = "it" if len(hosts) == 1 else "them"
    conv.note(warning("ingress/tls-host-not-listed",
                      f"{', '.join(hosts)}: rule host{'s' if len(hosts) > 1 else ''} of this "
                      "Ingress, which has a tls section, but no TLS entry lists "
                      f"{them}: ingress-nginx served {them} over HTTPS with its default "
                      "certificate (or a listed Secret whose certificate names "
                      f"{them}){' and redirected HTTP to HTTPS' if redirect else ''}; a Gateway "
                      "HTTPS listener needs a certificate, so "
                      f"{them} {'is' if len(hosts) == 1 else 'are'} served on HTTP only"
                      f"{', without the redirect' if redirect else ''}: list "
                      f"{them} in spec.tls with a Secret whose certificate covers "
                      f"{them}", field="spec.tls"))


def _has_tls(conv: Conversion, ctx: Context, host: str | None) -> bool:
    if host is None:
        return any(not t.hosts for t in conv.tls)
    return ctx.host_has_tls(conv, host)


def _redirect_http(conv: Conversion, ctx: Context, route: Route, hosts: list[str | None],
                   force: bool) -> list[Route]:
    # Sets, not list membership: one Ingress may list thousands of TLS hosts (issue 19).
    listening = set(route.listeners)
    no_cert = [h for h in hosts if ListenerKey(h, HTTPS) in listening
               and h is not None and not ctx.tls_secrets_for(conv, h)]
    if no_cert:
        conv.note(warning("nginx/ssl-redirect-no-certificate",
                          f"nginx redirected HTTP to HTTPS for {', '.join(map(str, no_cert))}, but "
                          "no certificate Secret for it reaches the Gateway (TLS only on a kept "
                          "Ingress, or without secretName): served on HTTP instead"))
        dropped = set(no_cert)
        route.listeners = [lk for lk in route.listeners
                           if not (lk.protocol == HTTPS and lk.hostname in dropped)]
        listening = set(route.listeners)
    no_tls = [h for h in hosts if ListenerKey(h, HTTPS) not in listening]
    without = set(no_tls)
    hosts = [h for h in hosts if h not in without]
    if no_tls and force:
        _forwarded_proto_redirect(conv, ctx, route, no_tls)
    if not hosts:
        return []
    redirected = set(hosts)
    route.listeners = [lk for lk in route.listeners
                       if not (lk.protocol == HTTP and lk.hostname in redirected)]
    if route.kind != "HTTPRoute":
        conv.note(info("nginx/ssl-redirect-grpc",
                       f"{route.kind} on {', '.join(h or '(any)' for h in hosts)} is served on "
                       "HTTPS only (nginx answered plaintext calls with a redirect)"))
        return []
    rules_ = [_redirect_copy(r) for r in route.rules]
    suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
    return [Route("HTTPRoute", suffix, [h for h in hosts if h is not None], rules_,
                  [ListenerKey(h, HTTP) for h in hosts], source=route.source)]


def _forwarded_proto_redirect(conv: Conversion, ctx: Context, route: Route,
                              hosts: list[str | None]) -> None:
    """force-ssl-redirect on a host without TLS: TLS ends in front of the Gateway.

    nginx redirected when ``$pass_access_scheme`` was http (X-Forwarded-Proto with
    use-forwarded-headers, else the connection scheme). The route stays on HTTP; rules
    matching ``X-Forwarded-Proto: http`` redirect (more header matches take precedence).
    """
    say(conv, ctx, "force-ssl-redirect", warning, "nginx/force-ssl-redirect-without-tls",
        f"{', '.join(h or '(any)' for h in hosts)} has no TLS: requests with "
        "X-Forwarded-Proto: http are redirected to HTTPS, others are served; nginx without "
        "use-forwarded-headers redirected every plain-HTTP request (check what your "
        "implementation does with X-Forwarded-Proto)")
    if route.kind != "HTTPRoute":
        return
    extra = []
    for rule in route.rules:
        if has_filter(rule, "RequestRedirect"):
            continue
        new = _redirect_copy(rule)
        for m in new.matches:
            m.headers = [h for h in m.headers if h["name"].lower() != "x-forwarded-proto"]
            m.headers.append({"name": "X-Forwarded-Proto", "value": "http"})
        extra.append(new)
    route.rules[:0] = extra


def _redirect_copy(rule: Rule) -> Rule:
    if has_filter(rule, "RequestRedirect"):
        return copy.deepcopy(rule)
    return Rule(matches=[m.copy() for m in rule.matches], backends=[], source=rule.source,
                filters=[{"type": "RequestRedirect", "requestRedirect": dict(HTTPS_REDIRECT)}],
                name=rule.name)


def ssl_redirect(value: str, conv: Conversion, ctx: Context) -> None:
    _check_bool(conv, ctx, "ssl-redirect", value, "true")


def force_ssl_redirect(value: str, conv: Conversion, ctx: Context) -> None:
    _check_bool(conv, ctx, "force-ssl-redirect", value, "false")


def _check_bool(conv: Conversion, ctx: Context, name: str, value: str, default: str) -> None:
    if parse_bool(value) is None:
        say(conv, ctx, name, warning, "nginx/invalid-value",
            f"{value!r} is not a boolean; nginx uses its default ({default})")


# --- permanent-redirect / temporal-redirect --------------------------------------------


def permanent_redirect(value: str, conv: Conversion, ctx: Context) -> None:
    if ann(conv, ctx, "temporal-redirect"):
        say(conv, ctx, "permanent-redirect", warning, "nginx/redirect-both",
            "ignored: temporal-redirect takes precedence (as in nginx)")
        return
    _fixed_redirect(conv, ctx, "permanent-redirect", value, 301, range(300, 309))


def temporal_redirect(value: str, conv: Conversion, ctx: Context) -> None:
    _fixed_redirect(conv, ctx, "temporal-redirect", value, 302, range(300, 308))


def redirect_code(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by the redirect handlers; alone it does nothing (as in nginx)."""


def _fixed_redirect(conv: Conversion, ctx: Context, name: str, url: str, default: int,
                    accepted: range) -> None:
    if not url:
        return
    code = _code(conv, ctx, f"{name}-code", default, accepted)
    redirect = _parse_target(conv, ctx, name, url)
    if code is None or redirect is None:
        return
    redirect["statusCode"] = code
    for rule in rules(conv):
        make_redirect_rule(rule, dict(redirect))
    say(conv, ctx, name, info, "nginx/redirect-query",
        "nginx's Location is the literal URL; the Gateway also carries the request's "
        "query string over")


def _code(conv: Conversion, ctx: Context, name: str, default: int, accepted: range) -> int | None:
    raw = ann(conv, ctx, name)
    if raw is None:
        return default
    code = parse_int(raw)
    if code is None or code not in accepted:
        say(conv, ctx, name, warning, "nginx/invalid-value",
            f"{raw!r} is not accepted by nginx; it uses {default}")
        return default
    if code not in GATEWAY_CODES:
        conv.block(error("nginx/redirect-code-unsupported",
                         f"status {code} cannot be expressed (Gateway API allows "
                         f"{', '.join(map(str, GATEWAY_CODES))}); the Ingress is kept",
                         field=field(ctx, name)))
        return None
    return code


def _parse_target(conv: Conversion, ctx: Context, name: str, url: str) -> dict[str, object] | None:
    keep_path = url.endswith("$request_uri")
    base = url[: -len("$request_uri")] if keep_path else url
    from urllib.parse import urlsplit  # only with a redirect annotation: start-up

    parts = urlsplit(base)
    if "$" in base or (parts.scheme and parts.scheme not in ("http", "https")):
        conv.block(error("nginx/redirect-target-unsupported",
                         f"redirect target {url!r} uses nginx variables or a scheme Gateway API "
                         "RequestRedirect cannot express; the Ingress is kept",
                         field=field(ctx, name)))
        return None
    out: dict[str, object] = {}
    if parts.scheme:
        out["scheme"] = parts.scheme
    if parts.hostname:
        out["hostname"] = parts.hostname
    if parts.port:
        out["port"] = parts.port
    if parts.query or parts.fragment:
        say(conv, ctx, name, warning, "nginx/redirect-query-dropped",
            f"the query/fragment of {url!r} cannot be set by RequestRedirect and is dropped")
    if not keep_path:
        out["path"] = {"type": "ReplaceFullPath", "replaceFullPath": parts.path or "/"}
    return out


# --- app-root ------------------------------------------------------------------------------


def app_root(value: str, conv: Conversion, ctx: Context) -> None:
    """nginx: server-level ``if ($uri = /) { return 302 $scheme://$http_host<app-root>; }``.

    Server level: it runs before location matching, so it applies to ``/`` of the host even
    when no path of the Ingress serves ``/``; an Exact ``/`` rule outranks other routes.
    """
    if not value.startswith("/") or "$" in value:
        say(conv, ctx, "app-root", warning, "nginx/invalid-value",
            f"{value!r} is not a path; nginx ignores it")
        return
    for route in conv.routes:
        if route.kind != "HTTPRoute":
            continue
        exact = [r for r in route.rules if len(r.matches) == 1 and not r.matches[0].headers
                 and r.matches[0].path_type == "Exact" and r.matches[0].path == "/"]
        rule = exact[0] if exact else Rule([Match("Exact", "/")], [], source=field(ctx, "app-root"))
        make_redirect_rule(rule, {"path": {"type": "ReplaceFullPath", "replaceFullPath": value},
                                  "statusCode": 302})
        if not exact:
            route.rules.insert(0, rule)
    say(conv, ctx, "app-root", info, "nginx/app-root-query",
        f"requests for '/' redirect to {value!r} keeping their query string (a Gateway "
        "RequestRedirect always does); nginx's 'return 302' dropped it")


# --- from-to-www-redirect -----------------------------------------------------------------


def from_to_www_redirect(value: str, conv: Conversion, ctx: Context) -> None:
    if parse_bool(value) is not True:
        return
    taken = {h for c in ctx.conversions if ctx.same_group(c, conv) for h in source_hosts(c)}
    for host in sorted({h for route in conv.routes for h in route.hostnames}):
        if host.startswith("*."):
            continue
        other = host[4:] if host.startswith("www.") else f"www.{host}"
        if other in taken:
            say(conv, ctx, "from-to-www-redirect", info, "nginx/www-redirect-skipped",
                f"{other} is served by an Ingress, so nginx does not redirect it to {host}")
            continue
        listeners = [ListenerKey(other, HTTP)]
        if ctx.host_has_tls(conv, other):
            listeners.append(ListenerKey(other, HTTPS))
        else:
            say(conv, ctx, "from-to-www-redirect", warning, "nginx/www-redirect-no-tls",
                f"no TLS entry covers {other}: only http://{other} is redirected to {host}")
        rule = Rule([Match()], [], source=field(ctx, "from-to-www-redirect"),
                    filters=[{"type": "RequestRedirect",
                              "requestRedirect": {"hostname": host, "statusCode": 308}}])
        conv.routes.append(Route("HTTPRoute", f"{slug(other)}-www-redirect", [other], [rule],
                                 listeners))

