"""ingress-nginx semantics (gwshift.verify.nginx); each test names the rule it checks."""

from __future__ import annotations

import pytest
from gwshift.verify import nginx

from .helpers import get, ingress, path, served_by, src, world


def test_server_exact_then_one_label_wildcard_then_default() -> None:
    """template.go buildServerName: '*.example.com' is ~^(?<subdomain>[\\w-]+)\\.example\\.com$."""
    w = world(ingress("exact", "a.example.com", path("/", "exact")),
              ingress("wild", "*.example.com", path("/", "wild")),
              ingress("catch", None, default="catch"))
    assert served_by(src(w, "http://a.example.com/")) == "exact"
    assert served_by(src(w, "http://b.example.com/")) == "wild"
    assert served_by(src(w, "http://c.b.example.com/")) == "catch"  # two labels: default server
    assert served_by(src(w, "http://other.org/")) == "catch"


def test_catch_all_only_from_an_ingress_without_rules() -> None:
    """controller.go createServers: a rule-less Ingress's defaultBackend is the catch-all."""
    w = world(ingress("catch", None, default="catch"))
    assert served_by(src(w, "http://anything.org/x")) == "catch"


@pytest.mark.parametrize(("request_path", "expected"), [
    ("/foo", "foo"), ("/foo/", "foo"), ("/foo/bar", "foo"), ("/foobar", "root"),
    ("/FOO", "root"),
])
def test_prefix_is_element_wise_and_case_sensitive(request_path: str, expected: str) -> None:
    """location.go updateServerLocations: Prefix /foo is 'location /foo/' + 'location = /foo'."""
    w = world(ingress("i", "h.com", path("/foo", "foo"), path("/", "root")))
    assert served_by(src(w, "http://h.com" + request_path)) == expected


def test_prefix_with_trailing_slash_redirects_the_bare_path() -> None:
    """updateServerLocations keeps '/x/'; nginx answers '/x' with 301 to '/x/' (auto_redirect)."""
    w = world(ingress("i", "h.com", path("/x/", "x"), path("/", "root")))
    assert served_by(src(w, "http://h.com/x?a=1")) == "301 http://h.com/x/?a=1"
    assert served_by(src(w, "http://h.com/x/y")) == "x"


def test_implementation_specific_is_a_string_prefix() -> None:
    """template.go buildLocation: ImplementationSpecific without regex is 'location /img'."""
    w = world(ingress("i", "h.com", path("/img", "img", "ImplementationSpecific")))
    assert served_by(src(w, "http://h.com/imgx")) == "img"


def test_exact_wins_then_longest_prefix() -> None:
    """nginx location lookup: '=' first, then the longest prefix."""
    w = world(ingress("i", "h.com", path("/a", "exact", "Exact"), path("/a", "prefix"),
                      path("/a/b", "longer")))
    assert served_by(src(w, "http://h.com/a")) == "exact"
    assert served_by(src(w, "http://h.com/a/b/c")) == "longer"
    assert served_by(src(w, "http://h.com/a/c")) == "prefix"


def test_regex_host_first_match_by_descending_length_case_insensitive() -> None:
    """buildLocation + enforceRegexModifier: one use-regex location makes every location of
    the host '~* ^<path>', tried in descending path length (docs ingress-path-matching.md)."""
    w = world(ingress("re", "h.com", path("/api/v[0-9]+", "versioned", "ImplementationSpecific"),
                      ann={"use-regex": "true"}),
              ingress("plain", "h.com", path("/api", "api", "Exact"), path("/", "root")))
    assert served_by(src(w, "http://h.com/API/V2/x")) == "versioned"
    assert served_by(src(w, "http://h.com/api/other")) == "api"  # Exact became a prefix regex
    assert served_by(src(w, "http://h.com/apix")) == "api"


def test_rewrite_target_with_captures_keeps_the_query() -> None:
    """buildProxyPass: rewrite "(?i)<path>" <target> break; the query string is kept."""
    w = world(ingress("i", "h.com", path("/api(/|$)(.*)", "api", "ImplementationSpecific"),
                      ann={"rewrite-target": "/$2"}))
    r = src(w, "http://h.com/api/users?id=1")
    assert (served_by(r), r.path) == ("api", "/users?id=1")


def test_rewrite_target_equal_to_path_is_no_rewrite() -> None:
    """location.go needsRewrite / buildProxyPass: target == path is a plain proxy_pass."""
    w = world(ingress("i", "h.com", path("/", "app"),
                      ann={"rewrite-target": "/", "x-forwarded-prefix": "/app"}))
    r = src(w, "http://h.com/deep/page")
    assert (r.path, r.headers) == ("/deep/page", ())


def test_rewrite_target_with_query_appends_the_request_query() -> None:
    """nginx rewrite: a replacement with '?' gets the original arguments after '&'."""
    w = world(ingress("i", "h.com", path("/old", "new", "Exact"),
                      ann={"rewrite-target": "/new?from=old"}))
    assert src(w, "http://h.com/old?q=1").path == "/new?from=old&q=1"


def test_default_backend_of_an_ingress_with_rules_is_only_its_hosts_root() -> None:
    """createServers: the Ingress creating a host gives its '/'; getBackendServers: an
    explicit '/' of another Ingress replaces it; the catch-all server is not touched."""
    w = world(ingress("aaa", "h.com", path("/a", "a"), default="fallback"),
              ingress("other", "o.com", path("/o", "o"), default="ignored"))
    assert served_by(src(w, "http://h.com/zzz")) == "fallback"
    assert served_by(src(w, "http://unknown.org/")) == "404"
    w2 = world(ingress("aaa", "h.com", path("/a", "a"), default="fallback"),
               ingress("bbb", "h.com", path("/", "main")))
    assert served_by(src(w2, "http://h.com/zzz")) == "main"


def test_duplicate_path_keeps_the_first_ingress_and_flags_the_order() -> None:
    """getBackendServers skips a path already configured; ListIngresses sorts by creation time."""
    w = world(ingress("first", "h.com", path("/api", "one")),
              ingress("second", "h.com", path("/api", "two")))
    v = nginx.evaluate(w, get("http://h.com/api"))
    assert served_by(v.result) == "one" and [r.name for r in v.rivals] == ["second"]


CANARY = {"canary": "true", "canary-by-header": "X-Canary", "canary-by-cookie": "beta",
          "canary-weight": "20"}


@pytest.mark.parametrize(("kw", "expected"), [
    ({"headers": (("x-canary", "always"),)}, {"v2": 1.0}),
    ({"headers": (("x-canary", "never"),), "cookies": (("beta", "always"),)}, {"v1": 1.0}),
    ({"cookies": (("beta", "always"),)}, {"v2": 1.0}),
    ({"headers": (("x-canary", "other"),)}, {"v1": 0.8, "v2": 0.2}),
    ({}, {"v1": 0.8, "v2": 0.2}),
])
def test_canary_header_then_cookie_then_weight(kw: dict[str, object], expected: dict[str, float]) -> None:
    """balancer.lua route_to_alternative_balancer."""
    w = world(ingress("stable", "h.com", path("/", "v1")),
              ingress("beta", "h.com", path("/", "v2"), ann=CANARY))
    r = src(w, "http://h.com/", **kw)  # type: ignore[arg-type]
    assert {b.split("/")[1].split(":")[0]: round(s, 2) for b, s in r.backends} == expected


def test_canary_header_value_and_pattern() -> None:
    """balancer.lua: header-value compares exactly; header-pattern searches (unanchored)."""
    w = world(ingress("stable", "h.com", path("/", "v1")),
              ingress("beta", "h.com", path("/", "v2"),
                      ann={"canary": "true", "canary-by-header": "X-B",
                           "canary-by-header-pattern": "beta"}))
    assert served_by(src(w, "http://h.com/", headers=(("x-b", "a-beta-b"),))) == "v2"
    assert served_by(src(w, "http://h.com/", headers=(("x-b", "always"),))) == "v1"


def test_canary_merges_across_namespaces() -> None:
    """mergeAlternativeBackends looks servers up by host only (issue 13 item 10)."""
    w = world(ingress("stable", "h.com", path("/", "v1"), ns="a"),
              ingress("beta", "h.com", path("/", "v2"), ns="b",
                      ann={"canary": "true", "canary-weight": "50"}))
    assert len(src(w, "http://h.com/").backends) == 2


def test_ssl_redirect_needs_a_certificate_for_the_host() -> None:
    """nginx.tmpl: redirect when force-ssl-redirect, or ssl-redirect and the server has a
    certificate; code http-redirect-code (308)."""
    w = world(ingress("tls", "s.com", path("/", "s"), tls=["s.com"]),
              ingress("plain", "p.com", path("/", "p")),
              ingress("forced", "f.com", path("/", "f"), ann={"force-ssl-redirect": "true"}),
              ingress("off", "o.com", path("/", "o"), tls=["o.com"], ann={"ssl-redirect": "false"}))
    assert served_by(src(w, "http://s.com/a?b=1")) == "308 https://s.com/a?b=1"
    assert served_by(src(w, "https://s.com/a")) == "s"
    assert served_by(src(w, "http://p.com/a")) == "p"
    assert served_by(src(w, "http://f.com/a")) == "308 https://f.com/a"
    assert served_by(src(w, "http://o.com/a")) == "o"


def test_unlisted_host_of_a_tls_ingress_is_served_with_a_certificate() -> None:
    """controller.go createServers: a rule host of an Ingress with a tls section gets the
    Secret whose SANs match or else the default certificate ("Using default certificate"),
    so it is served over HTTPS and HTTP redirects there (ssl-redirect defaults to true)."""
    w = world(ingress("tls", "b.com", path("/", "b"), tls=["a.com"]))
    assert served_by(src(w, "https://b.com/")) == "b"
    assert served_by(src(w, "http://b.com/")).startswith("308 https://b.com/")


def test_app_root_and_redirect_annotations() -> None:
    """nginx.tmpl: app-root 'return 302' for '/' only; temporal-redirect wins over permanent."""
    w = world(ingress("root", "r.com", path("/", "r"), ann={"app-root": "/app"}),
              ingress("moved", "m.com", path("/", "m"),
                      ann={"permanent-redirect": "https://n.com/", "temporal-redirect": "https://t.com/"}),
              ingress("code", "c.com", path("/", "c"),
                      ann={"permanent-redirect": "https://n.com/x", "permanent-redirect-code": "399"}))
    assert served_by(src(w, "http://r.com/?q=1")) == "302 http://r.com/app"
    assert served_by(src(w, "http://r.com/a")) == "r"
    assert served_by(src(w, "http://m.com/anything")) == "302 https://t.com/"
    assert served_by(src(w, "http://c.com/")) == "301 https://n.com/x"  # invalid code: 301


def test_allowlist_and_auth_deny() -> None:
    """nginx.tmpl: allowlist 'return 403' before auth (401 without credentials)."""
    w = world(ingress("admin", "a.com", path("/", "a"), ann={"whitelist-source-range": "10.0.0.0/8"}),
              ingress("auth", "b.com", path("/", "b"), ann={"auth-type": "basic", "auth-secret": "s"}))
    assert served_by(src(w, "http://a.com/")) == "403"
    assert served_by(src(w, "http://a.com/", client="10.1.2.3")) == "a"
    assert served_by(src(w, "http://b.com/")) == "401"


def test_dialect_by_ingressclass_controller_first() -> None:
    """Issue 13 item 11: a class named nginx of another controller is not ingress-nginx."""
    # F5's controller has a gwshift dialect (nginx-inc) that verify does not model yet.
    assert nginx.dialect_of("nginx", "auto", {"nginx": "nginx.org/ingress-controller"}) in (
        "generic", "unmodelled:nginx-inc")
    assert nginx.dialect_of("x", "auto", {"x": "example.com/other"}) == "generic"
    assert nginx.dialect_of("public", "auto", {"public": "k8s.io/ingress-nginx"}) == "nginx"
    assert nginx.dialect_of("nginx", "auto", {}) == "nginx"
    assert nginx.dialect_of("other", "nginx", {}) == "nginx"


def test_generic_class_follows_the_ingress_spec() -> None:
    """networking/v1 types.go: Prefix '/x/' matches '/x'; no annotation applies."""
    w = world(ingress("i", "h.com", path("/x/", "x"), path("/", "root"), cls="other",
                      ann={"ssl-redirect": "true", "rewrite-target": "/"}, tls=["h.com"]),
              cls="other")
    r = src(w, "http://h.com/x")
    assert (served_by(r), r.path) == ("x", "/x")
