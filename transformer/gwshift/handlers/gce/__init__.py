"""The GCE / GKE Ingress dialect (class ``gce`` / ``gce-internal``).

GKE's Ingress keys live under several prefixes (``kubernetes.io/ingress.*``,
``ingress.gcp.kubernetes.io/``, ``networking.gke.io/``), so ``TABLE`` is keyed by the full
annotation key. Each GKE Ingress gets its own load balancer (one Gateway per Ingress,
``group_key``): a static IP or certificate belongs to that one Ingress. Order of work
(``refine``): ImplementationSpecific paths (``/*`` wildcards), the annotation handlers in
TABLE order (addresses, certificates, listeners), the FrontendConfig (HTTPS redirect, SSL
policy), then the BackendConfigs of the backend Services (per rule intents).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers import DIALECTS, Dialect
from gwshift.handlers._table import Handler
from gwshift.handlers.alb._kit import (
    afield,
    block,
    gateway_intent,
    handler,
    hosts_of,
    noop,
    prov,
    reported,
    run_table,
    say,
)
from gwshift.handlers.gce import backendconfig, frontendconfig
from gwshift.intents import GatewayAddress, ListenerTLSOption
from gwshift.model import HTTP, HTTPS, Conversion, ListenerKey
from gwshift.notes import info, warning

GLOBAL_IP = "kubernetes.io/ingress.global-static-ip-name"
REGIONAL_IP = "kubernetes.io/ingress.regional-static-ip-name"
ALLOW_HTTP = "kubernetes.io/ingress.allow-http"
PRE_SHARED = "ingress.gcp.kubernetes.io/pre-shared-cert"
MANAGED = "networking.gke.io/managed-certificates"
FRONTEND = "networking.gke.io/v1beta1.FrontendConfig"
PREFIXES = ("ingress.gcp.kubernetes.io/", "networking.gke.io/")
# Written by the GKE controller on live objects (exports of a cluster), not configuration.
STATUS = ("ingress.kubernetes.io/backends", "ingress.kubernetes.io/forwarding-rule",
          "ingress.kubernetes.io/https-forwarding-rule", "ingress.kubernetes.io/target-proxy",
          "ingress.kubernetes.io/https-target-proxy", "ingress.kubernetes.io/url-map",
          "ingress.kubernetes.io/ssl-cert", "ingress.kubernetes.io/static-ip",
          "ingress.kubernetes.io/firewall-rule", "ingress.kubernetes.io/redirect-url-map",
          "ingress.gcp.kubernetes.io/instance-groups")
ADDRESS = "gce/static-ip"
CERT = "gce/pre-shared-cert"
CLASS = "gce/gateway-class"
WHY_ADDRESS = ("the Gateway needs the reserved address as spec.addresses NamedAddress; a "
               "target that cannot set it gets an ephemeral IP")
WHY_CERT = ("the certificate is a Google Cloud SSL certificate resource; the Gateway listener "
            "refers to it by tls.options networking.gke.io/pre-shared-certs")


def _address(key: str) -> Handler:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        name = value.strip()
        if not name:
            return
        internal = conv.ingress_class == "gce-internal"
        if (key == GLOBAL_IP) == internal:
            say(conv, key, warning, "gce/static-ip-scope",
                f"{key} is ignored by GKE for a{'n internal' if internal else ' global external'}"
                " load balancer; not converted")
            return
        gateway_intent(conv, GatewayAddress("NamedAddress", name,
                                            prov(key, ADDRESS, WHY_ADDRESS, security=False)))

    return handler("STD", "intent", apply, "Gateway spec.addresses [{type: NamedAddress, value}]",
                   (ADDRESS, "gce/static-ip-scope"), "NamedAddress is implementation-defined.",
                   GatewayAddress)


def _pre_shared(value: str, conv: Conversion, ctx: Context) -> None:
    certs = ",".join(c.strip() for c in value.split(",") if c.strip())
    if certs:
        gateway_intent(conv, ListenerTLSOption("networking.gke.io/pre-shared-certs", certs,
                                               prov(PRE_SHARED, CERT, WHY_CERT, security=False)))
        _https_listeners(conv)


def _managed(value: str, conv: Conversion, ctx: Context) -> None:
    say(conv, MANAGED, warning, "gce/managed-certificates",
        f"{MANAGED}={value[:80]!r}: GKE Gateways do not use ManagedCertificate; issue the "
        "certificate with Certificate Manager and set the Gateway annotation "
        "networking.gke.io/certmap to its certificate map (HTTPS is not served until then)")
    _https_listeners(conv)


def _https_listeners(conv: Conversion) -> None:
    """GKE serves every host of the URL map on HTTPS once any certificate is configured."""
    for route in conv.routes:
        for h in hosts_of(route):
            key = ListenerKey(h, HTTPS)
            if key not in route.listeners:
                route.listeners.append(key)


def _allow_http(value: str, conv: Conversion, ctx: Context) -> None:
    v = value.strip().lower()
    if v == "true":
        return
    if v != "false":
        block(conv, ALLOW_HTTP, "gce/invalid-value", f"{ALLOW_HTTP}={value[:20]!r} must be "
              "\"true\" or \"false\"")
        return
    # Applied after the certificates (TABLE order): what is left is what GKE served.
    for route in conv.routes:
        route.listeners = [k for k in route.listeners if k.protocol != HTTP]


def _on_ingress(value: str, conv: Conversion, ctx: Context) -> None:
    """GKE reads backend-config from Services only; on the Ingress it does nothing."""
    say(conv, "cloud.google.com/backend-config", info, "gce/annotation-not-converted",
        "cloud.google.com/backend-config has no effect on an Ingress (GKE reads it from the "
        "backend Services, which gwshift does too)")


def _r(key: str, message: str, severity: str = "warning") -> Handler:
    code = "gce/annotation-not-converted"
    return handler("NONE", "reported", reported(key, code, message, severity),
                   "nothing (reported)", (code,), message)


TABLE: dict[str, Handler] = {
    GLOBAL_IP: _address(GLOBAL_IP),
    REGIONAL_IP: _address(REGIONAL_IP),
    PRE_SHARED: handler("IMPL", "intent", _pre_shared,
        "ListenerTLSOption networking.gke.io/pre-shared-certs on the HTTPS listeners",
        (CERT,), WHY_CERT, ListenerTLSOption),
    MANAGED: handler("IMPL", "reported", _managed,
        "nothing: Certificate Manager certmap on the Gateway (reported)", ("gce/managed-certificates",)),
    ALLOW_HTTP: handler("STD", "converted", _allow_http,
        "\"false\": no HTTP listener for the Ingress's routes",
        ("gce/invalid-value", "gce/no-listener")),
    FRONTEND: handler("STD", "converted", noop,
        "FrontendConfig redirectToHttps -> HTTP->HTTPS redirect route; sslPolicy -> Opaque intent",
        frontendconfig.ERRORS, "The FrontendConfig must be in the input."),
    "networking.gke.io/suppress-firewall-xpn-error": _r(
        "networking.gke.io/suppress-firewall-xpn-error",
        "firewall rules of a Shared VPC are managed outside the Gateway", "info"),
    "cloud.google.com/backend-config": handler("IMPL", "intent", _on_ingress,
        "read on the backend Services: BackendConfig -> per-rule intents (timeouts, draining, "
        "affinity, health check, CDN, logging, headers; IAP and Cloud Armor fail closed "
        "unless the gke target expresses them)", backendconfig.CODES),
}


def _name_of(key: str) -> str | None:
    if key in STATUS:
        return None  # consumed with an info note by refine
    if key in TABLE or key.startswith(PREFIXES):
        return key
    return None


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        _paths(conv)
        for key, _ in conv.source.annotations:
            if key in STATUS:
                conv.consumed_annotations.add(key)
                say(conv, key, info, "gce/status-annotation",
                    f"{key} is written by the GKE controller (status of a live object); ignored")
        run_table(conv, ctx, TABLE, _name_of, "gce/unknown-annotation", "GKE Ingress")
        if conv.blocked:
            continue
        frontendconfig.apply(conv, ctx)
        backendconfig.apply(conv, ctx)
        _gateway_class(conv, ctx)
        _check_listeners(conv, ctx)


def group_key(conv: Conversion, ctx: Context) -> tuple[str, ...]:
    """GKE builds one load balancer per Ingress."""
    return ("gce-ingress", ctx.namespace_of(conv.source.namespace) or "", conv.source.name)


def _gateway_class(conv: Conversion, ctx: Context) -> None:
    """Say which GatewayClass emit chose: GKE's conventional one for the class (the
    DialectEntry ``gateway_classes`` data), unless --gateway-class maps it."""
    cls = conv.ingress_class or ""
    target = dict(DIALECTS["gce"].gateway_classes).get(cls)
    mapped = any(src in (conv.ingress_class, "*") for src, _ in ctx.settings.gateway_class_map)
    if target is None or mapped or ctx.settings.gateway is not None:
        return
    what = f"class {cls}" if cls else "no class (GKE serves class-less Ingresses)"
    other = f"--gateway-class {cls}=OTHER" if cls else "a bare --gateway-class OTHER"
    conv.note(info(CLASS, f"the Ingress has {what}: the Gateway uses GKE's GatewayClass "
                   f"{target} ({other} chooses another)", field="spec.ingressClassName"))


def _check_listeners(conv: Conversion, ctx: Context) -> None:
    """No listener left (allow-http "false" and no certificate): GKE served nothing."""
    certs = any(isinstance(i, ListenerTLSOption) for i in conv.gateway_intents) or \
        conv.source.annotation(MANAGED) is not None

    def serves(k: ListenerKey) -> bool:
        if k.protocol != HTTPS or certs:
            return True
        return bool(ctx.tls_secrets_for(conv, k.hostname) if k.hostname else
                    any(t.secret and not t.hosts for t in conv.tls))

    if any(not any(serves(k) for k in r.listeners) for r in conv.routes):
        block(conv, ALLOW_HTTP, "gce/no-listener",
              f"{ALLOW_HTTP} is \"false\" and no certificate reaches the Gateway (no TLS "
              "Secret, pre-shared or managed certificate), so nothing would serve the routes")


def _paths(conv: Conversion) -> None:
    """GKE ImplementationSpecific paths: ``/*`` any, ``/x/*`` under /x, else exact."""
    from gwshift.handlers._ir import rules

    paths = {p.field: p for r in conv.ingress.rules for p in r.paths}
    done = set()
    for rule in rules(conv):
        p = paths.get(rule.source)
        if p is None or p.path_type in ("Exact", "Prefix") or not rule.matches:
            continue
        done.add(f"{p.field}.pathType")
        value = p.path or "/"
        m = rule.matches[0]
        if value == "/*":
            m.path_type, m.path = "PathPrefix", "/"
        elif value.endswith("/*") and "*" not in value[:-2]:
            m.path_type, m.path = "PathPrefix", value[:-2]
            conv.note(info("gce/path-prefix-approximated",
                           f"path {value!r} -> PathPrefix {value[:-2]!r} (also matches "
                           f"{value[:-2]} itself)", field=f"{p.field}.path"))
        elif "*" in value:
            block(conv, "", "gce/invalid-path", f"path {value[:70]!r}: GKE accepts '*' only as "
                 "a final '/*'", field=f"{p.field}.path")
            return
        else:
            m.path_type, m.path = "Exact", value
    conv.notes = [n for n in conv.notes if not (n.code == "ingress/path-type-implementation-specific"
                                                and n.field in done)]


def supported() -> list[str]:
    from gwshift.handlers._table import supported as derived

    return derived(TABLE)


DIALECT = Dialect(name="gce", refine=refine, table=TABLE, group_key=group_key)

__all__ = ["DIALECT", "TABLE", "afield", "group_key", "supported"]
