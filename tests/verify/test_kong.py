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
