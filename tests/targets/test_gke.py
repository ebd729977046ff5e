from __future__ import annotations

import json

from gwshift.intents import CookieAffinity, GatewayAddress, IPAccess, ListenerTLSOption, Opaque
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.gke import express

from .conftest import att, by, codes, kinds, validate

S = Settings()
GW = att("gateway", kind="Gateway", name="gce", namespace="shop")


def backend_config(spec: dict[str, object]) -> Opaque:
    return Opaque("gce", "backend-config", json.dumps({"service": "web", "spec": spec}),
                  by(security=False))


def test_table() -> None:
    gke = get("gke")
    assert refusal(gke, GatewayAddress("NamedAddress", "web-ip", by())) is None
    assert refusal(gke, ListenerTLSOption("networking.gke.io/pre-shared-certs", "a,b", by())) is None
    assert refusal(gke, ListenerTLSOption("example.com/x", "y", by())) is not None
    assert refusal(gke, Opaque("gce", "unknown", "x", by())) is not None
    assert refusal(gke, backend_config({"cdn": {"enabled": True}})) is not None
    assert refusal(gke, IPAccess(("1.0.0.0/8",), (), by())) is not None


def test_ssl_policy_is_a_gateway_policy() -> None:
    out = express(GW, [Opaque("gce", "ssl-policy", "modern", by())], S)
    assert kinds(out) == ["GCPGatewayPolicy"]
    assert out.objects[0]["spec"] == {"default": {"sslPolicy": "modern"}, "targetRef": {
        "group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gce"}}
    validate(out.objects)
    route = express(att(), [Opaque("gce", "ssl-policy", "modern", by())], S)
    assert route.objects == [] and codes(route) == ["target-gke/gateway-scope"]


def test_backend_config_becomes_backend_and_health_check_policies() -> None:
    spec = {"timeoutSec": 40, "connectionDraining": {"drainingTimeoutSec": 60},
            "sessionAffinity": {"affinityType": "GENERATED_COOKIE", "affinityCookieTtlSec": 50},
            "securityPolicy": {"name": "armor"}, "logging": {"enable": True, "sampleRate": 0.5},
            "iap": {"enabled": True, "oauthclientCredentials": {"secretName": "iap"}},
            "healthCheck": {"type": "HTTP", "requestPath": "/healthz", "port": 8080,
                            "checkIntervalSec": 15}}
    out = express(att(), [backend_config(spec)], S)
    assert kinds(out) == ["GCPBackendPolicy", "HealthCheckPolicy"]
    default = out.objects[0]["spec"]["default"]
    assert default["timeoutSec"] == 40 and default["securityPolicy"] == "armor"
    assert default["logging"] == {"enabled": True, "sampleRate": 500000}
    assert out.objects[1]["spec"]["default"] == {
        "config": {"type": "HTTP", "httpHealthCheck": {
            "requestPath": "/healthz", "port": 8080, "portSpecification": "USE_FIXED_PORT"}},
        "checkIntervalSec": 15}
    assert out.objects[0]["spec"]["targetRef"] == {"group": "", "kind": "Service", "name": "web"}
    validate(out.objects)


def test_cookie_affinity_on_the_route_only() -> None:
    cookie = CookieAffinity("route", 3600, None, None, None, by(security=False))
    out = express(att(), [cookie], S)
    assert kinds(out) == ["GCPSessionAffinityPolicy"]
    validate(out.objects)
    rule = express(att("rule", section="r1"), [cookie], S)
    assert rule.objects == [] and codes(rule) == ["target-gke/affinity-scope"]


def test_gateway_fields_say_where_they_go() -> None:
    out = express(GW, [GatewayAddress("NamedAddress", "web-ip", by()),
                       ListenerTLSOption("networking.gke.io/pre-shared-certs", "a,b", by())], S)
    assert out.objects == []
    assert codes(out) == ["target-gke/gateway-field"] * 2
    assert "web-ip" in out.notes[0].message
