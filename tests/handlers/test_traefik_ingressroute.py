"""Traefik IngressRoute as a source: match expressions, weights, middlewares per rule."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.handlers.traefik import DIALECT, matchexpr
from gwshift.intents import ExtensionRef, IPAccess
from gwshift.model import Conversion

from .test_traefik import context, middleware

PARSE = DIALECT.parsers[("traefik.io", "IngressRoute")]


def ingressroute(routes: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
            "metadata": {"name": "app", "namespace": "ns"}, "spec": {"routes": routes, **spec}}


def route(match: str, *services: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"match": match, "kind": "Rule",
            "services": list(services) or [{"name": "web", "port": 80}], **kw}


def parse(obj: dict[str, Any], stream: tuple[dict[str, Any], ...] = (),
          **settings: Any) -> Conversion:
    conv, notes = PARSE(obj, 3, context(stream, **settings))
    assert conv is not None and not notes
    return conv


def matches(conv: Conversion, r: int = 0) -> list[dict[str, Any]]:
    return [m.to_dict() for rule in conv.routes[r].rules for m in rule.matches]


@pytest.mark.parametrize(("expr", "expected"), [
    ("Host(`a.example.com`) && PathPrefix(`/api`)",
     [("a.example.com", {"path": {"type": "PathPrefix", "value": "/api"}})]),
    ("Host(`a.example.com`) && (Path(`/x`) || Path(`/y`))",
     [("a.example.com", {"path": {"type": "Exact", "value": "/x"}}),
      ("a.example.com", {"path": {"type": "Exact", "value": "/y"}})]),
    ("PathPrefix(`/`) && Header(`X-Env`, `prod`) && Method(`GET`)",
     [(None, {"path": {"type": "PathPrefix", "value": "/"},
              "headers": [{"name": "X-Env", "value": "prod"}], "method": "GET"})]),
    ("Headers(`X-A`, `1`) && Query(`page=2`)",
     [(None, {"headers": [{"name": "X-A", "value": "1"}],
              "queryParams": [{"name": "page", "value": "2"}]})]),
    ("Query(`q`, `v`) && HeaderRegexp(`X-B`, `^a.*`)",
     [(None, {"headers": [{"type": "RegularExpression", "name": "X-B", "value": "^a.*"}],
              "queryParams": [{"name": "q", "value": "v"}]})]),
    ("Host(`a.example.com`, `b.example.com`)", [("a.example.com", {}), ("b.example.com", {})]),
])
def test_match_expressions(expr: str, expected: list[tuple[str | None, dict[str, Any]]]) -> None:
    from gwshift.handlers.traefik.ingressroute import _match

    got = [(c.host, _match(c).to_dict()) for c in matchexpr.parse(expr)]
    assert got == expected


@pytest.mark.parametrize("expr", [
    "!Path(`/admin`)", "ClientIP(`10.0.0.0/8`)", "HostRegexp(`.*`)",
    "Path(`/a`) && Path(`/b`)", "Host(`a`) &&", "Query(`flag`)", "Method(`FETCH`)",
])
def test_unsupported_expressions(expr: str) -> None:
    with pytest.raises(matchexpr.Unsupported):
        matchexpr.parse(expr)


def test_hosts_become_routes_with_weighted_backends() -> None:
    conv = parse(ingressroute([
        route("Host(`a.example.com`) && PathPrefix(`/api`)",
              {"name": "v1", "port": 80, "weight": 3}, {"name": "v2", "port": 80, "weight": 1}),
        route("Host(`b.example.com`)")], entryPoints=["web"]))
    assert [r.hostnames for r in conv.routes] == [["a.example.com"], ["b.example.com"]]
    assert [(b.name, b.weight) for b in conv.routes[0].rules[0].backends] == [("v1", 3), ("v2", 1)]
    assert [[k.protocol for k in r.listeners] for r in conv.routes] == [["HTTP"], ["HTTP"]]
    assert not conv.blocked


def test_tls_secret_feeds_https_listeners() -> None:
    conv = parse(ingressroute([route("Host(`a.example.com`)")], entryPoints=["websecure"],
                              tls={"secretName": "a-cert"}))
    assert [k.protocol for k in conv.routes[0].listeners] == ["HTTPS"]
    assert [(t.hosts, t.secret) for t in conv.tls] == [(("a.example.com",), "a-cert")]


def test_tls_cert_resolver_gets_a_placeholder() -> None:
    conv = parse(ingressroute([route("Host(`a.example.com`)")], tls={"certResolver": "le"}))
    assert "traefik/tls-secret-placeholder" in {n.code for n in conv.notes}


def test_unparsable_match_keeps_the_object() -> None:
    conv = parse(ingressroute([route("!Host(`a.example.com`)")]))
    assert conv.blocked and {n.code for n in conv.notes} == {"traefik/match-unsupported"}


def test_middlewares_are_rule_scoped() -> None:
    stream = (middleware("ip", {"ipAllowList": {"sourceRange": ["10.0.0.0/8"]}}),)
    conv = parse(ingressroute([
        route("Host(`a.example.com`) && PathPrefix(`/admin`)",
              middlewares=[{"name": "ip"}, {"name": "auth", "namespace": "sec"}]),
        route("Host(`a.example.com`)")]), stream=stream)
    admin, rest = conv.routes[0].rules
    assert [type(i) for i in admin.intents] == [IPAccess, ExtensionRef]
    assert admin.intents[1].namespace == "sec"  # type: ignore[union-attr]
    assert not rest.intents and not conv.routes[0].intents


def test_traefik_service_kind_keeps_the_object() -> None:
    conv = parse(ingressroute([route("PathPrefix(`/`)", {"name": "wrr", "kind": "TraefikService"})]))
    assert conv.blocked


def test_named_port_resolved_from_the_stream() -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "ns"},
           "spec": {"ports": [{"name": "http", "port": 8080}]}}
    conv = parse(ingressroute([route("PathPrefix(`/`)", {"name": "web", "port": "http"})]),
                 stream=(svc,))
    assert conv.routes[0].rules[0].backends[0].port == 8080


def test_source_protocol() -> None:
    conv = parse(ingressroute([route("PathPrefix(`/`)")]))
    src = conv.source
    assert (src.kind, src.name, src.namespace, str(src.ref)) == (
        "IngressRoute", "app", "ns", "IngressRoute/ns/app")
    assert src.annotation("x") is None and src.content_key()


def test_v2_query_form_is_converted_with_a_note() -> None:
    """Traefik v3 Query(key[, value]) (pkg/muxer/http/matcher.go query): Query(`lang=en`)
    names a parameter 'lang=en'; the conversion keeps the v2 meaning and says so."""
    conv = parse(ingressroute([route("Host(`a.example.com`) && Query(`lang=en`)")]))
    assert matches(conv)[0]["queryParams"] == [{"name": "lang", "value": "en"}]
    [n] = [n for n in conv.notes if n.code == "traefik/query-v3-syntax"]
    assert n.field == "spec.routes[0].match" and "'lang=en'" in n.message


@pytest.mark.parametrize("r", [
    route("Host(`a.example.com`) && Query(`lang`, `en`)"),  # v3 form: faithful
    route("Host(`a.example.com`) && Query(`lang=en`)", syntax="v2"),  # v2 declared
])
def test_v3_query_form_twin_is_not_noted(r: dict[str, Any]) -> None:
    conv = parse(ingressroute([r]))
    assert matches(conv)[0]["queryParams"] == [{"name": "lang", "value": "en"}]
    assert "traefik/query-v3-syntax" not in {n.code for n in conv.notes}


def test_ingressroute_path_prefix_string_match() -> None:
    conv = parse(ingressroute([route("Host(`a.example.com`) && PathPrefix(`/v1`)"),
                               route("Host(`a.example.com`) && PathPrefix(`/`)")]))
    assert [(n.field, n.code) for n in conv.notes if n.code == "traefik/prefix-string-match"] \
        == [("spec.routes[0].match", "traefik/prefix-string-match")]


def test_rule_length_priority_between_ingressroute_routes() -> None:
    """Traefik's CRD provider: priority 0 is len(match) (GetRulePriority): the longer
    PathPrefix('/') match outranks Path('/api')."""
    conv = parse(ingressroute([
        route("Host(`a.example.com`) && PathPrefix(`/`)", {"name": "web", "port": 80}),
        route("Host(`a.example.com`) && Path(`/api`)", {"name": "api", "port": 80})]))
    DIALECT.refine([conv], context(()))
    [n] = [n for n in conv.notes if n.code == "traefik/rule-length-priority"]
    assert n.field == "spec.routes[1].match" and "sent '/api' to Service web" in n.message


@pytest.mark.parametrize("routes", [
    # the Exact match is longer: Traefik tries it first, as Gateway API does
    [route("Host(`a.example.com`) && PathPrefix(`/`)"),
     route("Host(`a.example.com`) && Path(`/api/orders/list`)")],
    # an explicit priority on the Exact route: its own priority-not-converted note
    [route("Host(`a.example.com`) && PathPrefix(`/`)"),
     route("Host(`a.example.com`) && Path(`/api`)", priority=100)],
])
def test_rule_length_priority_twin_ingressroute(routes: list[dict[str, Any]]) -> None:
    conv = parse(ingressroute(routes))
    DIALECT.refine([conv], context(()))
    assert "traefik/rule-length-priority" not in {n.code for n in conv.notes}


MIXED = """\
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: all, namespace: web}
spec:
  entryPoints: [web]
  routes:
  - match: Host(`shop.example.com`) && PathPrefix(`/`)
    kind: Rule
    services: [{name: web, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: web}
spec:
  ingressClassName: traefik
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: PATH, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
"""


@pytest.mark.parametrize(("path", "eps", "noted"), [
    ("/api", "web", True),
    ("/api/orders/list", "web", False),  # 53 characters: tried first
    ("/api", "websecure", False),  # another entry point: another muxer
])
def test_rule_length_priority_across_ingressroute_and_ingress(path: str, eps: str,
                                                              noted: bool) -> None:
    """One muxer per entry point: the IngressRoute's PathPrefix('/') (43) outranks the
    Ingress's Path('/api') (40) on the entry points they share."""
    from gwshift.core import transform
    from gwshift.settings import Settings

    text = MIXED.replace("PATH", path)
    if eps != "web":
        text = text.replace("metadata: {name: api, namespace: web}", (
            "metadata: {name: api, namespace: web, annotations: "
            "{traefik.ingress.kubernetes.io/router.entrypoints: websecure}}"))
    out = transform(text, Settings())
    found = [n for n in out.notes if n.code == "traefik/rule-length-priority"]
    assert bool(found) is noted
    if noted:
        assert "of IngressRoute web/all" in found[0].message


# --- issue 19: numbers, names and namespaces checked on every run ---------------------------------


@pytest.mark.parametrize(("meta", "field"), [
    ({"namespace": 123}, "metadata.namespace"), ({"namespace": "Shop"}, "metadata.namespace"),
    ({"name": "R"}, "metadata.name"), ({"name": "a" * 254}, "metadata.name")])
def test_invalid_name_or_namespace_keeps_the_object(meta: dict[str, Any], field: str) -> None:
    obj = ingressroute([route("Host(`a.example.com`)")])
    obj["metadata"].update(meta)
    conv, notes = PARSE(obj, 3, context(()))
    assert conv is None
    assert [(n.code, n.severity.name, n.field, n.doc) for n in notes] == [
        ("traefik/ingressroute-invalid", "ERROR", field, 3)]


@pytest.mark.parametrize("ns", ["123", "shop"])
def test_valid_namespace_still_converts(ns: str) -> None:  # must-not-change twin
    obj = ingressroute([route("Host(`a.example.com`)")])
    obj["metadata"]["namespace"] = ns
    conv = parse(obj)
    assert conv.source.namespace == ns and conv.routes and not conv.blocked


@pytest.mark.parametrize(("service", "field"), [
    ({"port": "²"}, "port"), ({"port": "٨٠"}, "port"), ({"port": "1" * 5000}, "port"),
    ({"port": "70000"}, "port"), ({"weight": "٨٠"}, "weight"), ({"weight": 80.5}, "weight"),
    ({"weight": "80"}, "weight"), ({"weight": True}, "weight"), ({"weight": -1}, "weight"),
    ({"weight": 99999999999999999999}, "weight"), ({"weight": 1_000_001}, "weight"),
    ({"namespace": 123}, "namespace"), ({"namespace": "Shop"}, "namespace")])
def test_invalid_port_weight_or_namespace_keeps_the_object(service: dict[str, Any],
                                                           field: str) -> None:
    """'٨٠' used to become 80, '²' or 5 000 digits an exit 3, a weight that is no integer an
    equal split, a weight above 1 000 000 an HTTPRoute the API server refuses."""
    conv = parse(ingressroute([route("Host(`a.example.com`)", {
        "name": "v1", "port": 80, "weight": 3, **service}, {"name": "v2", "port": 80})]))
    assert conv.blocked
    (note,) = conv.notes
    assert (note.code, note.field) == ("traefik/ingressroute-invalid",
                                       f"spec.routes[0].services[0].{field}")
    assert len(note.message) < 300


@pytest.mark.parametrize(("service", "expected"), [
    ({"port": "8080", "weight": 0}, (8080, 0)), ({"port": 80, "weight": 1_000_000}, (80, 1_000_000)),
    ({"port": " 80 "}, (80, None)), ({"port": 443, "weight": 5, "namespace": ""}, (443, 5))])
def test_ascii_port_and_weight_still_convert(service: dict[str, Any],
                                             expected: tuple[int, int | None]) -> None:  # twin
    conv = parse(ingressroute([route("Host(`a.example.com`)", {"name": "v1", **service})]))
    (b,) = conv.routes[0].rules[0].backends
    assert (b.port, b.weight) == expected and not conv.blocked


@pytest.mark.parametrize(("age", "expected"), [(3600, "1h"), (99_999_999, "27777h46m39s")])
def test_sticky_max_age_converts(age: int, expected: str) -> None:  # must-not-change twin
    conv = parse(ingressroute([route("Host(`a.example.com`)", {
        "name": "web", "port": 80, "sticky": {"cookie": {"maxAge": age}}})]),
        channel="experimental")
    sp = conv.routes[0].rules[0].session_persistence
    assert sp is not None and sp["absoluteTimeout"] == expected
    assert "traefik/invalid-value" not in {n.code for n in conv.notes}


def test_sticky_max_age_beyond_any_duration_is_noted() -> None:
    conv = parse(ingressroute([route("Host(`a.example.com`)", {
        "name": "web", "port": 80, "sticky": {"cookie": {"maxAge": 10**12}}})]),
        channel="experimental")
    sp = conv.routes[0].rules[0].session_persistence
    assert sp == {"type": "Cookie"}
    (note,) = [n for n in conv.notes if n.code == "traefik/invalid-value"]
    assert note.field == "spec.routes[0].services[0].sticky.cookie.maxAge"
