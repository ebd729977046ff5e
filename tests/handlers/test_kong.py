"""Kong annotation dialect: value -> refined route plan -> intents and note codes."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.convert import build_routes, new_conversion
from gwshift.handlers.kong import DIALECT
from gwshift.intents import BackendTLS, ExtensionRef, IPAccess, RateLimit
from gwshift.model import Conversion, Rule
from gwshift.parse import parse_ingress

from .test_traefik import context

P = "konghq.com/"


def ingress(annotations: dict[str, str] | None = None, host: str | None = "a.example.com",
            paths: tuple[tuple[str, str | None, str], ...] = (("/", "Prefix", "web"),),
            tls: bool = False, extra: dict[str, str] | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"http": {"paths": [
        {"path": p, **({"pathType": t} if t else {}),
         "backend": {"service": {"name": svc, "port": {"number": 80}}}} for p, t, svc in paths]}}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": "kong", "rules": [rule]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": "web-tls"}]
    anns = {P + k: v for k, v in (annotations or {}).items()} | (extra or {})
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "ns", "annotations": anns}, "spec": spec}


def plugin(name: str, kind: str, config: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
            "metadata": {"name": name, "namespace": "ns"}, "plugin": kind, "config": config,
            **extra}


def service(name: str, annotations: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "ns",
                         "annotations": {P + k: v for k, v in annotations.items()}},
            "spec": {"ports": [{"port": 80}]}}


def one(anns: dict[str, str], stream: tuple[dict[str, Any], ...] = (), **kw: Any) -> Conversion:
    settings = {k: kw.pop(k) for k in ("channel", "allow_insecure_drop") if k in kw}
    ctx = context(stream, **settings)
    ing, _ = parse_ingress(ingress(anns, **kw), 0)
    assert ing is not None
    conv = new_conversion(ing, ctx)
    ctx.conversions = [conv]
    conv.dialect, conv.dialect_paths = "kong", True
    build_routes(conv, ctx)
    DIALECT.refine([conv], ctx)
    return conv


def codes(conv: Conversion) -> set[str]:
    return {n.code for n in conv.notes}


def rule0(conv: Conversion) -> Rule:
    return conv.routes[0].rules[0]


def filters(conv: Conversion, route: int = 0) -> dict[str, Any]:
    return {f["type"]: f for f in conv.routes[route].rules[0].filters}


def test_no_annotation_is_neutral() -> None:
    """Must-not-change twin: a Kong Ingress without annotations converts as the neutral plan."""
    conv = one({}, tls=True)
    assert [sorted(k.protocol for k in r.listeners) for r in conv.routes] == [["HTTP", "HTTPS"]]
    assert not conv.notes and not rule0(conv).filters


def test_methods_one_match_each() -> None:
    conv = one({"methods": "get,POST"})
    assert [m.method for m in rule0(conv).matches] == ["GET", "POST"]


def test_unknown_method_keeps_the_ingress() -> None:
    conv = one({"methods": "PURGE"})
    assert conv.blocked and "kong/invalid-method" in codes(conv)


def test_headers_or_within_and_across() -> None:
    conv = one({"headers.x-a": "1,2", "headers.x-b": "~*^v.*", "methods": "GET"})
    got = [(m.method, [(h.get("type", "Exact"), h["name"], h["value"]) for h in m.headers])
           for m in rule0(conv).matches]
    assert got == [("GET", [("Exact", "x-a", "1"), ("RegularExpression", "x-b", "^v.*")]),
                   ("GET", [("Exact", "x-a", "2"), ("RegularExpression", "x-b", "^v.*")])]
    assert "kong/header-match-case" in codes(conv)


def test_regex_path() -> None:
    conv = one({}, paths=(("/~/items/\\d+", "ImplementationSpecific", "w"),
                          ("/~/exact$", "ImplementationSpecific", "w")))
    assert [(r.matches[0].path_type, r.matches[0].path) for r in conv.routes[0].rules] == [
        ("RegularExpression", "^/items/\\d+.*"), ("RegularExpression", "^/exact$")]
    assert "ingress/path-type-implementation-specific" not in codes(conv)


def test_regex_prefix_and_priority() -> None:
    conv = one({"regex-prefix": "/re:", "regex-priority": "10"},
               paths=(("/re:/x", "ImplementationSpecific", "w"),))
    assert rule0(conv).matches[0].path == "^/x.*"
    assert "kong/regex-priority-not-converted" in codes(conv)


@pytest.mark.parametrize(("anns", "path", "expected"), [
    ({"strip-path": "true"}, ("/api", "Prefix"),
     {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}),
    ({"strip-path": "true"}, ("/api", "Exact"),
     {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/"}}),
    ({"rewrite": "/new"}, ("/api", "Prefix"),
     {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/new"}}),
    ({"host-header": "Upstream.example.com"}, ("/", "Prefix"),
     {"hostname": "upstream.example.com"}),
    ({"preserve-host": "false"}, ("/", "Prefix"), {"hostname": "w.ns.svc"}),
])
def test_rewrites(anns: dict[str, str], path: tuple[str, str], expected: dict[str, Any]) -> None:
    conv = one(anns, paths=((path[0], path[1], "w"),))
    assert filters(conv)["URLRewrite"]["urlRewrite"] == expected


def test_preserve_host_true_is_neutral() -> None:
    assert not rule0(one({"preserve-host": "true"})).filters


def test_strip_path_with_service_path() -> None:
    stream = (service("w", {"path": "/v1"}),)
    conv = one({"strip-path": "true"}, stream=stream, paths=(("/api", "Prefix", "w"),))
    assert filters(conv)["URLRewrite"]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v1"}
    conv = one({}, stream=stream, paths=(("/api", "Prefix", "w"),))
    assert filters(conv)["URLRewrite"]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v1/api"}


def test_strip_path_on_regex_keeps_the_ingress() -> None:
    conv = one({"strip-path": "true"}, paths=(("/~/x", "ImplementationSpecific", "w"),))
    assert conv.blocked and "kong/strip-path-regex" in codes(conv)


def test_rewrite_with_captures_keeps_the_ingress() -> None:
    assert one({"rewrite": "/x/$1"}).blocked


def test_https_only_without_redirect() -> None:
    conv = one({"protocols": "https"}, tls=True)
    assert [[k.protocol for k in r.listeners] for r in conv.routes] == [["HTTPS"]]
    assert "kong/https-only" in codes(conv)


@pytest.mark.parametrize(("anns", "extra", "code"), [
    ({"protocols": "https", "https-redirect-status-code": "308"}, None, 308),
    ({}, {"ingress.kubernetes.io/force-ssl-redirect": "true"}, 302),
])
def test_https_redirect(anns: dict[str, str], extra: dict[str, str] | None, code: int) -> None:
    conv = one(anns, tls=True, extra=extra)
    assert [[k.protocol for k in r.listeners] for r in conv.routes] == [["HTTPS"], ["HTTP"]]
    assert filters(conv, 1)["RequestRedirect"]["requestRedirect"] == {
        "scheme": "https", "statusCode": code}
    if extra:
        assert set(extra) <= conv.consumed_annotations


def test_http_only_still_serves_https() -> None:
    """Kong's default router flavor (traditional_compatible) has no protocol predicate for
    HTTP routes (kong/router/transform.lua get_expression); kong/runloop/handler.lua only
    refuses plain HTTP on HTTPS-only routes: protocols http still serves HTTPS."""
    conv = one({"protocols": "http"}, tls=True)
    assert [sorted(k.protocol for k in r.listeners) for r in conv.routes] == [["HTTP", "HTTPS"]]
    assert "kong/http-only-serves-https" in codes(conv)


@pytest.mark.parametrize("anns", [{"protocols": "http"}, {}])
def test_http_only_twin_without_tls_is_unchanged(anns: dict[str, str]) -> None:
    """No TLS for the host: the HTTP listener only, as without the annotation; no note."""
    conv = one(anns)
    assert [[k.protocol for k in r.listeners] for r in conv.routes] == [["HTTP"]]
    assert "kong/http-only-serves-https" not in codes(conv)


def test_https_only_without_tls_gets_a_placeholder() -> None:
    conv = one({"protocols": "https"})
    assert "kong/tls-secret-placeholder" in codes(conv)


def test_grpc_protocols_make_a_grpcroute() -> None:
    conv = one({"protocols": "grpc,grpcs"}, tls=True)
    assert conv.routes[0].kind == "GRPCRoute"
    assert sorted(k.protocol for k in conv.routes[0].listeners) == ["HTTP", "HTTPS"]


def test_stream_protocols_keep_the_ingress() -> None:
    assert one({"protocols": "tcp"}).blocked


def test_host_aliases() -> None:
    conv = one({"host-aliases": "b.example.com,c.example.com"})
    assert conv.routes[0].hostnames == ["a.example.com", "b.example.com", "c.example.com"]


@pytest.mark.parametrize("name", ["snis", "path-handling", "request-buffering",
                                  "response-buffering", "override", "tags"])
def test_reported(name: str) -> None:
    conv = one({name: "x"})
    assert f"kong/{name}-not-converted" in codes(conv) and not conv.blocked


def test_unknown_annotation() -> None:
    conv = one({"bogus": "x"})
    assert "kong/unknown-annotation" in codes(conv) and P + "bogus" in conv.consumed_annotations


# --- plugins ---------------------------------------------------------------------------------


def test_plugin_not_in_stream_is_a_security_extension_ref() -> None:
    conv = one({"plugins": "key-auth"})
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef)
    assert (intent.group, intent.kind, intent.name, intent.namespace) == (
        "configuration.konghq.com", "KongPlugin", "key-auth", "ns")
    assert intent.by.security and intent.by.code == "kong/plugin"


def test_cluster_plugin() -> None:
    cp = {"apiVersion": "configuration.konghq.com/v1", "kind": "KongClusterPlugin",
          "metadata": {"name": "global-auth"}, "plugin": "oidc"}
    (intent,) = one({"plugins": "global-auth"}, stream=(cp,)).routes[0].intents
    assert isinstance(intent, ExtensionRef)
    assert (intent.kind, intent.namespace) == ("KongClusterPlugin", None)


@pytest.mark.parametrize(("kind", "config", "cls", "check"), [
    ("ip-restriction", {"allow": ["10.0.0.0/8"], "deny": ["10.1.0.0/16"]}, IPAccess,
     lambda i: (i.allow, i.deny) == (("10.0.0.0/8",), ("10.1.0.0/16",))),
    ("rate-limiting", {"minute": 60, "limit_by": "ip"}, RateLimit,
     lambda i: (i.requests, i.unit) == (60, "Minute")),
    ("rate-limiting", {"minute": 60, "hour": 1000}, ExtensionRef, lambda i: i.by.security),
    ("basic-auth", {}, ExtensionRef, lambda i: i.by.security),
    ("prometheus", {}, ExtensionRef,
     lambda i: not i.by.security and i.by.code == "kong/plugin-dropped"),
])
def test_plugin_intents(kind: str, config: dict[str, Any], cls: type, check: Any) -> None:
    conv = one({"plugins": "p"}, stream=(plugin("p", kind, config),))
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, cls) and check(intent)


def test_disabled_plugin_is_not_applied() -> None:
    conv = one({"plugins": "p"}, stream=(plugin("p", "key-auth", {}, disabled=True),))
    assert not conv.routes[0].intents and "kong/plugin-approximated" in codes(conv)


def test_cors_plugin() -> None:
    conv = one({"plugins": "c"}, stream=(plugin("c", "cors", {
        "origins": ["https://a.example.com"], "methods": ["GET"], "credentials": True,
        "max_age": 600}),))
    assert filters(conv)["CORS"]["cors"] == {
        "allowOrigins": ["https://a.example.com"], "allowMethods": ["GET"],
        "allowHeaders": ["*"], "allowCredentials": True, "maxAge": 600}
    assert not conv.routes[0].intents


def test_request_transformer_plugin() -> None:
    conv = one({"plugins": "t"}, stream=(plugin("t", "request-transformer", {
        "add": {"headers": ["X-A:1"]}, "append": {"headers": ["X-B:2"]},
        "remove": {"headers": ["X-C"]}}),))
    assert filters(conv)["RequestHeaderModifier"]["requestHeaderModifier"] == {
        "remove": ["X-C"], "set": [{"name": "X-A", "value": "1"}],
        "add": [{"name": "X-B", "value": "2"}]}


def test_request_transformer_body_stays_a_plugin() -> None:
    conv = one({"plugins": "t"}, stream=(plugin("t", "request-transformer", {
        "add": {"body": ["a:1"]}}),))
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef) and not intent.by.security


# --- Service annotations --------------------------------------------------------------------


def test_service_plugins_are_rule_scoped() -> None:
    stream = (service("w", {"plugins": "key-auth"}),)
    conv = one({}, stream=stream, paths=(("/a", "Prefix", "w"), ("/b", "Prefix", "other")))
    a, b = conv.routes[0].rules
    assert [type(i) for i in a.intents] == [ExtensionRef] and not b.intents
    assert not conv.routes[0].intents


def test_service_protocol_https_is_backend_tls() -> None:
    stream = (service("w", {"protocol": "https", "tls-verify": "true",
                            "ca-certificates-secrets": "ca", "host-header": "w.internal"}),)
    conv = one({}, stream=stream, paths=(("/", "Prefix", "w"),))
    (intent,) = rule0(conv).intents
    assert isinstance(intent, BackendTLS)
    assert (intent.service, intent.verify, intent.ca_secret, intent.hostname) == (
        "w", True, "ca", "w.internal")
    assert filters(conv)["URLRewrite"]["urlRewrite"] == {"hostname": "w.internal"}


def test_service_timeouts() -> None:
    conv = one({}, stream=(service("w", {"read-timeout": "120000", "connect-timeout": "5000"}),),
               paths=(("/", "Prefix", "w"),))
    assert rule0(conv).timeouts == {"request": "3m5s", "backendRequest": "3m5s"}
    assert "kong/timeout-approximated" in codes(conv)


@pytest.mark.parametrize("value", ["2147483647", "99999999999999", "1" * 5000, "²", "-1"])
def test_service_timeout_beyond_kongs_limit_is_noted(value: str) -> None:
    """Bounded where it is read (Kong's 2^31 - 2 ms), with a note; never clamped silently."""
    conv = one({}, stream=(service("w", {"read-timeout": value}),), paths=(("/", "Prefix", "w"),))
    assert rule0(conv).timeouts is None
    (note,) = [n for n in conv.notes if n.code == "kong/invalid-value"]
    assert "2147483646" in note.message and len(note.message) < 300


def test_service_timeout_at_kongs_limit_converts() -> None:  # must-not-change twin
    conv = one({}, stream=(service("w", {"read-timeout": "2147483646"}),),
               paths=(("/", "Prefix", "w"),))
    assert rule0(conv).timeouts == {"request": "596h33m24s", "backendRequest": "596h33m24s"}
    assert "kong/invalid-value" not in codes(conv)


def test_service_reported_and_unknown() -> None:
    conv = one({}, stream=(service("w", {"retries": "3", "upstream-policy": "p", "nope": "1"}),),
               paths=(("/", "Prefix", "w"),))
    assert {"kong/retries-not-converted", "kong/upstream-policy-not-converted",
            "kong/unknown-annotation"} <= codes(conv)


def test_service_annotation_on_ingress_is_reported() -> None:
    conv = one({"read-timeout": "1000"})
    assert rule0(conv).timeouts is None
    assert "kong/service-annotation-on-ingress" in codes(conv)


def test_prefix_rewrite_with_alternatives_is_one_rule_per_match() -> None:
    """HTTPRoute CEL: ReplacePrefixMatch needs exactly one match in its rule."""
    conv = one({"methods": "GET,POST", "strip-path": "true"}, paths=(("/api", "Prefix", "w"),))
    assert [[m.method for m in r.matches] for r in conv.routes[0].rules] == [["GET"], ["POST"]]
    assert all(r.filters[0]["type"] == "URLRewrite" for r in conv.routes[0].rules)


def test_exact_rewrite_keeps_alternatives_together() -> None:
    conv = one({"methods": "GET,POST", "rewrite": "/x"}, paths=(("/api", "Prefix", "w"),))
    assert len(conv.routes[0].rules) == 1 and len(rule0(conv).matches) == 2


def test_grpc_paths_to_different_backends_keep_the_ingress() -> None:
    conv = one({"protocols": "grpc"}, paths=(("/a.Svc", "Prefix", "a"), ("/b.Svc", "Prefix", "b")))
    assert conv.blocked and "kong/grpc-paths" in codes(conv)


def test_consumer_auth_plugins_say_why_they_stay_kong_plugins() -> None:
    """basic-auth/key-auth check KongConsumer credentials, which no other implementation
    reads: under another target the Ingress is kept, and the note says why."""
    from gwshift.core import transform
    from gwshift.settings import Settings as _S

    text = ("apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata:\n  name: auth\n"
            "  namespace: web\nplugin: basic-auth\n---\napiVersion: networking.k8s.io/v1\n"
            "kind: Ingress\nmetadata:\n  name: shop\n  namespace: web\n  annotations:\n"
            "    konghq.com/plugins: auth\nspec:\n  ingressClassName: kong\n  rules:\n"
            "  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n"
            "        pathType: Prefix\n        backend:\n          service:\n            name: web\n"
            "            port:\n              number: 80\n")
    out = transform(text, _S(target="envoy-gateway"))
    errors = [n for n in out.notes if n.severity.name == "ERROR"]
    assert errors and "KongConsumers" in errors[0].message
    assert "kind: Ingress" in out.text  # kept, fail closed
