"""Envoy Gateway 1.9 (``gateway.envoyproxy.io/v1alpha1``).

One attachment becomes at most one policy of each kind, because two SecurityPolicies (or
BackendTrafficPolicies) on the same target conflict and only the oldest applies:

- SecurityPolicy ``<route>[-<rule>]-security``: authorization (IP allow/deny lists),
  basicAuth, extAuth, attached by targetRefs to the route (rule: ``sectionName``).
- BackendTrafficPolicy ``<route>[-<rule>]-traffic``: rateLimit (per client IP), requestBuffer
  (body size), timeouts, cookie consistent hash.
- HTTPRouteFilter ``<route>[-<rule>]-rewrite``: regex path rewrite, attached by ExtensionRef.
- HTTPRouteFilter ``<route>-<rule>-response``: an ALB fixed-response action as a
  ``directResponse`` (status, content type, inline body), attached by ExtensionRef on that
  rule (which has no backends).

A rule-scoped SecurityPolicy or BackendTrafficPolicy *replaces* the route-scoped one for that
rule in Envoy Gateway (the most specific wins, no merge): the pipeline must hand a rule
attachment the route's intents too, or a route-wide control would be lost on that rule.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExternalAuth,
    IPAccess,
    Opaque,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
)
from gwshift.names import fit, slug
from gwshift.notes import Note, Severity
from gwshift.targets import (
    Attachment,
    BackendSwap,
    Capability,
    Expressed,
    Target,
)
from gwshift.targets._common import (
    backend_tls_policy,
    basic_auth_verdict,
    distinct,
    dropped_params,
    duration,
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
    quantity,
    service_backend,
    strictest,
    target_ref,
    traced,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "envoy-gateway"
GROUP = "gateway.envoyproxy.io"
API = f"{GROUP}/v1alpha1"
P = f"target-{NAME}/"
# targetRef kinds the CRDs' CEL rules accept.
SECURITY_KINDS = ("Gateway", "ListenerSet", "HTTPRoute", "GRPCRoute", "TCPRoute")
TRAFFIC_KINDS = (*SECURITY_KINDS, "UDPRoute", "TLSRoute")
# Envoy sends an HTTP auth service only Host, Method, Path, Content-Length and Authorization
# unless told otherwise; nginx forwards every request header. Cookies carry the session of
# the usual auth proxies (oauth2-proxy), so they are always forwarded.
AUTH_HEADERS = ("cookie",)


def _ext_auth_refusal(intent: ExternalAuth) -> str | None:
    if intent.service is not None:
        if intent.service.scheme == "https":
            return ("Envoy Gateway would speak plain HTTP to the in-cluster auth Service "
                    f"{intent.service.name!r}: an https auth-url needs a BackendTLSPolicy "
                    "for it, which gwshift cannot derive (CA and name unknown)")
        return None
    parts = urlsplit(intent.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"Envoy Gateway extAuth needs an http(s) URL, got {intent.url!r}"
    return None


def _backend_tls_refusal(intent: BackendTLS) -> str | None:
    if intent.client_secret:
        return ("a client certificate to the backend is Gateway-wide in Envoy Gateway "
                "(Gateway spec.tls.backend.clientCertificateRef); it would apply to every route")
    return None


# Opaque settings of the dialects this target expresses, and how.
OPAQUE: dict[tuple[str, str], str] = {
    ("alb", "fixed-response"): "HTTPRouteFilter directResponse (ExtensionRef on the rule)",
}


def _opaque_refusal(intent: Opaque) -> str | None:
    if (intent.dialect, intent.name) not in OPAQUE:
        return f"Envoy Gateway has no field for {intent.dialect} setting {intent.name!r}"
    if _direct_response(intent.value) is None:
        return "the fixed response could not be read"
    return None


def _direct_response(value: str) -> dict[str, Any] | None:
    """HTTPRouteFilter directResponse of the ALB dialect's fixed-response JSON
    (``{"statusCode", "contentType"?, "messageBody"?}``), None when unreadable."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    code = data.get("statusCode") if isinstance(data, dict) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 200 <= code <= 599:
        return None
    out: dict[str, Any] = {}
    if isinstance(data.get("contentType"), str):
        out["contentType"] = data["contentType"]
    if isinstance(data.get("messageBody"), str):
        out["body"] = {"type": "Inline", "inline": data["messageBody"]}
    out["statusCode"] = code
    return out


TABLE: dict[type, Capability] = {
    IPAccess: Capability(
        "converted", "SecurityPolicy authorization: Deny rules, Allow rules, clientCIDRs"),
    BasicAuth: Capability(
        "approximated", "SecurityPolicy basicAuth.users (Secret key .htpasswd, SHA hashes only)"),
    ExternalAuth: Capability(
        "approximated", "SecurityPolicy extAuth.http (backendRefs, pathOverride, "
        "headersToBackend); external hosts via a Backend", _ext_auth_refusal),
    RateLimit: Capability(
        "approximated", "BackendTrafficPolicy rateLimit.local, sourceCIDR Distinct (per client "
        "IP), no burst"),
    BodySize: Capability(
        "approximated", "BackendTrafficPolicy requestBuffer.limit (not on GRPCRoute)"),
    ProxyTimeouts: Capability(
        "approximated", "BackendTrafficPolicy timeout.tcp.connectTimeout, "
        "timeout.http.streamIdleTimeout"),
    CookieAffinity: Capability(
        "approximated", "BackendTrafficPolicy loadBalancer ConsistentHash Cookie"),
    RegexRewrite: Capability(
        "converted", "HTTPRouteFilter urlRewrite.path ReplaceRegexMatch (ExtensionRef)"),
    BackendTLS: Capability(
        "converted", "verified: BackendTLSPolicy (Gateway API) for the Service; unverified "
        "(as nginx without proxy-ssl-verify): the backendRefs become an Envoy Gateway Backend "
        "with tls.insecureSkipVerify", _backend_tls_refusal),
    Opaque: Capability("converted", "; ".join(f"{d} {n}: {how}" for (d, n), how in
                                              OPAQUE.items()), _opaque_refusal),
}
# Documented gaps (docs matrix, explain): intent type -> why this target cannot express it.
# A rule-scoped policy replaces the route-scoped one for that rule (no merge): the pipeline
# must give a rule attachment the route's intents as well (read by emit when it does).
RULE_REPLACES_ROUTE = True
# Where each intent can attach without widening (emit's Attachment.scope); a security intent
# recorded elsewhere must be refused before emit (express cannot keep the source any more).
SCOPES: dict[type, tuple[str, ...]] = {  # others: any scope
    RegexRewrite: ("route", "rule"), Opaque: ("rule",)}
# Route kinds each policy can target (gateway scope: Gateway/ListenerSet); an intent
# recorded on another kind is refused before emit.
KINDS: dict[type, tuple[str, ...]] = {
    IPAccess: SECURITY_KINDS, BasicAuth: SECURITY_KINDS, ExternalAuth: SECURITY_KINDS,
    RateLimit: TRAFFIC_KINDS, BodySize: TRAFFIC_KINDS, ProxyTimeouts: TRAFFIC_KINDS,
    CookieAffinity: TRAFFIC_KINDS, RegexRewrite: ("HTTPRoute",), Opaque: ("HTTPRoute",),
    BackendTLS: TRAFFIC_KINDS,  # a BackendTLSPolicy targets the Service, whatever the route
}
GAPS: dict[type, str] = {
    ClientCertAuth: "client certificates are validated per Gateway listener "
    "(ClientTrafficPolicy tls.clientValidation); a route-scoped control would widen to every "
    "route of the listener",
    ConnectionLimit: "no per-client-IP connection limit (ClientTrafficPolicy "
    "connection.connectionLimit counts every client of the listener)",
    CustomErrors: "BackendTrafficPolicy responseOverride returns an inline or ConfigMap body "
    "or a redirect; it cannot proxy the error to a Service as nginx did",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    # SecurityPolicy and BackendTrafficPolicy take a Gateway (listener: sectionName) as well
    # as a route (rule: sectionName), so they attach exactly where the source scoped them.
    _security(att, intents, objects, notes)
    _traffic(att, intents, objects, notes)
    if att.scope != "gateway":
        _rewrite(att, intents, objects, filters, notes)
    else:
        notes += [note(P + "gateway-scope", Severity.ERROR, "a rewrite filter attaches to route "
                       "rules only; it was not expressed", att, rw)
                  for rw in pick(intents, RegexRewrite)]
    swap = None
    for tls in distinct(intents, BackendTLS):
        if tls.verify:
            objects.append(backend_tls_policy(tls, att))
        elif swap is None:
            swap = _insecure_backends(att, tls, settings.namespace, notes)
    _fixed_responses(att, intents, objects, filters, notes)
    return expressed(att, objects, filters, notes, swap)


# --- Backend (unverified backend TLS) ---------------------------------------------------


def _insecure_backends(att: Attachment, tls: BackendTLS, release_ns: str | None,
                       notes: list[Note]) -> BackendSwap | None:
    """The Service backendRefs of the rules in scope become Backends that speak TLS without
    verifying the certificate: what nginx did with backend-protocol HTTPS/GRPCS and
    proxy-ssl-verify off (no SNI either, as nginx's proxy_ssl_server_name default)."""
    namespace = att.namespace or release_ns  # --namespace: the release's
    if namespace is None:
        notes.append(note(P + "insecure-backend", Severity.ERROR,
                          "the Backend needs the Service's namespace for its DNS name, and the "
                          "input gives none (set metadata.namespace or --namespace); the "
                          "backend TLS was not expressed", att, tls))
        return None
    grpc = att.kind == "GRPCRoute"

    def swap(ref: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        port = ref.get("port")
        if not isinstance(port, int):
            return None
        ns = str(ref.get("namespace") or namespace)
        name = fit(slug(f"{ref['name']}-{port}-{'h2-' if grpc else ''}insecure-tls"), 253)
        backend_tls: dict[str, Any] = {"insecureSkipVerify": True}
        if grpc:
            backend_tls["alpnProtocols"] = ["h2"]  # gRPC servers require ALPN h2 over TLS
        spec = {"endpoints": [{"fqdn": {"hostname": f"{ref['name']}.{ns}.svc.cluster.local",
                                        "port": port}}], "tls": backend_tls}
        new = {"group": GROUP, "kind": "Backend", "name": name,
               **({"weight": ref["weight"]} if "weight" in ref else {})}
        return new, traced(att, [obj(API, "Backend", name, att.namespace, spec)])

    notes.append(note(P + "insecure-backend", Severity.WARNING,
                      "nginx spoke TLS to the backend Services without verifying their "
                      "certificates (proxy-ssl-verify off), and so does Envoy Gateway: the "
                      "rules' backendRefs become Backends <service>-<port>-insecure-tls "
                      "(<service>.<namespace>.svc.cluster.local, tls.insecureSkipVerify: true), "
                      "as exposed to a forged backend certificate as before. Envoy Gateway must "
                      "run with extensionApis.enableBackend; a Backend reaches the Service "
                      "through its cluster IP, so Envoy's per-Pod load balancing, session "
                      "affinity, health checks and retries to other Pods do not apply", att, tls))
    return swap


# --- SecurityPolicy ---------------------------------------------------------------------


def _security(att: Attachment, intents: Sequence[Intent], objects: list[dict[str, Any]],
              notes: list[Note]) -> None:
    if not any(isinstance(i, (IPAccess, BasicAuth, ExternalAuth)) for i in intents):
        return
    if att.kind not in SECURITY_KINDS:
        notes.append(note(P + "kind", Severity.ERROR, f"a SecurityPolicy cannot target a "
                          f"{att.kind}; the access control was not expressed", att))
        return
    spec: dict[str, Any] = {}
    name = object_name(att, "security")
    allow, deny = ip_lists(intents)
    ip = first(intents, IPAccess)
    if ip is not None:
        spec["authorization"] = _authorization(allow, deny)
        notes.append(note(P + "client-ip", Severity.INFO,
                          "the allow/deny list checks the client IP Envoy detects: the peer "
                          "address unless a ClientTrafficPolicy clientIPDetection trusts "
                          "X-Forwarded-For (ingress-nginx: use-forwarded-headers, "
                          "proxy-real-ip-cidr)", att, ip))
    basic = one(intents, BasicAuth, att, P + "conflict", notes)
    if basic is not None:
        spec["basicAuth"] = {"users": {"group": "", "kind": "Secret", "name": basic.secret}}
        notes.append(_basic_auth_note(att, basic))
    ext = one(intents, ExternalAuth, att, P + "conflict", notes)
    if ext is not None:
        spec["extAuth"] = _ext_auth(att, ext, name, objects, notes)
    if not spec:
        return
    objects.insert(0, obj(API, "SecurityPolicy", name, att.namespace,
                          {"targetRefs": [target_ref(att)], **spec}))


def _authorization(allow: tuple[str, ...] | None, deny: tuple[str, ...]) -> dict[str, Any]:
    # nginx checks deny before allow, first match wins; Envoy Gateway evaluates the rules in
    # order the same way, and the default action covers the rest.
    rules: list[dict[str, Any]] = []
    if deny:
        rules.append({"name": "deny", "action": "Deny", "principal": {"clientCIDRs": list(deny)}})
    if allow:
        rules.append({"name": "allow", "action": "Allow",
                      "principal": {"clientCIDRs": list(allow)}})
    return {"defaultAction": "Allow" if allow is None else "Deny", "rules": rules}


def _basic_auth_note(att: Attachment, basic: BasicAuth) -> Note:
    if basic.secret_type == "auth-map":
        how = (f"Secret {basic.secret!r} holds one key per user (auth-map); Envoy Gateway needs "
               "one key '.htpasswd' with a 'user:{SHA}hash' line per user")
    else:
        how = (f"Secret {basic.secret!r} must hold the htpasswd lines under the key '.htpasswd' "
               "(ingress-nginx reads 'auth'), and every hash must be SHA ('user:{SHA}...', "
               "htpasswd -s); MD5/bcrypt/crypt hashes cannot be converted, so those users need "
               "new passwords")
    realm = f"; the realm {basic.realm!r} is not sent" if basic.realm else ""
    verdict = basic_auth_verdict(basic, frozenset({"sha"}), "Envoy Gateway")
    return note(P + "basic-auth-secret", Severity.WARNING,
                f"{how}; until then every request on the route is rejected{realm}{verdict}",
                att, basic)


def _ext_auth(att: Attachment, ext: ExternalAuth, policy: str, objects: list[dict[str, Any]],
              notes: list[Note]) -> dict[str, Any]:
    http: dict[str, Any] = {}
    if ext.service is not None:
        http["backendRefs"] = [service_backend(ext.service, att, GROUP, "SecurityPolicy",
                                               objects)]
        path = ext.service.path
    else:
        parts = urlsplit(ext.url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        backend_name = object_name(att, "auth-backend")
        spec: dict[str, Any] = {"endpoints": [{"fqdn": {"hostname": host, "port": port}}]}
        if parts.scheme == "https":
            spec["tls"] = {"sni": host, "wellKnownCACertificates": "System"}
        objects.append(obj(API, "Backend", backend_name, att.namespace, spec))
        http["backendRefs"] = [{"group": GROUP, "kind": "Backend", "name": backend_name}]
        path = parts.path
        notes.append(note(P + "auth-backend", Severity.INFO,
                          f"the auth service {host}:{port} is reached through Backend "
                          f"{backend_name!r}: Envoy Gateway must run with the Backend API "
                          "enabled (extensionApis.enableBackend)", att, ext))
    if path:
        # nginx sends the auth request to the URL's path as written (the original URI goes in
        # X-Original-URI); Envoy's ``path`` would append the request path, ``pathOverride``
        # does not.
        http["pathOverride"] = path
    if ext.response_headers:
        http["headersToBackend"] = list(ext.response_headers)
    sent = sorted({*AUTH_HEADERS, *(h.lower() for h in ext.request_headers)})
    notes.append(note(P + "auth-request-headers", Severity.WARNING,
                      "the auth service receives Host, Method, Path, Content-Length, "
                      f"Authorization and {', '.join(sent)} only; nginx forwarded every request "
                      "header: add any other header it needs to extAuth.headersToExtAuth",
                      att, ext))
    if ext.signin:
        notes.append(Note(P + "auth-signin", Severity.WARNING,
                          f"auth-signin {ext.signin!r} is not carried: unauthenticated clients "
                          "get the auth service's 401/403 instead of a redirect to the sign-in "
                          "page (Envoy Gateway's native alternative is SecurityPolicy oidc)",
                          att.source, param_field(ext, "auth-signin")))
    if ext.method and ext.method.upper() != "GET":
        notes.append(Note(P + "auth-method", Severity.WARNING,
                          f"auth-method {ext.method} is not carried: Envoy sends the auth "
                          "request with the client's method", att.source,
                          param_field(ext, "auth-method")))
    notes += dropped_params(ext, att)
    return {"http": http, "headersToExtAuth": sent}


# --- BackendTrafficPolicy ---------------------------------------------------------------


def _traffic(att: Attachment, intents: Sequence[Intent], objects: list[dict[str, Any]],
             notes: list[Note]) -> None:
    spec: dict[str, Any] = {}
    rates = distinct(intents, RateLimit)
    if rates:
        # Two rules per limit (IPv4, IPv6): one sourceCIDR covers one address family, and
        # every address of it counts separately (Distinct), like nginx's
        # $binary_remote_addr key. Every rule applies: limit-rps and limit-rpm both hold.
        spec["rateLimit"] = {"local": {"rules": [
            {"clientSelectors": [{"sourceCIDR": {"type": "Distinct", "value": cidr}}],
             "limit": {"requests": rate.requests, "unit": rate.unit}}
            for rate in rates for cidr in ("0.0.0.0/0", "::/0")]}}
    for rate in rates:
        burst = f"; nginx also let a burst of {rate.burst} more through" if rate.burst else ""
        notes.append(note(P + "rate-limit", Severity.WARNING,
                          f"{rate.requests} requests per {rate.unit.lower()} per client IP as a "
                          f"token bucket per Envoy replica (nginx: leaky bucket per nginx "
                          f"replica){burst}", att, rate))
    body = strictest(intents, BodySize, lambda b: b.limit_bytes)
    if body is not None:
        if att.kind == "GRPCRoute":
            notes.append(note(P + "body-size-grpc", Severity.WARNING,
                              "the body size limit is not expressed: Envoy Gateway enforces it "
                              "by buffering requests (requestBuffer), which breaks gRPC "
                              "streaming", att, body))
        elif body.limit_bytes > 0:
            spec["requestBuffer"] = {"limit": quantity(body.limit_bytes)}
            notes.append(note(P + "body-size-buffer", Severity.WARNING,
                              "the limit is enforced by buffering whole requests "
                              "(requestBuffer): WebSocket upgrades and streaming uploads on "
                              "this route stop working; size the listener's connection buffer "
                              "(ClientTrafficPolicy connection.bufferLimit) to match", att, body))
    timeouts = one(intents, ProxyTimeouts, att, P + "conflict", notes)
    if timeouts is not None:
        spec.update(_timeouts(att, timeouts, notes))
    cookie = one(intents, CookieAffinity, att, P + "conflict", notes)
    if cookie is not None:
        spec["loadBalancer"] = _cookie_hash(att, cookie, notes)
    if spec and att.kind not in TRAFFIC_KINDS:
        notes.append(note(P + "kind", Severity.ERROR, f"a BackendTrafficPolicy cannot target "
                          f"a {att.kind}; its settings were not expressed", att))
    elif spec:
        objects.append(obj(API, "BackendTrafficPolicy", object_name(att, "traffic"),
                           att.namespace, {"targetRefs": [target_ref(att)], **spec}))


def _timeouts(att: Attachment, t: ProxyTimeouts, notes: list[Note]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if t.connect is not None:
        out.setdefault("tcp", {})["connectTimeout"] = duration(t.connect)
    idle = max((v for v in (t.read, t.send) if v is not None), default=None)
    if idle is not None:
        out.setdefault("http", {})["streamIdleTimeout"] = duration(idle)
        differ = t.read is not None and t.send is not None and t.read != t.send
        notes.append(note(P + "timeouts", Severity.WARNING if differ else Severity.INFO,
                          (f"read ({t.read}s) and send ({t.send}s) timeouts become one "
                           if differ else "the read/send timeout becomes ")
                          + f"stream idle timeout of {idle}s (no data in either direction)",
                          att, t))
    return {"timeout": out} if out else {}


def _cookie_hash(att: Attachment, c: CookieAffinity, notes: list[Note]) -> dict[str, Any]:
    cookie: dict[str, Any] = {"name": c.name}
    # Without a TTL Envoy does not set the cookie at all; "0s" makes it a session cookie,
    # which is what nginx sends without session-cookie-expires/max-age.
    cookie["ttl"] = duration(c.ttl_seconds) if c.ttl_seconds else "0s"
    attributes: dict[str, str] = {}
    if c.path:
        attributes["Path"] = c.path
    if c.same_site:
        attributes["SameSite"] = c.same_site
    if c.secure:
        attributes["Secure"] = ""
    if attributes:
        cookie["attributes"] = attributes
    notes.append(note(P + "cookie-affinity", Severity.WARNING,
                      "sticky sessions become a consistent hash of the cookie: when endpoints "
                      "are added or removed some clients move to another backend (nginx kept "
                      "them until the backend went away)", att, c))
    return {"type": "ConsistentHash", "consistentHash": {"type": "Cookie", "cookie": cookie}}


# --- HTTPRouteFilter --------------------------------------------------------------------


def _rewrite(att: Attachment, intents: Sequence[Intent], objects: list[dict[str, Any]],
             filters: list[dict[str, Any]], notes: list[Note]) -> None:
    rw = one(intents, RegexRewrite, att, P + "conflict", notes)
    if rw is None:
        return
    if att.kind != "HTTPRoute":  # HTTPRouteFilter is an HTTPRoute filter only
        notes.append(note(P + "rewrite-kind", Severity.WARNING,
                          f"a regex rewrite has no form on a {att.kind}", att, rw))
        return
    name = object_name(att, "rewrite")
    objects.append(obj(API, "HTTPRouteFilter", name, att.namespace, {"urlRewrite": {"path": {
        "type": "ReplaceRegexMatch",
        "replaceRegexMatch": {"pattern": rw.pattern, "substitution": rw.substitution}}}}))
    filters.append(extension_ref(GROUP, "HTTPRouteFilter", name))


def _fixed_responses(att: Attachment, intents: Sequence[Intent], objects: list[dict[str, Any]],
                     filters: list[dict[str, Any]], notes: list[Note]) -> None:
    fixed = [o for o in distinct(intents, Opaque) if (o.dialect, o.name) == ("alb", "fixed-response")]
    if not fixed:
        return
    if att.scope != "rule" or att.kind != "HTTPRoute" or len(fixed) > 1:
        notes.append(note(P + "direct-response-scope", Severity.ERROR,
                          "a fixed response answers one HTTPRoute rule; recorded elsewhere (or "
                          "twice) it was not expressed", att, fixed[0]))
        return
    response = _direct_response(fixed[0].value)
    if response is None:  # refused before emit
        return
    name = object_name(att, "response")
    objects.append(obj(API, "HTTPRouteFilter", name, att.namespace, {"directResponse": response}))
    filters.append(extension_ref(GROUP, "HTTPRouteFilter", name))
    notes.append(note(P + "direct-response", Severity.INFO,
                      f"the rule answers {response['statusCode']} itself (HTTPRouteFilter "
                      f"{name!r} directResponse), as the ALB fixed-response action did", att,
                      fixed[0]))


TARGET = Target(name=NAME, title="Envoy Gateway 1.9", table=TABLE, express=express,
                api_groups=(GROUP, "gateway.networking.k8s.io"))
