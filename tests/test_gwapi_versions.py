"""gwapi_versions: the table is the feature matrix, and answers as the matrix says.

Row citations are the first column of ``reference/gateway-api-feature-matrix.md``.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from gwshift import gwapi_versions as gv

MATRIX = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / (
    "gateway-api-feature-matrix.md"
)
GW = "gateway.networking.k8s.io"


def route(*rules: dict[str, Any], api: str = "v1", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": f"{GW}/{api}",
        "kind": "HTTPRoute",
        "metadata": {"name": "r"},
        "spec": {"parentRefs": [{"name": "gw"}], "rules": list(rules), **spec},
    }


def gateway(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": f"{GW}/v1", "kind": "Gateway", "metadata": {"name": "g"},
            "spec": {"gatewayClassName": "c", "listeners": [], **spec}}


BACKEND = {"name": "svc", "port": 80}
CORS = {"type": "CORS", "cors": {"allowOrigins": ["https://a.example"]}}


# --- the table is the matrix ---------------------------------------------------------------------


def _matrix_rows() -> dict[str, tuple[str, ...]]:
    if not MATRIX.is_file():
        reason = f"reference material missing: {MATRIX}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    rows = {}
    lines = MATRIX.read_text(encoding="utf-8").splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[1:] == ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v1.6.1"]
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def test_table_is_the_matrix() -> None:
    rows = _matrix_rows()
    mine: dict[str, tuple[str, ...]] = {f.name: f.cells for f in gv.FEATURES}
    mine |= {kind: cells for (_, kind), cells in gv.KINDS.items()
             if kind not in ("GatewayClass", "Gateway", "HTTPRoute")}
    assert mine == rows


def test_versions() -> None:
    assert gv.VERSIONS == ("1.2", "1.3", "1.4", "1.5", "1.6")
    assert gv.MATRIX_VERSIONS[-5:] == gv.VERSIONS


# --- the v1.6 column is the bundled v1.6.1 CRDs ---------------------------------------------------


def _bundle(channel: str) -> list[dict[str, Any]]:
    path = resources.files("gwshift") / "data" / "gateway-api-v1.6.1" / f"{channel}.json"
    return json.loads(path.read_text(encoding="utf-8"))["crds"]


@pytest.mark.parametrize("channel", gv.CHANNELS)
def test_v16_kinds_are_the_bundled_crds(channel: str) -> None:
    bundled = {(c["group"], c["kind"]): {v["name"] for v in c["versions"]} for c in _bundle(channel)}
    table = {
        key: set(gv.parse_cell(cells[-1])[channel])  # type: ignore[index]
        for key, cells in gv.KINDS.items()
        if gv.parse_cell(cells[-1])[channel]  # type: ignore[index]
    }
    assert table == bundled


def _schema_has(schema: dict[str, Any], path: str) -> bool:
    node: Any = schema
    for op, arg in gv._steps(path):
        if op == "key":
            node = (node.get("properties") or {}).get(arg)
            if node is None:
                return False
        elif op == "each":
            node = node["items"]
        else:  # a filter type: the type enum must offer it
            node = node["items"]
            if arg not in node["properties"]["type"].get("enum", []):
                return False
    return True


@pytest.mark.parametrize("channel", gv.CHANNELS)
def test_v16_fields_are_the_bundled_schemas(channel: str) -> None:
    crds = {c["kind"]: c for c in _bundle(channel)}
    for feature in gv.FEATURES:
        allowed = gv.parse_cell(feature.cells[-1])[channel]  # type: ignore[index]
        for v in crds[feature.kind]["versions"]:
            has = [_schema_has(v["schema"], p) for p in feature.paths]
            assert all(has) == (v["name"] in allowed), (feature.name, v["name"])
            assert any(has) == all(has), feature.name


# --- served(): kind rows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "kind", "api", "version", "channel", "expected"),
    [
        # "GRPCRoute | E:v1alpha2 | S:v1 E:v1,v1alpha2 | S:v1 E:v1 ..."
        ("GRPCRoute", "GRPCRoute", "v1", "1.0", "standard", False),
        ("GRPCRoute", "GRPCRoute", "v1", "1.1", "standard", True),
        ("GRPCRoute", "GRPCRoute", "v1alpha2", "1.1", "experimental", True),
        ("GRPCRoute", "GRPCRoute", "v1alpha2", "1.2", "experimental", False),
        # "TLSRoute | ... E:v1alpha2,v1alpha3 | S:v1 E:v1,v1alpha2,v1alpha3 | ..."
        ("TLSRoute", "TLSRoute", "v1", "1.4", "standard", False),
        ("TLSRoute", "TLSRoute", "v1", "1.4", "experimental", False),
        ("TLSRoute", "TLSRoute", "v1alpha3", "1.4", "experimental", True),
        ("TLSRoute", "TLSRoute", "v1", "1.5", "standard", True),
        ("TLSRoute", "TLSRoute", "v1alpha2", "1.6", "standard", False),
        # "TCPRoute | E:v1alpha2 (1.0-1.5) | S:v1 E:v1,v1alpha2"
        ("TCPRoute", "TCPRoute", "v1", "1.5", "standard", False),
        ("TCPRoute", "TCPRoute", "v1", "1.6", "standard", True),
        ("UDPRoute", "UDPRoute", "v1alpha2", "1.6", "experimental", True),
        # "BackendTLSPolicy | ... E:v1alpha3 | S:v1 E:v1,v1alpha3 (1.4+)"
        ("BackendTLSPolicy", "BackendTLSPolicy", "v1", "1.3", "standard", False),
        ("BackendTLSPolicy", "BackendTLSPolicy", "v1alpha3", "1.3", "experimental", True),
        ("BackendTLSPolicy", "BackendTLSPolicy", "v1", "1.4", "standard", True),
        # "ListenerSet | - (1.0-1.4) | S:v1 E:v1"
        ("ListenerSet", "ListenerSet", "v1", "1.4", "experimental", False),
        ("ListenerSet", "ListenerSet", "v1", "1.5", "standard", True),
        # "ReferenceGrant | ... S:v1beta1 | S:v1,v1beta1 (1.5+)"
        ("ReferenceGrant", "ReferenceGrant", "v1", "1.4", "standard", False),
        ("ReferenceGrant", "ReferenceGrant", "v1beta1", "1.4", "standard", True),
        ("ReferenceGrant", "ReferenceGrant", "v1", "1.5", "standard", True),
        # "BackendLBPolicy | - | E:v1alpha2 | E:v1alpha2 | - ..."
        ("BackendLBPolicy", "BackendLBPolicy", "v1alpha2", "1.2", "experimental", True),
        ("BackendLBPolicy", "BackendLBPolicy", "v1alpha2", "1.3", "experimental", False),
        # Gateway/HTTPRoute: v1 and v1beta1 everywhere (their field rows' cells)
        ("-", "HTTPRoute", "v1", "1.2", "standard", True),
        ("-", "Gateway", "v1beta1", "1.6", "standard", True),
        ("-", "HTTPRoute", "v1alpha2", "1.6", "experimental", False),
    ],
)
def test_served_kind_rows(
    row: str, kind: str, api: str, version: str, channel: str, expected: bool
) -> None:
    assert gv.served(kind, f"{GW}/{api}", version, channel) is expected


def test_served_experimental_group_kinds() -> None:
    x = "gateway.networking.x-k8s.io/v1alpha1"
    # "XListenerSet | - | - | - | E:v1alpha1 | E:v1alpha1 | - | -"
    assert gv.served("XListenerSet", x, "1.4", "experimental")
    assert not gv.served("XListenerSet", x, "1.5", "experimental")
    assert not gv.served("XListenerSet", x, "1.4", "standard")
    # "XBackend | ... | E:v1alpha1" only in v1.6.1
    assert gv.served("XBackend", x, "1.6", "experimental") and not gv.served("XBackend", x, "1.5", "experimental")
    # the kind must be in the group the table says
    assert not gv.served("XMesh", f"{GW}/v1alpha1", "1.6", "experimental")


def test_served_other_kinds_and_bad_input() -> None:
    assert not gv.served("Ingress", "networking.k8s.io/v1", "1.6", "standard")
    assert gv.served("HTTPRoute", f"{GW}/v1", "v1.6.1", "standard")  # tag spelling
    with pytest.raises(ValueError, match="unknown Gateway API version"):
        gv.served("HTTPRoute", f"{GW}/v1", "1.7", "standard")
    with pytest.raises(ValueError, match="unknown channel"):
        gv.served("HTTPRoute", f"{GW}/v1", "1.6", "alpha")


# --- problems(): field rows ---------------------------------------------------------------------


def test_cors_filter_before_it_was_standard() -> None:
    # "HTTPRoute cors filter | - | - | - | E | E | S,E | S,E"
    r = route({"filters": [{"type": "URLRewrite", "urlRewrite": {}}, CORS], "backendRefs": [BACKEND]})
    assert gv.problems(r, "1.4", "standard") == ["spec.rules[0].filters[1]"]
    assert gv.problems(r, "1.4", "experimental") == []
    assert gv.problems(r, "1.2", "experimental") == ["spec.rules[0].filters[1]"]
    assert gv.problems(r, "1.5", "standard") == []
    [u] = gv.unserved(r, "1.4", "standard")
    assert u == gv.Unserved("spec.rules[0].filters[1]", "HTTPRoute cors filter", "1.5")


def test_cors_on_a_backend_ref() -> None:
    r = route({"backendRefs": [{**BACKEND, "filters": [CORS]}]})
    assert gv.problems(r, "1.3", "standard") == ["spec.rules[0].backendRefs[0].filters[0]"]


def test_retry_and_session_persistence_are_experimental_only() -> None:
    # "HTTPRoute retry | - | - | E ..." and "HTTPRoute sessionPersistence | - | E | E ..."
    r = route(
        {"backendRefs": [BACKEND], "retry": {"attempts": 2}},
        {"backendRefs": [BACKEND], "sessionPersistence": {"type": "Cookie"}},
    )
    assert gv.problems(r, "1.6", "standard") == ["spec.rules[0].retry", "spec.rules[1].sessionPersistence"]
    assert gv.problems(r, "1.6", "experimental") == []
    [retry, session] = gv.unserved(r, "1.6", "standard")
    assert retry.since is None and session.since is None  # never standard so far
    assert gv.problems(route({"retry": {}}), "1.1", "experimental") == ["spec.rules[0].retry"]


def test_rule_name_and_timeouts() -> None:
    # "HTTPRoute .spec.rules[].name | - | - | E | E | S,E ..."; timeouts standard from 1.2
    r = route({"name": "api", "timeouts": {"request": "10s"}, "backendRefs": [BACKEND]})
    assert gv.problems(r, "1.3", "standard") == ["spec.rules[0].name"]
    assert gv.problems(r, "1.4", "standard") == []
    assert gv.problems(r, "1.1", "standard") == ["spec.rules[0].name", "spec.rules[0].timeouts"]


def test_request_mirror_percent_and_fraction() -> None:
    # "HTTPRoute requestMirror.percent | - | - | E | S,E ..."
    mirror = {"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND, "percent": 10}}
    plain = {"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND}}
    r = route({"filters": [mirror, plain], "backendRefs": [BACKEND]})
    assert gv.problems(r, "1.2", "standard") == ["spec.rules[0].filters[0].requestMirror.percent"]
    assert gv.problems(r, "1.2", "experimental") == []
    assert gv.problems(r, "1.3", "standard") == []


def test_external_auth_and_default_gateways() -> None:
    # "HTTPRoute externalAuth filter | - x4 | E | E | E"; "useDefaultGateways" likewise
    r = route({"filters": [{"type": "ExternalAuth", "externalAuth": {}}]}, useDefaultGateways="All")
    assert gv.problems(r, "1.6", "standard") == ["spec.rules[0].filters[0]", "spec.useDefaultGateways"]
    assert gv.problems(r, "1.3", "experimental") == ["spec.rules[0].filters[0]", "spec.useDefaultGateways"]
    assert gv.problems(r, "1.4", "experimental") == []


def test_always_served_filters_are_never_problems() -> None:
    # "HTTPRoute filter ExtensionRef/URLRewrite/ResponseHeaderModifier | S,E everywhere"
    r = route({"filters": [{"type": "ExtensionRef", "extensionRef": {}},
                           {"type": "URLRewrite"}, {"type": "ResponseHeaderModifier"}],
               "backendRefs": [{**BACKEND, "filters": [{"type": "RequestHeaderModifier"}]}]})
    for version in gv.VERSIONS:
        assert gv.problems(r, version, "standard") == []


def test_gateway_fields() -> None:
    g = gateway(
        infrastructure={"labels": {"a": "b"}},
        allowedListeners={"namespaces": {"from": "Same"}},
        tls={"frontend": {"default": {}}, "backend": {"clientCertificateRef": {"name": "c"}}},
    )
    # "Gateway allowedListeners | - | - | - | E | E | S,E | S,E"; tls.frontend and
    # tls.backend.clientCertificateRef: E in 1.4, S,E from 1.5
    assert gv.problems(g, "1.4", "standard") == [
        "spec.allowedListeners", "spec.tls.backend.clientCertificateRef", "spec.tls.frontend"
    ]
    assert gv.problems(g, "1.4", "experimental") == []
    assert gv.problems(g, "1.3", "experimental") == [
        "spec.tls.backend.clientCertificateRef", "spec.tls.frontend"
    ]
    assert gv.problems(g, "1.5", "standard") == []
    assert gv.problems(gateway(defaultScope="All"), "1.6", "standard") == ["spec.defaultScope"]


def test_removed_gateway_fields() -> None:
    # "Gateway spec.backendTLS | - | - | E | E | - | - | -" and
    # "Gateway listeners[].tls.frontendValidation | - | E | E | E | - | - | -"
    g = gateway(backendTLS={"clientCertificateRef": {"name": "c"}},
                listeners=[{"name": "h", "port": 443, "protocol": "HTTPS",
                            "tls": {"frontendValidation": {}, "options": {"a": "b"}}}])
    assert gv.problems(g, "1.3", "experimental") == []
    assert gv.problems(g, "1.4", "experimental") == [
        "spec.backendTLS", "spec.listeners[0].tls.frontendValidation"
    ]
    assert {u.since for u in gv.unserved(g, "1.4", "experimental")} == {None}


def test_unserved_kind_is_one_problem_at_api_version() -> None:
    tls = {"apiVersion": f"{GW}/v1", "kind": "TLSRoute", "metadata": {"name": "t"},
           "spec": {"rules": [{"name": "x"}]}}
    assert gv.problems(tls, "1.4", "experimental") == ["apiVersion"]
    [u] = gv.unserved(tls, "1.4", "standard")
    assert u == gv.Unserved("apiVersion", f"{GW}/v1 TLSRoute", "1.5")
    ls = {"apiVersion": f"{GW}/v1", "kind": "ListenerSet", "metadata": {"name": "l"}, "spec": {}}
    assert gv.problems(ls, "1.5", "standard") == []
    assert gv.unserved(ls, "1.3", "standard")[0].since == "1.5"


def test_v1beta1_routes_are_checked_like_v1() -> None:
    r = route({"retry": {}}, api="v1beta1")
    assert gv.problems(r, "1.6", "standard") == ["spec.rules[0].retry"]


def test_other_objects_have_no_problems() -> None:
    assert gv.problems({"apiVersion": "v1", "kind": "Service"}, "1.2", "standard") == []
    envoy = {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "SecurityPolicy",
             "spec": {"retry": {}}}
    assert gv.problems(envoy, "1.2", "standard") == []
    assert gv.problems({"kind": "HTTPRoute"}, "1.2", "standard") == []


def test_null_fields_are_absent() -> None:
    # `retry:` with no value is pruned by the apiserver: not a use of the field.
    assert gv.problems(route({"retry": None, "backendRefs": [BACKEND]}), "1.6", "standard") == []


def test_feature_served_by_row_name() -> None:
    # "HTTPRoute cors filter | - | - | - | E | E | S,E | S,E"
    assert not gv.feature_served("HTTPRoute cors filter", "1.4", "standard")
    assert gv.feature_served("HTTPRoute cors filter", "1.4", "experimental")
    assert gv.feature_served("HTTPRoute cors filter", "1.5", "standard")
    assert gv.feature_served("HTTPRoute cors filter", "1.5", "standard", f"{GW}/v1beta1")
    assert not gv.feature_served("HTTPRoute retry", "1.6", "standard")
    with pytest.raises(KeyError):
        gv.feature_served("HTTPRoute teleport", "1.6", "standard")
    assert len({f.name for f in gv.FEATURES}) == len(gv.FEATURES)
