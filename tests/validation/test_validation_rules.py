"""One invalid object per rule family, rejected with the rule's own message, and its valid twin.

Messages are the CRD's (CEL ``message``) or the apiserver's wording for OpenAPI errors; the
assertions use a stable substring of them plus the field path.
"""

from __future__ import annotations

import copy
import sys
from typing import Any, NamedTuple

import pytest
from gwshift.validation import validate_objects
from gwshift.validation.engine import CEL_SKIPPED

GW = "gateway.networking.k8s.io/v1"

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="cel-expr-python needs Python >= 3.11"
)


def svc(port: int | None = 80, **extra: Any) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": "svc", **extra}
    if port is not None:
        ref["port"] = port
    return ref


def route(rules: list[dict[str, Any]] | None = None, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": GW,
        "kind": "HTTPRoute",
        "metadata": {"name": "r", "namespace": "ns"},
        "spec": {
            "parentRefs": [{"name": "gw"}],
            "rules": rules if rules is not None else [{"backendRefs": [svc()]}],
            **spec,
        },
    }


def rule(
    filters: list[dict[str, Any]] | None = None, matches: Any = None, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"backendRefs": [svc()], **extra}
    if filters is not None:
        out["filters"] = filters
    if matches is not None:
        out["matches"] = matches
    return out


def prefix(value: str = "/a") -> dict[str, Any]:
    return {"path": {"type": "PathPrefix", "value": value}}


def exact(value: str = "/a") -> dict[str, Any]:
    return {"path": {"type": "Exact", "value": value}}


def redirect(**fields: Any) -> dict[str, Any]:
    return {"type": "RequestRedirect", "requestRedirect": fields or {"scheme": "https"}}


def rewrite_prefix(to: str = "/b") -> dict[str, Any]:
    return {
        "type": "URLRewrite",
        "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": to}},
    }


def req_headers(**mod: Any) -> dict[str, Any]:
    return {
        "type": "RequestHeaderModifier",
        "requestHeaderModifier": mod or {"set": [{"name": "x", "value": "1"}]},
    }


def mirror(**fields: Any) -> dict[str, Any]:
    return {"type": "RequestMirror", "requestMirror": {"backendRef": svc(), **fields}}


def cors(**fields: Any) -> dict[str, Any]:
    return {"type": "CORS", "cors": fields}


def listener(
    name: str = "http", protocol: str = "HTTP", port: int = 80, **extra: Any
) -> dict[str, Any]:
    return {"name": name, "protocol": protocol, "port": port, **extra}


def tls_cert(mode: str = "Terminate") -> dict[str, Any]:
    return {"mode": mode, "certificateRefs": [{"name": "cert"}]}


def gateway(listeners: list[dict[str, Any]] | None = None, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": GW,
        "kind": "Gateway",
        "metadata": {"name": "gw", "namespace": "ns"},
        "spec": {"gatewayClassName": "gc", "listeners": listeners or [listener()], **spec},
    }


def tlsroute(hostnames: list[str]) -> dict[str, Any]:
    return {
        "apiVersion": GW,
        "kind": "TLSRoute",
        "metadata": {"name": "t", "namespace": "ns"},
        "spec": {
            "parentRefs": [{"name": "gw"}],
            "hostnames": hostnames,
            "rules": [{"backendRefs": [svc(443)]}],
        },
    }


def xbackend(port_name: str) -> dict[str, Any]:
    return {
        "apiVersion": "gateway.networking.x-k8s.io/v1alpha1",
        "kind": "XBackend",
        "metadata": {"name": "b", "namespace": "ns"},
        "spec": {
            "type": "ExternalHostname",
            "externalHostname": {"hostname": "api.example.com"},
            "port": {"port": 443, "name": port_name},
        },
    }


def with_meta(obj: dict[str, Any], **meta: Any) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj["metadata"].update(meta)
    return obj


def matches_total(n: int, per_rule: int = 43) -> list[dict[str, Any]]:
    rules, left = [], n
    while left:
        take = min(per_rule, left)
        rules.append(rule(matches=[prefix(f"/m{left}-{i}") for i in range(take)]))
        left -= take
    return rules


class Case(NamedTuple):
    id: str
    invalid: dict[str, Any]
    field: str
    message: str  # stable substring of the rule's own message
    valid: dict[str, Any]
    channel: str = "standard"


RULE = "spec.rules[0]"
FILTERS = "spec.rules[0].filters"

CASES = [
    Case(
        "redirect-with-backendRefs",
        route([rule([redirect()])]),
        RULE,
        "RequestRedirect filter must not be used together with backendRefs",
        route([{"filters": [redirect()]}]),
    ),
    Case(
        "rewrite-prefix-needs-one-pathprefix",
        route([rule([rewrite_prefix()], [exact()])]),
        RULE,
        "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match",
        route([rule([rewrite_prefix()], [prefix()])]),
    ),
    Case(
        "rewrite-prefix-two-matches",
        route([rule([rewrite_prefix()], [prefix("/a"), prefix("/b")])]),
        RULE,
        "exactly one PathPrefix match must be specified",
        route([rule([rewrite_prefix()], [prefix("/a")])]),
    ),
    Case(
        "redirect-prefix-needs-one-pathprefix",
        route(
            [
                {
                    "matches": [exact()],
                    "filters": [
                        redirect(path={"type": "ReplacePrefixMatch", "replacePrefixMatch": "/x"})
                    ],
                }
            ]
        ),
        RULE,
        "When using RequestRedirect filter with path.replacePrefixMatch",
        route(
            [
                {
                    "matches": [prefix()],
                    "filters": [
                        redirect(path={"type": "ReplacePrefixMatch", "replacePrefixMatch": "/x"})
                    ],
                }
            ]
        ),
    ),
    Case(
        "backendref-rewrite-prefix",
        route([{"matches": [exact()], "backendRefs": [svc(filters=[rewrite_prefix()])]}]),
        RULE,
        "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch",
        route([{"matches": [prefix()], "backendRefs": [svc(filters=[rewrite_prefix()])]}]),
    ),
    Case(
        "service-backendref-without-port",
        route([{"backendRefs": [svc(None)]}]),
        "spec.rules[0].backendRefs[0]",
        "Must have port for Service reference",
        route([{"backendRefs": [svc(None, group="example.com", kind="Bucket")]}]),
    ),
    Case(
        "mirror-backendref-without-port",
        route([rule([{"type": "RequestMirror", "requestMirror": {"backendRef": svc(None)}}])]),
        "spec.rules[0].filters[0].requestMirror.backendRef",
        "Must have port for Service reference",
        route([rule([mirror()])]),
    ),
    Case(
        "duplicate-listener-names",
        gateway([listener("a"), listener("a", port=8080)]),
        "spec.listeners",
        "Listener name must be unique within the Gateway",
        gateway([listener("a"), listener("b", port=8080)]),
    ),
    Case(
        "duplicate-listener-port-protocol-hostname",
        gateway([listener("a"), listener("b")]),
        "spec.listeners",
        "Combination of port, protocol and hostname must be unique",
        gateway([listener("a"), listener("b", hostname="b.example.com")]),
    ),
    Case(
        "bad-hostname",
        route(hostnames=["Foo.example.com"]),
        "spec.hostnames[0]",
        "should match '^(\\*\\.)?[a-z0-9]",
        route(hostnames=["foo.example.com", "*.example.org"]),
    ),
    Case("unknown-field", route(foo=1), "spec.foo", "unknown field", route()),
    Case(
        "unknown-nested-field",
        route([rule(matches=[{"path": {"type": "PathPrefix", "value": "/", "regex": True}}])]),
        "spec.rules[0].matches[0].path.regex",
        "unknown field",
        route([rule(matches=[prefix("/")])]),
    ),
    Case(
        "relative-path",
        route([rule(matches=[prefix("foo")])]),
        "spec.rules[0].matches[0].path",
        "value must be an absolute path and start with '/'",
        route([rule(matches=[prefix("/foo")])]),
    ),
    Case(
        "path-double-slash",
        route([rule(matches=[exact("/a//b")])]),
        "spec.rules[0].matches[0].path",
        "must not contain '//'",
        route([rule(matches=[exact("/a/b")])]),
    ),
    Case(
        "path-invalid-character",
        route([rule(matches=[prefix("/a b")])]),
        "spec.rules[0].matches[0].path",
        "must only contain valid characters",
        route([rule(matches=[{"path": {"type": "RegularExpression", "value": "/a b"}}])]),
    ),
    Case(
        "17-rules",
        route([rule() for _ in range(17)]),
        "spec.rules",
        "Too many: 17: must have at most 16 items",
        route([rule() for _ in range(16)]),
    ),
    Case(
        "129-matches",
        route(matches_total(129)),
        "spec.rules",
        "the total number of matches across all rules in a route must be less than 128",
        route(matches_total(128)),
    ),
    Case(
        "repeated-request-header-modifier",
        route([rule([req_headers(), req_headers(add=[{"name": "y", "value": "2"}])])]),
        FILTERS,
        "RequestHeaderModifier filter cannot be repeated",
        route(
            [
                rule(
                    [
                        req_headers(
                            set=[{"name": "x", "value": "1"}], add=[{"name": "y", "value": "2"}]
                        )
                    ]
                )
            ]
        ),
    ),
    Case(
        "repeated-urlrewrite",
        route([rule([rewrite_prefix(), rewrite_prefix("/c")], [prefix()])]),
        FILTERS,
        "URLRewrite filter cannot be repeated",
        route([rule([rewrite_prefix()], [prefix()])]),
    ),
    Case(
        "redirect-and-rewrite",
        route([{"matches": [prefix()], "filters": [redirect(), rewrite_prefix()]}]),
        FILTERS,
        "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite",
        route([{"matches": [prefix()], "filters": [redirect()]}]),
    ),
    Case(
        "filter-type-without-member",
        route([rule([{"type": "RequestHeaderModifier"}])]),
        "spec.rules[0].filters[0]",
        "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type",
        route([rule([req_headers()])]),
    ),
    Case(
        "filter-member-with-other-type",
        route(
            [
                rule(
                    [
                        {
                            "type": "ResponseHeaderModifier",
                            "responseHeaderModifier": {"remove": ["x"]},
                            "requestHeaderModifier": {"remove": ["x"]},
                        }
                    ]
                )
            ]
        ),
        "spec.rules[0].filters[0]",
        "filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier",
        route(
            [
                rule(
                    [
                        {
                            "type": "ResponseHeaderModifier",
                            "responseHeaderModifier": {"remove": ["x"]},
                        }
                    ]
                )
            ]
        ),
    ),
    Case(
        "cors-wildcard-mixed",
        route([rule([cors(allowOrigins=["*", "https://a.example.com"])])]),
        "spec.rules[0].filters[0].cors.allowOrigins",
        "AllowOrigins cannot contain '*' alongside other origins",
        route([rule([cors(allowOrigins=["*"])])]),
    ),
    Case(
        "cors-repeated",
        route([rule([cors(allowOrigins=["*"]), cors(allowMethods=["GET"])])]),
        FILTERS,
        "CORS filter cannot be repeated",
        route([rule([cors(allowOrigins=["*"], allowMethods=["GET"])])]),
    ),
    Case(
        "mirror-percent-and-fraction",
        route([rule([mirror(percent=10, fraction={"numerator": 1})])]),
        "spec.rules[0].filters[0].requestMirror",
        "Only one of percent or fraction may be specified",
        route([rule([mirror(fraction={"numerator": 1})])]),
    ),
    Case(
        "mirror-fraction-over-one",
        route([rule([mirror(fraction={"numerator": 3, "denominator": 2})])]),
        "spec.rules[0].filters[0].requestMirror.fraction",
        "numerator must be less than or equal to denominator",
        route([rule([mirror(fraction={"numerator": 2, "denominator": 2})])]),
    ),
    Case(
        "timeouts-backend-longer",
        route([rule(timeouts={"request": "10s", "backendRequest": "1m"})]),
        "spec.rules[0].timeouts",
        "backendRequest timeout cannot be longer than request timeout",
        route([rule(timeouts={"request": "0s", "backendRequest": "1m"})]),
    ),
    Case(
        "timeout-bad-duration",
        route([rule(timeouts={"request": "1d"})]),
        "spec.rules[0].timeouts.request",
        "should match",
        route([rule(timeouts={"request": "24h"})]),
    ),
    Case(
        "duplicate-parentref",
        route(parentRefs=[{"name": "gw"}, {"name": "gw"}]),
        "spec.parentRefs",
        "sectionName must be unique when parentRefs includes 2 or more references",
        route(parentRefs=[{"name": "gw", "sectionName": "a"}, {"name": "gw", "sectionName": "b"}]),
    ),
    Case(
        "duplicate-header-match",
        route(
            [
                rule(
                    matches=[
                        {"headers": [{"name": "x", "value": "1"}, {"name": "x", "value": "2"}]}
                    ]
                )
            ]
        ),
        "spec.rules[0].matches[0].headers[1]",
        'Duplicate value: {"name":"x"}',
        route(
            [
                rule(
                    matches=[
                        {"headers": [{"name": "x", "value": "1"}, {"name": "y", "value": "2"}]}
                    ]
                )
            ]
        ),
    ),
    Case(
        "redirect-status-code",
        route([{"filters": [redirect(statusCode=300)]}]),
        "spec.rules[0].filters[0].requestRedirect.statusCode",
        "Unsupported value: 300",
        route([{"filters": [redirect(statusCode=308)]}]),
    ),
    Case(
        "weight-too-large",
        route([{"backendRefs": [svc(weight=1_000_001)]}]),
        "spec.rules[0].backendRefs[0].weight",
        "should be less than or equal to 1000000",
        route([{"backendRefs": [svc(weight=1_000_000)]}]),
    ),
    Case(
        "int32-format",
        route([rule([cors(maxAge=2**31)])]),
        "spec.rules[0].filters[0].cors.maxAge",
        "must be of type int32",
        route([rule([cors(maxAge=2**31 - 1)])]),
    ),
    Case(
        "type-error-blocks-cel",
        route([{"backendRefs": [svc(None)], "filters": "oops"}]),
        "spec.rules[0].filters",
        "must be of type array",
        route([{"backendRefs": [svc()], "filters": []}]),
    ),
    Case(
        "tls-on-http-listener",
        gateway([listener(tls=tls_cert())]),
        "spec.listeners",
        "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
        gateway([listener(protocol="HTTPS", port=443, tls=tls_cert())]),
    ),
    Case(
        "https-passthrough",
        gateway([listener(protocol="HTTPS", port=443, tls={"mode": "Passthrough"})]),
        "spec.listeners",
        "tls mode must be Terminate for protocol HTTPS",
        gateway([listener(protocol="TLS", port=443, tls={"mode": "Passthrough"})]),
    ),
    Case(
        "tls-listener-without-mode",
        gateway([listener(protocol="TLS", port=443)]),
        "spec.listeners",
        "tls mode must be set for protocol TLS",
        gateway([listener(protocol="TLS", port=443, tls={"mode": "Passthrough"})]),
    ),
    Case(
        "terminate-without-certificates",
        gateway([listener(protocol="HTTPS", port=443, tls={"mode": "Terminate"})]),
        "spec.listeners[0].tls",
        "certificateRefs or options must be specified when mode is Terminate",
        gateway([listener(protocol="HTTPS", port=443, tls=tls_cert())]),
    ),
    Case(
        "hostname-on-tcp-listener",
        gateway([listener("t", "TCP", 9000, hostname="a.example.com")]),
        "spec.listeners",
        "hostname must not be specified for protocols ['TCP', 'UDP']",
        gateway([listener("t", "TCP", 9000)]),
    ),
    Case(
        "gateway-bad-ip-address",
        gateway(addresses=[{"type": "IPAddress", "value": "10.0.0.300"}]),
        "spec.addresses[0]",
        "must validate one and only one schema (oneOf)",
        gateway(addresses=[{"type": "IPAddress", "value": "10.0.0.30"}]),
    ),
    Case(
        "gateway-duplicate-ip",
        gateway(addresses=[{"value": "10.0.0.1"}, {"value": "10.0.0.1"}]),
        "spec.addresses",
        "IPAddress values must be unique",
        gateway(addresses=[{"value": "10.0.0.1"}, {"value": "10.0.0.2"}]),
    ),
    Case(
        "gateway-infrastructure-label-key",
        gateway(infrastructure={"labels": {"-bad": "x"}}),
        "spec.infrastructure.labels",
        "Label keys must be in the form of an optional DNS subdomain prefix",
        gateway(infrastructure={"labels": {"example.com/good": "x"}}),
    ),
    Case(
        "tlsroute-ip-hostname",
        tlsroute(["10.0.0.1"]),
        "spec.hostnames",
        "Hostnames cannot contain an IP",
        tlsroute(["tls.example.com"]),
    ),
    Case(
        "metadata-name",
        with_meta(route(), name="Bad_Name"),
        "metadata.name",
        "a lowercase RFC 1123 subdomain",
        route(),
    ),
    Case(
        "referencegrant-without-spec",
        {"apiVersion": GW, "kind": "ReferenceGrant", "metadata": {"name": "g", "namespace": "ns"}},
        "spec",
        "Required value",
        {
            "apiVersion": GW,
            "kind": "ReferenceGrant",
            "metadata": {"name": "g", "namespace": "ns"},
            "spec": {
                "from": [{"group": GW.split("/")[0], "kind": "HTTPRoute", "namespace": "a"}],
                "to": [{"group": "", "kind": "Service"}],
            },
        },
    ),
    Case(
        "kind-not-served",
        {"apiVersion": GW, "kind": "BackendLBPolicy", "metadata": {"name": "x"}},
        "apiVersion",
        "is not served by the standard channel of Gateway API v1.6.1",
        route(),
    ),
    Case(
        "version-not-served",
        {**tlsroute(["a.example.com"]), "apiVersion": "gateway.networking.k8s.io/v1alpha2"},
        "apiVersion",
        "v1alpha2 TLSRoute is not served by the standard channel",
        tlsroute(["a.example.com"]),
    ),
    Case(
        "retry-is-experimental",
        route([rule(retry={"attempts": 2})]),
        "spec.rules[0].retry",
        "unknown field",
        route([rule()]),
    ),
    # Experimental-channel rules.
    Case(
        "experimental-retry-attempts",
        route([rule(retry={"attempts": 0})]),
        "spec.rules[0].retry.attempts",
        "should be greater than or equal to 1",
        route([rule(retry={"attempts": 1, "codes": [502, 503]})]),
        "experimental",
    ),
    Case(
        "experimental-retry-codes-unique",
        route([rule(retry={"codes": [503, 503]})]),
        "spec.rules[0].retry.codes[1]",
        "Duplicate value: 503",
        route([rule(retry={"codes": [503]})]),
        "experimental",
    ),
    Case(
        "experimental-rule-name-unique",
        route([rule(name="a"), rule(name="a")]),
        "spec.rules",
        "Rule name must be unique within the route",
        route([rule(name="a"), rule(name="b")]),
        "experimental",
    ),
    Case(
        "experimental-parentref-port",
        route(parentRefs=[{"name": "gw", "port": 80}, {"name": "gw", "port": 80}]),
        "spec.parentRefs",
        "sectionName or port must be unique",
        route(parentRefs=[{"name": "gw", "port": 80}, {"name": "gw", "port": 443}]),
        "experimental",
    ),
    Case(
        "experimental-xbackend-dns-label",
        xbackend("Bad_Name"),
        "spec.port.name",
        "Name must be a valid DNS label",
        xbackend("https"),
        "experimental",
    ),
    Case(
        "xk8s-group-not-in-standard",
        xbackend("https"),
        "apiVersion",
        "kind XBackend of group gateway.networking.x-k8s.io is not served by the standard channel",
        route(),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_invalid_object_rejected_with_rule_message(case: Case) -> None:
    violations = validate_objects([case.invalid], channel=case.channel)
    hits = [v for v in violations if v.field == case.field and case.message in v.message]
    assert hits, f"expected {case.field}: ...{case.message}... in {violations}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_valid_twin_accepted(case: Case) -> None:
    assert validate_objects([case.valid], channel=case.channel) == []


def test_blocking_schema_error_skips_cel() -> None:
    """A type error stops CEL (apiserver hasBlockingErr): no port error, one notice."""
    bad = route([{"backendRefs": [svc(None)], "filters": "oops"}])
    messages = [v.message for v in validate_objects([bad])]
    assert CEL_SKIPPED in messages
    assert not any("Must have port" in m for m in messages)


def test_pattern_error_does_not_skip_cel() -> None:
    bad = route([{"backendRefs": [svc(None)]}], hostnames=["UPPER.example.com"])
    messages = [v.message for v in validate_objects([bad])]
    assert any("Must have port" in m for m in messages)
    assert CEL_SKIPPED not in messages


def test_defaults_applied_before_cel() -> None:
    # group/kind default to ""/Service, so the port rule applies without them written.
    assert validate_objects([route([{"backendRefs": [{"name": "svc"}]}])])
    # rule without matches defaults to PathPrefix "/": ReplacePrefixMatch is then allowed.
    assert validate_objects([route([rule([rewrite_prefix()])])]) == []


def test_nulls_are_pruned() -> None:
    obj = route([{"backendRefs": [svc()], "filters": None, "matches": None}], hostnames=None)
    assert validate_objects([obj]) == []


def test_violation_carries_object_identity() -> None:
    objs = [{"apiVersion": "v1", "kind": "ConfigMap"}, route(foo=1)]
    (v,) = validate_objects(objs)
    assert (v.index, v.kind, v.namespace, v.name, v.field) == (
        1,
        "HTTPRoute",
        "ns",
        "r",
        "spec.foo",
    )


def test_non_gateway_objects_ignored() -> None:
    objs: list[Any] = [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress"}, "text", None, {}]
    assert validate_objects(objs) == []


def test_bad_channel_or_version() -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        validate_objects([route()], channel="beta")
    with pytest.raises(ValueError, match="no bundle for Gateway API v0.9.9"):
        validate_objects([route()], version="0.9.9")
