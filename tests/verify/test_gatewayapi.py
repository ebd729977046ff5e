"""Gateway API semantics (gwshift.verify.gatewayapi); each test names the spec rule."""

from __future__ import annotations

import pytest
from gwshift.verify import gatewayapi

from .helpers import gateway, gw_result, listener, match, model, route, rule, served_by


def test_listener_precedence_exact_then_longest_wildcard_then_empty() -> None:
    """gateway_types.go Listener.Hostname; GatewayHTTPListenerIsolation: only the most
    specific listener's routes serve a request."""
    m = model(gateway("gw", "web", listener("exact", hostname="a.example.com"),
                      listener("wild", hostname="*.example.com"), listener("any")),
              route("r-exact", rule(to="exact"), parents=[{"name": "gw", "sectionName": "exact"}]),
              route("r-wild", rule(to="wild"), parents=[{"name": "gw", "sectionName": "wild"}]),
              route("r-any", rule(to="any"), parents=[{"name": "gw", "sectionName": "any"}]))
    assert served_by(gw_result(m, "http://a.example.com/")) == "exact"
    assert served_by(gw_result(m, "http://b.c.example.com/")) == "wild"  # one or more labels
    assert served_by(gw_result(m, "http://other.org/")) == "any"
    assert served_by(gw_result(m, "https://a.example.com/")) == "404"  # no HTTPS listener


def test_precedence_exact_longest_prefix_method_headers_query() -> None:
    """httproute_types.go HTTPRouteRule.Matches precedence, continuing on ties."""
    m = model(gateway("gw", "web", listener("http")), route(
        "r",
        rule(match("/"), to="root"),
        rule(match("/a"), to="prefix"),
        rule(match("/a/b"), to="longer"),
        rule(match("/a", "Exact"), to="exact"),
        rule(match("/m", method="POST"), to="method"),
        rule(match("/m"), to="nomethod"),
        rule(match("/h", headers=[{"name": "X", "value": "1"}]), to="header"),
        rule(match("/h"), to="noheader"),
        rule(match("/q", queryParams=[{"name": "k", "value": "v"}]), to="query"),
        rule(match("/q"), to="noquery")))
    assert served_by(gw_result(m, "http://h/a")) == "exact"
    assert served_by(gw_result(m, "http://h/a/b/c")) == "longer"
    assert served_by(gw_result(m, "http://h/a/")) == "prefix"
    assert served_by(gw_result(m, "http://h/ab")) == "root"  # element-wise
    assert served_by(gw_result(m, "http://h/m", method="POST")) == "method"
    assert served_by(gw_result(m, "http://h/m")) == "nomethod"
    assert served_by(gw_result(m, "http://h/h", headers=(("x", "1"),))) == "header"
    assert served_by(gw_result(m, "http://h/q?k=v")) == "query"


def test_ties_across_routes_oldest_then_namespace_name() -> None:
    """httproute_types.go: then the oldest Route, then alphabetical {namespace}/{name}."""
    allowed = listener("http", allowedRoutes={"namespaces": {"from": "All"}})
    m = model(gateway("gw", "web", allowed),
              route("b", rule(to="b"), parents=[{"name": "gw", "namespace": "web"}], ns="a"),
              route("a", rule(to="a"), parents=[{"name": "gw", "namespace": "web"}], ns="z"))
    assert served_by(gw_result(m, "http://h/")) == "b"  # a/b before z/a
    m2 = model(gateway("gw", "web", allowed),
               route("a", rule(to="new"), created="2024-02-01T00:00:00Z"),
               route("b", rule(to="old"), created="2024-01-01T00:00:00Z"))
    assert served_by(gw_result(m2, "http://h/")) == "old"


def test_more_specific_route_hostname_wins() -> None:
    """httproute_types.go Hostnames: the longest matching non-wildcard hostname first."""
    m = model(gateway("gw", "web", listener("http")),
              route("wild", rule(match("/a/b/c"), to="wild"), hostnames=["*.example.com"]),
              route("exact", rule(to="exact"), hostnames=["a.example.com"]))
    assert served_by(gw_result(m, "http://a.example.com/a/b/c")) == "exact"


@pytest.mark.parametrize(("target", "expected"), [("standard", "prefix"), ("envoy-gateway", "regex")])
def test_regex_precedence_is_implementation_specific(target: str, expected: str) -> None:
    """RegularExpression precedence is implementation-specific (REGEX_RANK by target)."""
    m = model(gateway("gw", "web", listener("http")),
              route("r", rule(match("(?i)^/static.*", "RegularExpression"), to="regex"),
                    rule(match("/"), to="prefix")), target=target)
    assert served_by(gw_result(m, "http://h/static/x")) == expected


def test_attachment_section_port_namespaces_and_hostnames() -> None:
    """shared_types.go ParentReference; AllowedRoutes default 'Same'; hostnames must intersect."""
    objs = [gateway("gw", "infra", listener("same"), listener("sel", 8080, allowedRoutes={
        "namespaces": {"from": "Selector", "selector": {
            "matchLabels": {"kubernetes.io/metadata.name": "app"}}}}),
        listener("host", 81, hostname="x.com", allowedRoutes={"namespaces": {"from": "All"}}))]
    m = model(*objs, route("r", rule(to="svc"), ns="app", hostnames=["y.com"],
                           parents=[{"name": "gw", "namespace": "infra"}]))
    attached = {lis.name for gw in m.gateways.values() for lis in gw.listeners
                if m.attached.get(id(lis))}
    assert attached == {"sel"}  # not Same (other namespace), not x.com (no intersection)
    m2 = model(*objs, route("r", rule(to="svc"), ns="app",
                            parents=[{"name": "gw", "namespace": "infra", "port": 81}]))
    assert {lis.name for gw in m2.gateways.values() for lis in gw.listeners
            if m2.attached.get(id(lis))} == {"host"}


def test_listener_set_needs_allowed_listeners() -> None:
    """ListenerSet (v1.5+): the parent Gateway must admit it (spec.allowedListeners, default None)."""
    ls = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "ListenerSet",
          "metadata": {"name": "ls", "namespace": "web"},
          "spec": {"parentRef": {"name": "gw"}, "listeners": [listener("l", hostname="h.com")]}}
    r = route("r", rule(to="svc"), parents=[{"kind": "ListenerSet", "name": "ls",
                                             "group": "gateway.networking.k8s.io"}])
    closed = model(gateway("gw", "web"), ls, r)
    assert served_by(gw_result(closed, "http://h.com/")) == "404"
    opened = model(gateway("gw", "web", spec={"allowedListeners": {"namespaces": {"from": "Same"}}}), ls, r)
    assert served_by(gw_result(opened, "http://h.com/")) == "svc"


def test_cross_namespace_backend_needs_a_reference_grant() -> None:
    """referencegrant_types.go: a grant in the Service's namespace, from HTTPRoute in ours."""
    gw = gateway("gw", "web", listener("http"))
    cross = route("r", {"backendRefs": [{"name": "svc", "namespace": "other", "port": 80}]})
    assert gw_result(model(gw, cross), "http://h/").backends[0][0].startswith("!not granted")
    grant = {"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
             "metadata": {"name": "g", "namespace": "other"},
             "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                "namespace": "web"}], "to": [{"group": "", "kind": "Service"}]}}
    assert gw_result(model(gw, cross, grant), "http://h/").backends == (("other/svc:80", 1.0),)


def test_redirect_defaults() -> None:
    """HTTPRequestRedirectFilter: scheme set and port unset -> the scheme's well-known port;
    hostname/path unset -> the request's; statusCode default 302."""
    m = model(gateway("gw", "web", listener("http")), route("r", rule(
        match("/"), to="", filters=[{"type": "RequestRedirect",
                                     "requestRedirect": {"scheme": "https"}}])))
    assert served_by(gw_result(m, "http://h.com/a?b=1")) == "302 https://h.com/a?b=1"


@pytest.mark.parametrize(("prefix", "replacement", "request_path", "expected"), [
    ("/foo", "/xyz", "/foo/bar", "/xyz/bar"), ("/foo", "/xyz/", "/foo/bar", "/xyz/bar"),
    ("/foo/", "/xyz", "/foo/bar", "/xyz/bar"), ("/foo", "/xyz", "/foo", "/xyz"),
    ("/foo", "/xyz", "/foo/", "/xyz/"), ("/foo", "", "/foo/bar", "/bar"),
    ("/foo", "", "/foo/", "/"), ("/foo", "", "/foo", "/"), ("/foo", "/", "/foo/", "/"),
    ("/foo", "/", "/foo", "/"),
])
def test_replace_prefix_match_table(prefix: str, replacement: str, request_path: str,
                                    expected: str) -> None:
    """The table in httproute_types.go HTTPPathModifier.ReplacePrefixMatch."""
    assert gatewayapi._prefix_replace(prefix, replacement, request_path) == expected


def test_weights_are_a_distribution_and_zero_is_never_chosen() -> None:
    """HTTPBackendRef weight: proportional; 0 means no traffic."""
    m = model(gateway("gw", "web", listener("http")),
              route("r", rule(to=[("a", 3), ("b", 1), ("c", 0)])))
    assert gw_result(m, "http://h/").backends == (("web/a:80", 0.75), ("web/b:80", 0.25))


def test_grpcroute_and_httproute_on_one_hostname() -> None:
    """GEP-1016: a GRPCRoute sharing a hostname with an HTTPRoute is not accepted."""
    m = model(gateway("gw", "web", listener("http")),
              route("web", rule(match("/web"), to="web"), hostnames=["h.com"]),
              route("grpc", {"backendRefs": [{"name": "grpc", "port": 80}]}, kind="GRPCRoute",
                    hostnames=["h.com"]))
    assert served_by(gw_result(m, "http://h.com/pkg.Svc/Call")) == "404"


def test_envoy_security_policy_client_cidrs() -> None:
    """gateway.envoyproxy.io SecurityPolicy authorization: first matching rule, else defaultAction."""
    pol = {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "SecurityPolicy",
           "metadata": {"name": "p", "namespace": "web"},
           "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                    "name": "r"}],
                    "authorization": {"defaultAction": "Deny", "rules": [
                        {"action": "Allow", "principal": {"clientCIDRs": ["10.0.0.0/8"]}}]}}}
    m = model(gateway("gw", "web", listener("http")), route("r", rule(to="svc")), pol)
    assert served_by(gw_result(m, "http://h/")) == "403"
    assert served_by(gw_result(m, "http://h/", client="10.9.9.9")) == "svc"


def test_a_host_served_by_two_gateways_is_a_split() -> None:
    """Two Gateways claiming one host are two addresses: the result depends on DNS."""
    m = model(gateway("a", "one", listener("http", hostname="h.com")),
              gateway("b", "two", listener("http", hostname="h.com")),
              route("r", rule(to="svc"), ns="one", parents=[{"name": "a"}]))
    assert gw_result(m, "http://h.com/").kind == "split"


def test_unknown_parent_gateway_is_assumed_open() -> None:
    """--gateway: routes attach to a Gateway outside the stream; its listeners are unknown."""
    m = model(route("r", rule(to="svc"), hostnames=["h.com"],
                    parents=[{"name": "shared", "namespace": "infra", "port": 80}]))
    assert served_by(gw_result(m, "http://h.com/")) == "svc"
    assert served_by(gw_result(m, "https://h.com/")) == "404"


def test_certificate_in_another_namespace_needs_a_reference_grant() -> None:
    """gateway_types.go CertificateRefs: cross-namespace Secrets need a ReferenceGrant."""
    tls = {"mode": "Terminate", "certificateRefs": [{"name": "cert", "namespace": "app"}]}
    gw = gateway("gw", "infra", listener("https", 443, "h.com", "HTTPS", tls=tls,
                                         allowedRoutes={"namespaces": {"from": "All"}}))
    r = route("r", rule(to="svc"), ns="infra", parents=[{"name": "gw"}])
    assert served_by(gw_result(model(gw, r), "https://h.com/")) == "404"
    grant = {"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
             "metadata": {"name": "g", "namespace": "app"},
             "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                "namespace": "infra"}],
                      "to": [{"group": "", "kind": "Secret", "name": "cert"}]}}
    assert served_by(gw_result(model(gw, r, grant), "https://h.com/")) == "svc"
