from __future__ import annotations

import json

from gwshift.intents import IPAccess, Opaque
from gwshift.settings import Settings
from gwshift.targets import get, refusal, supplied_certificates
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


# --- listener settings, WAF, authentication, fixed responses ---------------------------------


def listener(name: str, value: str, ports: tuple[int, ...] = (443,)) -> Opaque:
    return alb(name, json.dumps({"value": value, "ports": list(ports)}))


def test_certificates_and_ssl_policy_are_listener_configurations() -> None:
    intents = [listener("certificate-arn", "arn:aws:acm:a, arn:aws:acm:b", (443, 8443)),
               listener("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06", (443, 8443)),
               listener("certificate-arn", "arn:aws:acm:c, arn:aws:acm:a")]  # group member
    out = express(GW, intents, S)
    assert out.objects[0]["spec"]["listenerConfigurations"] == [
        {"protocolPort": "HTTPS:443", "defaultCertificate": "arn:aws:acm:a",
         "certificates": ["arn:aws:acm:b", "arn:aws:acm:c"],
         "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
        {"protocolPort": "HTTPS:8443", "defaultCertificate": "arn:aws:acm:a",
         "certificates": ["arn:aws:acm:b"], "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}]
    validate(out.objects)


def test_two_ssl_policies_for_one_listener_conflict() -> None:
    out = express(GW, [listener("ssl-policy", "A"), listener("ssl-policy", "B")], S)
    assert "target-aws/conflict" in codes(out)


def test_waf_by_name_and_classic_waf_refused() -> None:
    out = express(GW, [alb("wafv2-acl-name", "shop-acl")], S)
    assert out.objects[0]["spec"]["wafV2"] == {"webACL": "shop-acl"}
    assert "target-aws/waf-by-name" in codes(out)
    validate(out.objects)
    assert "WAF Classic" in (refusal(get("aws"), alb("waf-acl-id", "abc")) or "")
    # The ACM certificate setting of hosts without a Secret must be readable.
    assert "could not be read" in (refusal(get("aws"), alb("certificate", "{}")) or "")


OIDC = {"auth-type": "oidc", "auth-idp-oidc": json.dumps({
    "issuer": "https://idp.example.com", "authorizationEndpoint": "https://idp.example.com/auth",
    "tokenEndpoint": "https://idp.example.com/token",
    "userInfoEndpoint": "https://idp.example.com/userinfo", "secretName": "oidc-client"}),
    "auth-on-unauthenticated-request": "authenticate", "auth-scope": "openid email",
    "auth-session-timeout": "3600"}
COGNITO = {"auth-type": "cognito", "auth-idp-cognito": json.dumps({
    "userPoolARN": "arn:aws:cognito-idp:eu-west-1:1:userpool/x", "userPoolClientID": "cid",
    "userPoolDomain": "shop"})}


def test_oidc_authentication_is_a_listener_rule_action() -> None:
    out = express(att(), [alb("auth", json.dumps(OIDC))], S)
    assert kinds(out) == ["ListenerRuleConfiguration"]
    assert out.objects[0]["metadata"]["name"] == "web-listener-rule"
    assert out.objects[0]["spec"] == {"actions": [{"type": "authenticate-oidc",
                                                   "authenticateOIDCConfig": {
        "issuer": "https://idp.example.com", "authorizationEndpoint": "https://idp.example.com/auth",
        "tokenEndpoint": "https://idp.example.com/token",
        "userInfoEndpoint": "https://idp.example.com/userinfo", "secret": {"name": "oidc-client"},
        "onUnauthenticatedRequest": "authenticate", "scope": "openid email",
        "sessionTimeout": 3600}}]}
    assert out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "gateway.k8s.aws", "kind": "ListenerRuleConfiguration",
        "name": "web-listener-rule"}}]
    assert codes(out) == ["target-aws/auth"]
    validate(out.objects)


def test_cognito_fixed_response_and_source_ip_share_one_rule_object() -> None:
    fixed = alb("fixed-response", json.dumps({"statusCode": 503, "contentType": "text/plain",
                                              "messageBody": "maintenance"}))
    out = express(att("rule", section="rule-1"),
                  [alb("auth", json.dumps(COGNITO)), fixed, IPAccess(("10.0.0.0/8",), (), by())], S)
    assert kinds(out) == ["ListenerRuleConfiguration"]
    spec = out.objects[0]["spec"]
    assert [a["type"] for a in spec["actions"]] == ["authenticate-cognito", "fixed-response"]
    assert spec["actions"][1]["fixedResponseConfig"] == {
        "statusCode": 503, "contentType": "text/plain", "messageBody": "maintenance"}
    assert spec["conditions"] == [{"field": "source-ip", "sourceIPConfig": {"values": ["10.0.0.0/8"]}}]
    assert len(out.filters) == 1
    validate(out.objects)


def test_source_ip_alone_keeps_its_name() -> None:  # must-not-change twin
    out = express(att("rule", section="r2"), [IPAccess(("10.0.0.0/8",), (), by())], S)
    assert out.objects[0]["metadata"]["name"] == "web-r2-source-ip"
    assert "actions" not in out.objects[0]["spec"]


def test_inexpressible_auth_and_fixed_responses_are_refused() -> None:
    aws = get("aws")
    assert refusal(aws, alb("auth", json.dumps(OIDC))) is None
    assert refusal(aws, alb("auth", json.dumps({**OIDC, "auth-idp-oidc": "{}"}))) is not None
    assert refusal(aws, alb("auth", json.dumps({"auth-type": "basic"}))) is not None
    assert refusal(aws, alb("auth", json.dumps({**OIDC, "auth-session-timeout": "0"}))) is not None
    assert refusal(aws, alb("fixed-response", json.dumps({"statusCode": 404}))) is None
    assert refusal(aws, alb("fixed-response", json.dumps({"statusCode": 302}))) is not None
    assert refusal(aws, alb("fixed-response", json.dumps(
        {"statusCode": 200, "contentType": "image/png"}))) is not None


def test_actions_never_go_on_a_gateway() -> None:
    out = express(GW, [alb("fixed-response", json.dumps({"statusCode": 404}))], S)
    assert out.objects == [] and codes(out) == ["target-aws/route-scope"]


# --- ACM certificates of HTTPS hosts without a Secret -----------------------------------------

ARN = "arn:aws:acm:eu-west-1:1:certificate/a"


def certificate(hosts: list[str], arn: str | None = None) -> Opaque:
    return Opaque("alb", "certificate", json.dumps({"certificateArn": arn, "hosts": hosts}),
                  by("alb.ingress.kubernetes.io/certificate-arn", "alb/https-certificate-from-acm"))


def test_acm_certificates_are_accepted_and_supplied() -> None:
    aws = get("aws")
    assert refusal(aws, certificate(["a.example.com"], ARN)) is None
    assert refusal(aws, certificate(["*"], ARN)) is None
    # The controller discovers certificates by host name, as the ALB Ingress controller did.
    assert refusal(aws, certificate(["a.example.com", "*"])) is None
    assert supplied_certificates(aws, [certificate(["a.example.com", "*"], ARN),
                                       alb("scheme", "internal")]) == {"a.example.com", "*"}


def test_discovery_without_a_host_and_unreadable_settings_are_refused() -> None:
    aws = get("aws")
    assert "host names" in (refusal(aws, certificate(["*"])) or "")
    assert "host names" in (refusal(aws, certificate(["*"], " , ")) or "")  # blank: discovery
    assert "could not be read" in (refusal(aws, alb("certificate", '{"hosts": []}')) or "")
    assert supplied_certificates(aws, [certificate(["*"])]) == frozenset()


def test_other_targets_supply_no_certificate() -> None:  # must-not-change twin
    for name in ("standard", "envoy-gateway", "gke"):
        assert supplied_certificates(get(name), [certificate(["a.example.com"], ARN)]) == frozenset()


def test_certificate_arn_reaches_the_listener_configuration() -> None:
    out = express(GW, [listener("certificate-arn", ARN), certificate(["a.example.com"], ARN)], S)
    assert out.objects[0]["spec"]["listenerConfigurations"] == [
        {"protocolPort": "HTTPS:443", "defaultCertificate": ARN}]
    assert codes(out) == ["target-aws/acm-certificate", "target-aws/load-balancer"]
    assert "(HTTPS:443)" in out.notes[0].message
    validate(out.objects)


def test_discovered_certificates_need_no_object() -> None:
    out = express(GW, [certificate(["a.example.com", "b.example.com"])], S)
    assert out.objects == [] and codes(out) == ["target-aws/certificate-discovery"]
    assert "a.example.com, b.example.com" in out.notes[0].message


def test_discovery_beside_explicit_certificates_is_not_expressed() -> None:
    # An IngressGroup: one member names its certificate, another relied on discovery. The
    # Gateway controller discovers none for a port with explicit certificates.
    out = express(GW, [listener("certificate-arn", ARN), certificate(["a.example.com"], ARN),
                       certificate(["b.example.com"])], S)
    assert "target-aws/certificate-discovery-off" in codes(out)
    [off] = [n for n in out.notes if n.code == "target-aws/certificate-discovery-off"]
    assert off.severity.name == "ERROR" and "b.example.com" in off.message


def test_an_arn_missing_from_the_listener_configuration_is_an_error() -> None:
    out = express(GW, [certificate(["a.example.com"], ARN)], S)
    assert codes(out) == ["target-aws/certificate-missing"]
    assert out.notes[0].severity.name == "ERROR"


def test_generated_gateway_names_its_load_balancer_configuration() -> None:
    """The AWS Load Balancer Controller reads a LoadBalancerConfiguration only through the
    Gateway's spec.infrastructure.parametersRef (docs/guide/gateway): a generated Gateway
    names it; an existing one (--gateway) cannot be edited, so the note is a warning."""
    import yaml
    from gwshift.core import transform
    from gwshift.settings import Settings as _S

    text = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n"
        "  namespace: shop\n  annotations:\n"
        "    alb.ingress.kubernetes.io/scheme: internal\nspec:\n  ingressClassName: alb\n"
        "  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
        "        pathType: Prefix\n        backend:\n          service:\n            name: web\n"
        "            port:\n              number: 80\n")
    out = transform(text, _S(target="aws"))
    docs = [d for d in yaml.safe_load_all(out.text) if d]
    gw = next(d for d in docs if d["kind"] == "Gateway")
    lbc = next(d for d in docs if d["kind"] == "LoadBalancerConfiguration")
    assert gw["spec"]["infrastructure"]["parametersRef"] == {
        "group": "gateway.k8s.aws", "kind": "LoadBalancerConfiguration",
        "name": lbc["metadata"]["name"]}
    assert [n.severity.name for n in out.notes if n.code == "target-aws/load-balancer"] == ["INFO"]
    existing = transform(text, _S(target="aws", gateway=("infra", "shared")))
    assert "infrastructure" not in existing.text
    assert [n.severity.name for n in existing.notes
            if n.code == "target-aws/load-balancer"] == ["WARNING"]


def test_standard_target_gateway_has_no_parameters_ref() -> None:  # must-not-change twin
    from gwshift.core import transform
    from gwshift.settings import Settings as _S

    text = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n"
        "  namespace: shop\n  annotations:\n"
        "    alb.ingress.kubernetes.io/scheme: internal\nspec:\n  ingressClassName: alb\n"
        "  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
        "        pathType: Prefix\n        backend:\n          service:\n            name: web\n"
        "            port:\n              number: 80\n")
    assert "infrastructure" not in transform(text, _S()).text
