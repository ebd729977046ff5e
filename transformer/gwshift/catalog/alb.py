"""Explanations of the AWS Load Balancer Controller dialect's codes (alb/...).

Plain data ({code: {meaning, why, fix}}): ``gwshift.catalog`` reads it; the annotations that
give each code come from ``handlers/alb`` TABLE (``Handler.codes``).
"""

from __future__ import annotations

_KEPT = " The Ingress is kept unconverted (fail closed)."
_SEC_FIX = ("Use --target aws (or another target that expresses it); or configure the control "
            "on the Gateway implementation and accept the loss with --allow-insecure-drop "
            "<code>; or keep the Ingress for now (--allow-kept).")
_KEEP_FIX = "Fix the annotation (or the backend) and run again; until then the Ingress is kept."


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


def _sec(meaning: str, why: str) -> dict[str, str]:
    return _e(meaning, why + _KEPT, _SEC_FIX)


def _kept(meaning: str, why: str) -> dict[str, str]:
    return _e(meaning, why, _KEEP_FIX)


def _info(meaning: str, why: str, fix: str = "Nothing to do; review the generated routes.") \
        -> dict[str, str]:
    return _e(meaning, why, fix)


def _setting(meaning: str) -> dict[str, str]:
    return _e(meaning, "Gateway API has no field for it; only the aws target's "
              "LoadBalancerConfiguration / TargetGroupConfiguration does.",
              "Use --target aws, or configure it on the Gateway implementation.")


def _reported(name: str) -> dict[str, str]:
    return _e(f"alb.ingress.kubernetes.io/{name} is not converted.",
              "It configures infrastructure outside Gateway API.",
              "Configure it on the Gateway implementation or its load balancer.")


ENTRIES: dict[str, dict[str, str]] = {
    "alb/action-missing": _kept(
        "A backend uses port use-annotation but no actions.<name> annotation exists.",
        "The AWS Load Balancer Controller rejects such an Ingress too; nothing says where "
        "those requests go."),
    "alb/invalid-action": _kept(
        "An actions.<name> annotation is not valid JSON or not a valid action.",
        "gwshift parses action JSON with size and nesting limits and checks every field."),
    "alb/action-target-group-arn": _kept(
        "An action forwards to a target group by ARN or name.",
        "A target group is not a Kubernetes Service, so no route can reference it."),
    "alb/action-port-unresolved": _kept(
        "A forward action names a Service port by name that is not in the input.",
        "Gateway API backendRefs need port numbers."),
    "alb/redirect-unsupported": _kept(
        "A redirect action builds its host or path from request parts (#{...}) inside a "
        "literal.", "Gateway API redirects replace a whole host or path, or keep it."),
    "alb/redirect-query": _info(
        "A redirect action sets a literal query string.",
        "Gateway API redirects keep the request's query; the target query is lost.",
        "Move the query into the backend or accept the difference."),
    "alb/stickiness-not-converted": _info(
        "Target group stickiness of a weighted forward action is not converted.",
        "Gateway API has no stickiness across weighted backends.",
        "Configure session persistence on the implementation if clients must stay."),
    "alb/fixed-response": _sec(
        "A fixed-response action answers requests itself (often a 403/404 hiding a path).",
        "Portable Gateway API has no direct response; another rule would serve the path "
        "(--target envoy-gateway: HTTPRouteFilter directResponse; --target aws: "
        "ListenerRuleConfiguration fixed-response)."),
    "alb/invalid-condition": _kept(
        "A conditions.<name> annotation is not valid JSON or not a valid condition.",
        "Conditions narrow a rule; dropping them would route more traffic than before."),
    "alb/condition-unsupported": _kept(
        "A condition has no Gateway API match (unknown field, key-less or wildcard query).",
        "Dropping it would route requests the ALB did not route to this backend."),
    "alb/condition-host-header": _kept(
        "A host-header condition keeps only some hosts of a rule (or a hostless rule).",
        "Rules cannot carry hostnames in Gateway API; that needs its own route."),
    "alb/condition-never-matches": _info(
        "A host-header condition excludes every host of its rule, so the rule is dropped.",
        "The ALB never matched that rule either."),
    "alb/conditions-too-many": _kept(
        "The conditions of one rule expand to too many matches.",
        "Values of one condition are ORed: Gateway API needs one match per combination."),
    "alb/condition-path-unsupported": _kept(
        "A path-pattern condition and the Ingress path both restrict the path.",
        "Gateway API has one path per match."),
    "alb/path-pattern-approximated": _info(
        "An ALB path pattern `/x/*` became PathPrefix /x, which also matches /x itself.",
        "PathPrefix is the closest portable match."),
    "alb/path-regex": _e(
        "An ALB path with wildcards or a regex became a RegularExpression match.",
        "Regular expression matching is implementation-specific in Gateway API.",
        "Check that the implementation supports RegularExpression paths."),
    "alb/source-ip-condition": _sec(
        "A source-ip condition limits a rule to client addresses.",
        "Portable Gateway API has no client-IP match."),
    "alb/annotation-unused": _info(
        "An actions./conditions. annotation names no backend of the Ingress.",
        "The ALB ignored it as well."),
    "alb/invalid-transform": _kept(
        "A transforms.<name> annotation is not valid.", "Rewrites change what the backend sees."),
    "alb/transform-unsupported": _kept(
        "A host-header rewrite keeps parts of the host.",
        "Gateway API rewrites set a whole hostname."),
    "alb/transform-regex": _sec(
        "A URL rewrite uses regex captures.",
        "Portable rewrites replace a full path or a prefix; the backend would get other paths."),
    "alb/invalid-group-name": _kept(
        "group.name is not a valid IngressGroup name.", "The controller rejects it too."),
    "alb/group-rule-shadowed": _info(
        "A rule an earlier IngressGroup member covers is dropped.",
        "The ALB evaluates group members in group.order and never reached it; Gateway API "
        "would order by specificity instead."),
    "alb/ingress-never-matches": _info(
        "Every rule of the Ingress is covered by earlier rules of its listeners or group.",
        "The ALB never routed a request to it; it is kept rather than silently removed.",
        "Delete the Ingress, or reorder (group.order) if it was meant to serve."),
    "alb/rule-shadowed": _info(
        "A rule an earlier rule of the same listener covers is dropped.",
        "ALB rules are evaluated in order (first match wins); Gateway API by specificity."),
    "alb/path-order": _info(
        "The paths of an Ingress rule were reordered: Exact, then Prefix (longest first), then "
        "ImplementationSpecific.",
        "The AWS Load Balancer Controller sorts them so (sortIngressPaths) before the ALB's "
        "first match; the HTTPRoute rules follow the same order where that decides."),
    "alb/invalid-listen-ports": _kept(
        "listen-ports is not a JSON list of {\"HTTP\"|\"HTTPS\": port}.",
        "The listeners of the routes come from it."),
    "alb/no-https-listener": _info(
        "certificate-arn or ssl-policy is set but the Ingress has no HTTPS listener.",
        "The ALB ignores them then, so gwshift does too."),
    "alb/https-certificate-from-acm": _e(
        "The ALB took the HTTPS certificate from ACM; the Gateway listener needs a Secret.",
        "Gateway API HTTPS listeners reference certificates as Secrets (or implementation "
        "options).",
        "Use --target aws (the HTTPS listener then takes the ACM certificates from the "
        "LoadBalancerConfiguration, or the controller discovers them by host name); or create "
        "a TLS Secret (cert-manager) for those hosts and add it to spec.tls; or accept the loss "
        "with --allow-insecure-drop alb/https-certificate-from-acm (no HTTPS listener for those "
        "hosts)."),
    "alb/tls-secret-ignored": _e(
        "spec.tls names a secretName, which the ALB ignored (ACM certificates).",
        "The Gateway listener uses the Secret, so it must exist.",
        "Create the Secret or remove secretName."),
    "alb/invalid-ssl-redirect": _kept(
        "ssl-redirect is not a port number.", "The controller rejects it too."),
    "alb/ssl-redirect-from-group": _info(
        "Another Ingress of the IngressGroup sets ssl-redirect: this one's HTTP listener "
        "redirects too.", "ssl-redirect applies to the whole IngressGroup."),
    "alb/invalid-value": _kept("An ALB annotation has an invalid value.",
                               "The controller rejects it too."),
    "alb/invalid-path": _kept("A path is no ALB path pattern.", "Patterns start with '/'."),
    "alb/unknown-annotation": _e(
        "An alb.ingress.kubernetes.io/ annotation gwshift does not know.",
        "It may be newer than gwshift's table, or a typo.", "Check the name; report it."),
    "alb/service-annotation": _e(
        "A backend Service carries alb.ingress.kubernetes.io/ target group annotations.",
        "The Gateway does not read them (e.g. backend-protocol-version GRPC).",
        "Express them on the implementation (e.g. Service appProtocol kubernetes.io/h2c)."),
    "alb/security-groups": _sec(
        "security-groups / security-group-prefix-lists decide which clients reach the ALB.",
        "Gateway API has no such field."),
    "alb/inbound-cidrs": _sec("inbound-cidrs limits the clients that may reach the ALB.",
                              "Portable Gateway API has no client IP allow list."),
    "alb/waf": _sec("A WAF web ACL filters requests before the backends.",
                    "Gateway API has no WAF."),
    "alb/shield-advanced-protection": _sec("AWS Shield Advanced protects the ALB.",
                                           "Gateway API has no DDoS protection setting."),
    "alb/mutual-authentication": _sec("Mutual TLS authenticates clients on the listener.",
                                      "The trust store is an AWS resource."),
    "alb/authentication": _sec("The ALB authenticates users (OIDC / Cognito).",
                               "Portable Gateway API has no user authentication."),
    "alb/jwt-validation": _sec("The ALB validates JWTs.",
                               "Portable Gateway API has no JWT validation."),
    "alb/backend-https": _sec(
        "backend-protocol HTTPS: the ALB spoke HTTPS to targets without verifying them.",
        "Portable backend TLS (BackendTLSPolicy) always verifies certificates."),
    "alb/load-balancer-setting": _setting("A load balancer setting (scheme, subnets, "
                                          "certificate-arn, attributes ...)."),
    "alb/target-group-setting": _setting("A target group setting (target-type, health "
                                         "checks, attributes ...)."),
    "alb/target-node-labels-not-converted": _reported("target-node-labels"),
    "alb/create-acm-cert-not-converted": _reported("create-acm-cert"),
    "alb/enable-frontend-nlb-not-converted": _reported("enable-frontend-nlb"),
    "alb/frontend-nlb-not-converted": _reported("frontend-nlb-*"),
    "alb/multi-cluster-target-group-not-converted": _reported("multi-cluster-target-group"),
}
