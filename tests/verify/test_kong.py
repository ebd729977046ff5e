"""Kong source model (gwshift/verify/kong.py): each test names the rule it checks (KIC
internal/dataplane/translator, Kong kong/router/transform.lua, runloop/handler.lua,
kong/router/utils.lua)."""

from __future__ import annotations

from typing import Any

from gwshift.verify import kong, sources
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Result

from .helpers import get, ingress, path, served_by

Obj = dict[str, Any]
K = "konghq.com/"


def kingress(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
             **kw: Any) -> Obj:
    obj = ingress(name, host, *paths, cls="kong", **kw)
    if ann:
        obj["metadata"]["annotations"] = {K + k: v for k, v in ann.items()}
    return obj


def world(*objs: Obj) -> SourceWorld:
    w = sources.build(list(objs), "default", "auto", "nginx.ingress.kubernetes.io")["kong"]
    assert isinstance(w, SourceWorld)
    return w


def src(w: SourceWorld, url: str, **kw: Any) -> Result:
    return w.evaluate(get(url, **kw)).result


def test_paths_from_ingress_paths() -> None:
    """PathsFromIngressPaths: Prefix '/p' -> '/p/' + '~/p$'; Exact -> '~/p$'; '/~' regex."""
    assert kong.kong_paths("/p/", "Prefix") == ["/p/", "~/p$"]
    assert kong.kong_paths("/", "Prefix") == ["/"]
    assert kong.kong_paths("/p", "Exact") == ["~/p$"]
    assert kong.kong_paths("/~/items/\\d+$", "ImplementationSpecific") == ["~/items/\\d+$"]
    assert kong.kong_paths("/raw", "ImplementationSpecific") == ["/raw"]


def test_prefix_is_element_wise_and_implementation_specific_a_string_prefix() -> None:
    w = world(kingress("a", "a.example.com", path("/api", "api"), path("/raw", "raw",
                                                                     "ImplementationSpecific")))
    assert served_by(src(w, "http://a.example.com/api")) == "api"
    assert served_by(src(w, "http://a.example.com/api/x")) == "api"
    assert served_by(src(w, "http://a.example.com/apix")) == "404"
    assert served_by(src(w, "http://a.example.com/rawx")) == "raw"


def test_priority_regex_before_prefix_and_longer_prefix_first() -> None:
    """get_priority: match weight, plain hosts, header count, regex bit, regex_priority,
    prefix length."""
    w = world(kingress("a", "a.example.com", path("/", "root", "ImplementationSpecific"),
                       path("/api/", "api", "ImplementationSpecific"),
                       path("/~/api/v[0-9]+$", "versioned", "ImplementationSpecific")))
    assert served_by(src(w, "http://a.example.com/api/v2")) == "versioned"
    assert served_by(src(w, "http://a.example.com/api/x")) == "api"
    assert served_by(src(w, "http://a.example.com/x")) == "root"


def test_more_match_fields_win() -> None:
    """get_priority: a route with methods and headers outranks one with hosts and paths only."""
    w = world(kingress("plain", "a.example.com", path("/", "plain")),
              kingress("tenant", "a.example.com", path("/", "tenant"),
                       ann={"headers.x-tenant": "acme", "methods": "GET"}))
    assert served_by(src(w, "http://a.example.com/x", headers=(("x-tenant", "ACME"),))) == "tenant"
    assert served_by(src(w, "http://a.example.com/x", headers=(("x-tenant", "other"),))) == "plain"


def test_https_only_route_redirects_or_426() -> None:
    """runloop/handler.lua: HTTP on an HTTPS-only route: https_redirect_status_code or 426;
    a route listing only http still serves HTTPS (no protocol in the router expression)."""
    w = world(kingress("s", "s.example.com", path("/", "s"), tls=["s.example.com"],
                       ann={"protocols": "https", "https-redirect-status-code": "301"}),
              kingress("u", "u.example.com", path("/", "u"), tls=["u.example.com"],
                       ann={"protocols": "https"}),
              kingress("p", "p.example.com", path("/", "p"), tls=["p.example.com"],
                       ann={"protocols": "http"}))
    assert src(w, "http://s.example.com/x") == Result("redirect", 301,
                                                      location="https://s.example.com/x")
    assert src(w, "http://u.example.com/").status == 426
    assert served_by(src(w, "https://p.example.com/")) == "p"


def test_upstream_uri_v0() -> None:
    """utils.lua get_upstream_uri_v0 (strip_path, service path with/without '/')."""
    assert kong.upstream_uri(True, "", "/orders/", "/internal") == "/internal/"
    assert kong.upstream_uri(True, "", "/orders", "/internal") == "/internal"
    assert kong.upstream_uri(True, "x", "/orders/x", "/internal") == "/internal/x"
    assert kong.upstream_uri(True, "x", "/orders/x", "/") == "/x"
    assert kong.upstream_uri(False, "", "/orders/x", "/internal") == "/internal/orders/x"
    assert kong.upstream_uri(False, "", "/orders/x", "/") == "/orders/x"


def test_strip_path_and_preserve_host() -> None:
    w = world(kingress("a", "a.example.com", path("/orders", "orders"),
                       ann={"strip-path": "true", "preserve-host": "false"}))
    r = src(w, "http://a.example.com/orders/42")
    assert (r.path, dict(r.headers)) == ("/42", {"host": kong.SERVICE_HOST})


def test_plugins() -> None:
    """KongPlugin: authentication 401, ip-restriction 403, neutral plugins change nothing,
    an unknown or absent plugin is not modelled."""
    def plugin(name: str, kind: str, config: Obj | None = None) -> Obj:
        return {"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
                "metadata": {"name": name, "namespace": "web"}, "plugin": kind,
                "config": config or {}}

    w = world(plugin("auth", "key-auth"), plugin("office", "ip-restriction", {"allow": ["10.0.0.0/8"]}),
              plugin("cors", "cors"),
              kingress("a", "a.example.com", path("/", "a"), ann={"plugins": "auth"}),
              kingress("b", "b.example.com", path("/", "b"), ann={"plugins": "cors,office"}),
              kingress("c", "c.example.com", path("/", "c"), ann={"plugins": "missing"}))
    assert src(w, "http://a.example.com/").status == 401
    assert src(w, "http://b.example.com/").status == 403
    assert served_by(src(w, "http://b.example.com/", client="10.0.0.9")) == "b"
    assert src(w, "http://c.example.com/").kind == "unknown"


def test_wildcard_host_matches_any_subdomain() -> None:
    """transform.lua get_expression: '*.x' is a postfix match on http.host."""
    w = world(kingress("w", "*.example.com", path("/", "w")))
    assert served_by(src(w, "http://a.b.example.com/")) == "w"


TCP_INGRESS: Obj = {
    "apiVersion": "configuration.konghq.com/v1beta1", "kind": "TCPIngress",
    "metadata": {"name": "db", "namespace": "data",
                 "annotations": {"kubernetes.io/ingress.class": "kong"}},
    "spec": {"tls": [{"hosts": ["pg.example.com"], "secretName": "pg-cert"}], "rules": [
        {"port": 9000, "backend": {"serviceName": "redis", "servicePort": 6379}},
        {"host": "pg.example.com", "port": 9443,
         "backend": {"serviceName": "postgres", "servicePort": 5432}}]}}


def test_tcpingress_rules_by_port_and_sni() -> None:
    """KIC TCPIngress: a port-only rule is a TCP stream route; a rule with host routes TLS by
    SNI (Kong terminates it); SNI routes are tried first (stream_get_priority)."""
    rules = kong.l4_rules([TCP_INGRESS], "default")
    probes = kong.l4_probes(rules)
    assert [(p.scheme, p.l4_port, p.host) for p in probes] == [
        ("tcp", 9000, ""), ("tls", 9443, "pg.example.com"), ("tls", 9443, kong.OTHER_SNI)]
    results = [kong.evaluate_l4(rules, p).result for p in probes]
    assert [served_by(r) for r in results] == ["redis", "postgres", "404"]


def test_tcpingress_conversion_verifies_and_a_wrong_port_is_reported() -> None:
    """gwshift's TCPRoute/TLSRoute for the TCPIngress route like Kong; a TCPRoute to another
    Service port is an unexplained backend difference (gatewayapi.evaluate_l4)."""
    from gwshift import yamlio
    from gwshift.core import transform
    from gwshift.settings import Settings
    from gwshift.verify import verify

    before = yamlio.dump(TCP_INGRESS)
    after = transform(before, Settings()).text
    report = verify(before, after, Settings())
    assert report.probes == 3 and not report.differences and report.sources == {"kong": 1}
    broken = verify(before, after.replace("port: 6379", "port: 6380"), Settings())
    assert [(d.kind, d.request.l4_port) for d in broken.unexplained] == [("backend", 9000)]


def test_tls_passthrough_listener_is_not_compared() -> None:
    from .helpers import gateway, listener, model

    gw = gateway("kong", "data", listener("tls", 9443, "pg.example.com", "TLS",
                                          tls={"mode": "Passthrough"}))
    req = kong.l4_probes(kong.l4_rules([TCP_INGRESS], "default"))[1]
    from gwshift.verify import gatewayapi

    assert gatewayapi.evaluate_l4(model(gw), req).result.kind == "unknown"
