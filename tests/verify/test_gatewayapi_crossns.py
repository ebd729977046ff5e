"""One Gateway in namespace G serving routes of several namespaces (issue 13 item 1): the
Gateway API v1.6.1 rules verify applies (gwshift/verify/gatewayapi.py). Each test quotes
the CRD documentation (gateway.networking.k8s.io_gateways.yaml, httproutes, referencegrants;
vendored in transformer/gwshift/data/gateway-api-v1.6.1)."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.verify import gatewayapi

from .helpers import gateway, gw_result, listener, model, route, rule, served_by

Obj = dict[str, Any]
G = "gateway-system"
GROUP = "gateway.networking.k8s.io"


def selector_listener(name: str, host: str, selector: Obj, port: int = 80, proto: str = "HTTP",
                      **extra: Any) -> Obj:
    return listener(name, port, host, proto, allowedRoutes={
        "namespaces": {"from": "Selector", "selector": selector}}, **extra)


def in_route(ns: str, host: str, to: str, section: str | None = None) -> Obj:
    parent: Obj = {"name": "gw", "namespace": G}
    if section:
        parent["sectionName"] = section
    return route(f"{ns}-r", rule(to=to), ns=ns, hostnames=[host], parents=[parent])


def grant(ns: str, from_ns: str, name: str | None = None, kind: str = "Gateway") -> Obj:
    to: Obj = {"group": "", "kind": "Secret"}
    if name is not None:
        to["name"] = name
    return {"apiVersion": f"{GROUP}/v1beta1", "kind": "ReferenceGrant",
            "metadata": {"name": f"g-{ns}", "namespace": ns},
            "spec": {"from": [{"group": GROUP, "kind": kind, "namespace": from_ns}], "to": [to]}}


@pytest.mark.parametrize(("selector", "admitted"), [
    ({"matchLabels": {"kubernetes.io/metadata.name": "shop"}}, {"shop"}),
    ({"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In",
                            "values": ["shop", "blog"]}]}, {"shop", "blog"}),
    ({"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "NotIn",
                            "values": ["shop"]}]}, {"blog", "other"}),
    ({"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "Exists"}]},
     {"shop", "blog", "other"}),
    ({"matchExpressions": [{"key": "team", "operator": "DoesNotExist"}]},
     {"shop", "blog", "other"}),
])
def test_allowed_routes_selector_on_the_namespace_name(selector: Obj, admitted: set[str]) -> None:
    """AllowedRoutes.namespaces: 'Selector: Routes in namespaces selected by the selector may
    be used by this Gateway'; every Namespace carries the immutable label
    kubernetes.io/metadata.name (Kubernetes >= 1.22), so a selector on it names namespaces
    even when no Namespace object is in the stream. LabelSelector operators In, NotIn,
    Exists, DoesNotExist."""
    gw = gateway("gw", G, selector_listener("http", "*.example.com", selector))
    routes = [in_route(ns, f"{ns}.example.com", f"{ns}-svc") for ns in ("shop", "blog", "other")]
    m = model(gw, *routes)
    served = {ns for ns in ("shop", "blog", "other")
              if served_by(gw_result(m, f"http://{ns}.example.com/")) == f"{ns}-svc"}
    assert served == admitted


def test_same_is_the_default_and_means_the_gateways_namespace() -> None:
    """AllowedRoutes.namespaces.from default 'Same': 'Only Routes in the same namespace may be
    used by this Gateway' (G's, not the route's)."""
    m = model(gateway("gw", G, listener("http")), in_route("shop", "shop.example.com", "svc"))
    assert served_by(gw_result(m, "http://shop.example.com/")) == "404"


def test_parent_ref_namespace_defaults_to_the_routes_own() -> None:
    """ParentReference.namespace: 'When unspecified, this refers to the local namespace of
    the Route.'"""
    gw = gateway("gw", G, listener("http", allowedRoutes={"namespaces": {"from": "All"}}))
    local = route("r", rule(to="svc"), ns="shop", hostnames=["shop.example.com"],
                  parents=[{"name": "gw"}])
    m = model(gw, local)
    assert [g.ref.namespace for g in m.gateways.values() if not g.external] == [G]
    # the route names shop/gw, a Gateway outside the objects (assumed open), not G's
    assert ("shop", "gw") in m.gateways


def test_section_name_picks_the_listener_of_each_namespace() -> None:
    """ParentReference.sectionName: the route attaches to that listener only; a listener's
    selector admits only its namespace (the fidelity conversion's per-host listeners)."""
    gw = gateway("gw", G,
                 selector_listener("http-shop", "shop.example.com",
                                   {"matchLabels": {"kubernetes.io/metadata.name": "store"}}),
                 selector_listener("http-blog", "blog.example.com",
                                   {"matchLabels": {"kubernetes.io/metadata.name": "blog"}}))
    ok = in_route("store", "shop.example.com", "store", "http-shop")
    wrong = in_route("blog", "shop.example.com", "intruder", "http-shop")
    m = model(gw, ok, wrong)
    assert served_by(gw_result(m, "http://shop.example.com/")) == "store"
    assert served_by(gw_result(m, "http://blog.example.com/")) == "404"


def _https(cert_ns: str) -> Obj:
    tls = {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": "shop-tls",
                                                     "namespace": cert_ns}]}
    return gateway("gw", G, selector_listener(
        "https-shop", "shop.example.com",
        {"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In",
                               "values": ["store"]}]}, 443, "HTTPS", tls=tls))


@pytest.mark.parametrize(("grants", "served"), [
    ([], False),
    ([grant("store", G, "shop-tls")], True),
    ([grant("store", G)], True),  # no name: every Secret of the namespace
    ([grant("store", G, "other-tls")], False),
    ([grant("store", "elsewhere", "shop-tls")], False),  # from another namespace's Gateways
    ([grant("store", G, "shop-tls", kind="HTTPRoute")], False),  # from routes, not Gateways
    ([grant("blog", G, "shop-tls")], False),  # in the wrong namespace
])
def test_certificate_refs_to_other_namespaces_need_a_reference_grant(
        grants: list[Obj], served: bool) -> None:
    """GatewayTLSConfig.certificateRefs: 'References to a resource in different namespace are
    invalid UNLESS there is a ReferenceGrant in the target namespace that allows the
    certificate to be attached. If a ReferenceGrant does not allow this reference, the
    "ResolvedRefs" condition MUST be set to False for this listener with the
    "RefNotPermitted" reason.' ReferenceGrantTo.name: 'When unspecified, this policy refers
    to all resources of the specified Group and Kind in the local namespace.'"""
    m = model(_https("store"), in_route("store", "shop.example.com", "store"), *grants)
    assert (served_by(gw_result(m, "https://shop.example.com/")) == "store") is served


def test_certificate_in_the_gateways_own_namespace_needs_no_grant() -> None:
    m = model(_https(G), in_route("store", "shop.example.com", "store"))
    assert served_by(gw_result(m, "https://shop.example.com/")) == "store"


def test_namespace_labels_from_namespace_objects() -> None:
    """A selector on another label uses the Namespace objects' labels when they are given."""
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop",
                                                                "labels": {"team": "web"}}}
    gw = gateway("gw", G, selector_listener("http", "shop.example.com",
                                            {"matchLabels": {"team": "web"}}))
    r = in_route("shop", "shop.example.com", "svc")
    assert served_by(gw_result(model(gw, r), "http://shop.example.com/")) == "404"
    assert served_by(gw_result(model(ns, gw, r), "http://shop.example.com/")) == "svc"


def test_selector_matches_is_a_label_selector() -> None:
    sel = {"matchLabels": {"a": "1"}, "matchExpressions": [
        {"key": "b", "operator": "In", "values": ["x", "y"]}]}
    assert gatewayapi.selector_matches(sel, {"a": "1", "b": "y"})
    assert not gatewayapi.selector_matches(sel, {"a": "1"})
    assert not gatewayapi.selector_matches(sel, {"a": "2", "b": "x"})
