"""F5 NGINX Ingress Controller source model (gwshift/verify/nginx_inc.py): each test names
the rule it checks (nginx/kubernetes-ingress internal/configs, nginx)."""

from __future__ import annotations

from typing import Any

from gwshift.verify import nginx_inc, sources
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Result

from .helpers import get, ingress, path, served_by

Obj = dict[str, Any]
CLASS: Obj = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
              "metadata": {"name": "nginx"}, "spec": {"controller": "nginx.org/ingress-controller"}}


def ning(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
         **kw: Any) -> Obj:
    obj = ingress(name, host, *paths, **kw)
    if ann:
        obj["metadata"]["annotations"] = ann
    return obj


def world(*objs: Obj) -> SourceWorld:
    w = sources.build([CLASS, *objs], "default", "auto", "nginx.ingress.kubernetes.io")["nginx"]
    assert isinstance(w, SourceWorld) and w.dialect == "nginx-inc"
    return w


def src(w: SourceWorld, url: str) -> Result:
    return w.evaluate(get(url)).result


def test_prefix_is_an_nginx_string_prefix_and_exact_is_equal() -> None:
    """generateIngressPath: Exact '= /p', otherwise 'location /p' (longest prefix)."""
    w = world(ning("a", "a.example.com", path("/tea", "tea"), path("/tea/green", "green"),
                   path("/x", "x", "Exact")))
    assert served_by(src(w, "http://a.example.com/teacup")) == "tea"
    assert served_by(src(w, "http://a.example.com/tea/green/1")) == "green"
    assert served_by(src(w, "http://a.example.com/x")) == "x"
    assert served_by(src(w, "http://a.example.com/x/y")) == "404"


def test_path_regex_locations_win_over_prefixes_in_order() -> None:
    """makePathWithRegex + ngx_http_core_find_location: regexes tried in order after the
    longest prefix, the first match wins."""
    w = world(ning("a", "a.example.com", path("/v[0-9]+/users", "users", "ImplementationSpecific"),
                   ann={"nginx.org/path-regex": "case_insensitive"}))
    assert served_by(src(w, "http://a.example.com/V2/Users/7")) == "users"
    assert served_by(src(w, "http://a.example.com/x/v2/users")) == "404"


def test_ssl_redirect_is_on_by_default_for_tls_hosts() -> None:
    """nginx.ingress.tmpl: SSL server with SSLRedirect (default true): 301 to HTTPS."""
    w = world(ning("a", "a.example.com", path("/", "a"), tls=["a.example.com"]),
              ning("b", "b.example.com", path("/", "b"), tls=["b.example.com"],
                   ann={"nginx.org/ssl-redirect": "false"}))
    assert src(w, "http://a.example.com/x?q=1") == Result(
        "redirect", 301, location="https://a.example.com/x?q=1")
    assert served_by(src(w, "https://a.example.com/x")) == "a"
    assert served_by(src(w, "http://b.example.com/x")) == "b"
    assert src(w, "https://c.example.com/").status == 404  # default server


def test_rewrites_replace_the_matched_prefix() -> None:
    """nginx.org/rewrites: proxy_pass with a URI replaces the part the location matched."""
    assert nginx_inc.parse_rewrites("serviceName=tea rewrite=/;serviceName=coffee rewrite=/beans") \
        == {"tea": "/", "coffee": "/beans"}
    w = world(ning("a", "a.example.com", path("/tea", "tea"), path("/coffee", "coffee"),
                   ann={"nginx.org/rewrites": "serviceName=tea rewrite=/;"
                        "serviceName=coffee rewrite=/beans"}))
    assert src(w, "http://a.example.com/tea/cup").path == "//cup"
    assert src(w, "http://a.example.com/coffee/mug?x=1").path == "/beans/mug?x=1"


def test_default_backend_is_location_slash_unless_a_rule_has_it() -> None:
    w = world(ning("a", "a.example.com", path("/api", "api"), default="fallback"))
    assert served_by(src(w, "http://a.example.com/other")) == "fallback"


def test_two_ingresses_for_one_host_and_mergeable_are_not_compared() -> None:
    w = world(ning("a", "a.example.com", path("/", "a")), ning("b", "a.example.com", path("/", "b")),
              ning("m", "m.example.com", path("/", "m"),
                   ann={"nginx.org/mergeable-ingress-type": "master"}))
    assert src(w, "http://a.example.com/").kind == "unknown"
    assert src(w, "http://m.example.com/").kind == "unknown"
