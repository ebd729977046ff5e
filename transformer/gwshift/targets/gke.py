"""GKE Gateway (``networking.gke.io/v1``).

GKE's policies attach to a Gateway (GCPGatewayPolicy), a Service (GCPBackendPolicy,
HealthCheckPolicy) or a Service/route (GCPSessionAffinityPolicy). The GCE dialect records
what has no typed intent as :class:`~gwshift.intents.Opaque` settings named in ``OPAQUE``
(the contract between the two): FrontendConfig ``sslPolicy``, and a Service's BackendConfig
as JSON ``{"service": name, "spec": <BackendConfig spec>}``.

Gateway addresses (static IP names) and listener TLS options (pre-shared certificates) are
fields of the Gateway itself, which emit writes when this target accepts the intent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    ClientCertAuth,
    CookieAffinity,
    ExternalAuth,
    GatewayAddress,
    IPAccess,
    ListenerTLSOption,
    Opaque,
    RateLimit,
)
from gwshift.names import fit, slug
from gwshift.notes import Note, Severity
from gwshift.targets import Attachment, Capability, Expressed, Target
from gwshift.targets._common import (
    backend_tls_policy,
    expressed,
    first,
    note,
    obj,
    object_name,
    pick,
    target_ref,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "gke"
GROUP = "networking.gke.io"
API = f"{GROUP}/v1"
P = f"target-{NAME}/"

# (dialect, name) -> what it becomes; anything else is refused.
OPAQUE: dict[tuple[str, str], str] = {
    ("gce", "ssl-policy"): "GCPGatewayPolicy default.sslPolicy",
    ("gce", "backend-config"): "GCPBackendPolicy default.{timeoutSec, connectionDraining, "
    "sessionAffinity, securityPolicy, iap, logging} + HealthCheckPolicy",
}
# BackendConfig spec fields and where they go.
BACKEND_FIELDS = ("timeoutSec", "connectionDraining", "sessionAffinity", "securityPolicy",
                  "iap", "logging", "healthCheck")
AFFINITY = {"GENERATED_COOKIE", "CLIENT_IP", "CLIENT_IP_PORT_PROTO", "CLIENT_IP_PROTO",
            "HTTP_COOKIE", "HEADER_FIELD", "NONE"}


def _backend_config(value: str) -> dict[str, Any] | None:
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if (not isinstance(data, dict) or not isinstance(data.get("service"), str)
            or not isinstance(data.get("spec"), dict)):
        return None
    return data


def _opaque_refusal(intent: Opaque) -> str | None:
    if (intent.dialect, intent.name) not in OPAQUE:
        return f"GKE Gateway has no field for {intent.dialect} setting {intent.name!r}"
    if intent.name == "backend-config":
        data = _backend_config(intent.value)
        if data is None:
            return "the BackendConfig could not be read"
        extra = sorted(set(data["spec"]) - set(BACKEND_FIELDS))
        if extra:
            return (f"BackendConfig fields {', '.join(extra)} have no GKE Gateway policy field "
                    "gwshift writes (cdn needs a GCPHTTPFilter; custom headers are route "
                    "filters)")
    return None


def _address_refusal(intent: GatewayAddress) -> str | None:
    return None if intent.type in ("NamedAddress", "IPAddress") else (
        f"GKE Gateway addresses are IPAddress or NamedAddress, not {intent.type}")


def _tls_option_refusal(intent: ListenerTLSOption) -> str | None:
    if not intent.key.startswith(f"{GROUP}/"):
        return f"GKE Gateway does not read the listener TLS option {intent.key!r}"
    return None


def _backend_tls_refusal(intent: BackendTLS) -> str | None:
    if not intent.verify or intent.client_secret:
        return "GKE Gateway backend TLS is the portable BackendTLSPolicy (verified, no client cert)"
    return None


TABLE: dict[type, Capability] = {
    # Fields of the Gateway itself: a note says where they go until emit writes them.
    GatewayAddress: Capability(
        "approximated", "Gateway spec.addresses (NamedAddress: a reserved static IP name)",
        _address_refusal),
    ListenerTLSOption: Capability(
        "approximated", "listener tls.options networking.gke.io/pre-shared-certs",
        _tls_option_refusal),
    Opaque: Capability("converted", "; ".join(f"{d}/{n}: {how}" for (d, n), how in
                                              OPAQUE.items()), _opaque_refusal),
    CookieAffinity: Capability(
        "approximated", "GCPSessionAffinityPolicy statefulGeneratedCookie on the route "
        "(cookie name chosen by the load balancer)"),
    BackendTLS: Capability(
        "converted", "BackendTLSPolicy (Gateway API) for the Service", _backend_tls_refusal),
}
# Where each intent can attach (emit's Attachment.scope); Opaque ssl-policy: gateway only.
SCOPES: dict[type, tuple[str, ...]] = {
    GatewayAddress: ("gateway",), ListenerTLSOption: ("gateway",), CookieAffinity: ("route",),
}
GAPS: dict[type, str] = {
    IPAccess: "client-IP rules are Cloud Armor policies (GCP objects, not Kubernetes YAML), "
    "referenced per Service by GCPBackendPolicy securityPolicy",
    RateLimit: "rate limits are Cloud Armor rules, not Kubernetes objects",
    BasicAuth: "no basic authentication (IAP is the native alternative)",
    ExternalAuth: "GCPAuthzPolicy CUSTOM needs a Service Extension, not an HTTP auth URL",
    ClientCertAuth: "client-certificate validation is Gateway-wide (spec.tls.frontend)",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    notes: list[Note] = []
    for o in pick(intents, Opaque):
        if o.name == "ssl-policy":
            if att.scope != "gateway":
                notes.append(note(P + "gateway-scope", Severity.ERROR,
                                  "an SSL policy applies to a whole Gateway; recorded on a "
                                  "route it was not expressed", att, o))
                continue
            objects.append(obj(API, "GCPGatewayPolicy", object_name(att, "policy"),
                               att.namespace, {"default": {"sslPolicy": o.value},
                                               "targetRef": target_ref(att, False)}))
        elif o.name == "backend-config":
            data = _backend_config(o.value)
            if data is not None:
                objects += _backend_policies(att, data["service"], data["spec"])
    for a in pick(intents, GatewayAddress):
        notes.append(note(P + "gateway-field", Severity.WARNING,
                          f"set spec.addresses [{{type: {a.type}, value: {a.value}}}] on the "
                          f"Gateway {att.name!r}: gwshift does not write it there yet", att, a))
    for t in pick(intents, ListenerTLSOption):
        notes.append(note(P + "gateway-field", Severity.WARNING,
                          f"set tls.options {t.key}: {t.value!r} on the HTTPS listeners of the "
                          f"Gateway {att.name!r}: gwshift does not write it there yet", att, t))
    cookie = first(intents, CookieAffinity)
    if cookie is not None:
        _session_affinity(att, cookie, objects, notes)
    for tls in pick(intents, BackendTLS):
        objects.append(backend_tls_policy(tls, att))
    return expressed(att, objects, [], notes)


def _service_ref(service: str) -> dict[str, str]:
    return {"group": "", "kind": "Service", "name": service}


def _backend_policies(att: Attachment, service: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    default: dict[str, Any] = {}
    if "timeoutSec" in spec:
        default["timeoutSec"] = spec["timeoutSec"]
    if "connectionDraining" in spec:
        default["connectionDraining"] = {
            "drainingTimeoutSec": spec["connectionDraining"].get("drainingTimeoutSec", 0)}
    affinity = spec.get("sessionAffinity")
    if isinstance(affinity, dict) and affinity.get("affinityType") in AFFINITY:
        default["sessionAffinity"] = {"type": affinity["affinityType"]}
        if "affinityCookieTtlSec" in affinity:
            default["sessionAffinity"]["cookieTtlSec"] = affinity["affinityCookieTtlSec"]
    security = spec.get("securityPolicy")
    if isinstance(security, dict) and security.get("name"):
        default["securityPolicy"] = security["name"]
    iap = spec.get("iap")
    if isinstance(iap, dict):
        default["iap"] = {"enabled": bool(iap.get("enabled"))}
        secret = (iap.get("oauthclientCredentials") or {}).get("secretName")
        if secret:
            default["iap"]["oauth2ClientSecret"] = {"name": secret}
    logging = spec.get("logging")
    if isinstance(logging, dict):
        default["logging"] = {"enabled": bool(logging.get("enable"))}
        if "sampleRate" in logging:
            # BackendConfig: 0.0-1.0; GCPBackendPolicy: millionths.
            default["logging"]["sampleRate"] = round(float(logging["sampleRate"]) * 1_000_000)
    base = slug(service)
    if default:
        out.append(obj(API, "GCPBackendPolicy", fit(f"{base}-backend", 253), att.namespace,
                       {"default": default, "targetRef": _service_ref(service)}))
    hc = spec.get("healthCheck")
    if isinstance(hc, dict):
        out.append(obj(API, "HealthCheckPolicy", fit(f"{base}-health", 253), att.namespace,
                       {"default": _health_check(hc), "targetRef": _service_ref(service)}))
    return out


def _health_check(hc: dict[str, Any]) -> dict[str, Any]:
    kind = str(hc.get("type") or "HTTP").upper()
    config: dict[str, Any] = {}
    if hc.get("requestPath") and kind in ("HTTP", "HTTPS", "HTTP2"):
        config["requestPath"] = hc["requestPath"]
    if hc.get("port"):
        config.update(port=hc["port"], portSpecification="USE_FIXED_PORT")
    field = {"HTTP": "httpHealthCheck", "HTTPS": "httpsHealthCheck",
             "HTTP2": "http2HealthCheck", "TCP": "tcpHealthCheck", "GRPC": "grpcHealthCheck"}
    out: dict[str, Any] = {"config": {"type": kind if kind in field else "HTTP"}}
    if config:
        out["config"][field.get(kind, "httpHealthCheck")] = config
    for src, dst in (("checkIntervalSec", "checkIntervalSec"), ("timeoutSec", "timeoutSec"),
                     ("healthyThreshold", "healthyThreshold"),
                     ("unhealthyThreshold", "unhealthyThreshold")):
        if src in hc:
            out[dst] = hc[src]
    return out


def _session_affinity(att: Attachment, cookie: CookieAffinity, objects: list[dict[str, Any]],
                      notes: list[Note]) -> None:
    if att.scope != "route":
        notes.append(note(P + "affinity-scope", Severity.WARNING,
                          "GCPSessionAffinityPolicy attaches to a whole route or Service; "
                          "session affinity for one rule was not expressed", att, cookie))
        return
    objects.append(obj(API, "GCPSessionAffinityPolicy", object_name(att, "affinity"),
                       att.namespace, {"statefulGeneratedCookie": {
                           "cookieTtlSeconds": cookie.ttl_seconds or 0},
                           "targetRef": target_ref(att, False)}))
    notes.append(note(P + "cookie-affinity", Severity.WARNING,
                      f"the load balancer generates its own affinity cookie (not {cookie.name!r}"
                      "; path, SameSite and Secure are not set)", att, cookie))


TARGET = Target(name=NAME, title="GKE Gateway", table=TABLE, express=express,
                api_groups=(GROUP, "gateway.networking.k8s.io"))
