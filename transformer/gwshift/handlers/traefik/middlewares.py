"""Traefik Middlewares (``router.middlewares`` on an Ingress, ``middlewares`` of an
IngressRoute route): portable kinds become Gateway API filters or policy intents, the rest
an ``ExtensionRef`` intent to the Middleware (expressible only by a Traefik target).

A Middleware can only be translated when it is in the stream; one that is not may be
anything (authentication included), so it becomes a security ExtensionRef: it fails closed
unless the target attaches it. The Middleware documents themselves pass through untouched.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from gwshift.context import Context
from gwshift.handlers._ir import backend_rules, make_redirect_rule, merge_filter, service_url
from gwshift.handlers._values import parse_csv, parse_port
from gwshift.handlers.traefik._common import GROUP, LEGACY_GROUP, fail_closed, seq, show
from gwshift.intents import (
    BasicAuth,
    ExtensionRef,
    ExternalAuth,
    Intent,
    IPAccess,
    Provenance,
    RateLimit,
    ServiceRef,
)
from gwshift.model import HTTP, HTTPS, Conversion, Route, Rule, mapping
from gwshift.notes import error, info, warning

CODE = "traefik/middleware"  # a Middleware left as an ExtensionRef (security: fail closed)
CODE_DROPPED = "traefik/middleware-dropped"  # the same for a kind that controls no access
INVALID = "traefik/invalid-value"  # a value Traefik cannot apply as written: kept, never dropped
MAX_CHAIN = 8
# Kinds that control no access: not expressed -> a warning, not fail closed.
HARMLESS = frozenset({
    "compress", "buffering", "retry", "contentType", "circuitBreaker", "grpcWeb",
    "redirectRegex", "replacePathRegex", "stripPrefixRegex", "errors", "passTLSClientCert",
    "encodedCharacters",
})
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
_ORIGIN = re.compile(r"^(\*|https?://(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                     r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?)$")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
# headers middleware fields that are static response headers
_STATIC = {
    "contentSecurityPolicy": "Content-Security-Policy",
    "contentSecurityPolicyReportOnly": "Content-Security-Policy-Report-Only",
    "referrerPolicy": "Referrer-Policy",
    "permissionsPolicy": "Permissions-Policy",
    "featurePolicy": "Feature-Policy",
    "customFrameOptionsValue": "X-Frame-Options",
    "customBrowserXSSValue": "X-XSS-Protection",
}
_CORS = ("accessControlAllowOriginList", "accessControlAllowMethods",
         "accessControlAllowHeaders", "accessControlExposeHeaders",
         "accessControlAllowCredentials", "accessControlMaxAge")
_HEADERS_KNOWN = frozenset({
    "customRequestHeaders", "customResponseHeaders", "frameDeny", "contentTypeNosniff",
    "browserXssFilter", "stsSeconds", "stsIncludeSubdomains", "stsPreload", "forceSTSHeader",
    "addVaryHeader", *_STATIC, *_CORS,
})


class MiddlewareRef(NamedTuple):
    text: str  # as written
    namespace: str | None
    name: str
    provider: str  # "kubernetescrd", "" (none written) or another provider
    obj: dict[str, Any] | None  # the Middleware, when it is in the stream


@dataclass
class Effects:
    """What a run of portable middlewares does, in order."""

    path_ops: list[tuple[str, Any]] = field(default_factory=list)
    req_set: list[tuple[str, str]] = field(default_factory=list)
    req_remove: list[str] = field(default_factory=list)
    resp_set: list[tuple[str, str]] = field(default_factory=list)
    resp_remove: list[str] = field(default_factory=list)
    cors: dict[str, Any] | None = None
    redirect: dict[str, Any] | None = None
    intents: list[Intent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # info notes (what differs slightly)

    def extend(self, other: Effects) -> None:
        self.path_ops += other.path_ops
        self.req_set += other.req_set
        self.req_remove += other.req_remove
        self.resp_set += other.resp_set
        self.resp_remove += other.resp_remove
        self.cors = other.cors or self.cors
        self.redirect = self.redirect or other.redirect
        self.intents += other.intents
        self.notes += other.notes


class Origin(NamedTuple):
    """Where the middleware list was written (provenance of notes and intents)."""

    key: str  # annotation key or spec path
    field: str  # note field


# --- resolving references --------------------------------------------------------------------


def _find(ctx: Context, ns: str | None, name: str) -> dict[str, Any] | None:
    obj = ctx.find("Middleware", ns, name)
    if obj is None:
        return None
    api = str(obj.get("apiVersion", ""))
    return obj if api.split("/")[0] in (GROUP, LEGACY_GROUP) else None


def resolve_annotation_ref(text: str, conv: Conversion, ctx: Context) -> MiddlewareRef:
    """``<namespace>-<name>@kubernetescrd``: namespace and name are joined by '-', so every
    split is tried against the stream; without a match the source's namespace is assumed."""
    base, _, provider = text.partition("@")
    if provider != "kubernetescrd":
        return MiddlewareRef(text, None, base, provider, None)
    for m in re.finditer("-", base):
        ns, name = base[: m.start()], base[m.end():]
        obj = _find(ctx, ns, name) if ns and name else None
        if obj is not None:
            return MiddlewareRef(text, ns, name, provider, obj)
    own = ctx.namespace_of(conv.source.namespace)
    if own and base.startswith(own + "-") and len(base) > len(own) + 1:
        return MiddlewareRef(text, own, base[len(own) + 1:], provider, None)
    ns, _, name = base.partition("-")
    return MiddlewareRef(text, ns if name else None, name or base, provider, None)


def resolve_crd_ref(name: str, namespace: str | None, conv: Conversion,
                    ctx: Context) -> MiddlewareRef:
    """An IngressRoute's ``{name, namespace}`` (name may carry ``@provider``)."""
    base, _, provider = name.partition("@")
    if provider and provider != "kubernetescrd":
        return MiddlewareRef(name, None, base, provider, None)
    ns = namespace or conv.source.namespace
    return MiddlewareRef(name, ns, base, "kubernetescrd", _find(ctx, ns, base))


# --- translating one Middleware --------------------------------------------------------------


class NotPortable(Exception):
    """``code``: the note code when it is not the default (``CODE``/``CODE_DROPPED``)."""

    def __init__(self, reason: str, security: bool = True, code: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.security = security
        self.code = code


def translate(ref: MiddlewareRef, conv: Conversion, ctx: Context, origin: Origin,
              depth: int = 0) -> Effects:
    """Effects of a Middleware in the stream; NotPortable when it must stay a Middleware."""
    assert ref.obj is not None
    spec = mapping(ref.obj.get("spec"))
    kinds = [k for k, v in spec.items() if v is not None]
    if len(kinds) != 1:
        raise NotPortable(f"it sets {len(kinds)} middleware kinds (Traefik expects one)")
    kind = kinds[0]
    body = spec[kind]
    if not isinstance(body, dict):
        raise NotPortable(f"{kind} is not a mapping")
    fn = _KINDS.get(kind)
    if fn is None:
        raise NotPortable(f"{kind} has no portable Gateway API form", kind not in HARMLESS)
    if kind == "chain":
        return _chain(ref, body, conv, ctx, origin, depth)
    return fn(ref, body, origin)


def _chain(ref: MiddlewareRef, body: dict[str, Any], conv: Conversion, ctx: Context,
           origin: Origin, depth: int) -> Effects:
    if depth >= MAX_CHAIN:
        raise NotPortable("chains nest too deep")
    out = Effects()
    for i, item in enumerate(seq(body.get("middlewares"))):
        item = mapping(item)
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise NotPortable(f"chain.middlewares[{i}] has no name")
        ns = item.get("namespace") if isinstance(item.get("namespace"), str) else ref.namespace
        member = resolve_crd_ref(name, ns, conv, ctx)
        if member.obj is None:
            raise NotPortable(f"chain member {name} is not in the input")
        try:
            out.extend(translate(member, conv, ctx, origin, depth + 1))
        except NotPortable as exc:
            raise NotPortable(f"chain member {name}: {exc.reason}", exc.security,
                              exc.code) from None
    return out


def _redirect_scheme(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    scheme = str(body.get("scheme") or "").lower()
    if scheme not in ("http", "https"):
        raise NotPortable(f"redirectScheme scheme {scheme!r} is not http or https", False)
    redirect: dict[str, Any] = {"scheme": scheme}
    port = body.get("port")
    if port not in (None, ""):
        number = parse_port(port)
        if number is None:
            # Traefik would redirect to 'https://host:<port>/...', a URL no client follows:
            # the Middleware stays as it is (a Traefik target attaches it, the others keep the
            # source) rather than silently dropping the redirect to HTTPS.
            raise NotPortable(f"redirectScheme port {show(port)} is not a port number "
                              "(ASCII digits, 1-65535)", True, INVALID)
        redirect["port"] = number
    redirect["statusCode"] = 301 if body.get("permanent") is True else 302
    return Effects(redirect=redirect)


def _strip_prefix(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    prefixes = [p for p in seq(body.get("prefixes")) if isinstance(p, str) and p]
    if not prefixes:
        return Effects(notes=[f"Middleware {ref.text} strips no prefix; nothing to convert"])
    return Effects(path_ops=[("strip", prefixes)])


def _add_prefix(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    prefix = body.get("prefix")
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise NotPortable(f"addPrefix prefix {prefix!r} does not start with '/'", False)
    return Effects(path_ops=[("add", prefix)])


def _replace_path(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    path = body.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise NotPortable(f"replacePath path {path!r} does not start with '/'", False)
    return Effects(path_ops=[("replace", path)], notes=[
        (f"Middleware {ref.text}: Traefik also sent the original path in X-Replaced-Path; "
        "Gateway API cannot set a header from the request path")])


def _header_map(raw: Any, what: str) -> tuple[list[tuple[str, str]], list[str]]:
    sets, removes = [], []
    for name, value in sorted(mapping(raw).items()):
        if not isinstance(name, str) or not _HEADER.match(name):
            raise NotPortable(f"{what} header name {name!r} is not a valid header name", False)
        text = "" if value is None else str(value)
        if text == "":
            removes.append(name)
        else:
            sets.append((name, text))
    return sets, removes


def _headers(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    unknown = sorted(k for k, v in body.items() if k not in _HEADERS_KNOWN and v not in
                     (None, False, "", [], {}))
    if unknown:
        raise NotPortable(f"headers field(s) {', '.join(unknown)} have no portable form",
                          "allowedHosts" in unknown)
    out = Effects()
    out.req_set, out.req_remove = _header_map(body.get("customRequestHeaders"),
                                              "customRequestHeaders")
    resp_set, out.resp_remove = _header_map(body.get("customResponseHeaders"),
                                            "customResponseHeaders")
    static: dict[str, str] = {}
    if body.get("frameDeny") is True:
        static["X-Frame-Options"] = "DENY"
    if body.get("contentTypeNosniff") is True:
        static["X-Content-Type-Options"] = "nosniff"
    if body.get("browserXssFilter") is True:
        static["X-XSS-Protection"] = "1; mode=block"
    for fname, header in _STATIC.items():
        if isinstance(body.get(fname), str) and body[fname]:
            static[header] = body[fname]
    sts = body.get("stsSeconds")
    if isinstance(sts, int) and sts > 0:
        value = f"max-age={sts}"
        if body.get("stsIncludeSubdomains") is True:
            value += "; includeSubDomains"
        if body.get("stsPreload") is True:
            value += "; preload"
        static["Strict-Transport-Security"] = value
        if body.get("forceSTSHeader") is not True:
            out.notes.append(f"Middleware {ref.text}: Traefik sent Strict-Transport-Security on "
                             "HTTPS responses only; it is now set on every response of the "
                             "route (browsers ignore it over HTTP)")
    out.resp_set = sorted(static.items()) + resp_set
    if any(body.get(k) not in (None, [], "") for k in _CORS):
        out.cors = _cors(ref, body, out)
    return out


def _cors(ref: MiddlewareRef, body: dict[str, Any], out: Effects) -> dict[str, Any] | None:
    origins = [o for o in seq(body.get("accessControlAllowOriginList")) if isinstance(o, str)]
    if not origins:
        out.notes.append(f"Middleware {ref.text}: accessControl* without an origin list "
                         "allowed no cross-origin request; no CORS filter is emitted")
        return None
    bad = [o for o in origins if not _ORIGIN.match(o.lower())]
    if bad:
        raise NotPortable(f"CORS origins {bad} are not valid Gateway API origins", False)
    cors: dict[str, Any] = {"allowOrigins": ["*"] if "*" in origins else
                            [o.lower() for o in origins]}
    methods = [str(m).upper() for m in seq(body.get("accessControlAllowMethods"))]
    if methods:
        if "*" in methods:
            methods = ["*"]
        elif any(m not in METHODS for m in methods):
            raise NotPortable(f"CORS methods {methods} include a method Gateway API lacks", False)
        cors["allowMethods"] = methods
    for src, dst in (("accessControlAllowHeaders", "allowHeaders"),
                     ("accessControlExposeHeaders", "exposeHeaders")):
        items = [str(h) for h in seq(body.get(src))]
        if items:
            cors[dst] = ["*"] if "*" in items else items
    if body.get("accessControlAllowCredentials") is True:
        cors["allowCredentials"] = True
    age = body.get("accessControlMaxAge")
    if isinstance(age, int) and age >= 1:
        cors["maxAge"] = age
    return cors


def _cidrs(values: list[Any]) -> tuple[str, ...]:
    out = []
    for v in values:
        try:
            out.append(str(ipaddress.ip_network(str(v).strip(), strict=False)))
        except ValueError:
            raise NotPortable(f"sourceRange {v!r} is not an IP address or CIDR") from None
    return tuple(out)


def _prov(ref: MiddlewareRef, origin: Origin, code: str, why: str) -> Provenance:
    return Provenance(origin.key, origin.field, code,
                      f"Middleware {ref.text}: {why}", security=True)


def _ip_allow_list(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    if mapping(body.get("ipStrategy")):
        raise NotPortable("ipStrategy (client IP from X-Forwarded-For) has no portable form")
    ranges = _cidrs(list(seq(body.get("sourceRange"))))
    if not ranges:
        raise NotPortable("an empty sourceRange")
    return Effects(intents=[IPAccess(ranges, (), _prov(
        ref, origin, "traefik/ip-allowlist",
        "Gateway API has no client-IP allowlist (implementation policies only); dropping it "
        "opens the routes to everyone"))])


def _basic_auth(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    secret = body.get("secret")
    if not isinstance(secret, str) or not secret:
        raise NotPortable("basicAuth names no secret")
    notes = [(f"Middleware {ref.text}: the Secret holds Traefik's format (htpasswd lines under "
             "key 'users', or a kubernetes.io/basic-auth Secret); check the target's format")]
    if body.get("headerField"):
        notes.append(f"Middleware {ref.text}: headerField (user name sent upstream) is lost")
    if body.get("removeHeader") is True:
        notes.append(f"Middleware {ref.text}: removeHeader (Authorization not sent upstream) "
                     "is lost")
    realm = body.get("realm") if isinstance(body.get("realm"), str) else None
    return Effects(notes=notes, intents=[BasicAuth(secret, realm, "auth-file", _prov(
        ref, origin, "traefik/basic-auth",
        "Gateway API has no HTTP basic authentication; dropping it makes the routes public"))])


def _forward_auth(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    known = {"address", "authResponseHeaders", "authRequestHeaders", "trustForwardHeader"}
    extra = sorted(k for k, v in body.items() if k not in known and v not in
                   (None, False, "", [], {}))
    if extra:
        raise NotPortable(f"forwardAuth field(s) {', '.join(extra)} have no portable form")
    address = body.get("address")
    if not isinstance(address, str) or not address:
        raise NotPortable("forwardAuth has no address")
    svc = service_url(address)
    ref_svc = None
    if svc is not None:
        https = urlsplit(address).scheme == "https"
        ref_svc = ServiceRef(svc.name, svc.namespace, svc.port, svc.path,
                             "https" if https else "http")
    return Effects(intents=[ExternalAuth(
        address, ref_svc, tuple(str(h) for h in seq(body.get("authResponseHeaders"))),
        tuple(str(h) for h in seq(body.get("authRequestHeaders"))), None, None, _prov(
            ref, origin, "traefik/forward-auth",
            "Gateway API external authorization is experimental and implementation-specific; "
            "dropping it makes the routes public"))])


def _period(value: Any) -> str | None:
    text = "1s" if value in (None, "", 0) else str(value).strip()
    return {"1s": "Second", "1": "Second", "1m": "Minute", "60s": "Minute",
            "60": "Minute"}.get(text)


def _rate_limit(ref: MiddlewareRef, body: dict[str, Any], origin: Origin) -> Effects:
    if body.get("redis"):
        raise NotPortable("a Redis-backed (distributed) rate limit has no portable form")
    criterion = mapping(body.get("sourceCriterion"))
    if any(v for k, v in criterion.items()):
        raise NotPortable("sourceCriterion (rate limit key) other than the client IP")
    average = body.get("average")
    if not isinstance(average, int) or average < 0:
        raise NotPortable(f"rateLimit average {average!r} is not a count")
    if average == 0:
        return Effects(notes=[f"Middleware {ref.text}: average 0 disables rate limiting"])
    unit = _period(body.get("period"))
    if unit is None:
        raise NotPortable(f"rateLimit period {body.get('period')!r} is not 1s or 1m")
    burst = body.get("burst") if isinstance(body.get("burst"), int) else None
    return Effects(intents=[RateLimit(average, unit,  # type: ignore[arg-type]
                                      burst, _prov(
        ref, origin, "traefik/rate-limit",
        "Gateway API has no rate limits (implementation policies only); dropping them removes "
        "abuse protection"))])


_KINDS = {
    "redirectScheme": _redirect_scheme,
    "stripPrefix": _strip_prefix,
    "addPrefix": _add_prefix,
    "replacePath": _replace_path,
    "headers": _headers,
    "ipAllowList": _ip_allow_list,
    "ipWhiteList": _ip_allow_list,
    "basicAuth": _basic_auth,
    "forwardAuth": _forward_auth,
    "rateLimit": _rate_limit,
    "chain": _rate_limit,  # dispatched to _chain in translate (needs the context)
}


# --- applying --------------------------------------------------------------------------------


class Scope(NamedTuple):
    route: Route
    rules: list[Rule] | None  # None: the whole route (route-scoped intents)


def apply(conv: Conversion, ctx: Context, refs: list[MiddlewareRef], scopes: list[Scope],
          origin: Origin) -> None:
    """Translate ``refs`` in order and apply them to every rule in ``scopes``."""
    effects = Effects()
    for ref in refs:
        _one(conv, ctx, ref, origin, effects)
        if conv.blocked:
            return
    for note in effects.notes:
        conv.note(info("traefik/middleware-approximated", note, field=origin.field))
    for scope in scopes:
        _apply_scope(conv, scope, effects, origin)
        if conv.blocked:
            return


def _one(conv: Conversion, ctx: Context, ref: MiddlewareRef, origin: Origin,
         effects: Effects) -> None:
    if ref.provider not in ("kubernetescrd", ""):
        fail_closed(conv, ctx, origin.field, "traefik/middleware-provider",
                    f"Middleware {ref.text}", f"it comes from Traefik's {ref.provider} "
                    "provider, which no Gateway API object can reference (an unknown "
                    "middleware may be authentication)")
        return
    if ref.obj is None:
        effects.intents.append(_extension(ref, origin, True, "it is not in the input, so "
                                          "gwshift cannot tell what it does (it may be "
                                          "authentication)"))
        return
    try:
        effects.extend(translate(ref, conv, ctx, origin))
    except NotPortable as exc:
        effects.intents.append(_extension(ref, origin, exc.security, exc.reason, exc.code))


def _extension(ref: MiddlewareRef, origin: Origin, security: bool, reason: str,
               code: str = "") -> ExtensionRef:
    code = code or (CODE if security else CODE_DROPPED)
    why = (f"Middleware {ref.text} stays a Traefik Middleware ({reason}); only a Traefik "
           "target can attach it" + ("" if security else "; without it the routes lose its "
                                     "effect"))
    return ExtensionRef(GROUP, "Middleware", ref.name, ref.namespace,
                        Provenance(origin.key, origin.field, code, why, security))


def _apply_scope(conv: Conversion, scope: Scope, effects: Effects, origin: Origin) -> None:
    route = scope.route
    proxying = {id(r) for r in backend_rules(conv)}
    targets = [r for r in (scope.rules if scope.rules is not None else route.rules)
               if id(r) in proxying]
    for rule in targets:
        _rule_effects(conv, rule, effects, origin)
    if scope.rules is None:
        for intent in effects.intents:
            if intent not in route.intents:
                route.intents.append(intent)
    else:
        for rule in targets:
            rule.intents.extend(i for i in effects.intents if i not in rule.intents)
    if effects.redirect is not None and targets:
        _redirect(conv, route, targets, effects.redirect, origin)


def _rule_effects(conv: Conversion, rule: Rule, effects: Effects, origin: Origin) -> None:
    if effects.path_ops:
        _rewrite(conv, rule, effects.path_ops, origin)
    for ftype, sets, removes in (("RequestHeaderModifier", effects.req_set, effects.req_remove),
                                 ("ResponseHeaderModifier", effects.resp_set,
                                  effects.resp_remove)):
        if sets or removes:
            _modify_headers(conv, rule, ftype, sets, removes, origin)
    if effects.cors is not None:
        merge_filter(rule, "CORS", copy.deepcopy(effects.cors))


def _modify_headers(conv: Conversion, rule: Rule, ftype: str, sets: list[tuple[str, str]],
                    removes: list[str], origin: Origin) -> None:
    member = "requestHeaderModifier" if ftype.startswith("Request") else "responseHeaderModifier"
    current = next((f[member] for f in rule.filters if f.get("type") == ftype), None)
    if current is None:
        current = {}
        rule.filters.append({"type": ftype, member: current})
    entries: dict[str, tuple[str, str]] = {e["name"].lower(): (e["name"], e["value"])
                                           for e in current.get("set", [])}
    gone: dict[str, str] = {n.lower(): n for n in current.get("remove", [])}
    for name, value in sets:
        entries[name.lower()] = (name, value)
        gone.pop(name.lower(), None)
    for name in removes:
        entries.pop(name.lower(), None)
        gone[name.lower()] = name
    if len(entries) > 16 or len(gone) > 16:
        conv.block(error("traefik/too-many-headers", f"more than 16 headers to set or remove "
                         f"on one rule ({ftype}); the {conv.source.kind} is kept",
                         field=origin.field))
        return
    if entries:
        current["set"] = [{"name": n, "value": v} for n, v in entries.values()]
    else:
        current.pop("set", None)
    if gone:
        current["remove"] = list(gone.values())
    else:
        current.pop("remove", None)


def _rewrite(conv: Conversion, rule: Rule, ops: list[tuple[str, Any]], origin: Origin) -> None:
    """stripPrefix/addPrefix/replacePath as one URLRewrite (+ X-Forwarded-Prefix)."""
    results = set()
    stripped: set[str] = set()
    for m in rule.matches:
        if m.path is None or m.path_type is None:
            m.path_type, m.path = "PathPrefix", "/"
        if m.path_type not in ("PathPrefix", "Exact"):
            conv.block(error("traefik/middleware-path-unsupported",
                             f"a path rewrite on a {m.path_type} match {m.path!r} cannot be "
                             f"expressed; the {conv.source.kind} is kept", field=origin.field))
            return
        result = _path_result(m.path, m.path_type, ops, stripped)
        if result is None:
            conv.block(error("traefik/middleware-path-unsupported",
                             f"stripPrefix longer than the matched path {m.path!r}: Gateway API "
                             "cannot strip part of the request path beyond the match; the "
                             f"{conv.source.kind} is kept", field=origin.field))
            return
        results.add((m.path_type, result))
    if len(results) != 1:
        conv.block(error("traefik/middleware-path-unsupported",
                         "the rule's matches would need different path rewrites; one "
                         f"URLRewrite cannot express them; the {conv.source.kind} is kept",
                         field=origin.field))
        return
    kind, (value, full) = results.pop()
    if full:
        merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                   "replaceFullPath": value}})
    elif kind == "PathPrefix" and value != rule.matches[0].path:
        merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                   "replacePrefixMatch": value}})
    if len(stripped) == 1:
        _modify_headers(conv, rule, "RequestHeaderModifier",
                        [("X-Forwarded-Prefix", stripped.pop())], [], origin)


def _path_result(path: str, kind: str, ops: list[tuple[str, Any]],
                 stripped: set[str]) -> tuple[str, bool] | None:
    """(new prefix or full path, whether it replaces the full path), None: inexpressible."""
    value, full = path, kind == "Exact"
    for op, arg in ops:
        if op == "replace":
            value, full = arg, True
        elif op == "add":
            value = arg.rstrip("/") + value if value.startswith("/") else arg + value
        elif op == "strip":
            for pre in arg:
                if value.startswith(pre):
                    value = value[len(pre):]
                    value = value if value.startswith("/") else "/" + value
                    stripped.add(pre)
                    break
                if pre.startswith(value.rstrip("/") + "/") and not full:
                    return None  # strips beyond the matched prefix for some requests
    return value, full


def _redirect(conv: Conversion, route: Route, rules: list[Rule], redirect: dict[str, Any],
              origin: Origin) -> None:
    """redirectScheme redirects only requests not already on the target scheme."""
    source = HTTP if redirect["scheme"] == "https" else HTTPS
    on = [k for k in route.listeners if k.protocol == source]
    if not on:
        conv.note(info("traefik/redirect-scheme-noop",
                       f"the route is served on {redirect['scheme'].upper()} only, so "
                       "redirectScheme never redirects; nothing to convert", field=origin.field))
        return
    chosen = {id(r) for r in rules}
    if len(on) == len(route.listeners):
        for rule in route.rules:
            if id(rule) in chosen:
                make_redirect_rule(rule, dict(redirect))
        return
    # Served on both schemes: the redirecting half gets its own route on those listeners.
    copies = []
    for rule in route.rules:
        new = copy.deepcopy(rule)
        if id(rule) in chosen:
            make_redirect_rule(new, dict(redirect))
        copies.append(new)
    route.listeners = [k for k in route.listeners if k.protocol != source]
    suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
    conv.routes.append(Route(route.kind, suffix, list(route.hostnames), copies, on,
                             source=route.source, intents=list(route.intents)))


def annotation_refs(value: str, conv: Conversion, ctx: Context) -> list[MiddlewareRef]:
    return [resolve_annotation_ref(t, conv, ctx) for t in parse_csv(value)]


def warn(conv: Conversion, message: str, where: str) -> None:
    conv.note(warning("traefik/middleware-approximated", message, field=where))
