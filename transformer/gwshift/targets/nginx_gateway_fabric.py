"""NGINX Gateway Fabric 2.6 (``gateway.nginx.org/v1alpha1``).

NGF runs nginx, so most controls keep nginx's own semantics. Its policies target a whole
route or Gateway (no ``sectionName``), so:

- route scope: RateLimitPolicy, ClientSettingsPolicy (body size), ProxySettingsPolicy
  (timeouts) with targetRefs to the route;
- rule scope: the same directives in a SnippetsFilter on that rule only (never wider);
- both: AuthenticationFilter (basic auth) and SnippetsFilter (IP allow/deny, connection
  limit) by ExtensionRef, the only way NGF scopes them;
- gateway scope: the typed policies on the Gateway when the source covered all of it.
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
    distinct,
    expressed,
    extension_ref,
    first,
    ip_lists,
    nginx_size,
    nginx_time,
    note,
    obj,
    object_name,
    one,
    pick,
    strictest,
    target_ref,
    zone_name,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "nginx-gateway-fabric"
GROUP = "gateway.nginx.org"
API = f"{GROUP}/v1alpha1"
P = f"target-{NAME}/"
ZONE_SIZE = "5m"  # ingress-nginx's limit_req_zone / limit_conn_zone size
LOCATION = "http.server.location"


def _backend_tls_refusal(intent: BackendTLS) -> str | None:
    if not intent.verify:
        return "NGINX Gateway Fabric has no unverified backend TLS (BackendTLSPolicy verifies)"
    if intent.client_secret:
        return ("a client certificate to the backend is Gateway-wide "
                "(Gateway spec.tls.backend.clientCertificateRef)")
    return None


TABLE: dict[type, Capability] = {
    IPAccess: Capability(
        "converted", "SnippetsFilter http.server.location `deny …; allow …; deny all;` "
        "(ExtensionRef)"),
    BasicAuth: Capability(
        "converted", "AuthenticationFilter type Basic (ExtensionRef); the ingress-nginx Secret "
        "(key auth) works as is"),
    RateLimit: Capability(
        "converted", "RateLimitPolicy key $binary_remote_addr, burst, noDelay (rule: "
        "SnippetsFilter limit_req)"),
    ConnectionLimit: Capability(
        "converted", "SnippetsFilter limit_conn_zone $binary_remote_addr + limit_conn"),
    BodySize: Capability(
        "converted", "ClientSettingsPolicy body.maxSize (rule: SnippetsFilter "
        "client_max_body_size)"),
    ProxyTimeouts: Capability(
        "converted", "ProxySettingsPolicy timeout.{connect,read,send} (rule: SnippetsFilter "
        "proxy_*_timeout)"),
    BackendTLS: Capability(
        "converted", "BackendTLSPolicy (Gateway API) for the Service", _backend_tls_refusal),
}
# Where each intent can attach without widening (emit's Attachment.scope): filters attach to
# rules only; the typed policies also to a whole Gateway (not to one listener).
SCOPES: dict[type, tuple[str, ...]] = {
    IPAccess: ("route", "rule"), BasicAuth: ("route", "rule"), ConnectionLimit: ("route", "rule"),
}
GAPS: dict[type, str] = {
    ExternalAuth: "the ExternalAuth filter is not in NGF 2.6 (only on main, for 2.7)",
    ClientCertAuth: "client-certificate validation is Gateway-wide (spec.tls.frontend)",
    CookieAffinity: "cookie session persistence needs NGINX Plus; UpstreamSettingsPolicy "
    "offers client-IP hashing only",
    CustomErrors: "no error_page equivalent without raw server snippets",
    RegexRewrite: "no regex rewrite with captures",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    location: list[str] = []  # SnippetsFilter directives for this rule/route
    http: list[str] = []  # SnippetsFilter http-context directives (zones)
    if att.scope == "gateway" and att.section:
        for intent in intents:
            if not isinstance(intent, BackendTLS):
                notes.append(note(P + "listener-scope", Severity.ERROR,
                                  "NGINX Gateway Fabric policies cannot target one listener; "
                                  "on the whole Gateway this control would widen, so it was "
                                  "not expressed", att, intent))
        intents = pick(intents, BackendTLS)
    allow, deny = ip_lists(intents)
    ip = first(intents, IPAccess)
    if ip is not None:
        location += [f"deny {c};" for c in deny] + [f"allow {c};" for c in allow or ()]
        if allow is not None:
            location.append("deny all;")
        notes.append(note(P + "client-ip", Severity.INFO,
                          "allow/deny see the client address nginx sees: configure NginxProxy "
                          "rewriteClientIP when NGF runs behind a load balancer (ingress-nginx: "
                          "use-forwarded-headers, proxy-real-ip-cidr)", att, ip))
    basic = one(intents, BasicAuth, att, P + "conflict", notes)
    if basic is not None and att.scope == "gateway":
        notes.append(note(P + "gateway-snippets", Severity.ERROR,
                          "an AuthenticationFilter attaches to route rules only; basic "
                          "authentication was not expressed", att, basic))
    elif basic is not None:
        filters.append(_basic_auth(att, basic, objects, notes))
    rates = distinct(intents, RateLimit)
    if rates:
        _rate_limit(att, rates, objects, http, location)
    conn = strictest(intents, ConnectionLimit, lambda c: c.connections)
    if conn is not None:
        zone = zone_name(att, "conn")
        http.append(f"limit_conn_zone $binary_remote_addr zone={zone}:{ZONE_SIZE};")
        location.append(f"limit_conn {zone} {conn.connections};")
    body = strictest(intents, BodySize, lambda b: b.limit_bytes)
    if body is not None:
        size = nginx_size(body.limit_bytes)
        if att.scope == "rule":
            location.append(f"client_max_body_size {size};")
        else:
            objects.append(_policy(att, "ClientSettingsPolicy", "client",
                                   {"body": {"maxSize": size}}, single=True))
    timeouts = one(intents, ProxyTimeouts, att, P + "conflict", notes)
    if timeouts is not None:
        values = {k: nginx_time(v) for k, v in (("connect", timeouts.connect),
                                                 ("read", timeouts.read),
                                                 ("send", timeouts.send)) if v is not None}
        if att.scope == "rule":
            location += [f"proxy_{k}_timeout {v};" for k, v in values.items()]
        elif values:
            objects.append(_policy(att, "ProxySettingsPolicy", "proxy", {"timeout": values}))
    if location or http:
        if att.scope == "gateway":
            notes += [note(P + "gateway-snippets", Severity.ERROR,
                           f"{type(i).__name__} needs a SnippetsFilter, which attaches to "
                           "route rules only; it was not expressed", att, i)
                      for i in intents if isinstance(i, (IPAccess, ConnectionLimit))]
        else:
            filters.insert(0, _snippets(att, http, location, objects, notes))
    for tls in pick(intents, BackendTLS):
        objects.append(backend_tls_policy(tls, att))
    return expressed(att, objects, filters, notes)


def _policy(att: Attachment, kind: str, purpose: str, spec: dict[str, Any],
            single: bool = False) -> dict[str, Any]:
    ref = target_ref(att, with_section=False)  # NGF policies have no sectionName
    refs: dict[str, Any] = {"targetRef": ref} if single else {"targetRefs": [ref]}
    return obj(API, kind, object_name(att, purpose), att.namespace, {**refs, **spec})


def _rate_limit(att: Attachment, rates: list[RateLimit], objects: list[dict[str, Any]],
                http: list[str], location: list[str]) -> None:
    """One limit_req per rate (nginx applies every one, as for limit-rps with limit-rpm)."""
    rules: list[dict[str, Any]] = []
    for n, rate in enumerate(rates):
        r = f"{rate.requests}r/{'s' if rate.unit == 'Second' else 'm'}"
        if att.scope == "rule":
            zone = zone_name(att, f"req{n}" if n else "req")
            http.append(f"limit_req_zone $binary_remote_addr zone={zone}:{ZONE_SIZE} rate={r};")
            burst = f" burst={rate.burst} nodelay" if rate.burst else ""
            location.append(f"limit_req zone={zone}{burst};")
            continue
        rule: dict[str, Any] = {"rate": r, "key": "$binary_remote_addr", "zoneSize": ZONE_SIZE}
        if rate.burst:
            rule.update(burst=rate.burst, noDelay=True)  # ingress-nginx: burst=… nodelay
        rules.append(rule)
    if rules:
        objects.append(_policy(att, "RateLimitPolicy", "rate-limit",
                               {"rateLimit": {"local": {"rules": rules}}}))


def _basic_auth(att: Attachment, basic: BasicAuth, objects: list[dict[str, Any]],
                notes: list[Note]) -> dict[str, Any]:
    name = object_name(att, "basic-auth")
    # nginx sends `auth_basic ""` without a realm; the CRD requires one.
    realm = basic.realm or "Authentication Required"
    objects.append(obj(API, "AuthenticationFilter", name, att.namespace,
                       {"type": "Basic", "basic": {"secretRef": {"name": basic.secret},
                                                   "realm": realm}}))
    if basic.secret_type == "auth-map":
        notes.append(note(P + "basic-auth-secret", Severity.WARNING,
                          f"Secret {basic.secret!r} holds one key per user (auth-map); NGF "
                          "reads htpasswd lines under the key 'auth' (type Opaque or "
                          "nginx.org/htpasswd): join them as 'user:hash' lines under 'auth'; "
                          "until then every request on the route is rejected", att, basic))
    else:
        notes.append(note(P + "basic-auth-secret", Severity.INFO,
                          f"Secret {basic.secret!r} is used as is (key 'auth', nginx hash "
                          "formats)", att, basic))
    return extension_ref(GROUP, "AuthenticationFilter", name)


def _snippets(att: Attachment, http: list[str], location: list[str],
              objects: list[dict[str, Any]], notes: list[Note]) -> dict[str, Any]:
    name = object_name(att, "snippets")
    snippets = []
    if http:
        snippets.append({"context": "http", "value": "\n".join(http)})
    snippets.append({"context": LOCATION, "value": "\n".join(location)})
    objects.append(obj(API, "SnippetsFilter", name, att.namespace, {"snippets": snippets}))
    notes.append(note(P + "snippets", Severity.INFO,
                      f"SnippetsFilter {name!r} carries nginx directives; NGF must run with "
                      "snippets enabled (nginxGateway.snippets.enable), else the rule is not "
                      "served", att))
    return extension_ref(GROUP, "SnippetsFilter", name)


TARGET = Target(name=NAME, title="NGINX Gateway Fabric 2.6", table=TABLE, express=express,
                api_groups=(GROUP, "gateway.networking.k8s.io"))
