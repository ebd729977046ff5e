from __future__ import annotations

from gwshift.intents import (
    BasicAuth,
    BodySize,
    ConnectionLimit,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
)
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.nginx_gateway_fabric import express

from .conftest import att, by, codes, kinds, validate

S = Settings()
IP = IPAccess(("10.0.0.0/8",), ("10.1.0.0/16",), by())
RATE = RateLimit(10, "Second", 50, by())


def test_table() -> None:
    target = get("nginx-gateway-fabric")
    assert refusal(target, IP) is None
    assert refusal(target, ExternalAuth("http://a", None, (), (), None, None, by())) is not None


def test_route_scope_uses_typed_policies_and_filters() -> None:
    intents = [IP, BasicAuth("users", None, "auth-file", by()), RATE,
               BodySize(10 * 1024**2, by()), ProxyTimeouts(5, 60, 60, by())]
    out = express(att(), intents, S)
    assert kinds(out) == ["AuthenticationFilter", "RateLimitPolicy", "ClientSettingsPolicy",
                          "ProxySettingsPolicy", "SnippetsFilter"]
    rl = out.objects[1]["spec"]
    assert rl["targetRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web"}]
    assert rl["rateLimit"]["local"]["rules"] == [
        {"rate": "10r/s", "key": "$binary_remote_addr", "zoneSize": "5m", "burst": 50,
         "noDelay": True}]
    assert out.objects[2]["spec"] == {
        "targetRef": {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web"},
        "body": {"maxSize": "10m"}}
    assert out.objects[3]["spec"]["timeout"] == {"connect": "5s", "read": "1m", "send": "1m"}
    assert out.objects[4]["spec"]["snippets"] == [{"context": "http.server.location", "value":
                                                   "deny 10.1.0.0/16;\nallow 10.0.0.0/8;\n"
                                                   "deny all;"}]
    assert [f["extensionRef"]["kind"] for f in out.filters] == [
        "SnippetsFilter", "AuthenticationFilter"]
    auth = out.objects[0]["spec"]
    assert auth == {"type": "Basic", "basic": {"secretRef": {"name": "users"},
                                               "realm": "Authentication Required"}}
    validate(out.objects)


def test_rule_scope_never_widens_to_the_route() -> None:
    intents = [RATE, ConnectionLimit(20, by()), BodySize(1024, by()),
               ProxyTimeouts(None, 30, None, by())]
    out = express(att("rule", section="r1"), intents, S)
    assert kinds(out) == ["SnippetsFilter"]
    snippets = out.objects[0]["spec"]["snippets"]
    assert [s["context"] for s in snippets] == ["http", "http.server.location"]
    assert "limit_req_zone $binary_remote_addr zone=gwshift_req_" in snippets[0]["value"]
    loc = snippets[1]["value"]
    assert "burst=50 nodelay;" in loc and "limit_conn gwshift_conn_" in loc
    assert "client_max_body_size 1k;" in loc and "proxy_read_timeout 30s;" in loc
    assert out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "gateway.nginx.org", "kind": "SnippetsFilter", "name": "web-r1-snippets"}}]
    validate(out.objects)


def test_auth_map_secret_note() -> None:
    out = express(att(), [BasicAuth("users", "Shop", "auth-map", by())], S)
    assert "target-nginx-gateway-fabric/basic-auth-secret" in codes(out)
    assert out.notes[0].severity.label == "warning"


def test_one_listener_is_never_widened_to_the_gateway() -> None:
    out = express(att("gateway", kind="Gateway", name="gw", section="https-a"), [RATE], S)
    assert out.objects == [] and codes(out) == ["target-nginx-gateway-fabric/listener-scope"]


def test_separate_allow_and_deny_intents_and_two_rates() -> None:
    out = express(att(), [IPAccess(("10.0.0.0/8",), (), by()), IPAccess((), ("10.1.0.0/16",), by()),
                          RATE, RateLimit(600, "Minute", None, by())], S)
    snippets = next(o for o in out.objects if o["kind"] == "SnippetsFilter")
    assert snippets["spec"]["snippets"][0]["value"] == (
        "deny 10.1.0.0/16;\nallow 10.0.0.0/8;\ndeny all;")
    policy = next(o for o in out.objects if o["kind"] == "RateLimitPolicy")
    assert [r["rate"] for r in policy["spec"]["rateLimit"]["local"]["rules"]] == ["10r/s", "600r/m"]
    validate(out.objects)
