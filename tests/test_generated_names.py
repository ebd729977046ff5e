"""generated_names.py: --name-template for routes and Gateways; the new-address note."""

from __future__ import annotations

import yaml
from gwshift.core import transform
from gwshift.settings import Settings

TEMPLATE = '{{ release }}-{{ ingress_class if kind == "Gateway" else source_name }}'


def _ingress(name: str, release: str | None, ns: str = "shop") -> str:
    labels = f"  labels:\n    app.kubernetes.io/instance: {release}\n" if release else ""
    return (f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n"
            f"  namespace: {ns}\n{labels}spec:\n  ingressClassName: nginx\n  rules:\n"
            f"  - host: {name}.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend: {service: {name: web, port: "
            "{number: 80}}}\n")


def _names(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in yaml.safe_load_all(text):
        if isinstance(d, dict):
            out.setdefault(d["kind"], set()).add(d["metadata"]["name"])
    return out


def test_two_releases_get_two_gateways() -> None:
    settings = Settings(name_template=TEMPLATE)
    a = transform(_ingress("web", "blue"), settings)
    b = transform(_ingress("api", "green"), settings)
    assert _names(a.text)["Gateway"] == {"blue-nginx"}
    assert _names(b.text)["Gateway"] == {"green-nginx"}
    assert _names(a.text)["HTTPRoute"] == {"blue-web"}
    assert not [n for n in a.notes if n.code == "gateway/new-address"]
    doc = yaml.safe_load(a.text.split("---")[1])
    assert doc["spec"]["parentRefs"][0]["name"] == "blue-nginx"


def test_invalid_name_keeps_the_source() -> None:
    out = transform(_ingress("web", None), Settings(name_template=TEMPLATE))
    assert [n.code for n in out.notes] == ["gateway/invalid-name"]
    assert "empty here: release" in out.notes[0].message
    assert out.text == _ingress("web", None) and out.exit_code() == 1


def test_long_gateway_name_keeps_the_source() -> None:
    out = transform(_ingress("web", "r" * 60), Settings(name_template=TEMPLATE))
    assert [n.code for n in out.notes] == ["gateway/invalid-name"]


def test_without_template_names_stay_and_a_note_says_why() -> None:
    out = transform(_ingress("web", "blue"), Settings())
    assert _names(out.text)["Gateway"] == {"nginx"}
    assert _names(out.text)["HTTPRoute"] == {"web"}
    (n,) = [n for n in out.notes if n.code == "gateway/new-address"]
    assert "--name-template" in n.message and "--gateway" in n.message


def test_existing_gateway_has_no_new_address_note() -> None:
    out = transform(_ingress("web", "blue"), Settings(gateway=("infra", "shared")))
    assert not [n for n in out.notes if n.code == "gateway/new-address"]


def test_members_of_one_group_share_the_first_gateway_name() -> None:
    out = transform(_ingress("web", "blue") + "---\n" + _ingress("api", "green"),
                    Settings(name_template=TEMPLATE))
    assert _names(out.text)["Gateway"] == {"green-nginx"}  # api comes first by name
    assert [n.code for n in out.notes if n.severity.name == "WARNING"] == [
        "gateway/name-template-shared"]


def test_rerun_with_template_is_idempotent() -> None:
    settings = Settings(name_template=TEMPLATE)
    once = transform(_ingress("web", "blue"), settings).text
    assert transform(once, settings).text == once
