"""HAProxy source semantics (gwshift.verify.haproxy); each test names the controller rule.

org: haproxytech/kubernetes-ingress; hi: jcmoraisjr/haproxy-ingress (keys.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.verify import haproxy
from gwshift.verify.types import Result

from .helpers import get, path, served_by

Obj = dict[str, Any]
ORG = "haproxy.org/"
HI = "haproxy-ingress.github.io/"


def ing(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
        tls: list[str] | None = None, default: str | None = None) -> Obj:
    spec: Obj = {"ingressClassName": "haproxy"}
    if paths:
        rule: Obj = {"http": {"paths": list(paths)}}
        if host is not None:
            rule["host"] = host
        spec["rules"] = [rule]
    if tls is not None:
        spec["tls"] = [{"hosts": tls, "secretName": f"{name}-tls"}]
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": "web", "annotations": ann or {}},
            "spec": spec}


def world(*objs: Obj, controller: str | None = None) -> haproxy.HaproxyWorld:
    extra: list[Obj] = []
    if controller:
        extra.append({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                      "metadata": {"name": "haproxy"}, "spec": {"controller": controller}})
    w = haproxy.build("haproxy", [*objs, *extra], list(objs), "default")
    assert isinstance(w, haproxy.HaproxyWorld)
    return w


def res(w: haproxy.HaproxyWorld, url: str, **kw: Any) -> Result:
    return w.evaluate(get(url, **kw)).result


def test_family_from_the_ingressclass_then_the_annotations() -> None:
    """handlers/haproxy: an haproxy.org/ or haproxy.com/ key makes it HAProxy Technologies';
    the IngressClass's spec.controller decides first."""
    assert haproxy.family_of({ORG + "x": "1"}, None) == "org"
    assert haproxy.family_of({"haproxy.com/x": "1"}, None) == "org"
    assert haproxy.family_of({}, None) == "hi"
    assert haproxy.family_of({}, "haproxy.org/ingress-controller") == "org"
    assert haproxy.family_of({ORG + "x": "1"}, "haproxy-ingress.github.io/controller") == "hi"


ORG_ANN = {ORG + "load-balance": "leastconn"}


def test_org_path_maps() -> None:
    """route.go MapRows + setupHAProxyRules: path-exact, then path-prefix-exact, then the
    longest map_beg row; Prefix '/p' is '/p/' (element-wise), ImplementationSpecific '/p'
    a string prefix."""
    w = world(ing("a", "h.example.com", path("/", "root"), path("/api", "api"),
                  path("/api", "exact", "Exact"), path("/img", "img", "ImplementationSpecific"),
                  path("/api/v2/", "v2"), ann=ORG_ANN))
    assert served_by(res(w, "http://h.example.com/api")) == "exact"
    assert served_by(res(w, "http://h.example.com/api/")) == "api"
    assert served_by(res(w, "http://h.example.com/apix")) == "root"  # element-wise
    assert served_by(res(w, "http://h.example.com/api/v2")) == "v2"  # prefix-exact, trimmed
    assert served_by(res(w, "http://h.example.com/api/v2/x")) == "v2"
    assert served_by(res(w, "http://h.example.com/imgx")) == "img"  # string prefix
    assert served_by(res(w, "http://h.example.com/API")) == "root"  # case-sensitive


def test_org_hosts_wildcard_one_label_then_hostless() -> None:
    """setupHAProxyRules: host.map, else the host without its first label
    ('*.example.com' is stored as '.example.com'), else '' (the hostless rows); a known host
    whose paths do not match gets the default backend, not the hostless rows."""
    w = world(ing("a", "*.example.com", path("/", "wild"), ann=ORG_ANN),
              ing("b", None, path("/", "any"), ann=ORG_ANN),
              ing("c", "only.example.org", path("/x", "x", "Exact"), ann=ORG_ANN))
    assert served_by(res(w, "http://a.example.com/")) == "wild"
    assert served_by(res(w, "http://a.b.example.com/")) == "any"
    assert served_by(res(w, "http://other.net/")) == "any"
    assert served_by(res(w, "http://only.example.org/y")) == "404"


def test_org_ssl_redirect_on_with_tls_http_frontend_only() -> None:
    """httpsRedirect.go: unset + spec.tls -> redirect; 'false' -> none; addRules: HTTP
    frontend only; code ssl-redirect-code (302); 'redirect scheme https' keeps the URI."""
    w = world(ing("a", "s.example.com", path("/", "svc"), ann=ORG_ANN, tls=["s.example.com"]))
    assert served_by(res(w, "http://s.example.com/x?q=1")) == "302 https://s.example.com/x?q=1"
    assert served_by(res(w, "https://s.example.com/x")) == "svc"
    off = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                    ann={ORG + "ssl-redirect": "false"}))
    assert served_by(res(off, "http://s.example.com/x")) == "svc"
    code = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                     ann={ORG + "ssl-redirect-code": "301", ORG + "ssl-redirect-port": "8443"}))
    assert served_by(res(code, "http://s.example.com/x")) == "301 https://s.example.com:8443/x"


def test_org_ssl_redirect_is_scoped_to_the_ingress_paths() -> None:
    """ingress.go addRules: the redirect rule carries the Ingress ACL: a path that no rule
    matches gets the default backend."""
    w = world(ing("a", "s.example.com", path("/cart", "cart"), tls=["s.example.com"],
                  ann={ORG + "ssl-redirect": "true"}))
    assert served_by(res(w, "http://s.example.com/")) == "404"
    assert served_by(res(w, "http://s.example.com/cart")).startswith("302 ")


def test_org_request_redirect_both_frontends() -> None:
    """hostRedirect.go: 'http://<value><uri>' unless the value starts with https://;
    request-redirect-code (302); addRules: HTTP and HTTPS frontends."""
    w = world(ing("a", "r.example.com", path("/", "svc"), tls=["r.example.com"],
                  ann={ORG + "ssl-redirect": "false", ORG + "request-redirect": "new.example.com",
                       ORG + "request-redirect-code": "301"}))
    assert served_by(res(w, "https://r.example.com/a?b=1")) == "301 http://new.example.com/a?b=1"
    w2 = world(ing("a", "r.example.com", path("/", "svc"),
                   ann={ORG + "request-redirect": "https://new.example.com"}))
    assert served_by(res(w2, "http://r.example.com/a")) == "302 https://new.example.com/a"


def test_org_path_rewrite_is_replace_path() -> None:
    """reqPathRewrite.go: one field is 'replace-path (.*) <fmt>', two are '<regex> <fmt>';
    HAProxy replace-path replaces the whole path with the expanded format when it matches."""
    w = world(ing("a", "p.example.com", path("/app", "app"),
                  ann={ORG + "path-rewrite": r"^/app/(.*) /\1", ORG + "set-host": "b.internal"}))
    r = res(w, "http://p.example.com/app/x?q=1")
    assert (r.path, dict(r.headers)) == ("/x?q=1", {"host": "b.internal"})
    assert res(w, "http://p.example.com/app").path == "/app"  # the regex does not match
    one = world(ing("a", "p.example.com", path("/", "app"), ann={ORG + "path-rewrite": "/fixed"}))
    assert res(one, "http://p.example.com/any/thing").path == "/fixed"


def test_org_access_rules_run_before_the_redirect() -> None:
    """rules/types.go order: REQ_DENY, REQ_AUTH, then REQ_REDIRECT."""
    w = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                  ann={ORG + "allow-list": "10.0.0.0/8"}))
    assert served_by(res(w, "http://s.example.com/")) == "403"
    assert served_by(res(w, "http://s.example.com/", client="10.1.2.3")).startswith("302 ")


def test_hi_path_types_and_order() -> None:
    """keys.md 'Path type': begin (ImplementationSpecific default) case-insensitive string
    prefix, prefix element-wise, exact; maps.go rebuildMatchFiles: exact first, then the
    longest path whatever its type, equal paths in path-type-order (prefix before begin)."""
    w = world(ing("a", "h.example.com", path("/", "root"), path("/app", "begin", "ImplementationSpecific"),
                  path("/app/sub", "sub"), path("/app", "exact", "Exact")))
    assert served_by(res(w, "http://h.example.com/app")) == "exact"
    assert served_by(res(w, "http://h.example.com/APPx")) == "begin"
    assert served_by(res(w, "http://h.example.com/app/sub/1")) == "sub"
    assert served_by(res(w, "http://h.example.com/app/subx")) == "begin"
    tie = world(ing("a", "h.example.com", path("/d", "begin", "ImplementationSpecific"),
                    path("/d", "prefix")))
    assert served_by(res(tie, "http://h.example.com/d/x")) == "prefix"
    assert served_by(res(tie, "http://h.example.com/dx")) == "begin"


def test_hi_path_type_annotation_and_regex_not_modelled() -> None:
    w = world(ing("a", "h.example.com", path("/e", "e", "ImplementationSpecific"),
                  ann={HI + "path-type": "exact"}))
    assert served_by(res(w, "http://h.example.com/e/x")) == "404"
    rx = world(ing("a", "h.example.com", path("/e[0-9]", "e", "ImplementationSpecific"),
                   ann={HI + "path-type": "regex"}))
    assert res(rx, "http://h.example.com/e1").kind == "unknown"


def test_hi_ssl_redirect_default_on_for_tls_hosts_code_global() -> None:
    """keys.md 'SSL redirect': ssl-redirect defaults to true, only for hosts with TLS;
    ssl-redirect-code is Global (ignored in annotations): 302."""
    w = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                  ann={HI + "ssl-redirect-code": "301"}),
              ing("b", "plain.example.com", path("/", "plain")))
    assert served_by(res(w, "http://s.example.com/x")) == "302 https://s.example.com/x"
    assert served_by(res(w, "http://plain.example.com/x")) == "plain"
    off = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                    ann={HI + "ssl-redirect": "false"}))
    assert served_by(res(off, "http://s.example.com/x")) == "svc"


@pytest.mark.parametrize(("declared", "asked", "target", "upstream"), [
    ("/abc", "/abc", "/", "/"), ("/abc", "/abc/", "/", "/"), ("/abc", "/abc/x", "/", "/x"),
    ("/abc", "/abc", "/y", "/y"), ("/abc", "/abc/", "/y", "/y/"), ("/abc", "/abc/x", "/y", "/y/x"),
    ("/abc/", "/abc/", "/", "/"), ("/abc/", "/abc/x", "/", "/x"),
])
def test_hi_rewrite_target_table(declared: str, asked: str, target: str, upstream: str) -> None:
    """keys.md 'Rewrite target' table (non-regex paths)."""
    w = world(ing("a", "r.example.com", path(declared, "svc"), ann={HI + "rewrite-target": target}))
    assert res(w, f"http://r.example.com{asked}").path == upstream


def test_hi_wildcard_one_label_and_strict_host_false() -> None:
    """maps.go convertWildcardToRegex '^[^.]+'; keys.md 'Strict host': an unmatched path of
    'my.domain.com' is tried on '*.domain.com'."""
    w = world(ing("a", "my.domain.com", path("/a", "svc1")),
              ing("b", "*.domain.com", path("/", "svc2")))
    assert served_by(res(w, "http://my.domain.com/a")) == "svc1"
    assert served_by(res(w, "http://my.domain.com/b")) == "svc2"
    assert served_by(res(w, "http://x.y.domain.com/")) == "404"


def test_hi_access_after_the_redirect() -> None:
    """haproxy.tmpl backend: the ssl redirect precedes AllowedIPHTTP and auth."""
    w = world(ing("a", "s.example.com", path("/", "svc"), tls=["s.example.com"],
                  ann={HI + "allowlist-source-range": "10.0.0.0/8", HI + "auth-type": "basic"}))
    assert served_by(res(w, "http://s.example.com/")).startswith("302 ")
    assert served_by(res(w, "https://s.example.com/")) == "403"
    assert served_by(res(w, "https://s.example.com/", client="10.0.0.9")) == "401"


def test_https_without_tls_and_opaque_snippets_are_not_compared() -> None:
    w = world(ing("a", "h.example.com", path("/", "svc"), ann={HI + "config-backend": "x"}))
    assert res(w, "https://h.example.com/").kind == "unknown"
    assert res(w, "http://h.example.com/").kind == "unknown"


def test_default_backend_answers_what_nothing_matches() -> None:
    w = world(ing("a", "h.example.com", path("/x", "x", "Exact"), default="fallback",
                  ann=ORG_ANN))
    assert served_by(res(w, "http://h.example.com/y")) == "fallback"


def test_replace_path_expands_groups() -> None:
    import re

    m = re.search(r"^/(a)/(.*)", "/a/b/c")
    assert m is not None
    assert haproxy.replace_path(m, r"/\2/\1\9") == "/b/c/a"
