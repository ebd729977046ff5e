"""compat.py: --gateway-api-version emits only what the chosen release serves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from gwshift import compat
from gwshift import gwapi_versions as gv
from gwshift.cli import build_parser, settings_from_args
from gwshift.core import transform
from gwshift.settings import Settings

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").exists())
BUNDLE = (Path(__file__).resolve().parent.parent / "transformer" / "gwshift" / "data"
          / "gateway-api-v1.6.1" / "experimental.json")


def _args(case: Path) -> list[str]:
    f = case / "args"
    return [a for a in f.read_text().splitlines() if a.strip()] if f.exists() else []


def _settings(case: Path, version: str, channel: str) -> Settings:
    args = [a for a in _args(case)]
    # the case's own --channel is replaced by the one under test
    if "--channel" in args:
        i = args.index("--channel")
        del args[i : i + 2]
    ns = build_parser().parse_args(args)
    return settings_from_args(ns, {}).replace(gateway_api_version=version, channel=channel)


def _objects(text: str) -> list[dict]:
    out = []
    for d in yaml.safe_load_all(text):
        if isinstance(d, dict):
            out.extend(d.get("items") or [] if d.get("kind") == "List" else [d])
    return out


@pytest.mark.parametrize("channel", gv.CHANNELS)
@pytest.mark.parametrize("version", gv.VERSIONS)
@pytest.mark.parametrize("name", CASES)
def test_nothing_unserved_is_emitted(name: str, version: str, channel: str) -> None:
    case = GOLDEN / name
    settings = _settings(case, version, channel)
    text = (case / "input.yaml").read_text()
    given = _objects(text)  # objects of the input pass through as they are
    out = transform(text, settings)
    for obj in _objects(out.text):
        if obj not in given:
            assert gv.problems(obj, version, channel) == [], (obj.get("kind"), obj.get("metadata"))


def _route(**rule: object) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"parentRefs": [{"name": "nginx"}],
                     "rules": [{"backendRefs": [{"name": "web", "port": 80}], **rule}]}}


S12 = Settings(gateway_api_version="1.2")
E12 = Settings(gateway_api_version="1.2", channel="experimental")


def test_rule_name_nothing_targets_is_dropped() -> None:
    objs, found = compat.adapt([_route(name="rule-0")], S12)
    assert "name" not in objs[0]["spec"]["rules"][0]
    assert [f.code for f in found] == ["compat/rule-name-dropped"]


def test_rule_name_a_policy_targets_blocks() -> None:
    policy = {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "SecurityPolicy",
              "metadata": {"name": "p"}, "spec": {"targetRefs": [
                  {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web",
                   "sectionName": "rule-0"}]}}
    objs, found = compat.adapt([_route(name="rule-0"), policy], S12)
    assert [o["kind"] for o in objs] == ["SecurityPolicy"]
    assert [(f.code, f.severity) for f in found] == [("compat/unserved-field", "error")]


def test_rule_name_served_on_experimental_12() -> None:
    objs, found = compat.adapt([_route(name="rule-0")], E12)
    assert objs[0]["spec"]["rules"][0]["name"] == "rule-0" and found == []


def test_cors_filter_fails_closed_before_15_standard() -> None:
    route = _route(filters=[{"type": "CORS", "cors": {"allowOrigins": ["https://a.example"]}}])
    for version in ("1.2", "1.3", "1.4"):
        new, found = compat.adapt_object(route, Settings(gateway_api_version=version))
        assert new is None and found[0].code == "compat/unserved-field"
        assert "1.5" in found[0].message
    new, found = compat.adapt_object(
        route, Settings(gateway_api_version="1.3", channel="experimental"))
    assert new is route and found == []


def test_tlsroute_downgrades_on_experimental_and_blocks_on_standard() -> None:
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "TLSRoute",
             "metadata": {"name": "t"},
             "spec": {"parentRefs": [{"name": "g"}], "hostnames": ["a.example"],
                      "rules": [{"backendRefs": [{"name": "s", "port": 443}]}]}}
    new, found = compat.adapt_object(route, Settings(gateway_api_version="1.4",
                                                     channel="experimental"))
    assert new is not None and new["apiVersion"] == "gateway.networking.k8s.io/v1alpha3"
    assert route["apiVersion"].endswith("/v1")  # the input is not modified
    new, _ = compat.adapt_object(route, E12)
    assert new is not None and new["apiVersion"].endswith("/v1alpha2")
    new, found = compat.adapt_object(route, Settings(gateway_api_version="1.4"))
    assert new is None and found[0].code == "compat/unserved-kind" and "1.5" in found[0].message


def test_backend_tls_policy_downgrade_and_block() -> None:
    pol = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "BackendTLSPolicy",
           "metadata": {"name": "p"}, "spec": {"targetRefs": [], "validation": {}}}
    new, _ = compat.adapt_object(pol, Settings(gateway_api_version="1.3", channel="experimental"))
    assert new is not None and new["apiVersion"].endswith("/v1alpha3")
    new, found = compat.adapt_object(pol, Settings(gateway_api_version="1.3"))
    assert new is None and found[0].severity == "error"


def test_backend_client_certificate_gets_its_old_name() -> None:
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "g"},
          "spec": {"gatewayClassName": "c", "listeners": [],
                   "tls": {"backend": {"clientCertificateRef": {"name": "client"}}}}}
    new, found = compat.adapt_object(gw, Settings(gateway_api_version="1.3",
                                                  channel="experimental"))
    assert new is not None and new["spec"] == {
        "gatewayClassName": "c", "listeners": [],
        "backendTLS": {"clientCertificateRef": {"name": "client"}}}
    assert [f.code for f in found] == ["compat/field-renamed"]
    new, found = compat.adapt_object(gw, Settings(gateway_api_version="1.3"))
    assert new is None


def test_unknown_feature_fails_closed() -> None:
    route = _route()
    route["spec"]["useDefaultGateways"] = "All"
    new, found = compat.adapt_object(route, Settings(gateway_api_version="1.3",
                                                     channel="experimental"))
    assert new is None and found[0].code == "compat/unserved-field"


def test_newest_release_changes_nothing() -> None:
    assert not compat.needed(Settings())


def test_other_groups_pass() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    assert compat.adapt_object(obj, S12) == (obj, [])


@pytest.mark.skipif(not BUNDLE.exists(), reason="the v1.6.1 bundle is not vendored")
def test_downgrade_targets_accept_what_v1_accepts() -> None:
    """Each fallback version's spec schema in the v1.6.1 bundle equals v1's or only lacks
    limits v1 adds (rules maxItems, hostnames required): a valid v1 object stays valid."""
    crds = {c["kind"]: c for c in json.loads(BUNDLE.read_text())["crds"]}
    for kind, versions in compat.DOWNGRADES.items():
        schemas = {v["name"]: v["schema"]["properties"]["spec"] for v in crds[kind]["versions"]}
        for older in versions[1:]:
            if older not in schemas:
                continue  # no longer in the bundle (v1alpha3 of BackendTLSPolicy is)
            new, old = schemas[versions[0]], schemas[older]
            if new == old:
                continue
            assert set(old.get("required", [])) <= set(new.get("required", [])), (kind, older)
            assert set(old["properties"]) >= set(new["properties"]), (kind, older)


def test_sweep_blocks_sources_with_a_note() -> None:
    case = GOLDEN / "nginx-passthrough"
    settings = _settings(case, "1.4", "standard")
    out = transform((case / "input.yaml").read_text(), settings)
    assert any(n.code == "compat/unserved-kind" for n in out.notes)
    assert out.exit_code() == 1


def test_listener_set_before_15_keeps_the_source_without_stale_notes() -> None:
    text = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            "  namespace: shop\nspec:\n  ingressClassName: nginx\n  rules:\n"
            "  - host: a.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend: {service: {name: web, port: "
            "{number: 80}}}\n")
    settings = Settings(gateway=("infra", "shared"), listener_set=True, gateway_api_version="1.4")
    out = transform(text, settings)
    assert out.text == text
    assert [n.code for n in out.notes] == ["compat/unserved-kind"]
    assert "1.5" in out.notes[0].message
