"""AWS Load Balancer Controller Gateway (``gateway.k8s.aws/v1``).

- LoadBalancerConfiguration ``<gateway>-lb`` (gateway scope): the ALB settings the ALB
  dialect records as :class:`~gwshift.intents.Opaque` (names in ``LB_FIELDS``), and an IP
  allowlist for the whole Gateway (``sourceRanges``). The Gateway references it through
  ``spec.infrastructure.parametersRef``.
- TargetGroupConfiguration ``<service>-target-group`` (Service): the ``target-group`` Opaque
  setting, JSON ``{"service": name, "annotations": {annotation: value}}``.
- ListenerRuleConfiguration (ExtensionRef on the rules in scope): ``<route>[-<rule>]-source-ip``
  for an IP allowlist alone (an ALB ``source-ip`` rule condition), else
  ``<route>[-<rule>]-listener-rule`` with the rule's actions as well: ``authenticate-oidc`` /
  ``authenticate-cognito`` (``auth``) and ``fixed-response``. One object per rule, because a
  rule takes one ListenerRuleConfiguration (``RULE_REPLACES_ROUTE``: a rule with its own
  intents gets the route's too).
- HTTPS listener settings (``certificate-arn``, ``ssl-policy``, recorded with the HTTPS ports)
  become ``listenerConfigurations`` of the LoadBalancerConfiguration.
- HTTPS hosts without a certificate Secret (the ``certificate`` Opaque setting, JSON
  ``{"hosts", "certificateArn"}``): the controller takes their ACM certificates from those
  listenerConfigurations, or, without certificate-arn, discovers them by host name, as the
  ALB did (``buildCertificates`` in pkg/gateway/model/model_build_listener.go; its own
  ingress2gateway writes such listeners the same way). ``certificate_hosts`` tells emit to
  write their HTTPS listeners without a ``tls`` block: the controller reads no
  certificateRefs (docs/guide/gateway/gateway.md), and Gateway API v1.6.1 allows an HTTPS
  listener without ``tls``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    CookieAffinity,
    ExternalAuth,
    IPAccess,
    Opaque,
    RateLimit,
)
from gwshift.names import fit, slug
from gwshift.notes import Note, Severity
from gwshift.targets import Attachment, Capability, Expressed, Target
from gwshift.targets._common import (
    expressed,
    extension_ref,
    first,
    note,
    obj,
    object_name,
    pick,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "aws"
GROUP = "gateway.k8s.aws"
API = f"{GROUP}/v1"
P = f"target-{NAME}/"


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _pairs(value: str) -> list[dict[str, str]]:
    out = []
    for item in _csv(value):
        key, _, val = item.partition("=")
        out.append({"key": key.strip(), "value": val.strip()})
    return out


def _bool(value: str) -> bool:
    return value.strip().lower() == "true"


def _enum(*allowed: str, upper: bool = False) -> Callable[[str], str]:
    """A converter that accepts only the CRD's enum values (else ValueError: refused)."""

    def convert(value: str) -> str:
        v = value.strip().upper() if upper else value.strip()
        if v not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return v

    return convert


# ALB annotation -> (LoadBalancerConfiguration field, value converter).
LB_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "scheme": ("scheme", _enum("internal", "internet-facing")),
    "ip-address-type": ("ipAddressType", _enum("ipv4", "dualstack",
                                               "dualstack-without-public-ipv4")),
    "load-balancer-name": ("loadBalancerName", str.strip),
    "subnets": ("loadBalancerSubnets", lambda v: [{"identifier": s} for s in _csv(v)]),
    "security-groups": ("securityGroups", _csv),
    "inbound-cidrs": ("sourceRanges", _csv),
    "security-group-prefix-lists": ("securityGroupPrefixes", _csv),
    "wafv2-acl-arn": ("wafV2", lambda v: {"webACL": v.strip()}),
    # The reference maps the name to the same field (the controller resolves it).
    "wafv2-acl-name": ("wafV2", lambda v: {"webACL": v.strip()}),
    "shield-advanced-protection": ("shieldConfiguration", lambda v: {"enabled": _bool(v)}),
    "load-balancer-attributes": ("loadBalancerAttributes", _pairs),
    "tags": ("tags", lambda v: {p["key"]: p["value"] for p in _pairs(v)}),
}
# ALB annotation -> TargetGroupConfiguration defaultConfiguration field.
TG_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "target-type": ("targetType", _enum("instance", "ip")),
    "backend-protocol": ("protocol", _enum("HTTP", "HTTPS", upper=True)),
    "backend-protocol-version": ("protocolVersion", _enum("HTTP1", "HTTP2", "GRPC", upper=True)),
    "target-group-attributes": ("targetGroupAttributes", _pairs),
}
HC_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "healthcheck-path": ("healthCheckPath", str.strip),
    "healthcheck-port": ("healthCheckPort", str.strip),
    "healthcheck-protocol": ("healthCheckProtocol", _enum("HTTP", "HTTPS", "TCP", upper=True)),
    "healthcheck-interval-seconds": ("healthCheckInterval", int),
    "healthcheck-timeout-seconds": ("healthCheckTimeout", int),
    "healthy-threshold-count": ("healthyThresholdCount", int),
    "unhealthy-threshold-count": ("unhealthyThresholdCount", int),
    "success-codes": ("matcher", lambda v: {"httpCode": v.strip()}),
}
OPAQUE: dict[tuple[str, str], str] = {
    **{("alb", k): f"LoadBalancerConfiguration {f}" for k, (f, _) in LB_FIELDS.items()},
    ("alb", "certificate-arn"): "LoadBalancerConfiguration listenerConfigurations "
    "(HTTPS:<port>) defaultCertificate + certificates",
    ("alb", "ssl-policy"): "LoadBalancerConfiguration listenerConfigurations (HTTPS:<port>) "
    "sslPolicy",
    ("alb", "target-group"): "TargetGroupConfiguration defaultConfiguration ("
    + ", ".join(sorted([*TG_FIELDS, *HC_FIELDS])) + ")",
    ("alb", "auth"): "ListenerRuleConfiguration actions authenticate-oidc / "
    "authenticate-cognito (ExtensionRef)",
    ("alb", "fixed-response"): "ListenerRuleConfiguration actions fixed-response (ExtensionRef)",
    ("alb", "certificate"): "HTTPS listener without tls (no Secret): the ACM certificates of "
    "certificate-arn in listenerConfigurations, or discovered by host name",
}
# Opaque settings the aws target knows but cannot carry, and why (refused with this reason).
NOT_CARRIED: dict[tuple[str, str], str] = {
    ("alb", "waf-acl-id"): "waf-acl-id is a WAF Classic web ACL; LoadBalancerConfiguration "
    "takes WAFv2 only (wafV2.webACL): migrate the ACL to WAFv2 and use wafv2-acl-arn",
}
LISTENER_SETTINGS = ("certificate-arn", "ssl-policy")
# The CRD's contentType enum (the same as the ALB's).
FIXED_TYPES = (*(f"text/{t}" for t in ("plain", "css", "html")),
               *(f"application/{t}" for t in ("javascript", "json")))
UNAUTHENTICATED = ("deny", "allow", "authenticate")


def _target_group(value: str) -> dict[str, Any] | None:
    try:
        data = json.loads(value)
    except ValueError:
        return None
    ok = (isinstance(data, dict) and isinstance(data.get("service"), str)
          and isinstance(data.get("annotations"), dict))
    return data if ok else None


class NotExpressible(ValueError):
    """A value the CRD cannot carry (the refusal reason is its message)."""


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None


def _listener_setting(value: str) -> tuple[str, list[int]] | None:
    """``{"value", "ports"}`` of certificate-arn / ssl-policy (None: unreadable)."""
    data = _json(value)
    if not isinstance(data, dict) or not isinstance(data.get("value"), str):
        return None
    ports = data.get("ports")
    if not isinstance(ports, list) or not ports or not all(
            isinstance(p, int) and not isinstance(p, bool) and 1 <= p <= 65535 for p in ports):
        return None
    return data["value"], ports


def _fixed_response(value: str) -> dict[str, Any]:
    """The CRD's fixedResponseConfig for the ALB dialect's fixed-response (NotExpressible: not
    expressible)."""
    data = _json(value)
    if not isinstance(data, dict) or not isinstance(data.get("statusCode"), int):
        raise NotExpressible("the fixed response could not be read")
    code = data["statusCode"]
    if not (200 <= code <= 299 or 400 <= code <= 599):
        raise NotExpressible(f"status code {code} is not 2XX, 4XX or 5XX")
    config: dict[str, Any] = {"statusCode": code}
    ctype = data.get("contentType")
    if ctype is not None:
        if ctype not in FIXED_TYPES:
            raise NotExpressible(f"content type {ctype!r} is not one of {', '.join(FIXED_TYPES)}")
        config["contentType"] = ctype
    if isinstance(data.get("messageBody"), str):
        config["messageBody"] = data["messageBody"]
    return config


def _extra_params(raw: Any) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or len(raw) > 10 or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise NotExpressible("authenticationRequestExtraParams must be at most 10 string pairs")
    return dict(raw)


def _auth_action(value: str) -> dict[str, Any]:
    """The authenticate-oidc / authenticate-cognito action of the ALB ``auth-*`` annotations
    (NotExpressible: not expressible)."""
    params = _json(value)
    if not isinstance(params, dict):
        raise NotExpressible("the auth annotations could not be read")
    kind = str(params.get("auth-type", "")).strip().lower()
    if kind not in ("oidc", "cognito"):
        raise NotExpressible(f"auth-type {kind!r} is not oidc or cognito")
    idp = _json(str(params.get(f"auth-idp-{kind}", "")))
    if not isinstance(idp, dict):
        raise NotExpressible(f"auth-idp-{kind} is missing or not a JSON object")
    fields = (("issuer", "issuer"), ("authorizationEndpoint", "authorizationEndpoint"),
              ("tokenEndpoint", "tokenEndpoint"), ("userInfoEndpoint", "userInfoEndpoint")) \
        if kind == "oidc" else (("userPoolARN", "userPoolArn"),
                                ("userPoolClientID", "userPoolClientId"),
                                ("userPoolDomain", "userPoolDomain"))
    config: dict[str, Any] = {}
    for src, dst in fields:
        v = idp.get(src)
        if not isinstance(v, str) or not v.strip():
            raise NotExpressible(f"auth-idp-{kind} has no {src}")
        config[dst] = v.strip()
    if kind == "oidc":
        secret = idp.get("secretName")
        if not isinstance(secret, str) or not secret.strip():
            raise NotExpressible("auth-idp-oidc has no secretName")
        # The same Secret: keys clientID and clientSecret for both controllers.
        config["secret"] = {"name": secret.strip()}
    extra = _extra_params(idp.get("authenticationRequestExtraParams"))
    if extra:
        config["authenticationRequestExtraParams"] = extra
    on = params.get("auth-on-unauthenticated-request")
    if on is not None:
        if str(on).strip().lower() not in UNAUTHENTICATED:
            raise NotExpressible(f"auth-on-unauthenticated-request {on!r} is not one of "
                             + ", ".join(UNAUTHENTICATED))
        config["onUnauthenticatedRequest"] = str(on).strip().lower()
    if params.get("auth-scope") is not None:
        config["scope"] = str(params["auth-scope"]).strip()
    if params.get("auth-session-cookie") is not None:
        config["sessionCookieName"] = str(params["auth-session-cookie"]).strip()
    timeout = params.get("auth-session-timeout")
    if timeout is not None:
        t = str(timeout).strip()
        if not t.isdigit() or not 1 <= int(t) <= 604800:
            raise NotExpressible(f"auth-session-timeout {t!r} is not 1 to 604800 seconds")
        config["sessionTimeout"] = int(t)
    action = f"authenticate-{kind}"
    key = "authenticateOIDCConfig" if kind == "oidc" else "authenticateCognitoConfig"
    return {"type": action, key: config}


class Certificate(NamedTuple):
    """The ALB dialect's ``certificate`` setting: HTTPS hosts without a Secret."""

    hosts: list[str]  # "*": rules without a host
    arns: list[str]  # certificate-arn (empty: the ALB discovered them by host name)


def _certificate(value: str) -> Certificate | None:
    data = _json(value)
    if not isinstance(data, dict):
        return None
    hosts, arn = data.get("hosts"), data.get("certificateArn")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
        return None
    if arn is not None and not isinstance(arn, str):
        return None
    return Certificate(hosts, _csv(arn or ""))


def _certificate_refusal(value: str) -> str | None:
    cert = _certificate(value)
    if cert is None:
        return "the HTTPS certificate setting could not be read"
    if not cert.arns and all(h == "*" for h in cert.hosts):
        return ("without certificate-arn the AWS Load Balancer Controller Gateway discovers ACM "
                "certificates by the listener's and routes' host names, and these rules have "
                "none: name the certificate in certificate-arn")
    return None


def gateway_parameters(objects: Sequence[dict[str, Any]]) -> dict[str, str] | None:
    """The Gateway's ``spec.infrastructure.parametersRef`` to the LoadBalancerConfiguration
    expressed for it: the AWS Load Balancer Controller reads it only through that reference."""
    for o in objects:
        if o.get("kind") == "LoadBalancerConfiguration":
            return {"group": GROUP, "kind": "LoadBalancerConfiguration",
                    "name": o["metadata"]["name"]}
    return None


def certificate_hosts(intent: Intent) -> list[str]:
    """Hosts whose HTTPS certificate this target supplies (``targets.supplied_certificates``):
    emit writes their HTTPS listeners without ``tls``."""
    if isinstance(intent, Opaque) and (intent.dialect, intent.name) == ("alb", "certificate"):
        cert = _certificate(intent.value)
        return cert.hosts if cert is not None else []
    return []


def _opaque_refusal(intent: Opaque) -> str | None:
    reason = NOT_CARRIED.get((intent.dialect, intent.name))
    if reason is not None:
        return reason
    if (intent.dialect, intent.name) not in OPAQUE:
        return f"AWS Load Balancer Controller Gateway has no field for {intent.name!r}"
    if intent.name == "certificate":
        return _certificate_refusal(intent.value)
    if intent.name in LISTENER_SETTINGS and _listener_setting(intent.value) is None:
        return f"the {intent.name} setting could not be read"
    if intent.name in ("auth", "fixed-response"):
        try:
            (_auth_action if intent.name == "auth" else _fixed_response)(intent.value)
        except NotExpressible as exc:
            return str(exc)
    if intent.name in LB_FIELDS:
        try:
            LB_FIELDS[intent.name][1](intent.value)
        except ValueError as exc:
            return f"invalid {intent.name}: {exc}"
    if intent.name == "target-group":
        data = _target_group(intent.value)
        if data is None:
            return "the target group settings could not be read"
        extra = sorted(set(data["annotations"]) - set(TG_FIELDS) - set(HC_FIELDS))
        if extra:
            return f"no TargetGroupConfiguration field for {', '.join(extra)}"
        try:
            _tg_config(data["annotations"])
        except ValueError as exc:
            return f"invalid target group setting: {exc}"
    return None


def _ip_refusal(intent: IPAccess) -> str | None:
    if intent.deny:
        return "an ALB has no client-IP deny list (security groups and rule conditions allow)"
    return None


TABLE: dict[type, Capability] = {
    Opaque: Capability("converted", "; ".join(f"{n}: {how}" for (_, n), how in OPAQUE.items()),
                       _opaque_refusal),
    IPAccess: Capability(
        "approximated", "Gateway: LoadBalancerConfiguration sourceRanges; route/rule: "
        "ListenerRuleConfiguration source-ip condition (ExtensionRef)", _ip_refusal),
}
# Where each intent can attach (emit's Attachment.scope); Opaque load balancer settings:
# gateway only, target-group: any.
SCOPES: dict[type, tuple[str, ...]] = {}
# A rule takes one ListenerRuleConfiguration: a rule with its own intents (a source-ip
# condition, a fixed response) gets the route's (authentication) in the same object.
RULE_REPLACES_ROUTE = True
GAPS: dict[type, str] = {
    BasicAuth: "no basic authentication on an ALB",
    ExternalAuth: "ALB authenticates with OIDC/Cognito only, no forward-auth URL",
    RateLimit: "rate limits are AWS WAF rules (wafV2 web ACL), not Kubernetes objects",
    BodySize: "no request body limit",
    CookieAffinity: "stickiness is a target group attribute of the Service",
    BackendTLS: "the ALB speaks HTTPS to targets without verifying them",
    ClientCertAuth: "mutual TLS is per ALB listener with an AWS trust store, not a Secret",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    lb: dict[str, Any] = {}
    listeners: dict[int, dict[str, Any]] = {}
    actions: dict[str, tuple[dict[str, Any], Opaque]] = {}  # "auth" | "fixed-response"
    certificates: list[Opaque] = []
    for o in pick(intents, Opaque):
        if o.name == "target-group":
            data = _target_group(o.value)
            if data is not None:
                objects.append(obj(API, "TargetGroupConfiguration",
                                   fit(f"{slug(data['service'])}-target-group", 253),
                                   att.namespace, {
                                       "targetReference": {"name": data["service"]},
                                       "defaultConfiguration": _tg_config(data["annotations"])}))
        elif o.name in ("auth", "fixed-response"):
            _action(att, o, actions, notes)
        elif att.scope != "gateway":
            notes.append(note(P + "gateway-scope", Severity.ERROR,
                              f"ALB setting {o.name!r} applies to the whole load balancer; "
                              "recorded on a route it was not expressed", att, o))
        elif o.name in LISTENER_SETTINGS:
            _listener_configuration(att, o, listeners, notes)
        elif o.name == "certificate":
            certificates.append(o)  # after every listenerConfiguration is known
        else:
            field, convert = LB_FIELDS[o.name]
            lb[field] = convert(o.value)
            if o.name == "wafv2-acl-name":
                notes.append(note(P + "waf-by-name", Severity.INFO,
                                  "the web ACL is given by name (wafv2-acl-name) in wafV2.webACL; "
                                  "if the controller rejects it, put the web ACL's ARN there",
                                  att, o))
    for o in certificates:
        _certificate_notes(att, o, listeners, notes)
    if listeners:
        lb["listenerConfigurations"] = [listeners[p] for p in sorted(listeners)]
    conditions: list[dict[str, Any]] = []
    ip = first(intents, IPAccess)
    if ip is not None and ip.allow:
        if att.scope == "gateway":
            lb["sourceRanges"] = sorted({*lb.get("sourceRanges", []), *ip.allow})
            notes.append(note(P + "source-ranges", Severity.WARNING,
                              "the allowlist becomes the load balancer's security group: other "
                              "clients cannot connect at all (nginx answered 403)", att, ip))
        else:
            conditions.append({"field": "source-ip", "sourceIPConfig": {"values": list(ip.allow)}})
            notes.append(note(P + "source-ip", Severity.WARNING,
                              "clients outside the allowlist no longer match this rule: they "
                              "get the next matching rule or the listener's 404 instead of "
                              "nginx's 403", att, ip))
    if (conditions or actions) and att.scope != "gateway":
        # One ListenerRuleConfiguration per rule: its conditions and actions together.
        name = object_name(att, "source-ip" if not actions else "listener-rule")
        spec: dict[str, Any] = {}
        if actions:
            # Authentication runs first, then the rule's own action (CRD: at most one each).
            spec["actions"] = [actions[k][0] for k in ("auth", "fixed-response") if k in actions]
        if conditions:
            spec["conditions"] = conditions
        objects.append(obj(API, "ListenerRuleConfiguration", name, att.namespace, spec))
        filters.append(extension_ref(GROUP, "ListenerRuleConfiguration", name))
    if lb:
        name = fit(f"{slug(att.name)}-lb", 253)
        objects.insert(0, obj(API, "LoadBalancerConfiguration", name, att.namespace, lb))
        if att.kind == "Gateway" and settings.gateway is None:
            # gwshift writes this Gateway: emit names the object in its parametersRef
            # (``gateway_parameters``).
            notes.append(note(P + "load-balancer", Severity.INFO,
                              f"LoadBalancerConfiguration {name!r} holds the ALB settings; the "
                              "Gateway names it in spec.infrastructure.parametersRef", att))
        else:
            # A warning: until the existing Gateway names it, none of it applies
            # (certificates, SSL policy, WAF, source ranges).
            notes.append(note(P + "load-balancer", Severity.WARNING,
                              f"LoadBalancerConfiguration {name!r} applies only once the "
                              f"{att.kind} {att.name} names it (a Gateway's "
                              "spec.infrastructure.parametersRef: group gateway.k8s.aws, kind "
                              "LoadBalancerConfiguration, or its GatewayClass's parametersRef)",
                              att))
    return expressed(att, objects, filters, notes)


def _action(att: Attachment, o: Opaque, actions: dict[str, tuple[dict[str, Any], Opaque]],
            notes: list[Note]) -> None:
    """An authenticate or fixed-response action of the rules in scope (one of each)."""
    if att.scope == "gateway":
        notes.append(note(P + "route-scope", Severity.ERROR, f"the ALB {o.name} action belongs "
                          "to listener rules; recorded on a Gateway it was not expressed", att, o))
        return
    if o.name == "auth":
        action, code = _auth_action(o.value), P + "auth"
        kind = action["type"].split("-", 1)[1].upper()
        message = (f"the ALB authenticates with {kind} (ListenerRuleConfiguration "
                   f"{action['type']}) before forwarding, as the Ingress did; the listener "
                   "must be HTTPS")
        if kind == "OIDC":
            message += (f"; Secret {action['authenticateOIDCConfig']['secret']['name']!r} "
                        "keeps its clientID and clientSecret keys")
    else:
        action = {"type": "fixed-response", "fixedResponseConfig": _fixed_response(o.value)}
        code = P + "fixed-response"
        message = (f"the rule answers {action['fixedResponseConfig']['statusCode']} itself "
                   "(ListenerRuleConfiguration fixed-response), as the ALB action did")
    if o.name in actions and actions[o.name][0] != action:
        notes.append(note(P + "conflict", Severity.ERROR, f"a second, different ALB {o.name} "
                          "action on the same rule cannot be combined with the first; it was "
                          "not expressed", att, o))
        return
    if o.name not in actions:
        actions[o.name] = (action, o)
        notes.append(note(code, Severity.INFO, message, att, o))


def _listener_configuration(att: Attachment, o: Opaque, listeners: dict[int, dict[str, Any]],
                            notes: list[Note]) -> None:
    """certificate-arn / ssl-policy on every HTTPS port the Ingress listened on."""
    setting = _listener_setting(o.value)
    if setting is None:
        return
    value, ports = setting
    for port in ports:
        config = listeners.setdefault(port, {"protocolPort": f"HTTPS:{port}"})
        if o.name == "ssl-policy":
            if config.get("sslPolicy", value) != value:
                notes.append(note(P + "conflict", Severity.ERROR,
                                  f"two SSL policies for HTTPS:{port} ({config['sslPolicy']!r}, "
                                  f"{value!r}) in one load balancer; the second was not "
                                  "expressed", att, o))
                continue
            config["sslPolicy"] = value
            continue
        arns = _csv(value)
        known = [config["defaultCertificate"], *config.get("certificates", [])] \
            if "defaultCertificate" in config else []
        for arn in arns:
            if arn in known:
                continue
            if "defaultCertificate" not in config:
                config["defaultCertificate"] = arn
            else:
                # ALB: the first ARN is the default, the others are served by SNI; the
                # members of an IngressGroup add theirs to the same listener.
                config.setdefault("certificates", []).append(arn)
            known.append(arn)


def _host_list(hosts: list[str]) -> str:
    named = [h for h in hosts if h != "*"]
    return ", ".join(named + (["the rules without a host"] if len(named) < len(hosts) else []))


def _certificate_notes(att: Attachment, o: Opaque, listeners: dict[int, dict[str, Any]],
                       notes: list[Note]) -> None:
    """Whether the ACM certificates of HTTPS hosts without a Secret reach the controller as
    they reached the ALB (emit writes those listeners without ``tls``)."""
    cert = _certificate(o.value)
    if cert is None:
        return
    hosts = _host_list(cert.hosts)
    configured = {p: [c["defaultCertificate"], *c.get("certificates", [])]
                  for p, c in sorted(listeners.items()) if "defaultCertificate" in c}
    known = {arn for arns in configured.values() for arn in arns}
    if cert.arns:
        missing = [arn for arn in cert.arns if arn not in known]
        if missing:
            notes.append(note(P + "certificate-missing", Severity.ERROR,
                              f"certificate-arn {', '.join(missing)} did not reach the "
                              "LoadBalancerConfiguration listenerConfigurations, so HTTPS for "
                              f"{hosts} would have no certificate; it was not expressed", att, o))
            return
        ports = ", ".join(f"HTTPS:{p}" for p, arns in configured.items()
                          if set(cert.arns) & set(arns))
        notes.append(note(P + "acm-certificate", Severity.INFO,
                          f"the HTTPS listeners for {hosts} have no tls block (no Secret): the "
                          "AWS Load Balancer Controller serves the ACM certificates of "
                          f"certificate-arn from LoadBalancerConfiguration listenerConfigurations "
                          f"({ports}), as the ALB did", att, o))
        return
    if configured:
        # The controller discovers certificates only for a port whose listenerConfiguration
        # names none; the ALB Ingress controller merged explicit and discovered ones.
        notes.append(note(P + "certificate-discovery-off", Severity.ERROR,
                          f"the ALB discovered the ACM certificates for {hosts} by host name, "
                          "but certificate-arn of another member of the load balancer names "
                          f"certificates for its HTTPS listeners "
                          f"({', '.join(f'HTTPS:{p}' for p in configured)}): the AWS Load "
                          "Balancer Controller Gateway then discovers none, and those hosts "
                          "would get another certificate; it was not expressed (add their "
                          "certificate ARNs to certificate-arn)", att, o))
        return
    notes.append(note(P + "certificate-discovery", Severity.INFO,
                      f"the HTTPS listeners for {hosts} have no tls block (no Secret): the AWS "
                      "Load Balancer Controller discovers their ACM certificates by host name, "
                      "as the ALB did; an issued ACM certificate must cover each host", att, o))


def _tg_config(annotations: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    health: dict[str, Any] = {}
    for key, raw in sorted(annotations.items()):
        value = str(raw)
        if key in TG_FIELDS:
            field, convert = TG_FIELDS[key]
            config[field] = convert(value)
        elif key in HC_FIELDS:
            field, convert = HC_FIELDS[key]
            health[field] = convert(value)
    if health:
        config["healthCheckConfig"] = health
    return config


TARGET = Target(name=NAME, title="AWS Load Balancer Controller 3.5 (Gateway)", table=TABLE,
                express=express, api_groups=(GROUP,))
