"""F5 NGINX Ingress Controller dialect: routing converts, access controls are intents."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.core import transform
from gwshift.handlers.nginx_inc import TABLE
from gwshift.intents import BackendTLS, BasicAuth, Opaque, RateLimit
from gwshift.model import Conversion
from gwshift.settings import Settings

from .test_alb import build, codes, ingress, listeners, route

TLS = [{"hosts": ["a.example.com"], "secretName": "a-tls"}]


def nic(annotations: dict[str, str], *more: dict[str, Any], **kw: Any) -> list[Conversion]:
    return build("nginx-inc", ingress(annotations=annotations, cls="nginx", **kw), *more)


def test_selected_by_controller_not_class_name() -> None:
    text = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\n"
            "spec: {controller: nginx.org/ingress-controller}\n---\n"
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\n"
            "  annotations: {nginx.org/rewrites: 'serviceName=web rewrite=/v1'}\n"
            "spec:\n  ingressClassName: nginx\n  rules:\n  - host: a.example.com\n    http:\n"
            "      paths:\n      - {path: /app, pathType: Prefix, backend: {service: "
            "{name: web, port: {number: 80}}}}\n")
    out = transform(text, Settings())
    assert "replacePrefixMatch: /v1" in out.text
    assert not [n for n in out.notes if n.code.startswith("ingress/annotation")]


def test_rewrites_apply_to_that_service_only() -> None:
    (conv,) = nic({"nginx.org/rewrites": "serviceName=web rewrite=/v1"},
                  paths=(("/app", "Prefix", "web", 80), ("/other", "Prefix", "other", 80)))
    web, other = conv.routes[0].rules
    assert web.filters == [{"type": "URLRewrite", "urlRewrite": {"path": {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v1"}}}]
    assert other.filters == []


@pytest.mark.parametrize(("mode", "expected"), [
    ("case_sensitive", ("RegularExpression", "/api/v[0-9]+")),
    ("case_insensitive", ("RegularExpression", "(?i)/api/v[0-9]+")),
    ("exact", ("Exact", "/api/v[0-9]+"))])
def test_path_regex(mode: str, expected: tuple[str, str]) -> None:
    (conv,) = nic({"nginx.org/path-regex": mode}, paths=(("/api/v[0-9]+", "Prefix", "web", 80),))
    m = conv.routes[0].rules[0].matches[0]
    assert (m.path_type, m.path) == expected


def test_invalid_path_regex_blocks() -> None:
    (conv,) = nic({"nginx.org/path-regex": "true"})
    assert conv.blocked and "nginx-inc/invalid-value" in codes(conv)


def test_ssl_redirect_is_on_by_default_with_tls() -> None:
    (conv,) = nic({}, tls=TLS)
    assert listeners(route(conv)) == [("HTTPS", 443)]
    assert route(conv, "redirect").rules[0].filters[0]["requestRedirect"] == {
        "scheme": "https", "statusCode": 301}


def test_ssl_redirect_false_keeps_http() -> None:  # must-not-change twin
    (conv,) = nic({"ingress.kubernetes.io/ssl-redirect": "false"}, tls=TLS)
    assert [r.suffix for r in conv.routes] == [""]
    assert listeners(conv.routes[0]) == [("HTTP", 80), ("HTTPS", 443)]


def test_redirect_to_https_uses_forwarded_proto() -> None:
    (conv,) = nic({"nginx.org/redirect-to-https": "true"})
    first = conv.routes[0].rules[0]
    assert first.matches[0].headers == [{"name": "X-Forwarded-Proto", "value": "http"}]
    assert first.filters[0]["requestRedirect"]["scheme"] == "https"


def test_headers_and_hsts() -> None:
    (conv,) = nic({"nginx.org/proxy-set-headers": "X-A: 1,X-Pass",
                   "nginx.org/proxy-hide-headers": "X-Secret", "nginx.org/hsts": "true"}, tls=TLS)
    f = {x["type"]: x for x in route(conv).rules[0].filters}
    assert f["RequestHeaderModifier"]["requestHeaderModifier"] == {"set": [{"name": "X-A",
                                                                            "value": "1"}]}
    resp = f["ResponseHeaderModifier"]["responseHeaderModifier"]
    assert resp["remove"] == ["X-Secret"]
    assert resp["set"] == [{"name": "Strict-Transport-Security", "value": "max-age=2592000"}]


def test_access_controls_are_intents() -> None:
    (conv,) = nic({"nginx.org/basic-auth-secret": "users", "nginx.org/limit-req-rate": "10r/s",
                   "nginx.com/jwt-key": "jwk", "nginx.org/ssl-services": "web"})
    kinds = {type(i) for i in conv.routes[0].intents}
    assert {BasicAuth, RateLimit, Opaque} <= kinds
    assert all(i.by.security for i in conv.routes[0].intents)
    assert any(isinstance(i, BackendTLS) for i in conv.routes[0].rules[0].intents)


def test_snippets_fail_closed() -> None:
    (conv,) = nic({"nginx.org/location-snippets": "deny all;"})
    assert conv.blocked and "nginx-inc/snippet" in codes(conv)


def test_minion_of_a_master_with_auth_is_kept() -> None:
    master = ingress("master", {"nginx.org/mergeable-ingress-type": "master",
                                "nginx.org/basic-auth-secret": "users"}, cls="nginx")
    minion = ingress("minion", {"nginx.org/mergeable-ingress-type": "minion"}, cls="nginx")
    _, conv = build("nginx-inc", master, minion)
    assert conv.blocked and "nginx-inc/mergeable-master-security" in codes(conv)


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("value", ["true", "", "garbage value"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    (conv,) = nic({name: value})
    assert name in conv.consumed_annotations
    assert "nginx-inc/unknown-annotation" not in codes(conv)


def test_grpc_services_on_root_become_a_grpc_route() -> None:
    (conv,) = nic({"nginx.org/grpc-services": "grpc-svc"},
                  paths=(("/", "Prefix", "grpc-svc", 50051), ("/web", "Prefix", "web", 80)))
    assert [(r.kind, r.suffix) for r in conv.routes] == [("HTTPRoute", ""), ("GRPCRoute", "grpc")]


def test_grpc_services_on_a_path_are_kept() -> None:
    (conv,) = nic({"nginx.org/grpc-services": "grpc-svc"},
                  paths=(("/helloworld.Greeter/SayHello", "Prefix", "grpc-svc", 8080),))
    assert conv.blocked and "nginx-inc/grpc-paths" in codes(conv)


def test_grpc_services_of_other_services_change_nothing() -> None:  # must-not-change twin
    (conv,) = nic({"nginx.org/grpc-services": "elsewhere"})
    assert [(r.kind, r.suffix) for r in conv.routes] == [("HTTPRoute", "")]


# --- NGINX string prefixes and proxy_pass URI replacement (verify: test_dialect_defects.py) --


def notes_of(conv: Conversion, code: str) -> list[tuple[str, str]]:
    return [(n.field, n.message) for n in conv.notes if n.code == code]


@pytest.mark.parametrize(("path", "ptype", "says"), [
    ("/coffee", "Prefix", "also served '/coffeex'"),
    ("/coffee", "ImplementationSpecific", "also served '/coffeex'"),
    ("/coffee/", "Prefix", "'/coffee' did not match"),
])
def test_prefix_is_an_nginx_string_prefix(path: str, ptype: str, says: str) -> None:
    """internal/configs/ingress.go generateIngressPath: 'location /coffee' for Prefix and
    ImplementationSpecific ('= ' only for Exact), an NGINX string prefix."""
    (conv,) = nic({}, paths=((path, ptype, "web", 80),))
    [(where, message)] = notes_of(conv, "nginx-inc/prefix-string-match")
    assert where == "spec.rules[0].http.paths[0].path" and says in message
    # the precise note replaces the neutral "treated as Prefix" one
    assert "ingress/path-type-implementation-specific" not in codes(conv)


@pytest.mark.parametrize(("path", "ptype", "anns"), [
    ("/", "Prefix", {}),  # 'location /' serves what PathPrefix '/' does
    ("/coffee", "Exact", {}),  # 'location = /coffee'
    ("/coffee", "Prefix", {"nginx.org/path-regex": "case_sensitive"}),  # a regex location
])
def test_string_prefix_twin_agreeing_paths_are_not_noted(path: str, ptype: str,
                                                         anns: dict[str, str]) -> None:
    (conv,) = nic(anns, paths=((path, ptype, "web", 80),))
    assert "nginx-inc/prefix-string-match" not in codes(conv)


@pytest.mark.parametrize(("path", "rewrite", "code", "says"), [
    ("/tea", "/", "nginx-inc/rewrite-double-slash", "as '//cup'"),
    ("/tea/", "/v2", "nginx-inc/rewrite-glued-path", "as '/v2cup'"),
    ("/", "/v2", "nginx-inc/rewrite-glued-path", "'/cup' upstream as '/v2cup'"),
])
def test_rewrite_joins_like_proxy_pass(path: str, rewrite: str, code: str, says: str) -> None:
    """nginx.ingress.tmpl 'proxy_pass http://<upstream><rewrite>' in 'location <path>':
    NGINX replaces the matched string, so '/tea/cup' goes upstream as rewrite + '/cup'."""
    (conv,) = nic({"nginx.org/rewrites": f"serviceName=web rewrite={rewrite}"},
                  paths=((path, "Prefix", "web", 80),))
    [(where, message)] = notes_of(conv, code)
    assert where == "spec.rules[0].http.paths[0].path" and says in message


@pytest.mark.parametrize(("path", "rewrite"), [
    ("/tea", "/v2"),  # '/tea/cup' -> '/v2/cup' in both
    ("/tea/", "/"),  # '/tea/cup' -> '/cup' in both
    ("/", "/"),
])
def test_rewrite_twin_same_upstream_path_is_not_noted(path: str, rewrite: str) -> None:
    (conv,) = nic({"nginx.org/rewrites": f"serviceName=web rewrite={rewrite}"},
                  paths=((path, "Prefix", "web", 80),))
    assert not codes(conv) & {"nginx-inc/rewrite-double-slash", "nginx-inc/rewrite-glued-path"}


def test_empty_rewrite_is_no_rewrite() -> None:
    """'rewrite=' leaves proxy_pass without a URI (parseRewrites accepts the empty value;
    nginx.ingress.tmpl 'proxy_pass http://<upstream>{{$location.Rewrite}};'): nginx passes
    the request URI unchanged, so no URLRewrite."""
    (conv,) = nic({"nginx.org/rewrites": "serviceName=web rewrite="},
                  paths=(("/tea", "Prefix", "web", 80),))
    assert conv.routes[0].rules[0].filters == [] and not conv.blocked


# --- issue 19: name-valued security keys, bounded rate numbers -----------------------------------


@pytest.mark.parametrize("key", ["nginx.org/policies", "nginx.com/jwt-key",
                                 "appprotectdos.f5.com/app-protect-dos-resource"])
def test_a_security_key_naming_an_object_false_is_a_name(key: str) -> None:
    """A Policy, a JWT key Secret or a DosProtectedResource may be called 'false': the
    control stays (an Opaque intent; the standard target keeps the Ingress)."""
    (conv,) = nic({key: "false"})
    assert [i.value for i in conv.routes[0].intents if isinstance(i, Opaque)] == ["false"]
    out = transform(_doc({key: "false"}), Settings(dialect="nginx-inc"))
    assert out.text == _doc({key: "false"})
    assert [n.severity.name for n in out.notes] == ["ERROR"]


def test_app_protect_enable_false_is_still_off() -> None:  # must-not-change twin
    (conv,) = nic({"appprotect.f5.com/app-protect-enable": "false"})
    assert not conv.routes[0].intents and not conv.blocked


@pytest.mark.parametrize("rate", ["1" * 5000 + "r/s", "4294967296r/s", "99999999999999999999r/m"])
def test_a_rate_no_target_holds_is_kept(rate: str) -> None:
    (conv,) = nic({"nginx.org/limit-req-rate": rate})
    assert conv.blocked and "nginx-inc/invalid-value" in codes(conv)


@pytest.mark.parametrize("burst", ["²", "1" * 5000, "4294967296", "-1"])
def test_a_burst_no_target_holds_is_kept(burst: str) -> None:
    (conv,) = nic({"nginx.org/limit-req-rate": "10r/s", "nginx.org/limit-req-burst": burst})
    assert conv.blocked and "nginx-inc/invalid-value" in codes(conv)


@pytest.mark.parametrize(("rate", "burst", "expected"), [
    ("10r/s", None, (10, "Second", None)), ("4294967295r/m", "20", (4294967295, "Minute", 20))])
def test_an_ascii_rate_still_converts(rate: str, burst: str | None,
                                      expected: tuple[int, str, int | None]) -> None:  # twin
    anns = {"nginx.org/limit-req-rate": rate}
    if burst is not None:
        anns["nginx.org/limit-req-burst"] = burst
    (conv,) = nic(anns)
    (limit,) = [i for i in conv.routes[0].intents if isinstance(i, RateLimit)]
    assert (limit.requests, limit.unit, limit.burst) == expected and not conv.blocked


def _doc(annotations: dict[str, str]) -> str:
    anns = "".join(f"    {k}: '{v}'\n" for k, v in annotations.items())
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
            f"  namespace: shop\n  annotations:\n{anns}spec:\n  ingressClassName: nginx\n"
            "  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend:\n          service:\n"
            "            name: web\n            port:\n              number: 80\n")
