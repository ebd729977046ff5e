"""Kong TCPIngress/UDPIngress as sources: TCP/TLS(Terminate)/UDP listeners and routes."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.handlers.kong import DIALECT
from gwshift.model import Conversion

from .test_traefik import context

G = "configuration.konghq.com"


def stream_ingress(kind: str, rules: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    return {"apiVersion": f"{G}/v1beta1", "kind": kind,
            "metadata": {"name": "echo", "namespace": "ns",
                         "annotations": {"kubernetes.io/ingress.class": "kong"}},
            "spec": {"rules": rules, **spec}}


def parse(obj: dict[str, Any]) -> Conversion:
    conv, notes = DIALECT.parsers[(G, obj["kind"])](obj, 0, context(()))
    assert conv is not None and not notes
    return conv


def backend(name: str = "echo", port: int = 2701) -> dict[str, Any]:
    return {"serviceName": name, "servicePort": port}


def test_tcp_rule_without_host() -> None:
    conv = parse(stream_ingress("TCPIngress", [{"port": 9000, "backend": backend()}]))
    (route,) = conv.routes
    assert route.kind == "TCPRoute" and route.hostnames == [] and route.suffix == ""
    assert [(k.hostname, k.protocol, k.port) for k in route.listeners] == [(None, "TCP", 9000)]
    assert [(b.name, b.port) for b in route.rules[0].backends] == [("echo", 2701)]
    assert route.rules[0].matches == [] and conv.ingress_class == "kong"


def test_tcp_rule_with_host_terminates_tls() -> None:
    conv = parse(stream_ingress("TCPIngress", [
        {"host": "Db.example.com", "port": 9443, "backend": backend()},
        {"port": 9000, "backend": backend()}],
        tls=[{"hosts": ["db.example.com"], "secretName": "db-cert"}]))
    tls, tcp = conv.routes
    assert (tls.kind, tls.hostnames, tls.suffix) == ("TLSRoute", ["db.example.com"],
                                                      "db-example-com-9443")
    assert [(k.hostname, k.protocol, k.port) for k in tls.listeners] == [
        ("db.example.com", "TLS", 9443)]
    assert [(t.hosts, t.secret) for t in conv.tls] == [(("db.example.com",), "db-cert")]
    assert (tcp.kind, tcp.suffix) == ("TCPRoute", "9000")


def test_tls_host_without_secret_keeps_the_object() -> None:
    conv = parse(stream_ingress("TCPIngress", [{"host": "db.example.com", "port": 9443,
                                                "backend": backend()}]))
    assert conv.blocked and {n.code for n in conv.notes} == {"kong/stream-ingress-unsupported"}


def test_udp() -> None:
    conv = parse(stream_ingress("UDPIngress", [{"port": 9999, "backend": backend("dns", 53)}]))
    (route,) = conv.routes
    assert route.kind == "UDPRoute"
    assert [(k.protocol, k.port) for k in route.listeners] == [("UDP", 9999)]


@pytest.mark.parametrize(("kind", "rules", "spec"), [
    ("UDPIngress", [{"port": 9999, "host": "a.example.com", "backend": backend()}], {}),
    ("UDPIngress", [{"port": 9999, "backend": backend()}], {"tls": []}),
    ("TCPIngress", [{"port": 0, "backend": backend()}], {}),
    ("TCPIngress", [{"port": 9000, "backend": {"serviceName": "x"}}], {}),
    ("TCPIngress", [{"port": 9000, "backend": backend()}, {"port": 9000, "backend": backend()}],
     {}),
    ("TCPIngress", [], {}),
])
def test_unsupported_fields_keep_the_object(kind: str, rules: list[dict[str, Any]],
                                            spec: dict[str, Any]) -> None:
    conv = parse(stream_ingress(kind, rules, **spec))
    assert conv.blocked and not conv.routes


def test_source_protocol() -> None:
    conv = parse(stream_ingress("UDPIngress", [{"port": 9999, "backend": backend()}]))
    src = conv.source
    assert (src.kind, str(src.ref)) == ("UDPIngress", "UDPIngress/ns/echo")
    assert src.annotation("kubernetes.io/ingress.class") == "kong"
    assert src.content_key() != parse(stream_ingress(
        "UDPIngress", [{"port": 9998, "backend": backend()}])).source.content_key()


def test_missing_name() -> None:
    obj = stream_ingress("UDPIngress", [])
    del obj["metadata"]["name"]
    conv, notes = DIALECT.parsers[(G, "UDPIngress")](obj, 4, context(()))
    assert conv is None and [n.code for n in notes] == ["kong/stream-ingress-invalid"]


@pytest.mark.parametrize("kind", ["TCPIngress", "UDPIngress"])
@pytest.mark.parametrize(("meta", "field"), [
    ({"namespace": 123}, "metadata.namespace"), ({"namespace": "Shop"}, "metadata.namespace"),
    ({"namespace": "a" * 64}, "metadata.namespace"), ({"name": "Echo"}, "metadata.name"),
    ({"name": "echo_1"}, "metadata.name")])
def test_invalid_name_or_namespace_keeps_the_object(kind: str, meta: dict[str, Any],
                                                    field: str) -> None:
    """The checks parse.py applies to an Ingress: an unquoted number used to put the routes in
    the release namespace, 'Shop' made every generated object invalid."""
    obj = stream_ingress(kind, [{"port": 9000, "backend": backend()}])
    obj["metadata"].update(meta)
    conv, notes = DIALECT.parsers[(G, kind)](obj, 2, context(()))
    assert conv is None
    assert [(n.code, n.severity.name, n.field, n.doc) for n in notes] == [
        ("kong/stream-ingress-invalid", "ERROR", field, 2)]


@pytest.mark.parametrize("ns", ["123", "data", None])
def test_valid_namespace_still_converts(ns: str | None) -> None:  # must-not-change twin
    obj = stream_ingress("TCPIngress", [{"port": 9000, "backend": backend()}])
    obj["metadata"]["namespace"] = ns
    conv = parse(obj)
    assert conv.source.namespace == ns and not conv.blocked and conv.routes


@pytest.mark.parametrize("port", ["1" * 5000, "²", 70000, 10**30])
def test_invalid_port_message_is_short(port: Any) -> None:
    conv = parse(stream_ingress("TCPIngress", [{"port": port, "backend": backend()}]))
    (note,) = conv.notes
    assert conv.blocked and note.field == "spec.rules[0].port" and len(note.message) < 200
