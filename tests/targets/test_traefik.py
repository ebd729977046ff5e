from __future__ import annotations

from gwshift.intents import (
    BasicAuth,
    BodySize,
    ConnectionLimit,
    CustomErrors,
    ExtensionRef,
    ExternalAuth,
    IPAccess,
    RateLimit,
    RegexRewrite,
    ServiceRef,
)
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.traefik import express

from .conftest import att, by, codes, kinds, validate

S = Settings()


def test_deny_list_is_refused_naming_the_target() -> None:
    reason = refusal(get("traefik"), IPAccess((), ("1.2.3.4/32",), by()))
    assert reason is not None and "traefik" in reason
    assert refusal(get("traefik"), IPAccess(("1.2.3.4/32",), (), by())) is None


def test_every_control_is_a_middleware_in_nginx_phase_order() -> None:
    intents = [
        RegexRewrite("^/api(/|$)(.*)", "/\\2", by()),
        RateLimit(5, "Minute", 25, by()),
        IPAccess(("10.0.0.0/8",), (), by()),
        BasicAuth("users", "Shop", "auth-file", by()),
        ExternalAuth("http://auth.sso.svc.cluster.local/check",
                     ServiceRef("auth", "sso", 80, "/check"), ("X-User",), (),
                     "https://login/", None, by()),
        ConnectionLimit(10, by()),
        BodySize(1024, by()),
        CustomErrors((404, 503), ServiceRef("errors", None, 8080), by()),
    ]
    out = express(att("rule", section="r0"), intents, S)
    assert kinds(out) == ["Middleware"] * 8
    names = [o["metadata"]["name"] for o in out.objects]
    assert names == ["web-r0-ip-allow", "web-r0-basic-auth", "web-r0-forward-auth",
                     "web-r0-rate-limit", "web-r0-in-flight", "web-r0-buffering",
                     "web-r0-errors", "web-r0-rewrite"]
    assert [f["extensionRef"]["name"] for f in out.filters] == names
    spec = {o["metadata"]["name"]: o["spec"] for o in out.objects}
    assert spec["web-r0-rate-limit"]["rateLimit"] == {
        "average": 5, "period": "1m", "burst": 26, "sourceCriterion": {"ipStrategy": {"depth": 0}}}
    assert spec["web-r0-rewrite"]["replacePathRegex"] == {"regex": "^/api(/|$)(.*)",
                                                          "replacement": "/${2}"}
    assert spec["web-r0-forward-auth"]["forwardAuth"] == {
        "address": "http://auth.sso.svc.cluster.local/check",
        "authResponseHeaders": ["X-User"], "authSigninURL": "https://login/"}
    assert "target-traefik/basic-auth-secret" in codes(out)
    validate(out.objects)


def test_existing_middleware_is_attached_by_extension_ref() -> None:
    ref = ExtensionRef("traefik.io", "Middleware", "strip", "shop", by())
    out = express(att(), [ref], S)
    assert out.objects == [] and out.filters == [{"type": "ExtensionRef", "extensionRef": {
        "group": "traefik.io", "kind": "Middleware", "name": "strip"}}]
    other = ExtensionRef("traefik.io", "Middleware", "strip", "other", by())
    elsewhere = express(att(), [other], S)
    assert codes(elsewhere) == ["target-traefik/middleware-namespace"]
    assert elsewhere.filters == out.filters  # still attached: 500 until copied, never open
    assert refusal(get("traefik"), ExtensionRef("configuration.konghq.com", "KongPlugin", "x",
                                                None, by())) is not None


def test_gateway_scope_is_never_widened() -> None:
    out = express(att("gateway", kind="Gateway", name="gw"), [IPAccess(("1.0.0.0/8",), (), by())],
                  S)
    assert out.objects == [] and codes(out) == ["target-traefik/gateway-scope"]


def test_old_middleware_group_is_noted() -> None:
    ref = ExtensionRef("traefik.containo.us", "Middleware", "strip", None, by())
    out = express(att(), [ref], S)
    assert out.filters[0]["extensionRef"]["group"] == "traefik.io"
    assert codes(out) == ["target-traefik/middleware-group"]
