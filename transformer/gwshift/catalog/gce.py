"""Explanations of the GCE / GKE Ingress dialect's codes (gce/...): {code: {meaning, why, fix}}."""

from __future__ import annotations

_SEC_FIX = ("Use --target gke (GCPBackendPolicy); or configure it on the Gateway "
            "implementation and accept the loss with --allow-insecure-drop <code>; or keep the "
            "Ingress for now (--allow-kept).")


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


ENTRIES: dict[str, dict[str, str]] = {
    "gce/static-ip": _e(
        "A reserved static IP (global/regional-static-ip-name) becomes Gateway spec.addresses "
        "NamedAddress.", "The Gateway needs the same address; a target that cannot set it "
        "gets an ephemeral one.", "Use --target gke, or set the address on the Gateway."),
    "gce/static-ip-scope": _e(
        "A global static IP on an internal Ingress (or regional on external) is ignored.",
        "GKE ignores it as well.", "Use the annotation that matches the class."),
    "gce/pre-shared-cert": _e(
        "A pre-shared certificate becomes the listener option "
        "networking.gke.io/pre-shared-certs.", "GKE Gateways refer to SSL certificate "
        "resources by that option.", "Use --target gke."),
    "gce/managed-certificates": _e(
        "networking.gke.io/managed-certificates is not converted.",
        "GKE Gateways do not use ManagedCertificate; they use Certificate Manager maps.",
        "Create a certificate map and set networking.gke.io/certmap on the Gateway."),
    "gce/no-listener": _e(
        "allow-http is \"false\" and no certificate reaches the Gateway: nothing would serve.",
        "The Ingress is kept rather than replaced by routes that attach nowhere.",
        "Add a TLS Secret (or pre-shared certificate) or allow HTTP."),
    "gce/invalid-value": _e("A GKE annotation has an invalid value.", "GKE rejects it too.",
                            "Fix the value."),
    "gce/invalid-path": _e("A path uses '*' other than as a final '/*'.",
                           "GKE accepts no other wildcard.", "Fix the path."),
    "gce/path-prefix-approximated": _e(
        "A GKE path `/x/*` became PathPrefix /x, which also matches /x itself.",
        "PathPrefix is the closest portable match.", "Nothing to do in most cases."),
    "gce/frontendconfig-missing": _e(
        "The FrontendConfig the Ingress names is not in the input.",
        "Its HTTPS redirect and SSL policy cannot be converted.",
        "Render and convert it together with the Ingress."),
    "gce/frontendconfig-invalid": _e("A FrontendConfig field is invalid or not converted.",
                                     "gwshift converts redirectToHttps and sslPolicy.",
                                     "Review the FrontendConfig."),
    "gce/ssl-policy": _e("The FrontendConfig SSL policy is not expressed.",
                         "It is a GCPGatewayPolicy with --target gke.", "Use --target gke."),
    "gce/gateway-class": _e(
        "The Gateway of a GKE Ingress uses GKE's GatewayClass for its class: gce (and a "
        "class-less Ingress with GKE annotations) -> gke-l7-global-external-managed, "
        "gce-internal -> gke-l7-rilb.",
        "GKE's Gateway controller serves those GatewayClasses, not the Ingress class names; "
        "the default comes from the dialect registry (DialectEntry.gateway_classes).",
        "Nothing, or map the class to another GatewayClass (e.g. a regional one) with "
        "--gateway-class gce=gke-l7-regional-external-managed."),
    "gce/backendconfig-missing": _e(
        "A backend Service names a BackendConfig that is not in the input.",
        "It may enable IAP or Cloud Armor; the Ingress is kept (fail closed).", _SEC_FIX),
    "gce/backendconfig-invalid": _e("A BackendConfig field is not converted.",
                                    "It has no Gateway API or intent form yet.",
                                    "Configure it on the implementation."),
    "gce/iap": _e("Identity-Aware Proxy protects the backend.",
                  "Portable Gateway API has no IAP; the Ingress is kept (fail closed).", _SEC_FIX),
    "gce/cloud-armor": _e("A Cloud Armor security policy filters clients and requests.",
                          "Portable Gateway API has no Cloud Armor; the Ingress is kept "
                          "(fail closed).", _SEC_FIX),
    "gce/backend-setting": _e("A BackendConfig setting (timeout, draining, health check, "
                              "CDN, logging, affinity ...) is not expressed.",
                              "It is a GCPBackendPolicy / HealthCheckPolicy with --target gke.",
                              "Use --target gke."),
    "gce/backend-https": _e("app-protocols HTTPS/HTTP2: the load balancer spoke TLS to the "
                            "backend without verifying it.",
                            "Portable backend TLS always verifies; kept (fail closed).", _SEC_FIX),
    "gce/status-annotation": _e("An annotation written by the GKE controller is ignored.",
                                "It is status of a live object, not configuration.",
                                "Nothing to do."),
    "gce/annotation-not-converted": _e("A GKE annotation is not converted.",
                                       "It configures infrastructure outside Gateway API.",
                                       "Configure it on the implementation."),
    "gce/unknown-annotation": _e("A GKE annotation gwshift does not know.",
                                 "It may be newer than gwshift's table, or a typo.",
                                 "Check the name; report it."),
}
