"""Traefik 3.7 Gateway provider: ``traefik.io/v1alpha1`` Middlewares attached by ExtensionRef.

Every control becomes one Middleware ``<route>[-<rule>]-<purpose>`` in the route's namespace
and one ExtensionRef filter on the rules in scope, in nginx's order of phases: access
(IP list, basic auth, forward auth), limits, buffering, error pages, and the rewrite last
(the auth service must see the path the client sent, as nginx's auth_request did).
The Kubernetes CRD provider must be enabled for Traefik to resolve the Middlewares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExtensionRef,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
)
from gwshift.notes import Note, Severity
from gwshift.targets import Attachment, Capability, Expressed, Target
from gwshift.targets._common import (
    backend_tls_policy,
    basic_auth_verdict,
    distinct,
    dropped_params,
    expressed,
    extension_ref,
    first,
    ip_lists,
    note,
    obj,
    object_name,
    one,
    param_field,
    pick,
    regex_to_nginx,
    strictest,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "traefik"
GROUP = "traefik.io"
API = f"{GROUP}/v1alpha1"
P = f"target-{NAME}/"
MIDDLEWARE_GROUPS = ("traefik.io", "traefik.containo.us")
# Per client IP, from the connection's remote address, like nginx's $binary_remote_addr.
BY_CLIENT_IP = {"ipStrategy": {"depth": 0}}
NOBODY = ["255.255.255.255/32"]  # the limited broadcast address: never a client


def _ip_refusal(intent: IPAccess) -> str | None:
    if intent.deny:
        return ("Traefik has no IP deny list (only ipAllowList); the deny list "
                f"{', '.join(intent.deny)} cannot be expressed on target traefik")
    return None


def _errors_refusal(intent: CustomErrors) -> str | None:
    if intent.service is None:
        return "Traefik's errors middleware needs the Service serving the error pages"
    return None


def _extension_refusal(intent: ExtensionRef) -> str | None:
    if intent.group not in MIDDLEWARE_GROUPS or intent.kind != "Middleware":
        return (f"Traefik's Gateway provider attaches only Middlewares by ExtensionRef, not "
                f"{intent.kind}.{intent.group}")
    return None


def _backend_tls_refusal(intent: BackendTLS) -> str | None:
    if not intent.verify:
        return "unverified backend TLS needs a ServersTransport on the Service, not a route"
    if intent.client_secret:
        return "a client certificate to the backend needs a ServersTransport on the Service"
    return None


TABLE: dict[type, Capability] = {
    IPAccess: Capability("converted", "Middleware ipAllowList (no deny list)", _ip_refusal),
    BasicAuth: Capability("approximated", "Middleware basicAuth (Secret key users)"),
    ExternalAuth: Capability(
        "approximated", "Middleware forwardAuth (address, authResponseHeaders, authSigninURL)"),
    RateLimit: Capability(
        "approximated", "Middleware rateLimit average/period/burst, sourceCriterion client IP"),
    ConnectionLimit: Capability(
        "approximated", "Middleware inFlightReq amount per client IP (requests, not "
        "connections)"),
    BodySize: Capability("approximated", "Middleware buffering maxRequestBodyBytes"),
    CustomErrors: Capability(
        "approximated", "Middleware errors status/service/query", _errors_refusal),
    RegexRewrite: Capability("converted", "Middleware replacePathRegex"),
    ExtensionRef: Capability(
        "converted", "ExtensionRef filter to the same Middleware", _extension_refusal),
    BackendTLS: Capability(
        "converted", "BackendTLSPolicy (Gateway API) for the Service", _backend_tls_refusal),
}
# Where each intent can attach (emit's Attachment.scope): Middlewares attach to rules only.
SCOPES: dict[type, tuple[str, ...]] = {t: ("route", "rule") for t in TABLE if t is not BackendTLS}
GAPS: dict[type, str] = {
    ProxyTimeouts: "backend timeouts live in a ServersTransport referenced by the Service, "
    "not on a route",
    CookieAffinity: "the Gateway provider does not implement session persistence",
    ClientCertAuth: "client-certificate validation is a TLSOption of the entry point, not "
    "per route",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    if att.scope == "gateway":
        notes += [note(P + "gateway-scope", Severity.ERROR,
                       f"{type(i).__name__}: Traefik Middlewares attach to route rules only; "
                       "it was not expressed", att, i)
                  for i in intents if not isinstance(i, BackendTLS)]
    else:
        for purpose, spec in _middlewares(att, intents, notes):
            name = object_name(att, purpose)
            objects.append(obj(API, "Middleware", name, att.namespace, spec))
            filters.append(extension_ref(GROUP, "Middleware", name))
        for ref in pick(intents, ExtensionRef):
            if ref.namespace and att.namespace and ref.namespace != att.namespace:
                # Still attached by name: until the Middleware exists in the route's
                # namespace the rule answers 500, never serves without it (fail closed).
                notes.append(note(P + "middleware-namespace", Severity.ERROR,
                                  f"Middleware {ref.namespace}/{ref.name} is in another "
                                  "namespace than the route: copy it to namespace "
                                  f"{att.namespace!r}; until then the rule answers 500",
                                  att, ref))
            filters.append(extension_ref(GROUP, "Middleware", ref.name))
            if ref.group != GROUP:
                notes.append(note(P + "middleware-group", Severity.WARNING,
                                  f"Middleware {ref.name!r} is a {ref.group} object; Traefik 3 "
                                  "reads Middlewares of traefik.io/v1alpha1 only: apply it "
                                  "under that apiVersion", att, ref))
    for tls in pick(intents, BackendTLS):
        objects.append(backend_tls_policy(tls, att))
    return expressed(att, objects, filters, notes)


def _middlewares(att: Attachment, intents: Sequence[Intent],
                 notes: list[Note]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    # A deny list was refused before express; what reaches here is allowlists only.
    allow, _ = ip_lists(intents)
    ip = first(intents, IPAccess)
    if ip is not None and allow is not None:
        # An empty intersection of allowlists admits nobody: a range no client has.
        out.append(("ip-allow", {"ipAllowList": {"sourceRange": list(allow) or NOBODY}}))
        notes.append(note(P + "client-ip", Severity.INFO,
                          "ipAllowList checks the connection's remote address; behind a load "
                          "balancer set ipStrategy (ingress-nginx: use-forwarded-headers, "
                          "proxy-real-ip-cidr)", att, ip))
    basic = one(intents, BasicAuth, att, P + "conflict", notes)
    if basic is not None:
        out.append(("basic-auth", {"basicAuth": _basic_auth(att, basic, notes)}))
    ext = one(intents, ExternalAuth, att, P + "conflict", notes)
    if ext is not None:
        out.append(("forward-auth", {"forwardAuth": _forward_auth(att, ext, notes)}))
    for n, rate in enumerate(distinct(intents, RateLimit)):
        # nginx `burst=N nodelay` serves N requests beyond the rate at once; Traefik's bucket
        # holds `burst` tokens, so N + 1 lets the same first wave through.
        out.append((f"rate-limit-{n + 1}" if n else "rate-limit", {"rateLimit": {
            "average": rate.requests, "period": "1s" if rate.unit == "Second" else "1m",
            "burst": (rate.burst or 0) + 1, "sourceCriterion": BY_CLIENT_IP}}))
        notes.append(note(P + "rate-limit", Severity.WARNING,
                          "Traefik limits with a token bucket (nginx: leaky bucket); the "
                          "average rate and the first burst match, the spacing of later "
                          "requests may differ", att, rate))
    conn = strictest(intents, ConnectionLimit, lambda c: c.connections)
    if conn is not None:
        out.append(("in-flight", {"inFlightReq": {"amount": conn.connections,
                                                  "sourceCriterion": BY_CLIENT_IP}}))
        notes.append(note(P + "connection-limit", Severity.WARNING,
                          f"{conn.connections} concurrent requests per client IP (nginx counted "
                          "connections; with HTTP/2 one connection carries many requests)",
                          att, conn))
    body = strictest(intents, BodySize, lambda b: b.limit_bytes)
    if body is not None and body.limit_bytes > 0:
        out.append(("buffering", {"buffering": {"maxRequestBodyBytes": body.limit_bytes}}))
        notes.append(note(P + "body-size", Severity.WARNING,
                          "the buffering middleware reads the whole request body before "
                          "forwarding it (nginx streamed it once the size was known)", att, body))
    errors = one(intents, CustomErrors, att, P + "conflict", notes)
    if errors is not None and errors.service is not None:
        out.append(("errors", {"errors": _errors(att, errors, notes)}))
    rw = one(intents, RegexRewrite, att, P + "conflict", notes)
    if rw is not None:
        out.append(("rewrite", {"replacePathRegex": {
            "regex": rw.pattern, "replacement": regex_to_nginx(rw.substitution)}}))
    return out


def _basic_auth(att: Attachment, basic: BasicAuth, notes: list[Note]) -> dict[str, Any]:
    if basic.secret_type == "auth-map":
        how = (f"Secret {basic.secret!r} holds one key per user (auth-map); Traefik reads "
               "htpasswd lines 'user:hash' under the key 'users'")
    else:
        how = (f"Secret {basic.secret!r} must hold its htpasswd lines under the key 'users' "
               "(ingress-nginx reads 'auth'); MD5 (apr1), SHA1 and bcrypt hashes work, crypt "
               "hashes need new passwords")
    verdict = basic_auth_verdict(basic, frozenset({"sha", "apr1", "bcrypt"}), "Traefik")
    notes.append(note(P + "basic-auth-secret", Severity.WARNING,
                      f"{how}; until then every request on the route is rejected{verdict}",
                      att, basic))
    spec: dict[str, Any] = {"secret": basic.secret}
    if basic.realm:
        spec["realm"] = basic.realm
    return spec


def _forward_auth(att: Attachment, ext: ExternalAuth, notes: list[Note]) -> dict[str, Any]:
    spec: dict[str, Any] = {"address": ext.url}
    if ext.response_headers:
        spec["authResponseHeaders"] = list(ext.response_headers)
    if ext.signin:
        spec["authSigninURL"] = ext.signin
    notes.append(note(P + "forward-auth", Severity.WARNING,
                      "the auth service gets the original request as X-Forwarded-Method/-Uri/"
                      "-Host (nginx: X-Original-Method/-URL)"
                      + (", and an unauthenticated client is sent to authSigninURL without the "
                         "rd= return address nginx appended" if ext.signin else ""), att, ext))
    if ext.method and ext.method.upper() != "GET":
        notes.append(Note(P + "auth-method", Severity.WARNING,
                          f"auth-method {ext.method} is not carried: Traefik sends the auth "
                          "request as GET", att.source, param_field(ext, "auth-method")))
    notes += dropped_params(ext, att)
    return spec


def _errors(att: Attachment, errors: CustomErrors, notes: list[Note]) -> dict[str, Any]:
    assert errors.service is not None
    service: dict[str, Any] = {"name": errors.service.name, "port": errors.service.port}
    if errors.service.namespace and errors.service.namespace != att.namespace:
        service["namespace"] = errors.service.namespace
    notes.append(note(P + "custom-errors", Severity.WARNING,
                      "Traefik asks the error Service for /{status} with the original headers; "
                      "nginx sent the original URI with X-Code, X-Format and X-Original-URI"
                      + ("; a Service in another namespace needs allowCrossNamespace"
                         if "namespace" in service else ""), att, errors))
    return {"status": [str(c) for c in errors.status_codes], "service": service,
            "query": "/{status}"}


TARGET = Target(name=NAME, title="Traefik 3.7 (Gateway provider)", table=TABLE, express=express,
                api_groups=(GROUP, "gateway.networking.k8s.io"))
