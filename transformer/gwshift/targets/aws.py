"""AWS Load Balancer Controller Gateway (``gateway.k8s.aws/v1``).

- LoadBalancerConfiguration ``<gateway>-lb`` (gateway scope): the ALB settings the ALB
  dialect records as :class:`~gwshift.intents.Opaque` (names in ``LB_FIELDS``), and an IP
  allowlist for the whole Gateway (``sourceRanges``). The Gateway references it through
  ``spec.infrastructure.parametersRef``.
- TargetGroupConfiguration ``<service>-target-group`` (Service): the ``target-group`` Opaque
  setting, JSON ``{"service": name, "annotations": {annotation: value}}``.
- ListenerRuleConfiguration ``<route>[-<rule>]-source-ip`` (ExtensionRef): an IP allowlist
  of one route or rule, as an ALB ``source-ip`` rule condition.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

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
    ("alb", "target-group"): "TargetGroupConfiguration defaultConfiguration ("
    + ", ".join(sorted([*TG_FIELDS, *HC_FIELDS])) + ")",
}


def _target_group(value: str) -> dict[str, Any] | None:
    try:
        data = json.loads(value)
    except ValueError:
        return None
    ok = (isinstance(data, dict) and isinstance(data.get("service"), str)
          and isinstance(data.get("annotations"), dict))
    return data if ok else None


def _opaque_refusal(intent: Opaque) -> str | None:
    if (intent.dialect, intent.name) not in OPAQUE:
        return f"AWS Load Balancer Controller Gateway has no field for {intent.name!r}"
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
    for o in pick(intents, Opaque):
        if o.name == "target-group":
            data = _target_group(o.value)
            if data is not None:
                objects.append(obj(API, "TargetGroupConfiguration",
                                   fit(f"{slug(data['service'])}-target-group", 253),
                                   att.namespace, {
                                       "targetReference": {"name": data["service"]},
                                       "defaultConfiguration": _tg_config(data["annotations"])}))
        elif att.scope != "gateway":
            notes.append(note(P + "gateway-scope", Severity.ERROR,
                              f"ALB setting {o.name!r} applies to the whole load balancer; "
                              "recorded on a route it was not expressed", att, o))
        else:
            field, convert = LB_FIELDS[o.name]
            lb[field] = convert(o.value)
    ip = first(intents, IPAccess)
    if ip is not None and ip.allow:
        if att.scope == "gateway":
            lb["sourceRanges"] = sorted({*lb.get("sourceRanges", []), *ip.allow})
            notes.append(note(P + "source-ranges", Severity.WARNING,
                              "the allowlist becomes the load balancer's security group: other "
                              "clients cannot connect at all (nginx answered 403)", att, ip))
        else:
            name = object_name(att, "source-ip")
            objects.append(obj(API, "ListenerRuleConfiguration", name, att.namespace, {
                "conditions": [{"field": "source-ip",
                                "sourceIPConfig": {"values": list(ip.allow)}}]}))
            filters.append(extension_ref(GROUP, "ListenerRuleConfiguration", name))
            notes.append(note(P + "source-ip", Severity.WARNING,
                              "clients outside the allowlist no longer match this rule: they "
                              "get the next matching rule or the listener's 404 instead of "
                              "nginx's 403", att, ip))
    if lb:
        name = fit(f"{slug(att.name)}-lb", 253)
        objects.insert(0, obj(API, "LoadBalancerConfiguration", name, att.namespace, lb))
        notes.append(note(P + "load-balancer", Severity.INFO,
                          f"LoadBalancerConfiguration {name!r} applies once the Gateway "
                          "names it in spec.infrastructure.parametersRef", att))
    return expressed(att, objects, filters, notes)


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
