"""Security intents the target cannot attach where they were recorded fail closed before
emit (checks.unconsumed with the target's SCOPES/KINDS); an error note from ``express`` still
keeps the source (emit's backstop), and nothing is converted without its control."""

from __future__ import annotations

from typing import Any

import dialect_fixture
import pytest
import yaml
from gwshift import handlers
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.targets import TARGETS

from .test_pipeline_targets import ingress


@pytest.fixture(autouse=True)
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(handlers.DIALECTS, "toy", dialect_fixture.ENTRY)
    monkeypatch.setattr(handlers, "_loaded", {})


def run(doc: dict[str, Any], target: str) -> tuple[str, list[dict[str, Any]], Any]:
    text = "---\n" + yaml.safe_dump(doc, sort_keys=False)
    out = transform(text, Settings(target=target))
    return text, [d for d in yaml.safe_load_all(out.text) if d], out


def errors(out: Any) -> list[Any]:
    return [n for n in out.notes if n.severity is Severity.ERROR]


@pytest.mark.parametrize("target", ["nginx-gateway-fabric", "traefik", "kong"])
def test_a_load_balancer_wide_ip_list_is_refused_where_only_routes_take_one(target: str) -> None:
    """ALB inbound-cidrs guard the whole load balancer (a Gateway intent); these targets
    attach IP lists to routes only, so converting would drop the control: keep the Ingress."""
    text, _, out = run(ingress({"toy.example/gateway-allow": "10.0.0.0/8"}), target)
    assert out.text == text
    assert out.exit_code() == 1
    [err] = errors(out)
    assert err.code == "toy/ip-access"
    assert "cannot attach it at gateway scope" in err.message


def test_a_gateway_ip_list_converts_where_the_target_attaches_it_to_the_gateway() -> None:
    """The must-not-refuse twin: Envoy Gateway takes a SecurityPolicy on the Gateway."""
    _, docs, out = run(ingress({"toy.example/gateway-allow": "10.0.0.0/8"}), "envoy-gateway")
    assert not errors(out)
    [policy] = [d for d in docs if d["kind"] == "SecurityPolicy"]
    assert policy["spec"]["targetRefs"][0]["kind"] == "Gateway"


def tls_thing(ann: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "toy.example/v1", "kind": "TCPThing",
            "metadata": {"name": "db", "namespace": "web", "annotations": ann},
            "spec": {"port": 443, "protocol": "TLS", "host": "db.example.com",
                     "secretName": "db-tls", "service": "db"}}


def test_an_envoy_security_policy_on_a_tls_route_is_refused_before_emit() -> None:
    text, _, out = run(tls_thing({"toy.example/allow": "10.0.0.0/8"}), "envoy-gateway")
    assert out.text == text
    assert out.exit_code() == 1
    [err] = errors(out)
    assert err.code == "toy/ip-access"
    assert "cannot attach it to a TLSRoute" in err.message


def test_a_tls_route_without_a_control_still_converts() -> None:
    _, docs, out = run(tls_thing({}), "envoy-gateway")
    assert [d["kind"] for d in docs] == ["Gateway", "TLSRoute"]
    assert not errors(out)


def test_an_error_from_express_keeps_the_source() -> None:
    """Two basic auths on one route cannot be combined: express says so with an error and
    the Ingress is kept (the backstop), rather than converted with one of them dropped."""
    text, _, out = run(ingress({"toy.example/basic": "a", "toy.example/basic2": "b"}),
                          "envoy-gateway")
    assert out.text == text
    assert out.exit_code() == 1
    assert [n.code for n in errors(out)] == ["target-envoy-gateway/conflict"]


def test_one_basic_auth_converts() -> None:
    _, docs, out = run(ingress({"toy.example/basic": "a"}), "envoy-gateway")
    assert "SecurityPolicy" in [d["kind"] for d in docs]
    assert not errors(out)


def test_a_missing_intent_type_says_the_targets_documented_gap() -> None:
    """checks.unconsumed adds the module's GAPS reason, not only "no equivalent"."""
    from gwshift import checks, targets
    from gwshift.intents import BasicAuth
    from gwshift.model import Conversion, Route, Rule

    from .conftest import by

    src = dialect_fixture.TCPThing("v1", "a", "ns", 0)
    conv = Conversion(source=src, ingress_class="toy")
    conv.routes.append(Route("HTTPRoute", "", [], [Rule([], [], "spec")], []))
    conv.routes[0].intents.append(BasicAuth("s", None, "auth-file", by()))
    checks.unconsumed(conv, targets.get("kong"), Settings(target="kong"))
    [note] = conv.notes
    assert "target kong has no equivalent: the basic-auth plugin checks KongConsumer" in note.message


def l4_thing(proto: str) -> dict[str, Any]:
    thing = tls_thing({"toy.example/allow": "10.0.0.0/8"})
    thing["spec"]["protocol"] = proto
    return thing


L4_CASES = [(t, p) for t in sorted(TARGETS) for p in ("TCP", "UDP", "TLS")
            if (t, p) != ("envoy-gateway", "TCP")]


@pytest.mark.parametrize(("target", "proto"), L4_CASES)
def test_an_ip_list_on_an_l4_route_is_refused_unless_the_target_lists_the_kind(
        target: str, proto: str) -> None:
    """Filter-based targets have nothing to put on a TLS/TCP/UDP route (no filters there):
    the source is kept with an error, never a crash or a route without its control."""
    text, _, out = run(l4_thing(proto), target)
    assert out.text == text
    assert out.exit_code() == 1
    assert [n.code for n in errors(out)] == ["toy/ip-access"]


def test_envoy_gateway_takes_an_ip_list_on_a_tcp_route() -> None:
    _, docs, out = run(l4_thing("TCP"), "envoy-gateway")
    assert [d["kind"] for d in docs] == ["Gateway", "TCPRoute", "SecurityPolicy"]
    assert not errors(out)
