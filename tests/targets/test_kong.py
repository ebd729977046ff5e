from __future__ import annotations

from gwshift.intents import BasicAuth, BodySize, ExtensionRef, IPAccess, RateLimit
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.kong import express

from .conftest import att, by, codes, kinds, validate

S = Settings()


def test_plugins_by_extension_ref() -> None:
    intents = [IPAccess(("10.0.0.0/8",), ("10.1.0.0/16",), by()), RateLimit(10, "Second", 50, by()),
               BodySize(2048, by())]
    out = express(att(), intents, S)
    assert kinds(out) == ["KongPlugin"] * 3
    ip = out.objects[0]
    assert list(ip) == ["apiVersion", "kind", "metadata", "plugin", "config"]
    assert ip["plugin"] == "ip-restriction"
    assert ip["config"] == {"allow": ["10.0.0.0/8"], "deny": ["10.1.0.0/16"]}
    assert out.objects[1]["config"] == {"second": 10, "limit_by": "ip", "policy": "local"}
    assert out.objects[2]["config"] == {"allowed_payload_size": 2048, "size_unit": "bytes"}
    assert [f["extensionRef"]["name"] for f in out.filters] == [
        "web-ip-restriction", "web-rate-limit", "web-body-size"]
    assert "target-kong/rate-limit" in codes(out)
    validate(out.objects)


def test_basic_auth_is_not_expressible() -> None:
    assert refusal(get("kong"), BasicAuth("users", None, "auth-file", by())) is not None


def test_cluster_plugin_reference() -> None:
    ref = ExtensionRef("configuration.konghq.com", "KongClusterPlugin", "global-cors", None, by())
    out = express(att("rule", section="r1"), [ref], S)
    assert out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "configuration.konghq.com", "kind": "KongClusterPlugin", "name": "global-cors"}}]
    other_ns = ExtensionRef("configuration.konghq.com", "KongPlugin", "p", "other", by())
    elsewhere = express(att(), [other_ns], S)
    assert codes(elsewhere) == ["target-kong/plugin-namespace"] and len(elsewhere.filters) == 1


def test_rps_and_rpm_share_one_plugin() -> None:
    out = express(att(), [RateLimit(10, "Second", None, by()), RateLimit(300, "Minute", None, by())],
                  S)
    assert out.objects[0]["config"] == {"second": 10, "minute": 300, "limit_by": "ip",
                                        "policy": "local"}
    validate(out.objects)
