"""Traefik v3 source model (gwshift/verify/traefik.py): each test names the rule it checks
(traefik/traefik v3, pkg/...)."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.verify import sources, traefik
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Result

from .helpers import get, ingress, path, served_by

Obj = dict[str, Any]
T = "traefik.ingress.kubernetes.io/"


def tingress(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
             **kw: Any) -> Obj:
    obj = ingress(name, host, *paths, cls="traefik", **kw)
    if ann:
        obj["metadata"]["annotations"] = {T + k: v for k, v in ann.items()}
    return obj


def middleware(name: str, body: Obj, ns: str = "web") -> Obj:
    return {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
            "metadata": {"name": name, "namespace": ns}, "spec": body}


def ingressroute(name: str, *routes: Obj, ns: str = "web", tls: bool = False,
                 entrypoints: list[str] | None = None) -> Obj:
    spec: Obj = {"routes": list(routes)}
    if tls:
        spec["tls"] = {"secretName": f"{name}-tls"}
    if entrypoints:
        spec["entryPoints"] = entrypoints
    return {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def world(*objs: Obj) -> SourceWorld:
    w = sources.build(list(objs), "default", "auto", "nginx.ingress.kubernetes.io")["traefik"]
    assert isinstance(w, SourceWorld)
    return w


def src(w: SourceWorld, url: str, **kw: Any) -> Result:
    return w.evaluate(get(url, **kw)).result


def test_prefix_is_a_string_prefix() -> None:
    """matcher.go pathPrefix: strings.HasPrefix (strictPrefixMatching off by default)."""
    w = world(tingress("a", "a.example.com", path("/api", "api")))
    assert served_by(src(w, "http://a.example.com/api/v1")) == "api"
    assert served_by(src(w, "http://a.example.com/apix")) == "api"
    assert served_by(src(w, "http://a.example.com/ap")) == "404"


def test_exact_is_path_and_pathmatcher_only_for_implementation_specific() -> None:
    """kubernetes.go loadRouter: Exact -> Path; router.pathmatcher only for
    ImplementationSpecific (or unset) pathType."""
    w = world(tingress("a", "a.example.com", path("/x", "exact", "Exact"),
                       path("/re/[0-9]+", "re", "ImplementationSpecific"),
                       path("/p", "prefix", "Prefix"), ann={"router.pathmatcher": "PathRegexp"}))
    assert served_by(src(w, "http://a.example.com/x")) == "exact"
    assert served_by(src(w, "http://a.example.com/x/y")) == "404"
    assert served_by(src(w, "http://a.example.com/re/42")) == "re"
    # PathRegexp is a Go MatchString search, not anchored at the end
    assert served_by(src(w, "http://a.example.com/re/42/more")) == "re"
    assert served_by(src(w, "http://a.example.com/p/q")) == "prefix"


def test_priority_is_the_rule_length() -> None:
    """mux.go GetRulePriority: len(rule); the longest rule is tried first."""
    w = world(tingress("short", "a.example.com", path("/", "root")),
              tingress("long", "a.example.com", path("/a", "a")))
    assert served_by(src(w, "http://a.example.com/abc")) == "a"
    assert served_by(src(w, "http://a.example.com/b")) == "root"


def test_router_priority_annotation_overrides_length() -> None:
    w = world(tingress("short", "a.example.com", path("/", "root"), ann={"router.priority": "9999"}),
              tingress("long", "a.example.com", path("/a", "a")))
    assert served_by(src(w, "http://a.example.com/abc")) == "root"


def test_wildcard_host_is_one_label() -> None:
    """muxer.DomainMatchHostExpression: '*' replaces the first label only."""
    w = world(tingress("w", "*.example.com", path("/", "w")))
    assert served_by(src(w, "http://x.example.com/")) == "w"
    assert served_by(src(w, "http://y.x.example.com/")) == "404"


def test_entrypoints_and_tls() -> None:
    """router.entrypoints web -> HTTP only; router.tls -> TLS requests only (Helm chart
    entry points: web 80 plain, websecure 443 TLS)."""
    w = world(tingress("web", "a.example.com", path("/", "web"), ann={"router.entrypoints": "web"},
                       tls=["a.example.com"]),
              tingress("sec", "b.example.com", path("/", "sec"), ann={"router.tls": "true"}))
    assert served_by(src(w, "http://a.example.com/")) == "web"
    assert served_by(src(w, "https://a.example.com/")) == "404"
    assert served_by(src(w, "https://b.example.com/")) == "sec"
    assert served_by(src(w, "http://b.example.com/")) == "404"


def test_https_to_a_host_without_certificate_is_not_compared() -> None:
    w = world(tingress("a", "a.example.com", path("/", "a")))
    assert src(w, "https://a.example.com/").kind == "unknown"


def test_default_backend_of_a_ruleless_ingress_is_lowest_priority() -> None:
    """loadConfigurationFromIngresses: PathPrefix("/") at MinInt32, first one only."""
    w = world(tingress("d", None, default="fallback"),
              tingress("d2", None, default="second"),
              tingress("a", "a.example.com", path("/api", "api")))
    assert served_by(src(w, "http://a.example.com/api")) == "api"
    assert served_by(src(w, "http://a.example.com/other")) == "fallback"


def test_middlewares_redirect_scheme_strip_prefix_and_allowlist() -> None:
    """redirect_scheme.go (no redirect when the URL stays the same; permanent 301),
    strip_prefix.go (first matching prefix, X-Forwarded-Prefix), ip_allowlist.go (403)."""
    w = world(
        middleware("https", {"redirectScheme": {"scheme": "https", "permanent": True}}),
        middleware("strip", {"stripPrefix": {"prefixes": ["/api"]}}),
        middleware("office", {"ipAllowList": {"sourceRange": ["10.0.0.0/8"]}}),
        tingress("a", "a.example.com", path("/api", "api"), tls=["a.example.com"],
                 ann={"router.middlewares": "web-https@kubernetescrd,web-strip@kubernetescrd"}),
        tingress("b", "b.example.com", path("/", "b"),
                 ann={"router.middlewares": "web-office@kubernetescrd"}))
    assert src(w, "http://a.example.com/api/x?q=1") == Result(
        "redirect", 301, location="https://a.example.com/api/x?q=1")
    r = src(w, "https://a.example.com/api/x")
    assert (r.kind, r.path, dict(r.headers)) == ("backend", "/x", {"x-forwarded-prefix": "/api"})
    assert src(w, "https://a.example.com/api").path == "/"
    assert src(w, "http://b.example.com/").status == 403
    assert served_by(src(w, "http://b.example.com/", client="10.1.2.3")) == "b"


def test_unknown_middleware_is_not_compared() -> None:
    w = world(tingress("a", "a.example.com", path("/", "a"),
                       ann={"router.middlewares": "web-missing@kubernetescrd"}))
    assert src(w, "http://a.example.com/").kind == "unknown"


@pytest.mark.parametrize(("rule", "url", "headers", "matches"), [
    ("Host(`a.example.com`) && PathPrefix(`/v1`)", "http://a.example.com/v1x", (), True),
    ("Host(`a.example.com`) || Host(`b.example.com`) && Query(`lang`, `en`)",
     "http://a.example.com/", (), True),
    ("Host(`a.example.com`) || Host(`b.example.com`) && Query(`lang`, `en`)",
     "http://b.example.com/", (), False),
    ("Host(`a.example.com`) || Host(`b.example.com`) && Query(`lang`, `en`)",
     "http://b.example.com/?lang=en", (), True),
    # v3: Query(`lang=en`) names a parameter "lang=en" (matcher.go query: key[, value])
    ("Query(`lang=en`)", "http://b.example.com/?lang=en", (), False),
    ("Header(`X-Canary`, `always`) && !Method(`POST`)", "http://x/", (("x-canary", "always"),),
     True),
    ("(Path(`/a`) || Path(`/b`)) && Host(`x`)", "http://x/b", (), True),
])
def test_rule_expressions(rule: str, url: str, headers: tuple[tuple[str, str], ...],
                          matches: bool) -> None:
    """&& binds tighter than ||; ! negates; matchers from matcher.go httpFuncs."""
    assert traefik.evaluate_rule(traefik.parse_rule(rule), get(url, headers=headers)) is matches


def test_rule_that_does_not_parse_is_not_modelled() -> None:
    with pytest.raises(traefik.RuleError):
        traefik.parse_rule("Host(`a`) &&")


def test_ingressroute_weighted_services_and_tls() -> None:
    """IngressRoute services: weighted round robin (weight default 1); tls: TLS only."""
    w = world(ingressroute("shop", {"match": "Host(`shop.example.com`)", "kind": "Rule",
                                    "services": [{"name": "blue", "port": 80, "weight": 3},
                                                 {"name": "green", "port": 80}]}, tls=True))
    r = src(w, "https://shop.example.com/")
    assert r.backends == (("web/blue:80", 0.75), ("web/green:80", 0.25))
    assert served_by(src(w, "http://shop.example.com/")) == "404"


def test_ingressroute_v2_syntax_is_not_modelled() -> None:
    w = world(ingressroute("old", {"match": "Host(`a`)", "kind": "Rule", "syntax": "v2",
                                   "services": [{"name": "a", "port": 80}]}))
    assert src(w, "http://a/").kind == "unknown"


def test_passhostheader_false_sends_the_server_address() -> None:
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": "legacy", "namespace": "web",
                        "annotations": {T + "service.passhostheader": "false"}},
           "spec": {"ports": [{"port": 80}]}}
    w = world(svc, tingress("a", "a.example.com", path("/", "legacy")))
    assert dict(src(w, "http://a.example.com/").headers) == {"host": traefik.SERVER_ADDRESS}


def test_equal_priority_routers_of_two_ingresses_are_order_dependent() -> None:
    """routes.Less orders by priority only and sort.Sort is not stable: two Ingresses with
    the same rule (same length) and different backends have no defined winner."""
    w = world(tingress("one", "a.example.com", path("/x", "one")),
              tingress("two", "a.example.com", path("/x", "two")))
    v = w.evaluate(get("http://a.example.com/x"))
    assert v.rivals and {r.name for r in (*v.by, *v.rivals)} == {"one", "two"}
    same = world(tingress("one", "a.example.com", path("/x", "svc")),
                 tingress("two", "a.example.com", path("/x", "svc")))
    assert not same.evaluate(get("http://a.example.com/x")).rivals
