"""The real targets through the whole pipeline (transform), fed by the test-only toy dialect
(tests/dialect_fixture.py): route, rule and refused intents, output valid and idempotent."""

from __future__ import annotations

from typing import Any

import dialect_fixture
import pytest
import yaml
from gwshift import handlers
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.validation import validate_objects


@pytest.fixture(autouse=True)
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(handlers.DIALECTS, "toy", dialect_fixture.ENTRY)
    monkeypatch.setattr(handlers, "_loaded", {})


def ingress(ann: dict[str, str], paths: tuple[str, ...] = ("/", "/admin")) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "shop", "namespace": "web", "annotations": ann},
            "spec": {"ingressClassName": "toy", "rules": [{"host": "shop.example.com", "http": {
                "paths": [{"path": p, "pathType": "Prefix", "backend": {
                    "service": {"name": "shop", "port": {"number": 80}}}} for p in paths]}}]}}


def run(ann: dict[str, str], target: str) -> tuple[list[dict[str, Any]], Any, str]:
    text = "---\n" + yaml.safe_dump(ingress(ann), sort_keys=False)
    settings = Settings(target=target)
    out = transform(text, settings)
    assert transform(out.text, settings).text == out.text, "not idempotent"
    assert transform(text, settings).text == out.text, "not deterministic"
    docs = [d for d in yaml.safe_load_all(out.text) if d]
    problems = validate_objects([d for d in docs if d["kind"] != "Ingress"])
    assert not problems, "\n".join(f"{p.kind}/{p.name} {p.field}: {p.message}" for p in problems)
    return docs, out, text


def test_envoy_gateway_route_and_rule_policies() -> None:
    docs, out, _ = run({"toy.example/allow": "10.0.0.0/8", "toy.example/deny": "10.1.0.0/16",
                        "toy.example/allow-first-rule": "10.2.0.0/16"}, "envoy-gateway")
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute", "SecurityPolicy",
                                         "SecurityPolicy"]
    route, whole, rule = docs[1], docs[2], docs[3]
    assert whole["spec"]["targetRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "shop"}]
    assert whole["spec"]["authorization"]["rules"][0]["action"] == "Deny"
    section = rule["spec"]["targetRefs"][0]["sectionName"]
    assert section in [r.get("name") for r in route["spec"]["rules"]]
    assert all(n.severity < Severity.ERROR for n in out.notes)


def test_traefik_refuses_a_deny_list_and_keeps_the_ingress() -> None:
    docs, out, _ = run({"toy.example/deny": "10.1.0.0/16"}, "traefik")
    assert [d["kind"] for d in docs] == ["Ingress"]
    (note,) = [n for n in out.notes if n.code == "toy/ip-access"]
    assert note.severity == Severity.ERROR and "traefik" in note.message


def test_traefik_allow_list_is_a_middleware_on_every_rule() -> None:
    docs, _, _ = run({"toy.example/allow": "10.0.0.0/8"}, "traefik")
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute", "Middleware"]
    for rule in docs[1]["spec"]["rules"]:
        assert rule["filters"] == [{"type": "ExtensionRef", "extensionRef": {
            "group": "traefik.io", "kind": "Middleware", "name": "shop-ip-allow"}}]


@pytest.mark.parametrize("target", ["nginx-gateway-fabric", "kong"])
def test_filter_targets_convert_allow_and_deny(target: str) -> None:
    docs, _, _ = run({"toy.example/allow": "10.0.0.0/8", "toy.example/deny": "10.1.0.0/16"},
                       target)
    assert docs[0]["kind"] == "Gateway" and docs[1]["kind"] == "HTTPRoute"
    assert len(docs) == 3 and "filters" in docs[1]["spec"]["rules"][0]


@pytest.mark.parametrize("target", ["istio", "gke"])
def test_targets_without_a_narrow_ip_control_keep_the_ingress(target: str) -> None:
    docs, out, _ = run({"toy.example/allow": "10.0.0.0/8"}, target)
    assert [d["kind"] for d in docs] == ["Ingress"]
    assert out.exit_code() == 1
