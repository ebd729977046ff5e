"""BackendConfig (``cloud.google.com/v1``), chosen by the backend Service's
``cloud.google.com/backend-config`` annotation: per-backend settings as per-rule intents.

``{"default": "bc"}`` applies to every port, ``{"ports": {"http": "bc", "80": "bc"}}`` to
one port (by name or number). IAP and Cloud Armor are access controls: they fail closed
unless the target (gke: GCPBackendPolicy) expresses them. A BackendConfig the input does
not contain might hold either, so a missing one fails closed too.
"""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import set_header
from gwshift.handlers.alb._kit import (
    JSONProblem,
    canonical,
    fail_closed,
    get_ci,
    load_json,
    prov,
)
from gwshift.intents import BackendTLS, Opaque
from gwshift.model import BackendRef, Conversion, Rule, mapping

ANNOTATIONS = ("cloud.google.com/backend-config", "beta.cloud.google.com/backend-config")
APP_PROTOCOLS = ("cloud.google.com/app-protocols", "service.alpha.kubernetes.io/app-protocols")
IAP = "gce/iap"
ARMOR = "gce/cloud-armor"
MISSING = "gce/backendconfig-missing"
SETTING = "gce/backend-setting"
BACKEND_TLS = "gce/backend-https"
CODES = (IAP, ARMOR, MISSING, SETTING, BACKEND_TLS, "gce/backendconfig-invalid")
WHY = {
    IAP: "Identity-Aware Proxy authenticates users before the backend",
    ARMOR: "a Cloud Armor security policy filters clients and requests",
    MISSING: "the BackendConfig is not in the input and may enable IAP or Cloud Armor",
    SETTING: "a BackendConfig setting with no Gateway API field (GCPBackendPolicy / "
             "HealthCheckPolicy with --target gke)",
    BACKEND_TLS: "the load balancer spoke HTTPS to the backend without verifying its "
                 "certificate; portable Gateway API backend TLS always verifies",
}
# BackendConfig fields the gke target's GCPBackendPolicy / HealthCheckPolicy take.
_POLICY = ("timeoutSec", "connectionDraining", "sessionAffinity", "securityPolicy", "iap",
           "logging", "healthCheck")
_HEADERS = ("customRequestHeaders", "customResponseHeaders")


def apply(conv: Conversion, ctx: Context) -> None:
    from gwshift.handlers._ir import rules

    for rule in list(rules(conv)):
        for b in list(rule.backends):
            if b.kind == "Service" and not b.group:
                _backend(conv, ctx, rule, b)


def _backend(conv: Conversion, ctx: Context, rule: Rule, b: BackendRef) -> None:
    svc = ctx.find_service(conv.source.namespace, b.name)
    if svc is None:
        return
    anns = mapping(mapping(svc.get("metadata")).get("annotations"))
    port_name = _port_name(svc, b.port)
    for key in APP_PROTOCOLS:
        raw = anns.get(key)
        if isinstance(raw, str):
            _app_protocols(conv, ctx, rule, b, port_name, key, raw)
    for key in ANNOTATIONS:
        raw = anns.get(key)
        if isinstance(raw, str):
            _backend_config(conv, ctx, rule, b, port_name, key, raw)
            return


def _port_name(svc: dict[str, Any], port: int | None) -> str | None:
    ports = mapping(svc.get("spec")).get("ports")
    for p in ports if isinstance(ports, list) else []:
        if isinstance(p, dict) and p.get("port") == port and isinstance(p.get("name"), str):
            return str(p["name"])
    return None


def _field(b: BackendRef, key: str) -> str:
    return f"Service/{b.name}.metadata.annotations[{key}]"


def _select(value: Any, b: BackendRef, port_name: str | None) -> str | None:
    ports = get_ci(value, "ports")
    if isinstance(ports, dict):
        for k in (str(b.port), port_name):
            if k is not None and isinstance(ports.get(k), str):
                return str(ports[k])
    default = get_ci(value, "default")
    return default if isinstance(default, str) else None


def _backend_config(conv: Conversion, ctx: Context, rule: Rule, b: BackendRef,
                    port_name: str | None, key: str, raw: str) -> None:
    where = _field(b, key)
    try:
        value = load_json(raw)
        if not isinstance(value, dict):
            raise JSONProblem("must be a JSON object")
    except JSONProblem as exc:
        fail_closed(conv, ctx, key, MISSING, f"Service {b.name}: {key} {exc}, so its "
                    "BackendConfig is unknown (it may enable IAP or Cloud Armor)", field=where)
        return
    name = _select(value, b, port_name)
    if name is None:
        return
    bc = ctx.find("BackendConfig", conv.source.namespace, name)
    if bc is None:
        where_is = ctx.missing_phrase("BackendConfig", conv.source.namespace, name)
        fail_closed(conv, ctx, key, MISSING, f"BackendConfig {name} of Service {b.name} "
                    f"{where_is} and may enable IAP or Cloud Armor (convert it together with "
                    "the Ingress)", field=where)
        return
    spec = mapping(bc.get("spec"))
    policy: dict[str, Any] = {}
    for setting in _POLICY:
        if spec.get(setting) is not None:
            policy[setting] = spec[setting]
    for setting, ftype in (("customRequestHeaders", "RequestHeaderModifier"),
                           ("customResponseHeaders", "ResponseHeaderModifier")):
        headers = mapping(spec.get(setting)).get("headers")
        if headers is not None and not _headers(rule, ftype, headers):
            _extra(conv, rule, key, where, b, name, setting, headers)
    for setting in sorted(str(k) for k in spec if k not in _POLICY and k not in _HEADERS):
        _extra(conv, rule, key, where, b, name, setting, spec[setting])
    if not policy:
        return
    # One intent per Service, in the gke target's contract: {"service", "spec"}. IAP and
    # Cloud Armor make it an access control (fail closed where no target expresses it).
    iap = mapping(policy.get("iap")).get("enabled") is True
    armor = bool(mapping(policy.get("securityPolicy")).get("name"))
    code = IAP if iap else ARMOR if armor else SETTING
    if not iap:
        policy.pop("iap", None)
    rule.intents.append(Opaque("gce", "backend-config",
                               canonical({"service": b.name, "spec": policy}),
                               prov(key, code, WHY[code], iap or armor, field=where)))


def _extra(conv: Conversion, rule: Rule, key: str, where: str, b: BackendRef, name: str,
           setting: str, data: Any) -> None:
    """A BackendConfig field outside the policy contract (cdn, headers with variables ...)."""
    rule.intents.append(Opaque("gce", f"backend-config.{setting}",
                               canonical({"service": b.name, "backendConfig": name,
                                          setting: data}),
                               prov(key, SETTING, WHY[SETTING], False, field=where)))


def _headers(rule: Rule, ftype: str, headers: Any) -> bool:
    """Static ``Name:value`` headers become a header modifier; variables need the target."""
    if not isinstance(headers, list) or len(headers) > 16:
        return False
    pairs = []
    for h in headers:
        if not isinstance(h, str) or ":" not in h or "{" in h:
            return False
        name, value = h.split(":", 1)
        pairs.append((name.strip(), value.strip()))
    for name, value in pairs:
        set_header(rule, ftype, name, value)
    return True


def _app_protocols(conv: Conversion, ctx: Context, rule: Rule, b: BackendRef,
                   port_name: str | None, key: str, raw: str) -> None:
    try:
        value = load_json(raw)
    except JSONProblem:
        return
    proto = None
    if isinstance(value, dict):
        for k in (port_name, str(b.port)):
            if k is not None and isinstance(value.get(k), str):
                proto = value[k].upper()
    if proto in ("HTTPS", "HTTP2"):
        rule.intents.append(BackendTLS(b.name, b.port, None, None, False, None,
                                       prov(key, BACKEND_TLS, WHY[BACKEND_TLS],
                                            field=_field(b, key))))
