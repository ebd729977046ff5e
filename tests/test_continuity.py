"""continuity.py: cert-manager and external-dns annotations follow the traffic."""

from __future__ import annotations

import yaml
from gwshift.core import transform
from gwshift.settings import Settings


def _ingress(name: str, annotations: dict[str, str], host: str, secret: str | None = None,
             ns: str = "shop", cls: str = "nginx") -> str:
    tls = f"  tls:\n  - hosts: [{host}]\n    secretName: {secret}\n" if secret else ""
    anns = "".join(f"    {k}: {v!r}\n" for k, v in annotations.items())
    return (f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n"
            f"  namespace: {ns}\n  annotations:\n{anns or '    {}'}\n"
            f"spec:\n  ingressClassName: {cls}\n{tls}  rules:\n  - host: {host}\n    http:\n"
            "      paths:\n      - path: /\n        pathType: Prefix\n        backend: "
            "{service: {name: web, port: {number: 80}}}\n")


def _run(*docs: str, **settings: object):  # type: ignore[no-untyped-def]
    out = transform("---\n".join(docs), Settings(**settings))  # type: ignore[arg-type]
    objs = [d for d in yaml.safe_load_all(out.text) if isinstance(d, dict)]
    return out, objs


def _kind(objs: list[dict], kind: str) -> list[dict]:
    return [o for o in objs if o["kind"] == kind]


def _ann(obj: dict) -> dict[str, str]:
    return obj["metadata"].get("annotations") or {}


CM = {"cert-manager.io/cluster-issuer": "le-prod", "cert-manager.io/duration": "2160h"}


def test_cert_manager_moves_to_the_gateway_serving_the_secret() -> None:
    out, objs = _run(_ingress("a", CM, "a.example.com", "a-tls"))
    (gw,) = _kind(objs, "Gateway")
    assert {k: v for k, v in _ann(gw).items() if k.startswith("cert-manager")} == CM
    https = [ls for ls in gw["spec"]["listeners"] if ls["protocol"] == "HTTPS"]
    # what the gateway-shim needs: hostname, Terminate, a Secret in the Gateway's namespace
    assert https and all(ls["hostname"] and ls["tls"]["mode"] == "Terminate" for ls in https)
    for route in _kind(objs, "HTTPRoute"):
        assert not any(k.startswith("cert-manager") for k in _ann(route))
    assert {n.code for n in out.notes} >= {"cert-manager/annotation-moved"}
    assert out.exit_code() == 0


def test_no_tls_no_move() -> None:
    out, objs = _run(_ingress("a", CM, "a.example.com"))
    assert not any(k.startswith("cert-manager") for o in objs for k in _ann(o))
    assert not [n for n in out.notes if n.code.startswith("cert-manager/")]


def test_conflicting_issuers_first_by_name_wins() -> None:
    out, objs = _run(_ingress("b", {"cert-manager.io/issuer": "ca"}, "b.example.com", "b-tls"),
                     _ingress("a", CM, "a.example.com", "a-tls"))
    (gw,) = _kind(objs, "Gateway")
    assert _ann(gw)["cert-manager.io/cluster-issuer"] == "le-prod"
    assert "cert-manager.io/issuer" not in _ann(gw)
    (conflict,) = [n for n in out.notes if n.code == "cert-manager/issuer-conflict"]
    assert conflict.obj is not None and conflict.obj.name == "b"


def test_unmanaged_secret_on_a_managed_gateway_is_a_warning() -> None:
    out, _ = _run(_ingress("a", CM, "a.example.com", "a-tls"),
                  _ingress("z", {}, "z.example.com", "z-tls"))
    (n,) = [n for n in out.notes if n.code == "cert-manager/unmanaged-secret"]
    assert n.obj is not None and n.obj.name == "z" and "z-tls" in n.message


def test_other_class_is_another_gateway_without_annotations() -> None:
    _, objs = _run(_ingress("a", CM, "a.example.com", "a-tls"),
                   _ingress("z", {}, "z.example.com", "z-tls", cls="internal"))
    by_name = {g["metadata"]["name"]: g for g in _kind(objs, "Gateway")}
    assert "cert-manager.io/cluster-issuer" in _ann(by_name["nginx"])
    assert "cert-manager.io/cluster-issuer" not in _ann(by_name["internal"])


def test_tls_acme_alone_cannot_move() -> None:
    out, objs = _run(_ingress("a", {"kubernetes.io/tls-acme": "true"}, "a.example.com", "a-tls"))
    assert not any("tls-acme" in k for o in objs if o["kind"] != "Ingress" for k in _ann(o))
    assert [n.code for n in out.notes if n.code.startswith("cert-manager/")] == [
        "cert-manager/tls-acme"]


def test_external_dns_target_on_gateway_rest_on_routes() -> None:
    dns = {"external-dns.alpha.kubernetes.io/target": "lb.example.net",
           "external-dns.alpha.kubernetes.io/ttl": "60",
           "external-dns.alpha.kubernetes.io/ingress-hostname-source": "annotation-only"}
    _, objs = _run(_ingress("a", dns, "a.example.com"))
    (gw,) = _kind(objs, "Gateway")
    assert _ann(gw)["external-dns.alpha.kubernetes.io/target"] == "lb.example.net"
    assert "external-dns.alpha.kubernetes.io/ttl" not in _ann(gw)
    for route in _kind(objs, "HTTPRoute"):
        ann = _ann(route)
        assert ann["external-dns.alpha.kubernetes.io/ttl"] == "60"
        assert ann["external-dns.alpha.kubernetes.io/gateway-hostname-source"] == "annotation-only"
        assert "external-dns.alpha.kubernetes.io/target" not in ann


def test_keep_ingress_says_who_owns_dns_and_certificates() -> None:
    out, objs = _run(_ingress("a", {**CM, "external-dns.alpha.kubernetes.io/ttl": "60"},
                              "a.example.com", "a-tls"), keep_ingress=True)
    codes = {n.code for n in out.notes}
    assert {"external-dns/parallel-run", "cert-manager/parallel-run"} <= codes
    (ing,) = _kind(objs, "Ingress")
    assert _ann(ing)["cert-manager.io/cluster-issuer"] == "le-prod"  # the Ingress is unchanged


def test_existing_gateway_cannot_take_annotations() -> None:
    out, objs = _run(_ingress("a", {**CM, "external-dns.alpha.kubernetes.io/target": "x"},
                              "a.example.com", "a-tls"), gateway=("infra", "shared"))
    assert not _kind(objs, "Gateway")
    codes = {n.code for n in out.notes}
    assert {"cert-manager/existing-gateway", "external-dns/existing-gateway"} <= codes


def test_listener_set_takes_the_annotations() -> None:
    _, objs = _run(_ingress("a", CM, "a.example.com", "a-tls"), gateway=("infra", "shared"),
                   listener_set=True)
    (ls,) = _kind(objs, "ListenerSet")
    assert _ann(ls)["cert-manager.io/cluster-issuer"] == "le-prod"


def test_acme_ingress_only_annotation_is_a_warning() -> None:
    out, _ = _run(_ingress("a", {**CM, "acme.cert-manager.io/http01-ingress-class": "nginx"},
                           "a.example.com", "a-tls"))
    assert "cert-manager/ingress-only-annotation" in {n.code for n in out.notes}


def test_ingress_without_these_annotations_is_unchanged() -> None:
    plain = _ingress("a", {}, "a.example.com", "a-tls")
    out, objs = _run(plain)
    assert not [n for n in out.notes if n.code.startswith(("cert-manager/", "external-dns/"))]
    assert all(set(_ann(o)) <= {"gwshift.dev/source"} for o in objs)
