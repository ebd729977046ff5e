"""Implementation CRDs: a realistic valid object and invalid twins per bundled API group.

Each invalid twin changes one thing of its valid sample and must be rejected at the right
field with the CRD's own message (CEL ``message``) or the apiserver's wording for OpenAPI
errors. Every bundle with CEL rules has at least one CEL violation here (``cel=True``).
The samples are what the ``--target`` emitters are meant to write (issue 18).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from gwshift.validation import Violation, bundled_crds, is_checked, validate_objects
from gwshift.validation.engine import CEL_SKIPPED

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="cel-expr-python needs Python >= 3.11"
)

Obj = dict[str, Any]
ROUTE_REF = {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "web"}


def obj(api_version: str, kind: str, spec: Obj, **top: Any) -> Obj:
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": spec,
        **top,
    }


# --- valid samples, one or more per group -------------------------------------------------------

ENVOY_SECURITY = obj(
    "gateway.envoyproxy.io/v1alpha1",
    "SecurityPolicy",
    {
        "targetRefs": [ROUTE_REF],
        "authorization": {
            "defaultAction": "Deny",
            "rules": [
                {
                    "name": "allow-office",
                    "action": "Allow",
                    "principal": {"clientCIDRs": ["10.0.0.0/8", "2001:db8::/32"]},
                }
            ],
        },
        "basicAuth": {"users": {"name": "web-basic-auth"}},
    },
)
ENVOY_TRAFFIC = obj(
    "gateway.envoyproxy.io/v1alpha1",
    "BackendTrafficPolicy",
    {
        "targetRefs": [ROUTE_REF],
        "rateLimit": {
            "type": "Local",
            "local": {
                "rules": [
                    {
                        "clientSelectors": [{"sourceCIDR": {"type": "Distinct", "value": "0.0.0.0/0"}}],
                        "limit": {"requests": 10, "unit": "Second"},
                    }
                ]
            },
        },
        "timeout": {"http": {"requestTimeout": "30s"}},
    },
)
ENVOY_CLIENT = obj(
    "gateway.envoyproxy.io/v1alpha1",
    "ClientTrafficPolicy",
    {
        "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}],
        "connection": {"bufferLimit": "1Mi"},
    },
)
ENVOY_FILTER = obj(
    "gateway.envoyproxy.io/v1alpha1",
    "HTTPRouteFilter",
    {
        "urlRewrite": {
            "path": {
                "type": "ReplaceRegexMatch",
                "replaceRegexMatch": {"pattern": "^/api/(.*)", "substitution": "/\\1"},
            }
        }
    },
)
ENVOY_BACKEND = obj(
    "gateway.envoyproxy.io/v1alpha1",
    "Backend",
    {"endpoints": [{"fqdn": {"hostname": "auth.example.com", "port": 443}}]},
)
NGF_RATE_LIMIT = obj(
    "gateway.nginx.org/v1alpha1",
    "RateLimitPolicy",
    {
        "targetRefs": [ROUTE_REF],
        "rateLimit": {
            "local": {"rules": [{"key": "$binary_remote_addr", "rate": "10r/s", "burst": 50}]}
        },
    },
)
NGF_AUTH = obj(
    "gateway.nginx.org/v1alpha1",
    "AuthenticationFilter",
    {"type": "Basic", "basic": {"secretRef": {"name": "web-basic-auth"}, "realm": "Shop"}},
)
NGF_CLIENT = obj(
    "gateway.nginx.org/v1alpha1",
    "ClientSettingsPolicy",
    {"targetRef": ROUTE_REF, "body": {"maxSize": "10m"}},
)
TRAEFIK_ALLOW = obj(
    "traefik.io/v1alpha1",
    "Middleware",
    {"ipAllowList": {"sourceRange": ["10.0.0.0/8", "192.168.1.7"]}},
)
TRAEFIK_PREFIX = obj("traefik.io/v1alpha1", "Middleware", {"addPrefix": {"prefix": "/api"}})
KONG_PLUGIN = {
    "apiVersion": "configuration.konghq.com/v1",
    "kind": "KongPlugin",
    "metadata": {"name": "web-rate-limit", "namespace": "shop"},
    "plugin": "rate-limiting",
    "config": {"second": 10, "limit_by": "ip", "policy": "local"},
}
KONG_CLUSTER_PLUGIN = {
    "apiVersion": "configuration.konghq.com/v1",
    "kind": "KongClusterPlugin",
    "metadata": {"name": "ip-allow"},
    "plugin": "ip-restriction",
    "config": {"allow": ["10.0.0.0/8"]},
}
ISTIO_AUTHZ = obj(
    "security.istio.io/v1",
    "AuthorizationPolicy",
    {
        "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "gw"}],
        "action": "ALLOW",
        "rules": [{"from": [{"source": {"ipBlocks": ["10.0.0.0/8"]}}], "to": [{"operation": {"hosts": ["shop.example.com"]}}]}],
    },
)
ISTIO_DR = obj(
    "networking.istio.io/v1",
    "DestinationRule",
    {
        "host": "web.shop.svc.cluster.local",
        "trafficPolicy": {
            "loadBalancer": {"consistentHash": {"httpCookie": {"name": "route", "ttl": "3600s"}}},
            "outlierDetection": {"interval": "10s", "baseEjectionTime": "30s"},
        },
    },
)
ISTIO_JWT = obj(
    "security.istio.io/v1",
    "RequestAuthentication",
    {
        "selector": {"matchLabels": {"app": "web"}},
        "jwtRules": [{"issuer": "https://idp.example.com", "jwksUri": "https://idp.example.com/jwks"}],
    },
)
GKE_BACKEND = obj(
    "networking.gke.io/v1",
    "GCPBackendPolicy",
    {
        "default": {"timeoutSec": 60, "securityPolicy": "office-only", "logging": {"enabled": True}},
        "targetRef": {"group": "", "kind": "Service", "name": "web"},
    },
)
GKE_HEALTH = obj(
    "networking.gke.io/v1",
    "HealthCheckPolicy",
    {
        "default": {"config": {"type": "HTTP", "httpHealthCheck": {"requestPath": "/healthz"}}},
        "targetRef": {"group": "", "kind": "Service", "name": "web"},
    },
)
AWS_TG = obj(
    "gateway.k8s.aws/v1",
    "TargetGroupConfiguration",
    {
        "targetReference": {"name": "web"},
        "defaultConfiguration": {
            "targetType": "ip",
            "healthCheckConfig": {"healthCheckPath": "/healthz", "healthCheckProtocol": "HTTP"},
        },
    },
)
AWS_LB = obj(
    "gateway.k8s.aws/v1",
    "LoadBalancerConfiguration",
    {"scheme": "internet-facing", "ipAddressType": "dualstack"},
)

VALID = {
    "envoy-security": ENVOY_SECURITY,
    "envoy-traffic": ENVOY_TRAFFIC,
    "envoy-client": ENVOY_CLIENT,
    "envoy-filter": ENVOY_FILTER,
    "envoy-backend": ENVOY_BACKEND,
    "ngf-rate-limit": NGF_RATE_LIMIT,
    "ngf-auth": NGF_AUTH,
    "ngf-client": NGF_CLIENT,
    "traefik-allow": TRAEFIK_ALLOW,
    "traefik-prefix": TRAEFIK_PREFIX,
    "kong-plugin": KONG_PLUGIN,
    "kong-cluster-plugin": KONG_CLUSTER_PLUGIN,
    "istio-authz": ISTIO_AUTHZ,
    "istio-dr": ISTIO_DR,
    "istio-jwt": ISTIO_JWT,
    "gke-backend": GKE_BACKEND,
    "gke-health": GKE_HEALTH,
    "aws-tg": AWS_TG,
    "aws-lb": AWS_LB,
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_sample(name: str) -> None:
    assert validate_objects([VALID[name]]) == []


def test_every_bundled_group_has_a_valid_sample() -> None:
    groups = {b.group for b in bundled_crds()}
    sampled = {o["apiVersion"].split("/")[0] for o in VALID.values()}
    assert groups <= sampled


# --- invalid twins -------------------------------------------------------------------------------


class Bad(NamedTuple):
    base: Obj
    change: Callable[[Obj], None]
    field: str
    message: str  # stable substring
    cel: bool  # the violation comes from an x-kubernetes-validations rule


def _set(path: str, value: Any) -> Callable[[Obj], None]:
    def change(o: Obj) -> None:
        *head, last = path.split(".")
        node: Any = o
        for part in head:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


_DELETE = object()

BAD = {
    # Envoy Gateway
    "envoy-security-target-kind": Bad(
        ENVOY_SECURITY,
        _set("spec.targetRefs", [{**ROUTE_REF, "kind": "Service"}]),
        "spec",
        "this policy can only have a targetRefs[*].kind of Gateway/ListenerSet/HTTPRoute",
        True,
    ),
    "envoy-security-empty-principal": Bad(
        ENVOY_SECURITY,
        _set("spec.authorization.rules.0.principal", {}),
        "spec.authorization.rules[0].principal",
        "at least one of clientCIDRs, jwt, headers, or clientIPGeoLocations must be specified",
        True,
    ),
    "envoy-security-bad-cidr": Bad(
        ENVOY_SECURITY,
        _set("spec.authorization.rules.0.principal.clientCIDRs", ["10.0.0.0"]),
        "spec.authorization.rules[0].principal.clientCIDRs[0]",
        "should match",
        False,
    ),
    "envoy-security-bad-action": Bad(
        ENVOY_SECURITY,
        _set("spec.authorization.defaultAction", "Reject"),
        "spec.authorization.defaultAction",
        'Unsupported value: "Reject"',
        False,
    ),
    "envoy-traffic-no-target": Bad(
        ENVOY_TRAFFIC,
        _set("spec.targetRefs", _DELETE),
        "spec",
        "either targetRef or targetRefs must be used",
        True,
    ),
    "envoy-traffic-buffer-and-upgrade": Bad(
        ENVOY_TRAFFIC,
        _set(
            "spec",
            {
                **ENVOY_TRAFFIC["spec"],
                "requestBuffer": {"limit": "1Mi"},
                "httpUpgrade": [{"type": "websocket"}],
            },
        ),
        "spec",
        "requestBuffer",
        True,
    ),
    "envoy-client-route-target": Bad(
        ENVOY_CLIENT,
        _set("spec.targetRefs", [ROUTE_REF]),
        "spec",
        "this policy can only have a targetRefs[*].kind of Gateway or ListenerSet",
        True,
    ),
    "envoy-filter-regex-type-without-regex": Bad(
        ENVOY_FILTER,
        _set("spec.urlRewrite.path.replaceRegexMatch", _DELETE),
        "spec.urlRewrite.path",
        "If HTTPPathModifier type is ReplaceRegexMatch, replaceRegexMatch field needs to be set.",
        True,
    ),
    "envoy-backend-two-addresses": Bad(
        ENVOY_BACKEND,
        _set(
            "spec.endpoints",
            [{"fqdn": {"hostname": "auth.example.com", "port": 443}, "ip": {"address": "10.0.0.1", "port": 443}}],
        ),
        "spec.endpoints[0]",
        "only one of fqdn, ip or unix can be specified",
        True,
    ),
    # NGINX Gateway Fabric
    "ngf-rate-limit-nodelay-and-delay": Bad(
        NGF_RATE_LIMIT,
        _set(
            "spec.rateLimit.local.rules",
            [{"key": "$binary_remote_addr", "rate": "10r/s", "noDelay": True, "delay": 5}],
        ),
        "spec.rateLimit.local.rules[0]",
        "NoDelay cannot be true when Delay is also set",
        True,
    ),
    "ngf-rate-limit-duplicate-target": Bad(
        NGF_RATE_LIMIT,
        _set("spec.targetRefs", [ROUTE_REF, ROUTE_REF]),
        "spec.targetRefs",
        "TargetRef Kind and Name combination must be unique",
        True,
    ),
    "ngf-rate-limit-bad-rate": Bad(
        NGF_RATE_LIMIT,
        _set("spec.rateLimit.local.rules.0.rate", "10/s"),
        "spec.rateLimit.local.rules[0].rate",
        "should match",
        False,
    ),
    "ngf-auth-basic-without-basic": Bad(
        NGF_AUTH,
        _set("spec.basic", _DELETE),
        "spec",
        "type Basic requires spec.basic to be set",
        True,
    ),
    "ngf-client-service-target": Bad(
        NGF_CLIENT,
        _set("spec.targetRef", {"group": "gateway.networking.k8s.io", "kind": "Service", "name": "web"}),
        "spec.targetRef",
        "TargetRef Kind must be one of: Gateway, HTTPRoute, or GRPCRoute",
        True,
    ),
    # Traefik
    "traefik-prefix-relative": Bad(
        TRAEFIK_PREFIX,
        _set("spec.addPrefix.prefix", "api"),
        "spec.addPrefix.prefix",
        "must start with a '/'",
        True,
    ),
    "traefik-allow-not-a-list": Bad(
        TRAEFIK_ALLOW,
        _set("spec.ipAllowList.sourceRange", "10.0.0.0/8"),
        "spec.ipAllowList.sourceRange",
        "must be of type array",
        False,
    ),
    "traefik-unknown-middleware": Bad(
        TRAEFIK_ALLOW,
        _set("spec.ipDenyList", {"sourceRange": ["10.0.0.0/8"]}),
        "spec.ipDenyList",
        "unknown field",
        False,
    ),
    # Kong
    "kong-config-and-config-from": Bad(
        KONG_PLUGIN,
        _set("configFrom", {"secretKeyRef": {"name": "s", "key": "k"}}),
        "",
        "Using both config and configFrom fields is not allowed.",
        True,
    ),
    "kong-bad-protocol": Bad(
        KONG_PLUGIN,
        _set("protocols", ["ws"]),
        "protocols[0]",
        'Unsupported value: "ws"',
        False,
    ),
    # Istio
    "istio-authz-selector-and-target": Bad(
        ISTIO_AUTHZ,
        _set("spec.selector", {"matchLabels": {"app": "web"}}),
        "spec",
        "only one of targetRefs or selector can be set",
        True,
    ),
    "istio-authz-bad-action": Bad(
        ISTIO_AUTHZ,
        _set("spec.action", "ALLOW_ALL"),
        "spec.action",
        'Unsupported value: "ALLOW_ALL"',
        False,
    ),
    "istio-dr-zero-interval": Bad(
        ISTIO_DR,
        _set("spec.trafficPolicy.outlierDetection.interval", "0s"),
        "spec.trafficPolicy.outlierDetection.interval",
        "must be a valid duration greater than 1ms",
        True,
    ),
    "istio-jwt-ftp-uri": Bad(  # the Kubernetes URL library: url(self).getScheme()
        ISTIO_JWT,
        _set("spec.jwtRules.0.jwksUri", "ftp://idp.example.com/jwks"),
        "spec.jwtRules[0].jwksUri",
        "url must have scheme http:// or https://",
        True,
    ),
    "istio-jwt-relative-uri": Bad(
        ISTIO_JWT,
        _set("spec.jwtRules.0.jwksUri", "idp.example.com/jwks"),
        "spec.jwtRules[0].jwksUri",
        "URL parse error",
        True,
    ),
    # GKE (no CEL rules in these CRDs)
    "gke-backend-no-target": Bad(
        GKE_BACKEND,
        _set("spec.targetRef", _DELETE),
        "spec.targetRef",
        "Required value",
        False,
    ),
    "gke-backend-bad-affinity": Bad(
        GKE_BACKEND,
        _set("spec.default.sessionAffinity", {"type": "COOKIE"}),
        "spec.default.sessionAffinity.type",
        "Unsupported value",
        False,
    ),
    # AWS Load Balancer Controller
    "aws-tg-bad-target-type": Bad(
        AWS_TG,
        _set("spec.defaultConfiguration.targetType", "pod"),
        "spec.defaultConfiguration.targetType",
        'Unsupported value: "pod"',
        False,
    ),
    "aws-lb-verify-without-truststore": Bad(
        AWS_LB,
        _set("spec.listenerConfigurations", [{"protocolPort": "HTTPS:443", "mutualAuthentication": {"mode": "verify"}}]),
        "spec.listenerConfigurations[0].mutualAuthentication",
        "trustStore is required when mutualAuthentication mode is 'verify'",
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_invalid_twin(name: str) -> None:
    bad = BAD[name]
    broken = copy.deepcopy(bad.base)
    bad.change(broken)
    found = validate_objects([broken])
    # Exactly the one intended violation (plus the apiserver's "rules not checked" line
    # after a blocking schema error): a twin must not pass for a collateral reason.
    [only] = [v for v in found if v.message != CEL_SKIPPED]
    assert (only.field, only.kind) == (bad.field, bad.base["kind"]) and bad.message in only.message
    assert isinstance(only, Violation)


def test_every_bundle_with_cel_rules_has_a_cel_violation_sample() -> None:
    # Per API group, not only per project (Istio has two groups with rules).
    with_rules = {b.group for b in bundled_crds() if b.cel_rules}
    covered = {b.base["apiVersion"].split("/")[0] for b in BAD.values() if b.cel}
    assert with_rules <= covered


def test_every_bundled_group_has_an_invalid_sample() -> None:
    groups = {b.group for b in bundled_crds()}
    assert groups <= {b.base["apiVersion"].split("/")[0] for b in BAD.values()}


# --- lookup by group, version and kind ----------------------------------------------------------


def test_unserved_version_of_a_bundled_kind() -> None:
    wrong = {**TRAEFIK_ALLOW, "apiVersion": "traefik.io/v1alpha2"}
    [v] = validate_objects([wrong])
    assert v.field == "apiVersion"
    assert "not served by the bundled CRDs of traefik-v3.7.9" in v.message
    assert "served versions: v1alpha1" in v.message


def test_unknown_kind_of_a_bundled_group() -> None:
    # gwshift emits only bundled kinds: a typo must not pass as "not validated".
    wrong = {**KONG_PLUGIN, "kind": "KongPlugins"}
    [v] = validate_objects([wrong])
    assert v.field == "apiVersion" and "kind KongPlugins" in v.message and "KongPlugin" in v.message


def test_older_served_version_shares_the_schema() -> None:
    old = {**ISTIO_DR, "apiVersion": "networking.istio.io/v1beta1"}
    assert validate_objects([old]) == []
    broken = copy.deepcopy(old)
    broken["spec"]["trafficPolicy"]["outlierDetection"]["interval"] = "0s"
    assert [v.field for v in validate_objects([broken])] == [
        "spec.trafficPolicy.outlierDetection.interval"
    ]


def test_other_groups_and_core_kinds_are_not_looked_at() -> None:
    others: list[Obj] = [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": "x"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "x"}},
        {"apiVersion": "gateway.example.com/v1", "kind": "Policy", "spec": 1},
    ]
    assert validate_objects(others) == []
    assert not any(is_checked(o) for o in others)
    assert is_checked(KONG_PLUGIN) and is_checked(ENVOY_SECURITY)


def test_channel_and_version_do_not_change_implementation_results() -> None:
    broken = copy.deepcopy(TRAEFIK_PREFIX)
    broken["spec"]["addPrefix"]["prefix"] = "api"
    std = validate_objects([broken])
    assert std and validate_objects([broken], channel="experimental") == std


def test_metadata_checked_for_implementation_kinds() -> None:
    broken = copy.deepcopy(NGF_AUTH)
    broken["metadata"]["name"] = "Web_Auth"
    assert [v.field for v in validate_objects([broken])] == ["metadata.name"]


# --- hostile shapes -----------------------------------------------------------------------------


def _paths(o: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(o, dict):
        for key, value in o.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(o, list):
        for index, value in enumerate(o):
            out += _paths(value, (*prefix, index))
    return out


def test_mangled_samples_never_crash_nor_change_input() -> None:
    """Any shape yields violations, never an exception (seeded, reproducible); the
    samples are the shared-free counterpart of the upstream-corpus test."""
    import random

    rnd = random.Random(20261129)
    junk: list[Any] = [
        None, 0, -1, 2**70, 1.5, True, "", "x", "__", [], {}, [None], {"a": None},
        "10.0.0.1", "0s", "-1s", "1h30m", "ftp://x", "/", "a b", "\u2028", ["a", "a"],
        [{"kind": "Gateway"}], {"type": "ReplaceRegexMatch"},
    ]
    pool = list(VALID.values())
    mangled = []
    for _ in range(600):
        o = copy.deepcopy(rnd.choice(pool))
        for _ in range(rnd.randint(1, 3)):
            paths = _paths(o)
            if not paths:
                break
            *parents, last = rnd.choice(paths)
            target: Any = o
            for key in parents:
                target = target[key]
            target[last] = copy.deepcopy(rnd.choice(junk))
        mangled.append(o)
    before = copy.deepcopy(mangled)
    found = validate_objects(mangled)
    assert mangled == before
    assert {v.index for v in found} and all(isinstance(v, Violation) for v in found)


def test_integers_beyond_int64_are_json_floats() -> None:
    # The apiserver decodes them as float64: fine in free-form config (Kong), no integer
    # for a `type: integer` field, and never a CEL evaluation error.
    kong = copy.deepcopy(KONG_PLUGIN)
    kong["config"]["second"] = 2**70
    assert validate_objects([kong]) == []
    ngf = copy.deepcopy(NGF_RATE_LIMIT)
    ngf["spec"]["rateLimit"]["local"]["rules"][0]["burst"] = 2**70
    found = validate_objects([ngf])
    assert ("spec.rateLimit.local.rules[0].burst", "must be of type integer") in {
        (v.field, v.message.rsplit(": ", 1)[-1]) for v in found
    }
    assert not any("could not be evaluated" in v.message for v in found)
