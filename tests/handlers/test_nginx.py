"""Per-annotation table tests: value -> emitted fields -> note codes, each with a no-op twin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from gwshift.model import Conversion
from gwshift.notes import Severity

from .nginx_build import codes, filters, ingress, one, policies, refine, rule0

Check = Callable[[Conversion], Any]
CORS_DEFAULT = {
    "allowOrigins": ["*"],
    "allowMethods": ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"],
    "allowHeaders": ["DNT", "Keep-Alive", "User-Agent", "X-Requested-With", "If-Modified-Since",
                     "Cache-Control", "Content-Type", "Range", "Authorization"],
    # nginx's defaults are origin "*" with credentials; nginx sent a literal "*" that
    # browsers refuse with credentials, so credentials stay off (nginx/cors-wildcard-credentials).
    "allowCredentials": False,
    "maxAge": 1728000,
}


def _path(conv: Conversion) -> tuple[str | None, str | None]:
    m = rule0(conv).matches[0]
    return m.path_type, m.path


# (id, annotations, extra ingress kwargs, check, expected value, expected note codes ⊇)
CASES: list[tuple[str, dict[str, str], dict[str, Any], Check, Any, set[str]]] = [
    ("rewrite-literal", {"rewrite-target": "/"}, {"paths": (("/foo", "Prefix", "w"),)},
     lambda c: filters(c)["URLRewrite"]["urlRewrite"],
     {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/"}}, {"nginx/regex-host"}),
    ("rewrite-idiom", {"rewrite-target": "/$2"},
     {"paths": (("/foo(/|$)(.*)", "ImplementationSpecific", "w"),)},
     lambda c: (_path(c), filters(c)["URLRewrite"]["urlRewrite"]),
     (("PathPrefix", "/foo"), {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}),
     {"nginx/rewrite-target-prefix-idiom"}),
    ("rewrite-slash-idiom", {"rewrite-target": "/$1"},
     {"paths": (("/foo/(.*)", "ImplementationSpecific", "w"),)},
     lambda c: _path(c), ("PathPrefix", "/foo"), {"nginx/rewrite-target-prefix-idiom"}),
    ("rewrite-capture-blocks", {"rewrite-target": "/x/$1/y"},
     {"paths": (("/foo/(.*)", "ImplementationSpecific", "w"),)},
     lambda c: c.blocked, True, {"nginx/rewrite-target-capture-groups"}),
    # ingress-nginx's IP-list parsers fail on a value that is no CIDR list, and the location
    # then denies every request (LocationDeniedError): never "off", always fail closed.
    *[(f"ip-list-{name}-{value or 'empty'}", {name: value}, {}, lambda c: c.blocked, True,
       {"nginx/ip-access-control"})
      for name in ("allowlist-source-range", "whitelist-source-range", "denylist-source-range")
      for value in ("", "false", " ")],
    ("global-rate-limit", {"global-rate-limit": "100", "global-rate-limit-window": "1m"}, {},
     lambda c: c.blocked, True, {"nginx/rate-limit"}),
    ("global-rate-limit-no-window", {"global-rate-limit": "100"}, {},
     lambda c: c.blocked, True, {"nginx/rate-limit"}),
    # $٨ is no capture reference for nginx (ASCII digits only): still kept, never int("٨") == 8.
    ("rewrite-non-ascii-digit-ref", {"rewrite-target": "/x/$\u0668"},
     {"paths": (("/foo/(.*)", "ImplementationSpecific", "w"),)},
     lambda c: (c.blocked, any("$8" in n.message for n in c.notes)), (True, False),
     {"nginx/rewrite-target-capture-groups"}),
    ("rewrite-huge-braced-ref", {"rewrite-target": "/x/${" + "9" * 5000 + "}"},
     {"paths": (("/foo/(.*)", "ImplementationSpecific", "w"),)},
     lambda c: c.blocked, True, {"nginx/rewrite-target-capture-groups"}),
    ("use-regex", {"use-regex": "true"}, {"paths": (("/foo", "Exact", "w"),)},
     _path, ("RegularExpression", "(?i)^/foo.*"), {"nginx/regex-host"}),
    ("use-regex-alternation", {"use-regex": "true"},
     {"paths": (("/a|/b", "ImplementationSpecific", "w"),)},
     _path, ("RegularExpression", "(?i).*(?:^/a|/b).*"), set()),
    ("use-regex-pcre", {"use-regex": "true"},
     {"paths": (("/(?!admin)", "ImplementationSpecific", "w"),)},
     lambda c: c.blocked, True, {"nginx/regex-pcre-only"}),
    ("x-forwarded-prefix", {"rewrite-target": "/", "x-forwarded-prefix": "/p"},
     {"paths": (("/foo", "Prefix", "w"),)},
     lambda c: filters(c)["RequestHeaderModifier"]["requestHeaderModifier"],
     {"set": [{"name": "X-Forwarded-Prefix", "value": "/p"}]}, set()),
    # template.go buildProxyPass: `if path == location.Rewrite.Target { return defProxyPass }`
    # (no rewrite, no X-Forwarded-Prefix): the must-not-change twin of the two above.
    ("rewrite-target-equals-path", {"rewrite-target": "/", "x-forwarded-prefix": "/p"}, {},
     lambda c: filters(c), {}, {"nginx/rewrite-target-equals-path"}),
    ("rewrite-target-query", {"rewrite-target": "/new?x=1"}, {"paths": (("/foo", "Prefix", "w"),)},
     lambda c: c.blocked, True, {"nginx/rewrite-target-query"}),
    ("permanent-redirect", {"permanent-redirect": "https://b.example.com:8443/x?q=1"}, {},
     lambda c: (rule0(c).backends, filters(c)["RequestRedirect"]["requestRedirect"]),
     ([], {"scheme": "https", "hostname": "b.example.com", "port": 8443,
           "path": {"type": "ReplaceFullPath", "replaceFullPath": "/x"}, "statusCode": 301}),
     {"nginx/redirect-query-dropped"}),
    ("temporal-wins", {"temporal-redirect": "http://t.example.com",
                       "permanent-redirect": "http://p.example.com",
                       "temporal-redirect-code": "307"}, {},
     lambda c: filters(c)["RequestRedirect"]["requestRedirect"]["hostname"], "t.example.com",
     {"nginx/redirect-both"}),
    ("redirect-code-300", {"permanent-redirect": "http://p.example.com",
                           "permanent-redirect-code": "300"}, {},
     lambda c: c.blocked, True, {"nginx/redirect-code-unsupported"}),
    ("redirect-request-uri", {"permanent-redirect": "https://n.example.com$request_uri"}, {},
     lambda c: filters(c)["RequestRedirect"]["requestRedirect"],
     {"scheme": "https", "hostname": "n.example.com", "statusCode": 301}, set()),
    ("app-root", {"app-root": "/app"}, {},
     lambda c: (_path(c), filters(c)["RequestRedirect"]["requestRedirect"]),
     (("Exact", "/"), {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/app"},
                       "statusCode": 302}), set()),
    ("app-root-without-root-path", {"app-root": "/app"}, {"paths": (("/x", "Prefix", "w"),)},
     lambda c: [_m.path for r in c.routes[0].rules for _m in r.matches], ["/", "/x"], set()),
    ("enable-cors-defaults", {"enable-cors": "true"}, {},
     lambda c: filters(c)["CORS"]["cors"], CORS_DEFAULT, {"nginx/cors-wildcard-credentials"}),
    ("cors-listed-origin-keeps-credentials", {"enable-cors": "true",
                                              "cors-allow-origin": "https://a.com"}, {},
     lambda c: filters(c)["CORS"]["cors"]["allowCredentials"], True, set()),
    ("cors-custom", {"enable-cors": "true", "cors-allow-origin": "https://a.com, *",
                     "cors-allow-methods": "get,post", "cors-max-age": "60",
                     "cors-allow-credentials": "false"}, {},
     lambda c: {k: filters(c)["CORS"]["cors"][k] for k in
                ("allowOrigins", "allowMethods", "maxAge", "allowCredentials")},
     {"allowOrigins": ["*"], "allowMethods": ["GET", "POST"], "maxAge": 60,
      "allowCredentials": False}, set()),
    ("timeouts", {"proxy-read-timeout": "120", "proxy-connect-timeout": "10"}, {},
     lambda c: rule0(c).timeouts, {"request": "3m10s", "backendRequest": "3m10s"}, {"nginx/timeout-approximated"}),
    ("upstream-vhost", {"upstream-vhost": "Internal.svc"}, {},
     lambda c: filters(c)["URLRewrite"]["urlRewrite"], {"hostname": "internal.svc"}, set()),
    ("upstream-vhost-variable", {"upstream-vhost": "$host"}, {},
     lambda c: c.blocked, True, {"nginx/upstream-vhost-unsupported"}),
    ("mirror-target", {"mirror-target": "http://shadow.other:9000$request_uri"}, {},
     lambda c: filters(c)["RequestMirror"]["requestMirror"],
     {"backendRef": {"name": "shadow", "namespace": "other", "port": 9000}},
     {"nginx/mirror-cross-namespace"}),
    ("mirror-external", {"mirror-target": "https://mirror.example.com/x"}, {},
     lambda c: rule0(c).filters, [], {"nginx/mirror-target-unsupported"}),
    ("server-alias", {"server-alias": "b.example.com, B2.example.com"}, {},
     lambda c: c.routes[0].hostnames, ["a.example.com", "b.example.com", "b2.example.com"],
     {"nginx/server-alias-own-paths"}),
    # issue 19: an alias that breaks the Hostname pattern is dropped with a note, the valid
    # ones (the twin above) still become hostnames; the route stays valid.
    ("server-alias-invalid-dropped", {"server-alias": "a..example.com, b.example.com, ~^w\\d$"},
     {}, lambda c: c.routes[0].hostnames, ["a.example.com", "b.example.com"],
     {"nginx/server-alias-own-paths", "nginx/server-alias-invalid"}),
    ("cors-max-age-beyond-int32", {"enable-cors": "true", "cors-allow-origin": "https://a.com",
                                   "cors-max-age": "99999999999999"}, {},
     lambda c: filters(c)["CORS"]["cors"]["maxAge"], 2**31 - 1, {"nginx/cors-max-age-capped"}),
    ("cors-max-age-int32-kept", {"enable-cors": "true", "cors-allow-origin": "https://a.com",
                                 "cors-max-age": str(2**31 - 1)}, {},
     lambda c: filters(c)["CORS"]["cors"]["maxAge"], 2**31 - 1, set()),
    ("timeout-beyond-any-duration", {"proxy-read-timeout": "99999999999"}, {},
     lambda c: rule0(c).timeouts, {"request": "2m5s", "backendRequest": "2m5s"},
     {"nginx/timeout-approximated", "nginx/invalid-value"}),
    ("backend-grpc", {"backend-protocol": "GRPC"},
     {"paths": (("/", "Prefix", "g"), ("/x", "Prefix", "g"))},
     lambda c: (c.routes[0].kind, [r.matches for r in c.routes[0].rules]),
     ("GRPCRoute", [[]]), {"nginx/grpc-paths-dropped"}),
    ("backend-fcgi", {"backend-protocol": "FCGI"}, {},
     lambda c: c.blocked, True, {"nginx/backend-protocol-unsupported"}),
    ("backend-https-unverified", {"backend-protocol": "HTTPS"}, {},
     lambda c: (c.blocked, policies(c)), (True, []), {"nginx/backend-tls-unverified"}),
    ("backend-https-verified", {"backend-protocol": "HTTPS", "proxy-ssl-verify": "on",
                                "proxy-ssl-secret": "ns/ca", "proxy-ssl-name": "web.ns.svc"}, {},
     lambda c: policies(c)[0]["spec"],
     {"targetRefs": [{"group": "", "kind": "Service", "name": "web"}],
      "validation": {"caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "ca"}],
                     "hostname": "web.ns.svc"}}, {"nginx/backend-tls-ca-configmap"}),
    ("affinity-standard", {"affinity": "cookie"}, {},
     lambda c: rule0(c).session_persistence, None, {"nginx/affinity-experimental"}),
    ("affinity-experimental", {"affinity": "cookie", "session-cookie-expires": "3600"},
     {"channel": "experimental"}, lambda c: rule0(c).session_persistence,
     {"sessionName": "INGRESSCOOKIE", "type": "Cookie", "absoluteTimeout": "1h",
      "cookieConfig": {"lifetimeType": "Permanent"}}, set()),
    ("retry-experimental", {"proxy-next-upstream": "http_500 non_idempotent",
                            "proxy-next-upstream-tries": "1"}, {"channel": "experimental"},
     lambda c: rule0(c).retry, {"codes": [500]}, set()),
    ("retry-standard", {"proxy-next-upstream": "http_500"}, {},
     lambda c: rule0(c).retry, None, {"nginx/retry-experimental"}),
    ("allowlist-blocks", {"whitelist-source-range": "10.0.0.0/8"}, {},
     lambda c: c.blocked, True, {"nginx/ip-access-control"}),
    ("allowlist-allowed", {"allowlist-source-range": "10.0.0.0/8"},
     {"allow_insecure_drop": frozenset({"nginx/ip-access-control"})},
     lambda c: c.blocked, False, {"nginx/ip-access-control"}),
    ("snippet-blocks", {"server-snippet": "return 403;"}, {},
     lambda c: c.blocked, True, {"nginx/snippet"}),
    ("auth-url-blocks", {"auth-url": "http://auth.ns.svc/check", "auth-signin": "https://x"},
     {}, lambda c: c.blocked, True, {"nginx/auth-external"}),
    ("auth-url-experimental",
     {"auth-url": "http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth",
      "auth-response-headers": "X-Auth-Request-User", "auth-signin": "https://login"},
     {"channel": "experimental"}, lambda c: (c.blocked, filters(c)["ExternalAuth"]["externalAuth"]),
     (False, {"protocol": "HTTP",
              "backendRef": {"name": "oauth2-proxy", "namespace": "auth", "port": 4180},
              "http": {"path": "/oauth2/auth", "allowedResponseHeaders": ["X-Auth-Request-User"]}}),
     {"nginx/auth-url-path-prefixed", "nginx/auth-url-cross-namespace",
      "nginx/auth-url-parameter-lost"}),
    ("auth-url-external-blocks", {"auth-url": "https://auth.example.com/check"},
     {"channel": "experimental"}, lambda c: c.blocked, True, {"nginx/auth-external"}),
    ("auth-tls-blocks", {"auth-tls-secret": "ns/ca", "auth-tls-verify-client": "on"}, {},
     lambda c: c.blocked, True, {"nginx/auth-client-certificate"}),
    ("limit-blocks", {"limit-connections": "5"}, {}, lambda c: c.blocked, True,
     {"nginx/rate-limit"}),
    ("modsecurity-blocks", {"enable-modsecurity": "true"}, {}, lambda c: c.blocked, True,
     {"nginx/waf"}),
    ("satisfy-any-blocks", {"satisfy": "any"}, {}, lambda c: c.blocked, True,
     {"nginx/auth-satisfy"}),
    ("unknown", {"no-such-thing": "1"}, {}, lambda c: c.blocked, False,
     {"nginx/unknown-annotation"}),
    ("reported", {"proxy-body-size": "8m"}, {}, lambda c: c.blocked, False,
     {"nginx/proxy-body-size-not-converted"}),
    ("custom-prefix", {}, {"annotation_prefix": "x.example.com"}, lambda c: c.blocked, False,
     set()),
]

# (id, annotations, extra kwargs, check, expected): the same handlers, values that do nothing.
NOOPS: list[tuple[str, dict[str, str], dict[str, Any], Check, Any]] = [
    ("rewrite-empty", {"rewrite-target": ""}, {}, lambda c: (rule0(c).filters, _path(c)),
     ([], ("PathPrefix", "/"))),
    ("use-regex-false", {"use-regex": "false"}, {"paths": (("/foo", "Exact", "w"),)}, _path,
     ("Exact", "/foo")),
    ("x-forwarded-prefix-alone", {"x-forwarded-prefix": "/p"}, {},
     lambda c: rule0(c).filters, []),
    ("app-root-not-a-path", {"app-root": "https://x"}, {},
     lambda c: len(c.routes[0].rules), 1),
    ("enable-cors-false", {"enable-cors": "false", "cors-allow-origin": "https://a.com"}, {},
     lambda c: rule0(c).filters, []),
    ("ssl-redirect-without-tls", {"ssl-redirect": "true"}, {}, lambda c: len(c.routes), 1),
    ("force-ssl-redirect-false", {"force-ssl-redirect": "false"}, {},
     lambda c: len(c.routes), 1),
    ("from-to-www-false", {"from-to-www-redirect": "false"}, {}, lambda c: len(c.routes), 1),
    ("backend-http", {"backend-protocol": "HTTP"}, {},
     lambda c: (c.routes[0].kind, policies(c)), ("HTTPRoute", [])),
    ("proxy-ssl-without-https", {"proxy-ssl-verify": "on"}, {}, lambda c: policies(c), []),
    ("affinity-none", {"affinity": "none"}, {"channel": "experimental"},
     lambda c: rule0(c).session_persistence, None),
    ("server-alias-taken", {"server-alias": "a.example.com"}, {},
     lambda c: c.routes[0].hostnames, ["a.example.com"]),
    ("global-rate-limit-zero", {"global-rate-limit": "0", "global-rate-limit-window": "1m"}, {},
     lambda c: c.blocked, False),
    ("modsecurity-false", {"enable-modsecurity": "false"}, {}, lambda c: c.blocked, False),
    ("limit-zero", {"limit-rps": "0"}, {}, lambda c: c.blocked, False),
    ("auth-realm-alone", {"auth-realm": "x"}, {}, lambda c: c.blocked, False),
    ("auth-url-empty", {"auth-url": ""}, {"channel": "experimental"},
     lambda c: (c.blocked, rule0(c).filters), (False, [])),
    ("satisfy-all", {"satisfy": "all"}, {}, lambda c: c.blocked, False),
    ("canary-weight-without-canary", {"canary-weight": "10"}, {},
     lambda c: [b.weight for b in rule0(c).backends], [None]),
    ("reported-default", {"proxy-buffering": "off"}, {}, lambda c: c.notes, []),
]


@pytest.mark.parametrize(("anns", "kw", "check", "want", "want_codes"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_handler(anns: dict[str, str], kw: dict[str, Any], check: Check, want: Any,
                 want_codes: set[str]) -> None:
    kw = dict(kw)
    prefix = kw.get("annotation_prefix")
    conv = one(anns, **kw)
    assert check(conv) == want
    assert want_codes <= codes(conv)
    if prefix is None:
        assert all(f"nginx.ingress.kubernetes.io/{k}" in conv.consumed_annotations for k in anns)


@pytest.mark.parametrize(("anns", "kw", "check", "want"), [c[1:] for c in NOOPS],
                         ids=[c[0] for c in NOOPS])
def test_handler_noop(anns: dict[str, str], kw: dict[str, Any], check: Check, want: Any) -> None:
    conv = one(anns, **kw)
    assert check(conv) == want
    assert not conv.blocked


# --- cross-Ingress features --------------------------------------------------------------


def test_ssl_redirect_from_tls_of_another_ingress() -> None:
    main, other = refine(ingress("main", tls=True), ingress("api", paths=(("/api", "Prefix", "a"),)))
    for conv in (main, other):
        route, redirect = conv.routes
        assert [lk.protocol for lk in route.listeners] == ["HTTPS"]
        assert redirect.suffix == "redirect"
        assert [lk.protocol for lk in redirect.listeners] == ["HTTP"]
        assert redirect.rules[0].backends == []
        assert redirect.rules[0].filters == [
            {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 308}}]
        assert redirect.rules[0].matches[0].path == route.rules[0].matches[0].path


def test_ssl_redirect_false_serves_http_too() -> None:
    conv = refine(ingress(tls=True, annotations={"ssl-redirect": "false"}))[0]
    assert len(conv.routes) == 1
    assert sorted(lk.protocol for lk in conv.routes[0].listeners) == ["HTTP", "HTTPS"]


def test_force_ssl_redirect_without_tls_matches_forwarded_proto() -> None:
    conv = refine(ingress(annotations={"force-ssl-redirect": "true"}))[0]
    first = conv.routes[0].rules[0]
    assert first.matches[0].headers == [{"name": "X-Forwarded-Proto", "value": "http"}]
    assert "nginx/force-ssl-redirect-without-tls" in codes(conv)


def test_use_regex_is_host_wide() -> None:
    _a, b = refine(ingress("a", annotations={"use-regex": "true"}, paths=(("/x", "Prefix", "x"),)),
                  ingress("b", paths=(("/y", "Exact", "y"),)))
    assert rule0(b).matches[0].path_type == "RegularExpression"
    assert rule0(b).matches[0].path == "(?i)^/y.*"


def test_use_regex_splits_route_with_mixed_hosts() -> None:
    obj = ingress("a", paths=(("/x", "Prefix", "x"),))
    obj["spec"]["rules"].append(dict(obj["spec"]["rules"][0], host="b.example.com"))
    other = ingress("r", host="b.example.com", annotations={"use-regex": "true"},
                    paths=(("/z", "Prefix", "z"),))
    conv = refine(obj, other)[0]
    by_host = {tuple(r.hostnames): r.rules[0].matches[0].path_type for r in conv.routes}
    assert by_host == {("a.example.com",): "PathPrefix", ("b.example.com",): "RegularExpression"}


def test_implementation_specific_refined() -> None:
    conv = one({}, paths=(("/files/", "ImplementationSpecific", "f"), ("/img", None, "i")))
    assert "nginx/implementation-specific-string-prefix" in codes(conv)
    assert "ingress/path-type-implementation-specific" not in codes(conv)


def test_canary_weight_and_header_merge_into_primary() -> None:
    primary, can = refine(
        ingress("main", paths=(("/", "Prefix", "v1"),)),
        ingress("can", paths=(("/", "Prefix", "v2"),),
                annotations={"canary": "true", "canary-weight": "30",
                             "canary-by-header": "X-C", "canary-by-header-value": "yes"}))
    assert can.routes == []
    rules = primary.routes[0].rules
    assert [(m.headers, [b.name for b in r.backends]) for r in rules for m in r.matches] == [
        ([{"type": "Exact", "name": "X-C", "value": "yes"}], ["v2"]),
        ([], ["v1", "v2"]),
    ]
    assert [b.weight for b in rules[1].backends] == [70, 30]
    assert "nginx/canary-merged" in codes(can)


def test_canary_always_never_and_cookie() -> None:
    primary, _ = refine(
        ingress("main", paths=(("/", "Prefix", "v1"),)),
        ingress("can", paths=(("/", "Prefix", "v2"),),
                annotations={"canary": "true", "canary-by-header": "X-C",
                             "canary-by-cookie": "beta"}))
    values = [(m.headers[0]["value"], [b.name for b in r.backends])
              for r in primary.routes[0].rules for m in r.matches if m.headers]
    assert values[:2] == [("always", ["v2"]), ("never", ["v1"])]
    assert "beta=always" in values[2][0] and values[2][1] == ["v2"]


def test_canary_without_primary_is_kept() -> None:
    (can,) = refine(ingress("can", annotations={"canary": "true", "canary-weight": "10"}))
    assert can.blocked and codes(can) == {"nginx/canary-without-primary"}
    assert all(n.severity is Severity.WARNING for n in can.notes)


def test_canary_path_type_must_match() -> None:
    primary, can = refine(ingress("main", paths=(("/", "Exact", "v1"),)),
                          ingress("can", annotations={"canary": "true", "canary-weight": "5"}))
    assert "nginx/canary-without-primary" in codes(can)
    assert [b.weight for b in rule0(primary).backends] == [None]


def test_custom_headers_from_configmap() -> None:
    cm = {"metadata": {"name": "h", "namespace": "ns"}, "data": {"X-A": "1"}}
    conv = refine(ingress(annotations={"custom-headers": "h"}), configmaps=(cm,))[0]
    assert filters(conv)["ResponseHeaderModifier"]["responseHeaderModifier"] == {
        "set": [{"name": "X-A", "value": "1"}]}
    missing = refine(ingress(annotations={"custom-headers": "nope"}))[0]
    assert missing.blocked and "nginx/custom-headers-configmap-missing" in codes(missing)


def test_from_to_www_redirect() -> None:
    conv = one({"from-to-www-redirect": "true"}, host="example.com")
    www = next(r for r in conv.routes if r.suffix.endswith("www-redirect"))
    assert www.hostnames == ["www.example.com"]
    assert www.rules[0].filters[0]["requestRedirect"] == {"hostname": "example.com",
                                                         "statusCode": 308}


def test_ssl_passthrough_becomes_tlsroute() -> None:
    conv = one({"ssl-passthrough": "true", "rewrite-target": "/"})
    route = conv.routes[0]
    assert route.kind == "TLSRoute" and [lk.protocol for lk in route.listeners] == ["TLS"]
    assert route.rules[0].matches == [] and route.rules[0].filters == []


def test_ssl_passthrough_warns_about_ignored_security_annotation() -> None:
    conv = one({"ssl-passthrough": "true", "whitelist-source-range": "10.0.0.0/8"})
    assert not conv.blocked and conv.routes[0].kind == "TLSRoute"
    warned = [n for n in conv.notes if n.code == "nginx/passthrough-ignores-security-annotation"]
    assert [n.field for n in warned] == [
        "metadata.annotations[nginx.ingress.kubernetes.io/whitelist-source-range]"]


def test_ssl_passthrough_without_security_annotation_gives_no_such_warning() -> None:
    conv = one({"ssl-passthrough": "true", "proxy-body-size": "8m"})
    assert "nginx/passthrough-ignores-security-annotation" not in codes(conv)


def test_custom_prefix_reads_only_that_prefix() -> None:
    obj = ingress(annotations={"rewrite-target": "/ignored"})
    obj["metadata"]["annotations"]["x.example.com/rewrite-target"] = "/used"
    conv = refine(obj, annotation_prefix="x.example.com")[0]
    assert filters(conv)["URLRewrite"]["urlRewrite"]["path"]["replaceFullPath"] == "/used"
    assert "x.example.com/rewrite-target" in conv.consumed_annotations
    assert "nginx.ingress.kubernetes.io/rewrite-target" not in conv.consumed_annotations


def test_canary_kept_when_primary_kept() -> None:
    primary, can = refine(ingress("main", annotations={"server-snippet": "deny all;"}),
                          ingress("can", annotations={"canary": "true", "canary-weight": "5"}))
    assert primary.blocked and can.blocked
    assert "nginx/canary-primary-kept" in codes(can)


def test_second_canary_is_reported() -> None:
    _, _, second = refine(ingress("main"),
                          ingress("c1", annotations={"canary": "true", "canary-weight": "5"}),
                          ingress("c2", annotations={"canary": "true", "canary-weight": "9"}))
    assert "nginx/canary-duplicate" in codes(second)


def test_canary_on_shared_rule_is_reported() -> None:
    obj = ingress("main")
    obj["spec"]["rules"].append(dict(obj["spec"]["rules"][0], host="b.example.com"))
    _, can = refine(obj, ingress("can", annotations={"canary": "true", "canary-weight": "5"}))
    assert "nginx/canary-shared-rule" in codes(can)


def test_certificate_of_a_kept_ingress_still_reaches_the_gateway() -> None:
    # The kept Ingress's Secret exists, so the shared HTTPS listener can serve it and the
    # other Ingress of the host redirects HTTP as nginx would.
    _, b = refine(ingress("a", tls=True, annotations={"server-snippet": "deny all;"}),
                  ingress("b", paths=(("/b", "Prefix", "b"),)))
    assert sorted(r.suffix for r in b.routes) == ["", "redirect"]
    assert "nginx/ssl-redirect-no-certificate" not in codes(b)


# --- issue 19: durations bounded where they are read, with a note that says so ----------------------


@pytest.mark.parametrize("value", ["99999999999", "1" * 5000, "²", "1m"])
def test_timeout_note_names_the_bound(value: str) -> None:
    conv = one({"proxy-read-timeout": value})
    assert rule0(conv).timeouts == {"request": "2m5s", "backendRequest": "2m5s"}
    (note,) = [n for n in conv.notes if n.code == "nginx/invalid-value"]
    assert "is not whole seconds up to 99999999" in note.message and len(note.message) < 200


def test_timeout_at_the_bound_converts_without_a_note() -> None:  # must-not-change twin
    conv = one({"proxy-read-timeout": "99999999"})
    assert rule0(conv).timeouts == {"request": "27777h47m44s", "backendRequest": "27777h47m44s"}
    assert "nginx/invalid-value" not in codes(conv)


@pytest.mark.parametrize(("anns", "expected"), [
    ({"session-cookie-max-age": "100000000"}, None),
    ({"session-cookie-max-age": "1" * 5000}, None),
    ({"session-cookie-max-age": "²", "session-cookie-expires": "3600"}, "1h"),
    ({"session-cookie-expires": "99999999999"}, None)])
def test_cookie_lifetime_that_is_no_bounded_seconds_is_noted(anns: dict[str, str],
                                                             expected: str | None) -> None:
    conv = one({"affinity": "cookie", **anns}, channel="experimental")
    sp = rule0(conv).session_persistence
    assert sp is not None and sp.get("absoluteTimeout") == expected
    (note,) = [n for n in conv.notes if n.code == "nginx/invalid-value"]
    assert "up to 99999999" in note.message and len(note.message) < 200
    assert note.field.endswith(("session-cookie-max-age]", "session-cookie-expires]"))


@pytest.mark.parametrize(("anns", "expected"), [
    ({"session-cookie-max-age": "99999999"}, "27777h46m39s"),
    ({"session-cookie-max-age": "60", "session-cookie-expires": "3600"}, "1m"),
    ({"session-cookie-expires": "3600s"}, "1h")])
def test_cookie_lifetime_in_range_converts(anns: dict[str, str], expected: str) -> None:  # twin
    conv = one({"affinity": "cookie", **anns}, channel="experimental")
    sp = rule0(conv).session_persistence
    assert sp is not None and sp["absoluteTimeout"] == expected
    assert "nginx/invalid-value" not in codes(conv)
