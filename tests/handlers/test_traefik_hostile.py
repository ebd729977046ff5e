"""Hostile shapes in Traefik/Kong inputs (wrong types anywhere): the dialects note or keep,
they never raise (an exception would be exit 3, a bug)."""

from __future__ import annotations

from typing import Any

from gwshift import core, yamlio
from gwshift.settings import Settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8,
)


def _run(*objs: dict[str, Any]) -> None:
    text = "".join("---\n" + yamlio.dump(o) for o in objs)
    out = core.transform(text, Settings())
    assert out.text  # non-empty input never becomes empty output


def _ingress(anns: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "ns", "annotations": anns},
            "spec": {"ingressClassName": "traefik", "rules": [{"host": "a.example.com", "http": {
                "paths": [{"path": "/api", "pathType": "Prefix", "backend": {
                    "service": {"name": "web", "port": {"number": 80}}}}]}}]}}


KINDS = st.sampled_from(["redirectScheme", "stripPrefix", "addPrefix", "replacePath", "headers",
                         "ipAllowList", "basicAuth", "forwardAuth", "rateLimit", "chain"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(KINDS, JUNK, st.dictionaries(st.sampled_from(
    ["prefixes", "sourceRange", "scheme", "port", "average", "period", "middlewares",
     "customRequestHeaders", "accessControlAllowOriginList", "address", "secret", "path",
     "prefix", "ipStrategy", "burst"]), JUNK, max_size=4))
def test_middleware_shapes(kind: str, body: Any, fields: dict[str, Any]) -> None:
    spec = {kind: fields if isinstance(body, dict) or body is None else body}
    mw = {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
          "metadata": {"name": "m", "namespace": "ns"}, "spec": spec}
    _run(mw, _ingress({"traefik.ingress.kubernetes.io/router.middlewares":
                       "ns-m@kubernetescrd"}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["routes", "entryPoints", "tls"]), JUNK, max_size=3),
       st.dictionaries(st.sampled_from(["match", "services", "middlewares", "priority", "kind"]),
                       JUNK, max_size=4))
def test_ingressroute_shapes(spec: dict[str, Any], route: dict[str, Any]) -> None:
    route.setdefault("match", "Host(`a.example.com`)")
    spec.setdefault("routes", [route])
    _run({"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
          "metadata": {"name": "r", "namespace": "ns"}, "spec": spec})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["ip-restriction", "rate-limiting", "cors", "request-transformer",
                        "response-transformer", "key-auth"]), JUNK,
       st.dictionaries(st.sampled_from(["allow", "deny", "minute", "second", "origins",
                                        "methods", "add", "remove", "limit_by", "headers"]),
                       JUNK, max_size=4))
def test_kong_plugin_shapes(plugin: str, config: Any, fields: dict[str, Any]) -> None:
    kp = {"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
          "metadata": {"name": "p", "namespace": "ns"}, "plugin": plugin,
          "config": fields if isinstance(config, dict) or config is None else config}
    ing = _ingress({"konghq.com/plugins": "p"})
    ing["spec"]["ingressClassName"] = "kong"
    _run(kp, ing)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["TCPIngress", "UDPIngress"]), JUNK,
       st.dictionaries(st.sampled_from(["host", "port", "backend"]), JUNK, max_size=3))
def test_stream_ingress_shapes(kind: str, tls: Any, rule: dict[str, Any]) -> None:
    _run({"apiVersion": "configuration.konghq.com/v1beta1", "kind": kind,
          "metadata": {"name": "s", "namespace": "ns"}, "spec": {"rules": [rule], "tls": tls}})
