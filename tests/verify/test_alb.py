"""AWS Load Balancer Controller source model (gwshift/verify/alb.py): each test names the
rule it checks (kubernetes-sigs/aws-load-balancer-controller pkg/ingress, ELBv2 docs)."""

from __future__ import annotations

import json
from typing import Any

from gwshift.verify import alb, sources
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Result

from .helpers import get, ingress, path, served_by

Obj = dict[str, Any]
A = "alb.ingress.kubernetes.io/"


def aingress(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
             **kw: Any) -> Obj:
    obj = ingress(name, host, *paths, cls="alb", **kw)
    obj["metadata"]["annotations"] = {A + k: v for k, v in (ann or {}).items()}
    return obj


def use(name: str, p: str, ptype: str = "ImplementationSpecific") -> Obj:
    return {"path": p, "pathType": ptype,
            "backend": {"service": {"name": name, "port": {"name": "use-annotation"}}}}


def world(*objs: Obj) -> SourceWorld:
    w = sources.build(list(objs), "default", "auto", "nginx.ingress.kubernetes.io")["alb"]
    assert isinstance(w, SourceWorld)
    return w


def src(w: SourceWorld, url: str, **kw: Any) -> Result:
    return w.evaluate(get(url, **kw)).result


def test_glob() -> None:
    """ELB path-pattern: '*' any characters, '?' one; case-sensitive paths."""
    assert alb.glob("/api/*", "/api/v1/x")
    assert not alb.glob("/api/*", "/api")
    assert alb.glob("/v?/x", "/v2/x")
    assert not alb.glob("/API", "/api")
    assert alb.glob("*.Example.com", "a.b.example.com", case=False)


def test_prefix_becomes_two_patterns() -> None:
    """buildPathPatternsForPrefixPathType: '/p' -> '/p' and '/p/*'; '/' -> '/*'."""
    assert alb.path_patterns("/api/", "Prefix") == ["/api", "/api/*"]
    assert alb.path_patterns("/", "Prefix") == ["/*"]
    assert alb.path_patterns("/x*", "ImplementationSpecific") == ["/x*"]


def test_paths_sorted_exact_prefix_by_length_then_implementation_specific() -> None:
    """sortIngressPaths: Exact, Prefix longest first, then ImplementationSpecific in order;
    the first matching rule wins."""
    w = world(aingress("a", "a.example.com", path("/*", "catchall", "ImplementationSpecific"),
                       path("/api", "api", "Prefix"), path("/api/v2", "v2", "Prefix"),
                       path("/api/v2/x", "x", "Exact")))
    assert served_by(src(w, "http://a.example.com/api/v2/x")) == "x"
    assert served_by(src(w, "http://a.example.com/api/v2/y")) == "v2"
    assert served_by(src(w, "http://a.example.com/api")) == "api"
    assert served_by(src(w, "http://a.example.com/apix")) == "catchall"


def test_group_order_then_name() -> None:
    """group_loader.go sortGroupMembers: group.order, then namespace/name; first match wins."""
    w = world(aingress("b", "a.example.com", path("/", "b"), ann={"group.name": "g"}),
              aingress("a", "a.example.com", path("/", "a"),
                       ann={"group.name": "g", "group.order": "5"}))
    assert served_by(src(w, "http://a.example.com/x")) == "b"


def test_listen_ports_default_and_https() -> None:
    """computeIngressListenPorts: HTTP:80 by default, HTTPS:443 with certificate-arn."""
    w = world(aingress("a", "a.example.com", path("/", "a")),
              aingress("b", "b.example.com", path("/", "b"), ann={"certificate-arn": "arn:x"}))
    assert served_by(src(w, "http://a.example.com/")) == "a"
    assert src(w, "https://a.example.com/").status == 404
    assert served_by(src(w, "https://b.example.com/")) == "b"
    assert src(w, "http://b.example.com/").status == 404


def test_ssl_redirect_turns_every_http_listener_into_a_redirect() -> None:
    """buildListenerDefaultActions / buildListenerRules: with ssl-redirect the HTTP listener
    has no rules and redirects (301) to the SSL port."""
    w = world(aingress("a", "a.example.com", path("/", "a"), ann={
        "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "ssl-redirect": "443"}))
    assert src(w, "http://a.example.com/x?q=1") == Result(
        "redirect", 301, location="https://a.example.com/x?q=1")
    assert served_by(src(w, "https://a.example.com/x")) == "a"


def test_actions_forward_weighted_redirect_fixed_response() -> None:
    """model_build_actions.go: forwardConfig targetGroups with weights, redirectConfig
    (components default to the request's), fixedResponseConfig; JSON keys compare
    case-insensitively (Go encoding/json)."""
    w = world(aingress("a", "a.example.com", use("split", "/s"), use("moved", "/m"),
                       use("gone", "/g"), use("ssl-redirect", "/*"), ann={
        "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        "actions.split": json.dumps({"type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "blue", "servicePort": "80", "weight": 80},
            {"serviceName": "green", "servicePort": 80, "weight": 20}]}}),
        "actions.moved": json.dumps({"type": "redirect", "redirectConfig": {
            "host": "new.example.com", "path": "/#{path}/", "statusCode": "HTTP_302"}}),
        "actions.gone": json.dumps({"type": "fixed-response", "fixedResponseConfig": {
            "statusCode": "410"}}),
        "actions.ssl-redirect": json.dumps({"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}})}))
    assert src(w, "https://a.example.com/s").backends == (("web/blue:80", 0.8),
                                                          ("web/green:80", 0.2))
    assert src(w, "https://a.example.com/m?x=1") == Result(
        "redirect", 302, location="https://new.example.com/m/?x=1")
    assert src(w, "https://a.example.com/g").status == 410
    # the ssl-redirect rule is last on HTTP (ImplementationSpecific order) ...
    assert src(w, "http://a.example.com/other") == Result(
        "redirect", 301, location="https://a.example.com/other")
    # ... and omitted on HTTPS, where it would loop (omitInfiniteRedirectRules)
    assert src(w, "https://a.example.com/other").status == 404


def test_conditions() -> None:
    """conditions.<service>: all conditions, any value; header values case-insensitive."""
    w = world(aingress("a", "a.example.com", path("/api", "api", "Prefix"), path("/", "web", "Prefix"),
                       ann={"conditions.api": json.dumps([
                           {"field": "http-header", "httpHeaderConfig": {
                               "httpHeaderName": "X-Version", "values": ["2", "v3*"]}},
                           {"field": "http-request-method",
                            "httpRequestMethodConfig": {"values": ["GET"]}},
                           {"field": "query-string", "queryStringConfig": {
                               "values": [{"key": "beta", "value": "on"}]}}])}))
    ok = get("http://a.example.com/api/x?beta=ON", headers=(("x-version", "V3.1"),))
    assert served_by(w.evaluate(ok).result) == "api"
    assert served_by(w.evaluate(ok._replace(method="POST")).result) == "web"
    assert served_by(w.evaluate(ok._replace(query="")).result) == "web"


def test_inbound_cidrs_deny_other_clients() -> None:
    w = world(aingress("a", "a.example.com", path("/", "a"), ann={"inbound-cidrs": "10.0.0.0/8"}))
    assert src(w, "http://a.example.com/").status == 403
    assert served_by(src(w, "http://a.example.com/", client="10.0.0.1")) == "a"


def test_two_groups_claiming_a_host_is_not_compared() -> None:
    w = world(aingress("a", "a.example.com", path("/", "a"), ann={"group.name": "one"}),
              aingress("b", "a.example.com", path("/", "b"), ann={"group.name": "two"}))
    assert src(w, "http://a.example.com/").kind == "unknown"
