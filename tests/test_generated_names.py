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


def test_without_template_the_gateway_is_named_per_release_and_a_note_says_why() -> None:
    out = transform(_ingress("web", "blue"), Settings())
    assert _names(out.text)["Gateway"] == {"blue-nginx"}
    assert _names(out.text)["HTTPRoute"] == {"web"}  # routes keep their names
    doc = yaml.safe_load(out.text.split("---")[1])
    assert doc["spec"]["parentRefs"][0]["name"] == "blue-nginx"
    (n,) = [n for n in out.notes if n.code == "gateway/new-address"]
    assert "new load balancer and address" in n.message
    assert "named after release blue" in n.message and "--gateway" in n.message


def test_two_releases_converted_one_by_one_do_not_collide() -> None:
    """The Helm post-renderer sees one release per run: two releases in one namespace get
    two Gateways, and one run's output next to the other's input is no collision."""
    a = transform(_ingress("web", "blue"), Settings())
    b = transform(_ingress("api", "green"), Settings())
    assert _names(a.text)["Gateway"] == {"blue-nginx"}
    assert _names(b.text)["Gateway"] == {"green-nginx"}
    both = transform(a.text + "---\n" + _ingress("api", "green"), Settings())
    assert not [n for n in both.notes if n.code == "gateway/name-collision"]
    assert _names(both.text)["Gateway"] == {"blue-nginx", "green-nginx"}


def test_without_release_label_the_class_names_the_gateway_without_a_note() -> None:
    out = transform(_ingress("web", None), Settings())
    assert _names(out.text)["Gateway"] == {"nginx"}
    assert not [n for n in out.notes if n.code == "gateway/new-address"]


def test_several_releases_in_one_stream_share_the_class_named_gateway() -> None:
    """One stream, one owner: the Gateway of a class is shared (one address, like
    ingress-nginx) and keeps the class name; the note says why it may collide."""
    out = transform(_ingress("web", "blue") + "---\n" + _ingress("api", "green"), Settings())
    assert _names(out.text)["Gateway"] == {"nginx"}
    (n,) = [n for n in out.notes if n.code == "gateway/new-address"]
    assert "several releases (blue, green)" in n.message and "--name-template" in n.message


def test_a_source_without_the_label_keeps_the_class_name() -> None:
    out = transform(_ingress("web", "blue") + "---\n" + _ingress("api", None), Settings())
    assert _names(out.text)["Gateway"] == {"nginx"}
    (n,) = [n for n in out.notes if n.code == "gateway/new-address"]
    assert "not all its Ingresses carry release blue's label" in n.message


def test_legacy_release_label_counts_only_with_helm_heritage() -> None:
    legacy = _ingress("web", None).replace(
        "  namespace: shop\n", "  namespace: shop\n  labels:\n    release: old\n"
                               "    heritage: Helm\n")
    assert _names(transform(legacy, Settings()).text)["Gateway"] == {"old-nginx"}
    free_form = legacy.replace("    heritage: Helm\n", "")
    assert _names(transform(free_form, Settings()).text)["Gateway"] == {"nginx"}


def test_release_named_gateway_is_idempotent() -> None:
    once = transform(_ingress("web", "blue"), Settings()).text
    assert transform(once, Settings()).text == once
    kept = transform(_ingress("web", "blue"), Settings(keep_ingress=True)).text
    again = transform(kept, Settings(keep_ingress=True))
    assert again.text == kept
    assert [n.code for n in again.notes] == ["ingress/already-converted"]


def test_listener_set_is_named_per_release_too() -> None:
    settings = Settings(gateway=("infra", "shared"), listener_set=True)
    out = transform(_ingress("web", "blue"), settings)
    assert _names(out.text)["ListenerSet"] == {"blue-nginx"}
    assert not [n for n in out.notes if n.code == "gateway/new-address"]  # no new address


def test_release_prefix_is_fitted_to_a_valid_name() -> None:
    out = transform(_ingress("web", "Blue_" + "r" * 70), Settings())
    (name,) = _names(out.text)["Gateway"]
    assert len(name) <= 63 and name.startswith("blue-rrr")


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


def test_default_certificate_end_to_end_is_valid_and_idempotent() -> None:
    from gwshift.validation import validate_objects

    text = _ingress("web", "blue").replace(
        "spec:\n", "spec:\n  tls:\n  - hosts: [other.example.com]\n    secretName: o-tls\n")
    settings = Settings(default_certificate=("ingress-nginx", "default-tls"))
    out = transform(text, settings)
    docs = [d for d in yaml.safe_load_all(out.text) if isinstance(d, dict)]
    (gw,) = [d for d in docs if d["kind"] == "Gateway"]
    https = [li for li in gw["spec"]["listeners"] if li["protocol"] == "HTTPS"]
    assert [li["tls"]["certificateRefs"] for li in https] == [
        [{"kind": "Secret", "name": "default-tls", "namespace": "ingress-nginx"}]]
    (grant,) = [d for d in docs if d["kind"] == "ReferenceGrant"]
    assert grant["metadata"]["namespace"] == "ingress-nginx"
    assert grant["spec"]["to"] == [{"group": "", "kind": "Secret", "name": "default-tls"}]
    assert grant["spec"]["from"][0]["namespace"] == "shop"
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "HTTPRoute"} == {
        "web", "web-redirect"}
    codes = {n.code: n for n in out.notes}
    assert codes["ingress/tls-host-not-listed"].severity.name == "INFO"
    assert "ingress-nginx/default-tls" in codes["ingress/tls-host-not-listed"].message
    assert out.exit_code() == 0
    assert not validate_objects(docs)
    assert transform(out.text, settings).text == out.text
    # Without the option: the warning and HTTP only, as before.
    plain = transform(text, Settings())
    assert {n.code: n.severity.name for n in plain.notes}["ingress/tls-host-not-listed"] == "WARNING"
    assert "HTTPS" not in plain.text


def test_default_certificate_in_the_gateway_namespace_needs_no_grant_but_warns_for_cert_manager() -> None:
    # The Gateway gets the Ingress's cert-manager annotations (its own Secret o-tls is on a
    # listener); gateway-shim would then also issue the default certificate's Secret.
    text = (_ingress("web", "blue")
            .replace("spec:\n", "spec:\n  tls:\n  - hosts: [other.example.com]\n"
                                "    secretName: o-tls\n")
            .replace("  labels:\n", "  annotations:\n    cert-manager.io/cluster-issuer: le\n"
                                   "  labels:\n")
            .replace("  rules:\n", "  rules:\n  - host: other.example.com\n    http:\n"
                                  "      paths:\n      - path: /\n        pathType: Prefix\n"
                                  "        backend: {service: {name: web, port: {number: 80}}}\n"))
    out = transform(text, Settings(default_certificate=("shop", "default-tls")))
    assert "ReferenceGrant" not in out.text
    assert "gateway/default-certificate-cert-manager" in {n.code for n in out.notes}
    # Twin: the default certificate in another namespace is out of the gateway-shim's reach.
    out = transform(text, Settings(default_certificate=("ingress-nginx", "default-tls")))
    assert "gateway/default-certificate-cert-manager" not in {n.code for n in out.notes}


def test_default_certificate_twin_changes_no_object() -> None:
    """The must-not-change twin: every host listed, the other Ingress without tls: the
    objects are those without the option; only a note says nginx also answered HTTPS."""
    from pathlib import Path

    case = Path(__file__).parent / "golden" / "tls-default-certificate-option-noop"
    text = (case / "input.yaml").read_text()
    plain = transform(text, Settings())
    with_option = transform(text, Settings(default_certificate=("ingress-nginx", "default-tls")))
    assert with_option.text == plain.text
    assert [n.code for n in with_option.notes if n not in plain.notes] == [
        "gateway/default-certificate-http-only"]
