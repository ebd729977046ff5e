"""The controller-neutral converter: paths, hosts, route grouping and naming, backends."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.context import Context, host_covered
from gwshift.convert import build_routes, host_problem, new_conversion, path_problem
from gwshift.model import Conversion, ListenerKey
from gwshift.parse import parse_ingress
from gwshift.settings import Settings

SERVICES = {("web", "named"): {"spec": {"ports": [{"name": "http", "port": 8080}]}}}


def ctx(settings: Settings | None = None) -> Context:
    return Context(settings or Settings(),
                   {"Service": lambda ns, name: SERVICES.get((ns or "", name)),
                    "ConfigMap": lambda ns, name: None})


def backend(svc: str = "svc", port: int | str = 80) -> dict[str, Any]:
    return {"service": {"name": svc, "port": {"number": port} if isinstance(port, int) else {"name": port}}}


def convert(spec: dict[str, Any], labels: dict[str, Any] | None = None) -> Conversion:
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "ing", "namespace": "web", "labels": labels or {}}, "spec": spec}
    ing, notes = parse_ingress(obj, 0)
    assert ing is not None, notes
    c = ctx()
    conv = new_conversion(ing, c)
    c.conversions = [conv]
    build_routes(conv, c)
    return conv


def rules(*hosts_paths: tuple[str | None, list[str]]) -> list[dict[str, Any]]:
    out = []
    for host, paths in hosts_paths:
        r: dict[str, Any] = {"http": {"paths": [{"path": p, "pathType": "Prefix", "backend": backend()}
                                                for p in paths]}}
        if host:
            r["host"] = host
        out.append(r)
    return out


@pytest.mark.parametrize(("path", "ok"), [
    ("/", True), ("/api/v1", True), ("/a-b_c~d", True), ("/%20", True),
    ("api", False), ("/a//b", False), ("/a/../b", False), ("/a/.", False), ("/a%2fb", False),
    ("/a#b", False), ("/a b", False), ("/" + "a" * 1024, False),
])
def test_path_problem(path: str, ok: bool) -> None:
    assert (path_problem(path) is None) == ok


@pytest.mark.parametrize(("host", "ok"), [
    ("example.com", True), ("*.example.com", True), ("a-b.example.com", True),
    ("1.2.3.4", False), ("Example.com", False), ("*example.com", False), ("a..b", False),
    ("foo.*.com", False), ("-a.com", False),
])
def test_host_problem(host: str, ok: bool) -> None:
    assert (host_problem(host) is None) == ok


def test_host_covered() -> None:
    assert host_covered("a.example.com", "*.example.com")
    assert host_covered("A.Example.com", "a.example.COM")
    assert not host_covered("example.com", "*.example.com")
    assert not host_covered("*.example.com", "example.com")
    assert host_covered("*.example.com", "*.example.com")
    assert not host_covered(None, "*.example.com")


def test_hosts_with_identical_paths_share_one_route() -> None:
    conv = convert({"rules": rules(("a.example.com", ["/"]), ("b.example.com", ["/"]),
                                   ("c.example.com", ["/c"]))})
    assert [(r.suffix, r.hostnames) for r in conv.routes] == [
        ("a-example-com", ["a.example.com", "b.example.com"]), ("c-example-com", ["c.example.com"])]


def test_single_route_has_no_suffix_and_hosts_are_lowercased() -> None:
    conv = convert({"rules": rules(("A.Example.com", ["/x"]))})
    assert [(r.suffix, r.hostnames) for r in conv.routes] == [("", ["a.example.com"])]
    assert conv.routes[0].listeners == [ListenerKey("a.example.com", "HTTP")]


def test_hosts_that_slug_alike_get_distinct_suffixes() -> None:
    conv = convert({"rules": rules(("a-b.example.com", ["/1"]), ("a.b-example.com", ["/2"]),
                                   ("any", ["/3"]), (None, ["/4"]))})
    suffixes = [r.suffix for r in conv.routes]
    assert len(set(suffixes)) == 4
    again = convert({"rules": rules((None, ["/4"]), ("any", ["/3"]), ("a.b-example.com", ["/2"]),
                                    ("a-b.example.com", ["/1"]))})
    assert sorted(r.suffix for r in again.routes) == sorted(suffixes)  # order does not matter


def test_default_backend_of_an_ingress_with_rules_is_the_root_of_its_hosts_only() -> None:
    # ingress-nginx getBackendServers: only an Ingress without rules configures the
    # catch-all server; with rules, defaultBackend is the "/" of the hosts it names.
    conv = convert({"defaultBackend": backend("fallback"),
                    "rules": rules(("a.example.com", ["/a"]), ("b.example.com", ["/"]))})
    by_suffix = {r.suffix: r for r in conv.routes}
    assert [b.name for r in by_suffix["a-example-com"].rules for b in r.backends] == ["svc", "fallback"]
    assert [b.name for r in by_suffix["b-example-com"].rules for b in r.backends] == ["svc"]
    assert "any" not in by_suffix


def test_default_backend_without_rules_is_the_catch_all() -> None:
    conv = convert({"defaultBackend": backend("fallback")})
    assert [b.name for r in conv.routes[0].rules for b in r.backends] == ["fallback"]
    assert conv.routes[0].listeners == [ListenerKey(None, "HTTP")]


def test_tls_adds_https_listeners_for_covered_hosts_only() -> None:
    conv = convert({"tls": [{"hosts": ["*.example.com"], "secretName": "wild"}],
                    "rules": rules(("a.example.com", ["/"]), ("example.com", ["/x"]))})
    keys = {k for r in conv.routes for k in r.listeners}
    assert ListenerKey("a.example.com", "HTTPS") in keys
    assert ListenerKey("example.com", "HTTPS") not in keys


def test_named_port_resolution() -> None:
    conv = convert({"rules": [{"host": "a.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": backend("named", "http")}]}}]})
    assert conv.routes[0].rules[0].backends[0].port == 8080
    conv = convert({"rules": [{"host": "a.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": backend("named", "grpc")}]}}]})
    assert conv.blocked and [n.code for n in conv.notes] == ["ingress/unresolved-port-name"]


def test_invalid_host_and_path_block() -> None:
    assert convert({"rules": rules(("1.2.3.4", ["/"]))}).blocked
    assert convert({"rules": rules(("a.example.com", ["/a//b"]))}).blocked


def test_implementation_specific_path_is_a_prefix_with_a_note() -> None:
    conv = convert({"rules": [{"host": "a.example.com", "http": {"paths": [
        {"path": "/x", "pathType": "ImplementationSpecific", "backend": backend()}]}}]})
    m = conv.routes[0].rules[0].matches[0]
    assert (m.path_type, m.path) == ("PathPrefix", "/x")
    assert [n.code for n in conv.notes] == ["ingress/path-type-implementation-specific"]


def test_invalid_label_values_are_not_copied() -> None:
    conv = convert({"defaultBackend": backend()}, labels={"ok": "v1", "bad": "not valid!", "long": "x" * 64})
    assert conv.labels == {"ok": "v1"}
    assert sorted(n.field or "" for n in conv.notes) == ["metadata.labels[bad]", "metadata.labels[long]"]


def test_resource_backend_warns() -> None:
    conv = convert({"defaultBackend": {"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket",
                                                    "name": "b"}}})
    ref = conv.routes[0].rules[0].backends[0]
    assert (ref.group, ref.kind, ref.name, ref.port) == ("k8s.example.com", "Bucket", "b", None)
    assert [n.code for n in conv.notes] == ["ingress/resource-backend"]
    assert not conv.blocked


@pytest.mark.parametrize("spec", [{}, {"rules": []}, {"rules": [{"host": "a.example.com"}]},
                                  {"rules": [{"host": "a.example.com", "http": {"paths": []}}]}])
def test_ingress_with_nothing_to_convert_is_kept_with_a_note(spec: dict[str, Any]) -> None:
    conv = convert(spec)
    assert conv.blocked and not conv.routes
    assert [n.code for n in conv.notes] == ["ingress/nothing-to-convert"]


def test_service_port_option_resolves_named_ports_of_services_outside_the_stream() -> None:
    spec = {"rules": [{"host": "a.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": backend("elsewhere", "web")}]}}]}
    conv = convert(spec)
    assert conv.blocked and "--service-port web/elsewhere:web=NUMBER" in conv.notes[0].message
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "ing", "namespace": "web"}, "spec": spec}
    ing, _ = parse_ingress(obj, 0)
    assert ing is not None
    c = ctx(Settings(service_ports=((("web", "elsewhere", "web"), 8443),)))
    conv = new_conversion(ing, c)
    c.conversions = [conv]
    build_routes(conv, c)
    assert not conv.blocked and conv.routes[0].rules[0].backends[0].port == 8443
    # The stream's own Service wins; another namespace's port does not apply (must not change).
    c = ctx(Settings(service_ports=((("other", "elsewhere", "web"), 8443),)))
    conv = new_conversion(ing, c)
    c.conversions = [conv]
    build_routes(conv, c)
    assert conv.blocked
