"""Envoy Gateway ``Backend`` backendRefs (gwshift.verify.gatewayapi.eg_backend_service).

CRD: envoy-gateway v1.9.0 ``gateway.envoyproxy.io_backends.yaml`` (Backend,
``gateway.envoyproxy.io/v1alpha1``): ``spec.type`` (``Endpoints`` default, or
``DynamicResolver``), ``spec.endpoints[]`` each one of ``fqdn {hostname, port}``, ``ip
{address, port}``, ``unix {path}`` (plus ``zone``), ``spec.tls`` (``insecureSkipVerify``).
The Envoy Gateway target swaps the Service backendRefs of unverified backend-TLS rules for
a Backend whose fqdn is ``<svc>.<ns>.svc.cluster.local`` (targets/envoy_gateway.py
``_insecure_backends``): verify resolves it to that Service, so the swap is no difference.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from gwshift.cli import build_parser, settings_from_args
from gwshift.core import transform
from gwshift.verify import verify
from gwshift.verify.cli import render_text
from gwshift.verify.gatewayapi import eg_backend_service

from .helpers import gateway, gw_result, listener, model, route

Obj = dict[str, Any]


def fqdn(host: str, port: object = 8443) -> Obj:
    return {"endpoints": [{"fqdn": {"hostname": host, "port": port}}],
            "tls": {"insecureSkipVerify": True}}


@pytest.mark.parametrize(("host", "want"), [
    ("api.shop.svc.cluster.local", "shop/api:8443"),  # what the target writes
    ("api.shop.svc.cluster.local.", "shop/api:8443"),  # the CRD pattern allows a final dot
    ("api.shop.svc", "shop/api:8443"),  # via the resolv.conf search list
    ("api.shop", "shop/api:8443"),
])
def test_service_dns_names_resolve_to_the_service(host: str, want: str) -> None:
    """Kubernetes DNS: <svc>.<ns>.svc.<zone>; the namespace is the name's."""
    assert eg_backend_service(fqdn(host)) == want


@pytest.mark.parametrize("spec", [
    fqdn("api.example.com"),  # an external host (three labels, no .svc)
    fqdn("api.shop.svc.other.zone"),
    fqdn("api"),  # one label: which namespace depends on the Envoy Pod's
    fqdn("api.shop.svc.cluster.local", port="8443"),  # port must be an integer
    {"endpoints": [{"ip": {"address": "10.0.0.7", "port": 8443}}]},
    {"endpoints": [{"unix": {"path": "/var/run/api.sock"}}]},
    {"endpoints": [{"fqdn": {"hostname": "a.shop.svc", "port": 80}},
                   {"fqdn": {"hostname": "b.shop.svc", "port": 80}}]},  # two endpoints
    {**fqdn("api.shop.svc"), "type": "DynamicResolver"},
    {},
])
def test_other_backends_name_no_service(spec: Obj) -> None:
    assert eg_backend_service(spec) is None


def _backend(name: str, spec: Obj, ns: str = "web") -> Obj:
    return {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "Backend",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def _eg_route(name: str, ns: str = "web") -> Obj:
    return route("r", {"backendRefs": [{"group": "gateway.envoyproxy.io", "kind": "Backend",
                                       "name": name, **({"namespace": ns} if ns != "web" else {})}]})


def test_route_to_backend_reaches_the_named_service_namespace_from_the_name() -> None:
    m = model(gateway("gw", "web", listener("http")), _eg_route("b"),
              _backend("b", fqdn("api.shop.svc.cluster.local")), target="envoy-gateway")
    r = gw_result(m, "http://h/x")
    assert r.kind == "backend" and r.backends == (("shop/api:8443", 1.0),)


def test_unresolvable_backend_is_reported_by_name() -> None:
    m = model(gateway("gw", "web", listener("http")), _eg_route("ext"),
              _backend("ext", {"endpoints": [{"ip": {"address": "10.0.0.7", "port": 80}}]}))
    r = gw_result(m, "http://h/x")
    assert r.backends == (("Backend/ext", 1.0),)
    assert "backend Backend/ext" in r.describe()


def test_missing_or_ungranted_backend_is_invalid() -> None:
    """A backendRef to a missing object, or across namespaces without a ReferenceGrant
    (referencegrant_types.go), is invalid: 500 for its share."""
    m = model(gateway("gw", "web", listener("http")), _eg_route("gone"))
    assert gw_result(m, "http://h/").backends[0][0].startswith("!")
    m = model(gateway("gw", "web", listener("http")), _eg_route("b", ns="other"),
              _backend("b", fqdn("api.shop.svc"), ns="other"))
    assert gw_result(m, "http://h/").backends[0][0].startswith("!not granted")


def test_a_service_ref_is_unchanged_must_not_change_twin() -> None:
    m = model(gateway("gw", "web", listener("http")),
              route("r", {"backendRefs": [{"name": "api", "port": 8443}]}),
              _backend("b", fqdn("other.shop.svc")))
    assert gw_result(m, "http://h/").backends == (("web/api:8443", 1.0),)


# A corpus-like ingress-nginx chart (kiali-server / harbor internal-tls style): HTTPS to the
# backend without proxy-ssl-verify, two paths, TLS at the edge.
HTTPS_BACKEND = """\
apiVersion: v1
kind: Service
metadata:
  name: console
  namespace: ops
spec:
  ports:
  - name: https
    port: 8443
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: console
  namespace: ops
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: HTTPS
spec:
  ingressClassName: nginx
  tls:
  - hosts: [console.example.com]
    secretName: console-tls
  rules:
  - host: console.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: console
            port:
              name: https
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: console-api
            port:
              number: 9443
"""


def _verify(before: str, *args: str) -> tuple[str, Any]:
    settings = settings_from_args(build_parser().parse_args(list(args)), {})
    after = transform(before, settings).text
    return after, verify(before, after, settings)


def test_envoy_gateway_insecure_backend_conversion_verifies() -> None:
    after, report = _verify(HTTPS_BACKEND, "--target", "envoy-gateway")
    assert after.count("\nkind: Backend\n") == 2  # the swap happened ...
    assert not report.unexplained, render_text(report, False)  # ... and routes the same
    assert report.differences == []  # not even an explained one: the same Services


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "rendered"
_HTTPS_BACKEND = re.compile(r"backend-protocol: \"?(HTTPS|GRPCS)")
# every corpus chart that speaks TLS to its backends (the target swaps some of them to
# Backends: kiali-server, harbor internal-tls, argo-workflows, kong ...)
SWAPPED = sorted(p.name for p in CORPUS.glob("*.yaml")
                 if _HTTPS_BACKEND.search(p.read_text(errors="replace"))) if CORPUS.is_dir() else []


@pytest.mark.skipif(not SWAPPED, reason=f"{CORPUS} absent (the corpus lives outside the "
                    "repository); the inline case above covers the same swap")
@pytest.mark.parametrize("name", SWAPPED)
def test_corpus_https_backends_verify_on_envoy_gateway(name: str) -> None:
    before = (CORPUS / name).read_text()
    _, report = _verify(before, "--target", "envoy-gateway")
    assert not report.unexplained, render_text(report, False)


@pytest.mark.skipif(not SWAPPED, reason=f"{CORPUS} absent")
def test_the_corpus_has_backend_swaps() -> None:
    """The run above is not vacuous: some of those charts do get Backends."""
    swapped = [n for n in SWAPPED if "\nkind: Backend\n" in _verify(
        (CORPUS / n).read_text(), "--target", "envoy-gateway")[0]]
    assert len(swapped) >= 3, swapped
