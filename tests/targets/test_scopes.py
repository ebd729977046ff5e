"""Each target's SCOPES (where an intent attaches without widening, shown in docs/targets.md)
agrees with what express does at gateway scope: expressed there, or an error, never silence."""

from __future__ import annotations

import importlib

import pytest
from gwshift.intents import (
    BasicAuth,
    BodySize,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExtensionRef,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
    ServiceRef,
)
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.targets import TARGETS, get, refusal

from .conftest import att, by

SAMPLES = {
    IPAccess: IPAccess(("10.0.0.0/8",), (), by()),
    BasicAuth: BasicAuth("users", None, "auth-file", by()),
    ExternalAuth: ExternalAuth("http://a.b.svc.cluster.local/x", ServiceRef("a", "b", 80, "/x"),
                               (), (), None, None, by()),
    RateLimit: RateLimit(5, "Second", None, by()),
    ConnectionLimit: ConnectionLimit(5, by()),
    BodySize: BodySize(1024, by()),
    ProxyTimeouts: ProxyTimeouts(5, 30, 30, by()),
    CookieAffinity: CookieAffinity("c", 60, None, None, None, by(security=False)),
    CustomErrors: CustomErrors((404,), ServiceRef("err", None, 80), by()),
    RegexRewrite: RegexRewrite("^/a(.*)", "/\\1", by()),
    ExtensionRef: ExtensionRef("traefik.io", "Middleware", "m", None, by()),
}
GATEWAY = att("gateway", kind="Gateway", name="gw")
CASES = [(name, kind) for name in TARGETS if name != "standard"
         for kind in get(name).table if kind in SAMPLES]


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k.__name__}" for n, k in CASES])
def test_gateway_scope_matches_scopes(name: str, kind: type) -> None:
    target = get(name)
    intent = SAMPLES[kind]
    if refusal(target, intent) is not None:
        pytest.skip("refused for this value")
    scopes = getattr(importlib.import_module(TARGETS[name]), "SCOPES", {})
    out = target.express(GATEWAY, [intent], Settings())
    # security intents fail with an error, others with at least a warning
    worst = Severity.ERROR if intent.by.security else Severity.WARNING
    said = [n for n in out.notes if n.severity >= worst]
    if "gateway" in scopes.get(kind, ("route", "rule", "gateway")):
        assert not [n for n in said if n.severity == Severity.ERROR] and out.objects
    else:
        assert said and not out.filters
