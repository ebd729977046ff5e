"""parse.py: the Ingress model from a loaded object; shape errors are notes."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.parse import parse_ingress


def _ing(port: dict[str, Any] | None = None, legacy_port: object = None,
         namespace: object = "shop") -> dict[str, Any]:
    if legacy_port is not None:
        backend: dict[str, Any] = {"serviceName": "web", "servicePort": legacy_port}
        api = "networking.k8s.io/v1beta1"
    else:
        backend = {"service": {"name": "web", "port": port or {"number": 80}}}
        api = "networking.k8s.io/v1"
    return {"apiVersion": api, "kind": "Ingress",
            "metadata": {"name": "web", "namespace": namespace},
            "spec": {"rules": [{"host": "a.example.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": backend}]}}]}}


@pytest.mark.parametrize("port", ["²", "٨٠", "0", "70000", "123456"])
def test_digit_strings_that_are_no_ascii_port_are_errors(port: str) -> None:
    ing, notes = parse_ingress(_ing(legacy_port=port), 0)
    assert ing is None and [n.code for n in notes] == ["ingress/invalid"]
    assert notes[0].field.endswith("servicePort")
    assert port not in notes[0].message


@pytest.mark.parametrize("port", ["²", "٨٠"])
def test_v1_port_number_strings_are_errors(port: str) -> None:
    ing, notes = parse_ingress(_ing(port={"number": port}), 0)
    assert ing is None and notes[0].field.endswith("port.number")


def test_ascii_port_strings_and_names_still_parse() -> None:  # must-not-change twin
    ing, _ = parse_ingress(_ing(legacy_port="8080"), 0)
    assert ing is not None and ing.rules[0].paths[0].backend.port_number == 8080
    ing, _ = parse_ingress(_ing(legacy_port="http"), 0)
    assert ing is not None and ing.rules[0].paths[0].backend.port_name == "http"


@pytest.mark.parametrize("ns", [123, "Shop", "shop_x", "a" * 64, "-a", "a.b", True])
def test_namespaces_that_are_no_dns_label_are_errors(ns: object) -> None:
    ing, notes = parse_ingress(_ing(namespace=ns), 0)
    assert ing is None and [(n.code, n.field) for n in notes] == [
        ("ingress/invalid", "metadata.namespace")]


@pytest.mark.parametrize("ns", ["123", "shop", "a" * 63, "a-b", None, ""])
def test_dns_label_namespaces_parse(ns: object) -> None:  # twin
    ing, notes = parse_ingress(_ing(namespace=ns), 0)
    assert ing is not None and not notes
