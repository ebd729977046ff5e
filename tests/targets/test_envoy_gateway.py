from __future__ import annotations

from typing import Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CookieAffinity,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
    ServiceRef,
)
from gwshift.settings import Settings
from gwshift.targets import envoy_gateway, get, refusal
from gwshift.targets.envoy_gateway import express

from .conftest import att, by, codes, kinds, validate

S = Settings()
ALLOW = IPAccess(("10.0.0.0/8",), (), by())
DENY_ALLOW = IPAccess(("10.0.0.0/8",), ("10.1.0.0/16",), by())
BASIC = BasicAuth("users", "Restricted", "auth-file", by())
EXT = ExternalAuth("http://auth.sso.svc.cluster.local:4180/oauth2/auth",
                   ServiceRef("auth", "sso", 4180, "/oauth2/auth"), ("X-User",), (),
                   "https://sso.example.com/start", None, by())
RATE = RateLimit(10, "Second", 50, by())


def test_registry_and_table() -> None:
    target = get("envoy-gateway")
    assert target.name == "envoy-gateway"
    assert refusal(target, ALLOW) is None
    assert refusal(target, ConnectionLimit(5, by())) is not None


def test_one_security_policy_holds_every_security_intent() -> None:
    out = express(att(), [ALLOW, BASIC, EXT], S)
    assert kinds(out) == ["SecurityPolicy", "ReferenceGrant"]
    sp = out.objects[0]
    assert sp["metadata"] == {"name": "web-security", "namespace": "shop",
                              "annotations": {"gwshift.dev/source": "Ingress/web"}}
    assert sp["spec"]["targetRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web"}]
    assert sp["spec"]["authorization"] == {"defaultAction": "Deny", "rules": [
        {"name": "allow", "action": "Allow", "principal": {"clientCIDRs": ["10.0.0.0/8"]}}]}
    assert sp["spec"]["basicAuth"]["users"]["name"] == "users"
    http = sp["spec"]["extAuth"]["http"]
    assert http["backendRefs"] == [
        {"group": "", "kind": "Service", "name": "auth", "namespace": "sso", "port": 4180}]
    assert http["pathOverride"] == "/oauth2/auth"
    assert http["headersToBackend"] == ["X-User"]
    grant = out.objects[1]
    assert grant["metadata"]["namespace"] == "sso"
    assert grant["spec"] == {
        "from": [{"group": "gateway.envoyproxy.io", "kind": "SecurityPolicy",
                  "namespace": "shop"}],
        "to": [{"group": "", "kind": "Service", "name": "auth"}]}
    assert {"target-envoy-gateway/basic-auth-secret", "target-envoy-gateway/auth-signin",
            "target-envoy-gateway/auth-request-headers"} <= set(codes(out))
    validate(out.objects)


def test_basic_auth_note_says_what_to_change_in_the_secret() -> None:
    out = express(att(), [BASIC], S)
    msg = next(n.message for n in out.notes if n.code.endswith("basic-auth-secret"))
    assert "'.htpasswd'" in msg and "'auth'" in msg and "SHA" in msg
    assert out.notes[0].field == "metadata.annotations[x]"


def test_deny_rules_come_first_and_default_follows_the_allow_list() -> None:
    rules = express(att(), [DENY_ALLOW], S).objects[0]["spec"]["authorization"]
    assert [r["action"] for r in rules["rules"]] == ["Deny", "Allow"]
    deny_only = express(att(), [IPAccess((), ("1.2.3.4/32",), by())], S).objects[0]
    assert deny_only["spec"]["authorization"]["defaultAction"] == "Allow"


def test_rule_scope_uses_section_name() -> None:
    out = express(att("rule", section="rule-1"), [ALLOW, RATE], S)
    assert [o["metadata"]["name"] for o in out.objects] == [
        "web-rule-1-security", "web-rule-1-traffic"]
    for o in out.objects:
        assert o["spec"]["targetRefs"][0]["sectionName"] == "rule-1"
    validate(out.objects)


def test_same_namespace_auth_service_needs_no_grant() -> None:
    ext = EXT._replace(service=ServiceRef("auth", "shop", 80, ""))
    out = express(att(), [ext], S)
    assert kinds(out) == ["SecurityPolicy"]
    assert "pathOverride" not in out.objects[0]["spec"]["extAuth"]["http"]


def test_external_auth_host_becomes_a_backend() -> None:
    ext = ExternalAuth("https://login.example.com/check", None, (), (), None, None, by())
    out = express(att(), [ext], S)
    assert kinds(out) == ["SecurityPolicy", "Backend"]
    assert out.objects[1]["spec"]["endpoints"] == [
        {"fqdn": {"hostname": "login.example.com", "port": 443}}]
    assert out.objects[0]["spec"]["extAuth"]["http"]["backendRefs"][0]["kind"] == "Backend"
    validate(out.objects)


def test_https_in_cluster_auth_is_refused() -> None:
    ext = EXT._replace(service=ServiceRef("auth", "sso", 443, "/", "https"))
    assert "BackendTLSPolicy" in (refusal(get("envoy-gateway"), ext) or "")


def test_one_traffic_policy_per_attachment() -> None:
    intents = [RATE, BodySize(8 * 1024**2, by(security=False)),
               ProxyTimeouts(5, 60, 120, by(security=False)),
               CookieAffinity("route", 172800, "/", "Lax", True, by(security=False))]
    out = express(att(), intents, S)
    assert kinds(out) == ["BackendTrafficPolicy"]
    spec = out.objects[0]["spec"]
    rules = spec["rateLimit"]["local"]["rules"]
    assert [r["clientSelectors"][0]["sourceCIDR"] for r in rules] == [
        {"type": "Distinct", "value": "0.0.0.0/0"}, {"type": "Distinct", "value": "::/0"}]
    assert rules[0]["limit"] == {"requests": 10, "unit": "Second"}
    assert spec["requestBuffer"] == {"limit": "8Mi"}
    assert spec["timeout"] == {"tcp": {"connectTimeout": "5s"},
                               "http": {"streamIdleTimeout": "2m"}}
    assert spec["loadBalancer"]["consistentHash"]["cookie"] == {
        "name": "route", "ttl": "48h", "attributes": {"Path": "/", "SameSite": "Lax",
                                                      "Secure": ""}}
    assert {"target-envoy-gateway/rate-limit", "target-envoy-gateway/body-size-buffer",
            "target-envoy-gateway/timeouts", "target-envoy-gateway/cookie-affinity"} <= set(
        codes(out))
    validate(out.objects)


def test_body_size_never_buffers_grpc() -> None:
    out = express(att(kind="GRPCRoute"), [BodySize(1024, by(security=False))], S)
    assert out.objects == [] and codes(out) == ["target-envoy-gateway/body-size-grpc"]


def test_regex_rewrite_is_an_extension_ref_filter() -> None:
    out = express(att("rule", section="r0"), [RegexRewrite("^/api(/|$)(.*)", "/\\2", by())], S)
    assert kinds(out) == ["HTTPRouteFilter"]
    assert out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "gateway.envoyproxy.io", "kind": "HTTPRouteFilter", "name": "web-r0-rewrite"}}]
    validate(out.objects)


def test_client_cert_is_refused_rather_than_widened_to_a_listener() -> None:
    reason = refusal(get("envoy-gateway"), ClientCertAuth("shop/ca", "on", 2, False, by()))
    assert reason is not None
    assert "listener" in envoy_gateway.GAPS[ClientCertAuth]


def test_backend_tls_policy_and_refusals() -> None:
    tls = BackendTLS("api", 443, "api.internal", "shop/api-ca", True, None, by())
    out = express(att(), [tls], S)
    assert kinds(out) == ["BackendTLSPolicy"]
    assert out.objects[0]["spec"]["validation"] == {
        "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "api-ca"}],
        "hostname": "api.internal"}
    validate(out.objects)
    assert refusal(get("envoy-gateway"), tls._replace(client_secret="shop/client")) is not None


def test_deterministic() -> None:
    intents = [DENY_ALLOW, BASIC, EXT, RATE]
    assert express(att(), intents, S) == express(att(), intents, S)


def test_policies_only_target_kinds_their_crd_accepts() -> None:
    out = express(att(kind="TLSRoute"), [ALLOW], S)
    assert out.objects == [] and codes(out) == ["target-envoy-gateway/kind"]


def test_every_object_names_its_source() -> None:
    out = express(att(), [ALLOW, RATE, EXT], S)
    assert {o["metadata"]["annotations"]["gwshift.dev/source"] for o in out.objects} == {
        "Ingress/web"}


def test_hash_schemes() -> None:
    from gwshift.targets._common import hash_schemes

    text = "# users\nalice:{SHA}abc=\nbob:$apr1$x$y\ncarol:$2y$05$z\n\ndave:xyzAbc123\n"
    assert hash_schemes(text) == {"sha", "apr1", "bcrypt", "crypt"}


def test_basic_auth_note_judges_known_hashes() -> None:
    from gwshift.model import _set

    class Seen(BasicAuth):  # what a dialect that read the Secret records
        __slots__ = ("hash_schemes",)
        _fields = (*BasicAuth._fields, "hash_schemes")
        hash_schemes: frozenset[str]

        def __init__(self, secret: str, realm: str | None, secret_type: Any, by: Any,
                     hash_schemes: frozenset[str] = frozenset()) -> None:
            super().__init__(secret, realm, secret_type, by)
            _set(self, "hash_schemes", hash_schemes)

    sha = Seen("users", None, "auth-file", by(), frozenset({"sha"}))
    assert "work on Envoy Gateway" in express(att(), [sha], S).notes[0].message
    apr = Seen("users", None, "auth-file", by(), frozenset({"apr1", "sha"}))
    assert "apr1 hashes, which Envoy Gateway does not accept" in express(
        att(), [apr], S).notes[0].message


def test_allow_and_deny_intents_combine_into_one_policy() -> None:
    out = express(att(), [IPAccess(("10.0.0.0/8",), (), by()),
                          IPAccess((), ("10.1.0.0/16",), by())], S)
    assert out.objects[0]["spec"]["authorization"] == {"defaultAction": "Deny", "rules": [
        {"name": "deny", "action": "Deny", "principal": {"clientCIDRs": ["10.1.0.0/16"]}},
        {"name": "allow", "action": "Allow", "principal": {"clientCIDRs": ["10.0.0.0/8"]}}]}


def test_two_allowlists_both_hold() -> None:
    from gwshift.targets._common import ip_lists

    allow, _ = ip_lists([IPAccess(("10.0.0.0/8", "192.168.0.0/16"), (), by()),
                         IPAccess(("10.1.0.0/16", "172.16.0.0/12"), (), by())])
    assert allow == ("10.1.0.0/16",)
    nobody = express(att(), [IPAccess(("10.0.0.0/8",), (), by()),
                             IPAccess(("192.168.0.0/16",), (), by())], S)
    assert nobody.objects[0]["spec"]["authorization"] == {"defaultAction": "Deny", "rules": []}


def test_every_rate_limit_holds() -> None:
    out = express(att(), [RATE, RateLimit(100, "Minute", None, by())], S)
    rules = out.objects[0]["spec"]["rateLimit"]["local"]["rules"]
    assert [r["limit"] for r in rules] == [{"requests": 10, "unit": "Second"}] * 2 + [
        {"requests": 100, "unit": "Minute"}] * 2
    validate(out.objects)


def test_a_second_basic_auth_is_an_error() -> None:
    out = express(att(), [BASIC, BasicAuth("others", None, "auth-file", by())], S)
    assert "target-envoy-gateway/conflict" in codes(out)


# --- ALB fixed-response -> HTTPRouteFilter directResponse -----------------------------------


def _fixed(value: dict[str, object]) -> object:
    import json

    from gwshift.intents import Opaque

    return Opaque("alb", "fixed-response", json.dumps(value), by(code="alb/fixed-response"))


def test_alb_fixed_response_is_a_direct_response_filter() -> None:
    fixed = _fixed({"statusCode": 503, "contentType": "text/plain", "messageBody": "down"})
    assert refusal(get("envoy-gateway"), fixed) is None  # type: ignore[arg-type]
    out = express(att("rule", section="rule-0"), [fixed], S)  # type: ignore[list-item]
    assert kinds(out) == ["HTTPRouteFilter"]
    assert out.objects[0]["metadata"]["name"] == "web-rule-0-response"
    assert out.objects[0]["spec"] == {"directResponse": {
        "contentType": "text/plain", "body": {"type": "Inline", "inline": "down"},
        "statusCode": 503}}
    assert out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "gateway.envoyproxy.io", "kind": "HTTPRouteFilter",
        "name": "web-rule-0-response"}}]
    assert codes(out) == ["target-envoy-gateway/direct-response"]
    validate(out.objects)


def test_fixed_response_without_body_has_no_body() -> None:
    out = express(att("rule", section="rule-0"), [_fixed({"statusCode": 404})], S)  # type: ignore[list-item]
    assert out.objects[0]["spec"] == {"directResponse": {"statusCode": 404}}
    validate(out.objects)


def test_other_opaque_settings_stay_refused() -> None:  # must-not-change twin
    from gwshift.intents import Opaque
    from gwshift.targets import placement_refusal

    eg = get("envoy-gateway")
    assert refusal(eg, Opaque("alb", "scheme", "internal", by())) is not None
    assert refusal(eg, Opaque("alb", "auth", "{}", by())) is not None
    assert refusal(eg, _fixed({"statusCode": "x"})) is not None  # type: ignore[arg-type]
    # Only on one HTTPRoute rule: never widened to a route or Gateway.
    assert placement_refusal(eg, _fixed({"statusCode": 404}), "route", "HTTPRoute") is not None  # type: ignore[arg-type]
    assert placement_refusal(eg, _fixed({"statusCode": 404}), "rule", "GRPCRoute") is not None  # type: ignore[arg-type]


# --- unverified backend TLS -> Envoy Gateway Backend (tls.insecureSkipVerify) -----------------

UNVERIFIED = BackendTLS("api", None, None, None, False, None, by(code="nginx/backend-tls-unverified"))


def test_unverified_backend_tls_swaps_service_refs_for_backends() -> None:
    from gwshift.targets import swap_backends

    out = express(att(), [UNVERIFIED], S)
    assert out.objects == [] and out.filters == [] and out.backends is not None
    assert codes(out) == ["target-envoy-gateway/insecure-backend"]
    rule = {"backendRefs": [{"name": "api", "port": 8443, "weight": 3},
                            {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "x"}]}
    objects: list[dict[str, Any]] = []
    swap_backends(rule, out.backends, objects)
    assert rule["backendRefs"] == [
        {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "api-8443-insecure-tls",
         "weight": 3},
        {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "x"}]  # not a Service
    assert objects[0]["metadata"] == {"name": "api-8443-insecure-tls", "namespace": "shop",
                                      "annotations": {"gwshift.dev/source": "Ingress/web"}}
    assert objects[0]["spec"] == {
        "endpoints": [{"fqdn": {"hostname": "api.shop.svc.cluster.local", "port": 8443}}],
        "tls": {"insecureSkipVerify": True}}
    validate(objects)


def test_unverified_grpc_backend_asks_for_h2() -> None:
    from gwshift.targets import swap_backends

    out = express(att(kind="GRPCRoute"), [UNVERIFIED], S)
    rule = {"backendRefs": [{"name": "api", "port": 9443}]}
    objects: list[dict[str, Any]] = []
    swap_backends(rule, out.backends, objects)
    assert objects[0]["metadata"]["name"] == "api-9443-h2-insecure-tls"
    assert objects[0]["spec"]["tls"] == {"insecureSkipVerify": True, "alpnProtocols": ["h2"]}
    validate(objects)


def test_unverified_backend_needs_a_namespace() -> None:
    out = express(att(namespace=None), [UNVERIFIED], S)
    assert out.backends is None and [n.severity.name for n in out.notes] == ["ERROR"]
    release = express(att(namespace=None), [UNVERIFIED], Settings(namespace="rel"))
    rule = {"backendRefs": [{"name": "api", "port": 443}]}
    objects: list[dict[str, Any]] = []
    from gwshift.targets import swap_backends

    swap_backends(rule, release.backends, objects)
    assert objects[0]["spec"]["endpoints"][0]["fqdn"]["hostname"] == "api.rel.svc.cluster.local"
    assert "namespace" not in objects[0]["metadata"]  # written where the route is


def test_verified_backend_tls_swaps_nothing() -> None:  # must-not-change twin
    out = express(att(), [UNVERIFIED._replace(verify=True, hostname="api.internal")], S)
    assert out.backends is None and kinds(out) == ["BackendTLSPolicy"]


def test_unverified_backend_tls_end_to_end() -> None:
    import yaml
    from gwshift.core import transform

    src = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: HTTPS
spec:
  ingressClassName: nginx
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: api, port: {number: 8443}}
"""
    out = transform(src, Settings(target="envoy-gateway"))
    docs = [d for d in yaml.safe_load_all(out.text) if d]
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute", "Backend"]
    assert docs[1]["spec"]["rules"][0]["backendRefs"] == [
        {"group": "gateway.envoyproxy.io", "kind": "Backend", "name": "api-8443-insecure-tls"}]
    assert "target-envoy-gateway/insecure-backend" in [n.code for n in out.notes]
    validate(docs)
    assert transform(out.text, Settings(target="envoy-gateway")).text == out.text
    # The standard target keeps it, as before.
    assert "kind: Ingress" in transform(src, Settings()).text
