"""Traefik annotation dialect: value -> refined route plan -> intents and note codes.

Conversions are built like the pipeline does (parse, neutral routes, dialect refine) with
the stream's other objects (Services, Middlewares) given to ``refine``.
"""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.handlers.traefik import DIALECT
from gwshift.intents import BasicAuth, ExtensionRef, ExternalAuth, IPAccess, RateLimit
from gwshift.model import Conversion, Rule
from gwshift.parse import parse_ingress
from gwshift.settings import Settings

P = "traefik.ingress.kubernetes.io/"


def ingress(annotations: dict[str, str] | None = None, host: str | None = "a.example.com",
            paths: tuple[tuple[str, str | None, str], ...] = (("/", "Prefix", "web"),),
            tls: bool = False, ns: str = "ns", name: str = "web",
            cls: str = "traefik") -> dict[str, Any]:
    rule: dict[str, Any] = {"http": {"paths": [
        {"path": p, **({"pathType": t} if t else {}),
         "backend": {"service": {"name": svc, "port": {"number": 80}}}} for p, t, svc in paths]}}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": cls, "rules": [rule]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns,
                         "annotations": {P + k: v for k, v in (annotations or {}).items()}},
            "spec": spec}


def middleware(name: str, spec: dict[str, Any], ns: str = "ns") -> dict[str, Any]:
    return {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def service(name: str, annotations: dict[str, str], ns: str = "ns") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns,
                         "annotations": {P + k: v for k, v in annotations.items()}},
            "spec": {"ports": [{"name": "http", "port": 80}]}}


def context(objs: tuple[dict[str, Any], ...], **settings: Any) -> Context:
    def finder(kind: str) -> Any:
        def find(ns: str | None, name: str) -> dict[str, Any] | None:
            for o in objs:
                meta = o["metadata"]
                if o["kind"] == kind and meta["name"] == name and meta.get("namespace") == ns:
                    return o
            return None
        return find

    kinds = ("Service", "ConfigMap", "Middleware", "KongPlugin", "KongClusterPlugin")
    return Context(Settings(**settings), {k: finder(k) for k in kinds})


def refine(*ings: dict[str, Any], stream: tuple[dict[str, Any], ...] = (),
           **settings: Any) -> list[Conversion]:
    ctx = context(stream, **settings)
    convs = []
    for i, obj in enumerate(ings):
        ing, _ = parse_ingress(obj, i)
        assert ing is not None
        convs.append(new_conversion(ing, ctx))
    ctx.conversions = convs
    for conv in convs:
        conv.dialect, conv.dialect_paths = "traefik", True
        build_routes(conv, ctx)
    DIALECT.refine(convs, ctx)
    return convs


def one(anns: dict[str, str], stream: tuple[dict[str, Any], ...] = (), **kw: Any) -> Conversion:
    settings = {k: kw.pop(k) for k in ("channel", "allow_insecure_drop") if k in kw}
    return refine(ingress(anns, **kw), stream=stream, **settings)[0]


def codes(conv: Conversion) -> set[str]:
    return {n.code for n in conv.notes}


def rule0(conv: Conversion) -> Rule:
    return conv.routes[0].rules[0]


def filters(conv: Conversion, route: int = 0) -> dict[str, Any]:
    return {f["type"]: f for f in conv.routes[route].rules[0].filters}


def protocols(conv: Conversion) -> list[list[str]]:
    return [sorted(k.protocol for k in r.listeners) for r in conv.routes]


# --- listeners --------------------------------------------------------------------------------


def test_no_annotation_keeps_neutral_listeners() -> None:
    """Must-not-change twin: every entry point = the neutral HTTP + HTTPS listeners."""
    conv = one({}, tls=True)
    assert protocols(conv) == [["HTTP", "HTTPS"]] and not conv.notes


@pytest.mark.parametrize(("eps", "tls", "expected"), [
    ("websecure", True, [["HTTPS"]]),
    ("web", True, [["HTTP"]]),
    ("web,websecure", True, [["HTTP", "HTTPS"]]),
])
def test_entrypoints_pin_listeners(eps: str, tls: bool, expected: list[list[str]]) -> None:
    conv = one({"router.entrypoints": eps}, tls=tls)
    assert protocols(conv) == expected
    assert not conv.blocked and not codes(conv)


def test_websecure_without_secret_gets_a_placeholder() -> None:
    conv = one({"router.entrypoints": "websecure", "router.tls.certresolver": "le"})
    assert protocols(conv) == [["HTTPS"]]
    assert [t.secret for t in conv.tls] == ["a-example-com-tls"]
    assert {"traefik/tls-secret-placeholder",
            "traefik/router-tls-certresolver-not-converted"} <= codes(conv)


def test_router_tls_is_https_only() -> None:
    conv = one({"router.tls": "true"}, tls=True)
    assert protocols(conv) == [["HTTPS"]]


def test_custom_entrypoint_fails_closed_unless_allowed() -> None:
    assert one({"router.entrypoints": "internal"}).blocked
    conv = one({"router.entrypoints": "internal,web"},
               allow_insecure_drop=frozenset({"traefik/custom-entrypoint"}))
    assert not conv.blocked and protocols(conv) == [["HTTP"]]


def test_tls_options_fail_closed() -> None:
    conv = one({"router.tls.options": "ns-mtls@kubernetescrd"})
    assert conv.blocked and "traefik/tls-options" in codes(conv)


# --- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("matcher", "ptype", "expected"), [
    ("Path", "ImplementationSpecific", ("Exact", "/x")),
    ("PathPrefix", "ImplementationSpecific", ("PathPrefix", "/x")),
    ("PathRegexp", "ImplementationSpecific", ("RegularExpression", ".*(?:/x).*")),
    ("Path", "Prefix", ("PathPrefix", "/x")),  # typed paths ignore the matcher, as in Traefik
])
def test_pathmatcher(matcher: str, ptype: str, expected: tuple[str, str]) -> None:
    conv = one({"router.pathmatcher": matcher}, paths=(("/x", ptype, "w"),))
    m = rule0(conv).matches[0]
    assert (m.path_type, m.path) == expected
    assert "ingress/path-type-implementation-specific" not in codes(conv)


def test_reported_annotations() -> None:
    conv = one({"router.priority": "10", "router.tls.domains.0.main": "a.example.com",
                "router.bogus": "x"})
    assert {"traefik/router-priority-not-converted",
            "traefik/router-tls-domains-main-not-converted",
            "traefik/unknown-annotation"} <= codes(conv)
    assert {P + "router.priority", P + "router.tls.domains.0.main",
            P + "router.bogus"} <= conv.consumed_annotations
    assert any(n.field == f"metadata.annotations[{P}router.tls.domains.0.main]"
               for n in conv.notes)


# --- middlewares -----------------------------------------------------------------------------


def mw(spec: dict[str, Any], **kw: Any) -> Conversion:
    return one({"router.middlewares": "ns-m@kubernetescrd"},
               stream=(middleware("m", spec),), **kw)


def test_middleware_not_in_stream_is_a_security_extension_ref() -> None:
    conv = one({"router.middlewares": "ns-my-auth@kubernetescrd"})
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef)
    assert (intent.group, intent.kind, intent.name, intent.namespace) == (
        "traefik.io", "Middleware", "my-auth", "ns")
    assert intent.by.security and intent.by.code == "traefik/middleware"


def test_middleware_namespace_split_found_in_stream() -> None:
    conv = one({"router.middlewares": "my-ns-strip@kubernetescrd"}, stream=(
        middleware("strip", {"stripPrefix": {"prefixes": ["/"]}}, ns="my-ns"),))
    assert not conv.routes[0].intents


def test_middleware_of_another_provider_fails_closed() -> None:
    conv = one({"router.middlewares": "auth@file"})
    assert conv.blocked and "traefik/middleware-provider" in codes(conv)


def test_redirect_scheme_splits_http_and_https() -> None:
    conv = mw({"redirectScheme": {"scheme": "https", "permanent": True}},
              tls=True)
    assert protocols(conv) == [["HTTPS"], ["HTTP"]]
    assert conv.routes[1].suffix == "redirect"
    assert filters(conv, 1)["RequestRedirect"]["requestRedirect"] == {
        "scheme": "https", "statusCode": 301}
    assert rule0(conv).backends and not rule0(conv).filters


def test_redirect_scheme_on_http_only_redirects_in_place() -> None:
    conv = mw({"redirectScheme": {"scheme": "https", "port": "8443"}})
    assert len(conv.routes) == 1 and not rule0(conv).backends
    assert filters(conv)["RequestRedirect"]["requestRedirect"] == {
        "scheme": "https", "port": 8443, "statusCode": 302}


@pytest.mark.parametrize("port", ["²", "٨٠", "1" * 5000, "70000", 0, 10**30, True, 1.5, [443]])
def test_redirect_scheme_invalid_port_keeps_the_middleware(port: Any) -> None:
    """Traefik would redirect to 'https://host:<port>/', which no client follows: the
    Middleware stays (ExtensionRef, security: a Traefik target attaches it, other targets keep
    the Ingress) with an invalid-value note; never an exception, never a dropped redirect."""
    conv = mw({"redirectScheme": {"scheme": "https", "port": port}})
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef) and intent.by.security
    assert intent.by.code == "traefik/invalid-value" and "is not a port number" in intent.by.why
    assert len(intent.by.why) < 400 and not rule0(conv).filters


def test_redirect_scheme_invalid_port_blocks_on_the_standard_target() -> None:
    from gwshift import core, yamlio

    text = "---\n".join(yamlio.dump(o) for o in (
        middleware("m", {"redirectScheme": {"scheme": "https", "port": "²"}}),
        ingress({"router.middlewares": "ns-m@kubernetescrd"})))
    out = core.transform(text, Settings())
    assert out.text == text and [n.code for n in out.notes] == ["traefik/invalid-value"]


@pytest.mark.parametrize("port", ["8443", 8443, " 8443 "])
def test_redirect_scheme_ascii_port_still_redirects(port: Any) -> None:  # must-not-change twin
    conv = mw({"redirectScheme": {"scheme": "https", "port": port}})
    assert filters(conv)["RequestRedirect"]["requestRedirect"]["port"] == 8443
    assert not conv.routes[0].intents


def test_redirect_scheme_on_https_only_is_a_noop() -> None:
    conv = one({"router.middlewares": "ns-m@kubernetescrd", "router.entrypoints": "websecure"},
               stream=(middleware("m", {"redirectScheme": {"scheme": "https"}}),), tls=True)
    assert rule0(conv).backends and "traefik/redirect-scheme-noop" in codes(conv)


@pytest.mark.parametrize(("spec", "path", "expected"), [
    ({"stripPrefix": {"prefixes": ["/api"]}}, "/api",
     {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}),
    ({"stripPrefix": {"prefixes": ["/api"]}}, "/api/v1",
     {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/v1"}),
    ({"addPrefix": {"prefix": "/app"}}, "/x",
     {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/app/x"}),
    ({"replacePath": {"path": "/fixed"}}, "/x",
     {"type": "ReplaceFullPath", "replaceFullPath": "/fixed"}),
])
def test_path_middlewares(spec: dict[str, Any], path: str, expected: dict[str, str]) -> None:
    conv = mw(spec, paths=((path, "Prefix", "w"),))
    assert filters(conv)["URLRewrite"]["urlRewrite"]["path"] == expected
    assert not conv.blocked


def test_strip_prefix_sets_forwarded_prefix() -> None:
    conv = mw({"stripPrefix": {"prefixes": ["/api"]}}, paths=(("/api", "Prefix", "w"),))
    assert filters(conv)["RequestHeaderModifier"]["requestHeaderModifier"] == {
        "set": [{"name": "X-Forwarded-Prefix", "value": "/api"}]}


def test_strip_prefix_beyond_the_match_keeps_the_ingress() -> None:
    conv = mw({"stripPrefix": {"prefixes": ["/api"]}}, paths=(("/", "Prefix", "w"),))
    assert conv.blocked and "traefik/middleware-path-unsupported" in codes(conv)


def test_strip_prefix_unrelated_path_is_untouched() -> None:
    conv = mw({"stripPrefix": {"prefixes": ["/api"]}}, paths=(("/web", "Prefix", "w"),))
    assert not rule0(conv).filters and not conv.blocked


def test_headers_middleware() -> None:
    conv = mw({"headers": {"customRequestHeaders": {"X-Script-Name": "/app", "X-Drop": ""},
                           "customResponseHeaders": {"X-Powered-By": ""},
                           "frameDeny": True, "stsSeconds": 300, "stsIncludeSubdomains": True}})
    f = filters(conv)
    assert f["RequestHeaderModifier"]["requestHeaderModifier"] == {
        "set": [{"name": "X-Script-Name", "value": "/app"}], "remove": ["X-Drop"]}
    assert f["ResponseHeaderModifier"]["responseHeaderModifier"] == {
        "set": [{"name": "Strict-Transport-Security", "value": "max-age=300; includeSubDomains"},
                {"name": "X-Frame-Options", "value": "DENY"}],
        "remove": ["X-Powered-By"]}
    assert not conv.routes[0].intents


def test_headers_cors() -> None:
    conv = mw({"headers": {"accessControlAllowOriginList": ["https://a.example.com"],
                           "accessControlAllowMethods": ["GET", "POST"],
                           "accessControlMaxAge": 100, "addVaryHeader": True}})
    assert filters(conv)["CORS"]["cors"] == {"allowOrigins": ["https://a.example.com"],
                                             "allowMethods": ["GET", "POST"], "maxAge": 100}


def test_headers_with_allowed_hosts_stay_a_security_middleware() -> None:
    conv = mw({"headers": {"allowedHosts": ["a.example.com"]}})
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef) and intent.by.security


@pytest.mark.parametrize(("spec", "kind", "check"), [
    ({"ipAllowList": {"sourceRange": ["10.0.0.0/8", "192.168.1.7"]}}, IPAccess,
     lambda i: i.allow == ("10.0.0.0/8", "192.168.1.7/32") and i.deny == ()),
    ({"basicAuth": {"secret": "users", "realm": "ops"}}, BasicAuth,
     lambda i: (i.secret, i.realm) == ("users", "ops")),
    ({"forwardAuth": {"address": "http://auth.ops.svc:9000/verify",
                      "authResponseHeaders": ["X-User"]}}, ExternalAuth,
     lambda i: i.service is not None and (i.service.name, i.service.namespace, i.service.port,
                                          i.service.path) == ("auth", "ops", 9000, "/verify")
     and i.response_headers == ("X-User",)),
    ({"rateLimit": {"average": 10, "burst": 20}}, RateLimit,
     lambda i: (i.requests, i.unit, i.burst) == (10, "Second", 20)),
    ({"rateLimit": {"average": 100, "period": "1m"}}, RateLimit,
     lambda i: (i.requests, i.unit) == (100, "Minute")),
    ({"ipAllowList": {"sourceRange": ["10.0.0.0/8"], "ipStrategy": {"depth": 1}}}, ExtensionRef,
     lambda i: i.by.security),
    ({"rateLimit": {"average": 10, "period": "10s"}}, ExtensionRef, lambda i: i.by.security),
    ({"digestAuth": {"secret": "s"}}, ExtensionRef, lambda i: i.by.security),
    ({"compress": {}}, ExtensionRef,
     lambda i: not i.by.security and i.by.code == "traefik/middleware-dropped"),
])
def test_intent_middlewares(spec: dict[str, Any], kind: type, check: Any) -> None:
    conv = mw(spec)
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, kind) and check(intent)
    assert intent.by.field == f"metadata.annotations[{P}router.middlewares]"


def test_chain_is_expanded_when_every_member_is_portable() -> None:
    stream = (middleware("c", {"chain": {"middlewares": [{"name": "s"}, {"name": "ip"}]}}),
              middleware("s", {"stripPrefix": {"prefixes": ["/api"]}}),
              middleware("ip", {"ipAllowList": {"sourceRange": ["10.0.0.0/8"]}}))
    conv = one({"router.middlewares": "ns-c@kubernetescrd"}, stream=stream,
               paths=(("/api", "Prefix", "w"),))
    assert "URLRewrite" in filters(conv)
    assert [type(i) for i in conv.routes[0].intents] == [IPAccess]


def test_chain_with_a_missing_member_stays_a_middleware() -> None:
    conv = one({"router.middlewares": "ns-c@kubernetescrd"},
               stream=(middleware("c", {"chain": {"middlewares": [{"name": "gone"}]}}),))
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, ExtensionRef) and intent.name == "c" and intent.by.security


def test_middlewares_apply_in_order() -> None:
    stream = (middleware("a", {"addPrefix": {"prefix": "/v1"}}),
              middleware("s", {"stripPrefix": {"prefixes": ["/api"]}}))
    conv = one({"router.middlewares": "ns-s@kubernetescrd,ns-a@kubernetescrd"}, stream=stream,
               paths=(("/api", "Prefix", "w"),))
    assert filters(conv)["URLRewrite"]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v1/"}


# --- Service annotations --------------------------------------------------------------------


def test_service_annotations() -> None:
    stream = (service("web", {"service.serversscheme": "https", "service.sticky.cookie": "true",
                              "service.sticky.cookie.name": "sid",
                              "service.sticky.cookie.maxage": "3600",
                              "service.sticky.cookie.samesite": "lax",
                              "service.passhostheader": "false"}),)
    conv = one({}, stream=stream, channel="experimental")
    (intent,) = conv.routes[0].intents
    assert intent.service == "web" and not intent.by.security  # type: ignore[union-attr]
    assert rule0(conv).session_persistence == {
        "type": "Cookie", "sessionName": "sid", "absoluteTimeout": "1h",
        "cookieConfig": {"lifetimeType": "Permanent"}}
    assert filters(conv)["URLRewrite"]["urlRewrite"] == {"hostname": "web.ns.svc"}
    assert {"traefik/sticky-cookie-attribute-lost",
            "traefik/passhostheader-approximated"} <= codes(conv)


@pytest.mark.parametrize("age", ["100000000", "99999999999999", "1" * 5000, "²", "٨٠", "1h"])
def test_sticky_maxage_that_is_no_bounded_seconds_is_noted(age: str) -> None:
    stream = (service("web", {"service.sticky.cookie": "true", "service.sticky.cookie.maxage": age}),)
    conv = one({}, stream=stream, channel="experimental")
    assert rule0(conv).session_persistence == {"type": "Cookie"}
    (note,) = [n for n in conv.notes if n.code == "traefik/invalid-value"]
    assert "99999999" in note.message and len(note.message) < 300


@pytest.mark.parametrize(("age", "expected"), [("3600", "1h"), ("99999999", "27777h46m39s")])
def test_sticky_maxage_in_range_converts(age: str, expected: str) -> None:  # twin
    stream = (service("web", {"service.sticky.cookie": "true", "service.sticky.cookie.maxage": age}),)
    conv = one({}, stream=stream, channel="experimental")
    sp = rule0(conv).session_persistence
    assert sp is not None and sp["absoluteTimeout"] == expected
    assert "traefik/invalid-value" not in codes(conv)


def test_sticky_standard_channel_is_reported() -> None:
    conv = one({}, stream=(service("web", {"service.sticky.cookie": "true"}),))
    assert rule0(conv).session_persistence is None
    assert "traefik/sticky-experimental" in codes(conv)


def test_service_annotation_on_the_ingress_is_reported() -> None:
    conv = one({"service.serversscheme": "https"})
    assert not conv.routes[0].intents
    assert "traefik/service-annotation-on-ingress" in codes(conv)


@pytest.mark.parametrize(("port_name", "number", "https"), [
    ("http", 443, True), ("https-web", 8443, True), ("http", 8080, False)])
def test_implicit_https_backend(port_name: str, number: int, https: bool) -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "ns"},
           "spec": {"ports": [{"name": port_name, "port": number}]}}
    obj = ingress({})
    obj["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {
        "number": number}
    conv = refine(obj, stream=(svc,))[0]
    assert [type(i).__name__ for i in conv.routes[0].intents] == (["BackendTLS"] if https else [])


def test_explicit_scheme_overrides_port_443() -> None:
    svc = service("web", {"service.serversscheme": "http"})
    obj = ingress({})
    obj["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"number": 443}
    assert not refine(obj, stream=(svc,))[0].routes[0].intents


# --- where Traefik's matching differs (verify: tests/verify/test_dialect_defects.py) ----------


def notes_of(conv: Conversion, code: str) -> list[tuple[str, str]]:
    return [(n.field, n.message) for n in conv.notes if n.code == code]


@pytest.mark.parametrize(("path", "ptype", "says"), [
    ("/api", "Prefix", "also served '/apix'"),
    ("/api", "ImplementationSpecific", "also served '/apix'"),  # PathPrefix matcher too
    ("/api/", "Prefix", "'/api' did not match"),
])
def test_string_prefix_is_noted(path: str, ptype: str, says: str) -> None:
    """Traefik PathPrefix is strings.HasPrefix (pkg/muxer/http/matcher.go pathPrefix;
    strictPrefixMatching off by default): '/api' serves '/apix'; HTTPRoute PathPrefix does
    not, and ignores a trailing slash."""
    conv = one({}, paths=((path, ptype, "web"),))
    [(where, message)] = notes_of(conv, "traefik/prefix-string-match")
    assert where == "spec.rules[0].http.paths[0].path" and says in message
    assert rule0(conv).matches[0].path_type == "PathPrefix"  # the portable match is kept


@pytest.mark.parametrize(("path", "ptype", "anns"), [
    ("/", "Prefix", {}),  # every path: string and element prefix agree
    ("/api", "Exact", {}),
    ("/api", "ImplementationSpecific", {"router.pathmatcher": "Path"}),
])
def test_string_prefix_twin_agreeing_paths_are_not_noted(path: str, ptype: str,
                                                         anns: dict[str, str]) -> None:
    conv = one(anns, paths=((path, ptype, "web"),))
    assert "traefik/prefix-string-match" not in codes(conv)


def test_rule_length_priority_exact_outranked_by_prefix() -> None:
    """Traefik sorts routers by len(rule) (pkg/muxer/http/mux.go GetRulePriority):
    Host(h) && PathPrefix("/") (43) beats Host(h) && Path("/api") (40)."""
    conv = one({}, host="shop.example.com",
               paths=(("/", "Prefix", "web"), ("/api", "Exact", "api")))
    [(where, message)] = notes_of(conv, "traefik/rule-length-priority")
    assert where == "spec.rules[0].http.paths[1].path"
    assert "(priority 43) outranks" in message and "sent '/api' to Service web" in message


@pytest.mark.parametrize(("paths", "anns"), [
    # the Exact rule is 7+ characters longer: Traefik tries it first, as Gateway API does
    ((("/", "Prefix", "web"), ("/api/orders", "Exact", "api")), {}),
    # the prefix does not cover the Exact path
    ((("/shop", "Prefix", "web"), ("/api", "Exact", "api")), {}),
    # an explicit router.priority is reported by its own handler
    ((("/", "Prefix", "web"), ("/api", "Exact", "api")), {"router.priority": "10"}),
])
def test_rule_length_priority_twin_same_order_is_not_noted(
        paths: tuple[tuple[str, str, str], ...], anns: dict[str, str]) -> None:
    conv = one(anns, host="shop.example.com", paths=paths)
    assert "traefik/rule-length-priority" not in codes(conv)


def test_rule_length_priority_tie_is_unordered() -> None:
    # PathPrefix("/a") is 17 characters, Path("/abcdefg") 17 too
    conv = one({}, host=None, paths=(("/a", "Prefix", "web"), ("/abcdefg", "Exact", "api")))
    [(_, message)] = notes_of(conv, "traefik/rule-length-priority")
    assert "ties with" in message and "unordered" in message


def test_rule_length_priority_across_ingresses() -> None:
    """Traefik sorts the routers of every Ingress together: a Prefix '/' of another Ingress
    (explicit router.priority 100) takes '/api' from this one's Exact path."""
    catch_all = ingress({"router.priority": "100"}, host="shop.example.com", name="all",
                        paths=(("/", "Prefix", "web"),))
    exact = ingress({}, host="shop.example.com", name="api",
                    paths=(("/api/orders/list", "Exact", "api"),))
    _, conv = refine(catch_all, exact)
    [(where, message)] = notes_of(conv, "traefik/rule-length-priority")
    assert where == "spec.rules[0].http.paths[0].path"
    assert "of Ingress ns/all (priority 100) outranks" in message


def test_rule_length_priority_twin_other_host() -> None:
    catch_all = ingress({}, host="www.example.com", name="all", paths=(("/", "Prefix", "web"),))
    exact = ingress({}, host="shop.example.com", name="api", paths=(("/api", "Exact", "api"),))
    assert not any("traefik/rule-length-priority" in codes(c) for c in refine(catch_all, exact))
