"""The pipeline seams: a dialect and a target are one module plus one registry line each.

``dialect_fixture`` (toy dialect: intents, an extra L4 source kind, its own Gateway
grouping) and ``targets_fixture`` (toy target expressing IPAccess) live in tests only.
"""

from __future__ import annotations

from typing import Any

import dialect_fixture
import pytest
import yaml
from gwshift import handlers, targets
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings


@pytest.fixture(autouse=True)
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(handlers.DIALECTS, "toy", dialect_fixture.ENTRY)
    monkeypatch.setattr(handlers, "_loaded", {})
    monkeypatch.setitem(targets.TARGETS, "toy", "targets_fixture")


def ingress(name: str, ns: str = "web", ann: dict[str, str] | None = None,
            paths: tuple[str, ...] = ("/",), cls: str = "toy") -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns, "annotations": ann or {}},
            "spec": {"ingressClassName": cls, "rules": [{"host": f"{name}.example.com", "http": {
                "paths": [{"path": p, "pathType": "Prefix", "backend": {
                    "service": {"name": name, "port": {"number": 80}}}} for p in paths]}}]}}


def tcp(name: str, port: int, proto: str = "TCP", **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "toy.example/v1", "kind": "TCPThing",
            "metadata": {"name": name, "namespace": "web"},
            "spec": {"port": port, "protocol": proto, "service": name, **spec}}


def run(objs: list[dict[str, Any]], **settings: Any) -> tuple[list[dict[str, Any]], Any]:
    text = "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objs)
    out = transform(text, Settings(**settings))
    return [d for d in yaml.safe_load_all(out.text) if d], out


def by_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind]


# --- intents and targets ------------------------------------------------------------------


def test_standard_target_fails_closed_with_the_dialects_code_and_reason() -> None:
    docs, out = run([ingress("a", ann={"toy.example/allow": "10.0.0.0/8"})])
    assert [d["kind"] for d in docs] == ["Ingress"]
    (note,) = [n for n in out.notes if n.code == "toy/ip-access"]
    assert note.severity == Severity.ERROR
    assert note.message == ("toy.example/allow cannot be converted: the target cannot enforce the "
                            "toy allow list; the Ingress is kept (allow dropping it with "
                            "--allow-insecure-drop toy/ip-access)")
    assert note.field == "metadata.annotations[toy.example/allow]"
    assert out.exit_code() == 1


def test_allow_insecure_drop_turns_the_refusal_into_a_warning() -> None:
    docs, out = run([ingress("a", ann={"toy.example/allow": "10.0.0.0/8"})],
                    allow_insecure_drop=frozenset({"toy/ip-access"}))
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute"]
    assert [(n.code, n.severity) for n in out.notes] == [("toy/ip-access", Severity.WARNING)]
    assert "knowingly dropped" in out.notes[0].message


def test_a_target_expresses_route_intents_as_filters_and_objects_after_the_routes() -> None:
    docs, out = run([ingress("a", ann={"toy.example/allow": "10.0.0.0/8"}, paths=("/", "/x"))],
                    target="toy")
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute", "ToyPolicy"]
    route, policy = docs[1], docs[2]
    ext = {"type": "ExtensionRef",
           "extensionRef": {"group": "toy.example", "kind": "ToyPolicy", "name": "a-toy"}}
    assert [r["filters"] for r in route["spec"]["rules"]] == [[ext], [ext]]
    assert policy["spec"] == {"targetRef": {"kind": "HTTPRoute", "name": "a"},
                              "allow": ["10.0.0.0/8"]}
    assert policy["metadata"] == {"name": "a-toy", "namespace": "web"}
    assert not out.notes


def test_rule_intents_name_the_rule_and_the_policy_uses_section_name() -> None:
    docs, _ = run([ingress("a", ann={"toy.example/allow-first-rule": "10.0.0.0/8"},
                           paths=("/", "/x"))], target="toy")
    route, policy = by_kind(docs, "HTTPRoute")[0], by_kind(docs, "ToyPolicy")[0]
    first, second = route["spec"]["rules"]
    assert first["name"] == "rule-0" and first["filters"][0]["type"] == "ExtensionRef"
    assert "name" not in second and "filters" not in second
    assert policy["spec"]["targetRef"] == {"kind": "HTTPRoute", "name": "a",
                                           "sectionName": "rule-0"}


def test_a_refused_value_fails_closed_and_says_why() -> None:
    docs, out = run([ingress("a", ann={"toy.example/deny": "10.0.0.0/8"})], target="toy")
    assert [d["kind"] for d in docs] == ["Ingress"]
    (note,) = out.notes
    assert note.code == "toy/ip-access" and "(ToyPolicy has no deny list)" in note.message


def test_gateway_intents_are_expressed_on_the_generated_gateway() -> None:
    docs, _ = run([ingress("a", ann={"toy.example/address": "192.0.2.1"})], target="toy")
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute", "ToyPolicy"]
    assert docs[2]["spec"] == {"targetRef": {"kind": "Gateway", "name": "toy"},
                               "address": "192.0.2.1"}


def test_non_security_intent_refused_is_a_warning_with_its_code() -> None:
    docs, out = run([ingress("a", ann={"toy.example/address": "192.0.2.1"})])
    assert [d["kind"] for d in docs] == ["Gateway", "HTTPRoute"]
    assert [(n.code, n.severity, n.message) for n in out.notes] == [
        ("toy/ip-access", Severity.WARNING, "the target cannot enforce the toy allow list")]


def test_unknown_target_is_a_usage_error() -> None:
    from gwshift.errors import UsageError

    with pytest.raises(UsageError, match="unknown target 'nope'"):
        targets.get("nope")


# --- extra source kinds and L4 listeners -----------------------------------------------------


def test_extra_source_kinds_become_l4_routes_on_port_named_listeners() -> None:
    docs, out = run([tcp("db", 9000), tcp("dns", 53, "UDP"),
                     tcp("tls", 8443, "TLS", host="t.example.com", secretName="t-cert")])
    assert not out.notes
    (gw,) = by_kind(docs, "Gateway")
    assert gw["spec"]["listeners"] == [
        {"name": "tls-t-example-com-8443", "hostname": "t.example.com", "port": 8443,
         "protocol": "TLS", "tls": {"mode": "Terminate",
                                    "certificateRefs": [{"kind": "Secret", "name": "t-cert"}]}},
        {"name": "udp-53", "port": 53, "protocol": "UDP"},
        {"name": "tcp-9000", "port": 9000, "protocol": "TCP"},
    ]
    (tcp_route,) = by_kind(docs, "TCPRoute")
    assert tcp_route["metadata"]["annotations"] == {"gwshift.dev/source": "TCPThing/db"}
    assert tcp_route["spec"] == {"parentRefs": [{"name": "toy", "sectionName": "tcp-9000"}],
                                 "rules": [{"backendRefs": [{"name": "db", "port": 9000}]}]}
    (udp_route,) = by_kind(docs, "UDPRoute")
    assert udp_route["spec"]["parentRefs"] == [{"name": "toy", "sectionName": "udp-53"}]
    (tls_route,) = by_kind(docs, "TLSRoute")
    assert tls_route["spec"]["hostnames"] == ["t.example.com"]
    assert tls_route["spec"]["rules"] == [{"backendRefs": [{"name": "tls", "port": 8443}]}]


def test_extra_source_kinds_stay_when_their_dialect_is_not_active() -> None:
    text = "---\n" + yaml.safe_dump(tcp("db", 9000), sort_keys=False)
    out = transform(text, Settings(dialect="none"))
    assert out.text == text and not out.notes


def test_an_invalid_extra_source_is_kept_with_the_parsers_note() -> None:
    docs, out = run([{**tcp("db", 9000), "spec": {"port": "x"}}])
    assert [d["kind"] for d in docs] == ["TCPThing"]
    assert [n.code for n in out.notes] == ["toy/invalid"]


def test_a_string_mentioning_a_source_kind_is_not_a_source() -> None:
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
            "  x: |\n    kind: Ingress\n")
    assert transform(text, Settings()).text == text


# --- Gateway grouping ------------------------------------------------------------------------


def test_a_dialect_group_key_shares_one_gateway_across_namespaces() -> None:
    docs, _ = run([ingress("a", ns="one"), ingress("b", ns="two")])
    gws = by_kind(docs, "Gateway")
    assert len(gws) == 1 and gws[0]["metadata"]["namespace"] == "one"
    refs = {r["metadata"]["name"]: r["spec"]["parentRefs"] for r in by_kind(docs, "HTTPRoute")}
    assert refs == {"a": [{"name": "toy", "sectionName": "http-a-example-com"}],
                    "b": [{"name": "toy", "namespace": "one", "sectionName": "http-b-example-com"}]}
