from __future__ import annotations

import json

from gwshift.intents import IPAccess, Opaque
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.aws import express

from .conftest import att, by, codes, kinds, validate

S = Settings()
GW = att("gateway", kind="Gateway", name="alb", namespace="shop")


def alb(name: str, value: str) -> Opaque:
    return Opaque("alb", name, value, by(security=False))


def test_refusals() -> None:
    aws = get("aws")
    assert refusal(aws, alb("scheme", "internal")) is None
    assert refusal(aws, alb("scheme", "public")) is not None
    assert refusal(aws, alb("group.order", "1")) is not None
    assert refusal(aws, IPAccess((), ("1.2.3.4/32",), by())) is not None


def test_load_balancer_configuration_collects_gateway_settings() -> None:
    intents = [alb("scheme", "internal"), alb("subnets", "subnet-a, subnet-b"),
               alb("load-balancer-attributes", "idle_timeout.timeout_seconds=120"),
               alb("tags", "team=shop,env=prod"), alb("wafv2-acl-arn", "arn:aws:wafv2:x"),
               IPAccess(("10.0.0.0/8",), (), by())]
    out = express(GW, intents, S)
    assert kinds(out) == ["LoadBalancerConfiguration"]
    spec = out.objects[0]["spec"]
    assert out.objects[0]["metadata"]["name"] == "alb-lb"
    assert spec == {
        "scheme": "internal",
        "loadBalancerSubnets": [{"identifier": "subnet-a"}, {"identifier": "subnet-b"}],
        "loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "120"}],
        "tags": {"team": "shop", "env": "prod"}, "wafV2": {"webACL": "arn:aws:wafv2:x"},
        "sourceRanges": ["10.0.0.0/8"]}
    assert codes(out) == ["target-aws/source-ranges", "target-aws/load-balancer"]
    validate(out.objects)


def test_target_group_configuration_for_a_service() -> None:
    value = json.dumps({"service": "web", "annotations": {
        "target-type": "ip", "backend-protocol": "HTTPS", "healthcheck-path": "/health",
        "healthcheck-interval-seconds": "15", "success-codes": "200-299"}})
    out = express(att(), [alb("target-group", value)], S)
    assert kinds(out) == ["TargetGroupConfiguration"]
    assert out.objects[0]["spec"] == {"targetReference": {"name": "web"}, "defaultConfiguration": {
        "protocol": "HTTPS", "targetType": "ip", "healthCheckConfig": {
            "healthCheckInterval": 15, "healthCheckPath": "/health",
            "matcher": {"httpCode": "200-299"}}}}
    validate(out.objects)


def test_route_allowlist_is_a_listener_rule_condition() -> None:
    out = express(att("rule", section="r2"), [IPAccess(("10.0.0.0/8",), (), by())], S)
    assert kinds(out) == ["ListenerRuleConfiguration"]
    assert out.filters[0]["extensionRef"] == {"group": "gateway.k8s.aws",
                                              "kind": "ListenerRuleConfiguration",
                                              "name": "web-r2-source-ip"}
    assert codes(out) == ["target-aws/source-ip"]
    validate(out.objects)


def test_gateway_setting_on_a_route_is_not_widened() -> None:
    out = express(att(), [alb("scheme", "internal")], S)
    assert out.objects == [] and codes(out) == ["target-aws/gateway-scope"]
