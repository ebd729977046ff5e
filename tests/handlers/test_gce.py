"""GCE / GKE dialect: paths, addresses, certificates, listeners, FrontendConfig, BackendConfig."""

from __future__ import annotations

import json
from typing import Any

import pytest
from gwshift.context import Context
from gwshift.handlers.gce import TABLE, group_key
from gwshift.intents import GatewayAddress, ListenerTLSOption, Opaque
from gwshift.model import Conversion
from gwshift.settings import Settings

from .test_alb import build, codes, ingress, listeners, route


def gce(annotations: dict[str, str] | None = None, extra: tuple[dict[str, Any], ...] = (),
        cls: str = "gce", **kw: Any) -> Conversion:
    settings = {k: kw.pop(k) for k in ("gateway_class_map", "allow_insecure_drop") if k in kw}
    obj = ingress(annotations=annotations, cls=cls, class_annotation=True, **kw)
    return build("gce", obj, extra=extra, **settings)[0]


def service(name: str, annotations: dict[str, str], ns: str = "ns") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "annotations": annotations},
            "spec": {"ports": [{"name": "http", "port": 80}]}}


def backend_config(name: str, spec: dict[str, Any], ns: str = "ns") -> dict[str, Any]:
    return {"apiVersion": "cloud.google.com/v1", "kind": "BackendConfig",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def frontend_config(name: str, spec: dict[str, Any], ns: str = "ns") -> dict[str, Any]:
    return {"apiVersion": "networking.gke.io/v1beta1", "kind": "FrontendConfig",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


@pytest.mark.parametrize(("path", "expected"), [
    ("/*", ("PathPrefix", "/")), ("/api/*", ("PathPrefix", "/api")), ("/api", ("Exact", "/api"))])
def test_implementation_specific_paths(path: str, expected: tuple[str, str]) -> None:
    conv = gce(paths=((path, "ImplementationSpecific", "web", 80),))
    m = conv.routes[0].rules[0].matches[0]
    assert (m.path_type, m.path) == expected
    assert "ingress/path-type-implementation-specific" not in codes(conv)


def test_inner_wildcard_path_blocks() -> None:
    conv = gce(paths=(("/a*b", "ImplementationSpecific", "web", 80),))
    assert conv.blocked and "gce/invalid-path" in codes(conv)


def test_static_ip_is_a_named_address() -> None:
    conv = gce({"kubernetes.io/ingress.global-static-ip-name": "web-ip"})
    (addr,) = conv.gateway_intents
    assert isinstance(addr, GatewayAddress) and (addr.type, addr.value) == ("NamedAddress", "web-ip")
    assert "gce/gateway-class" in codes(conv)  # info: which GatewayClass emit chose


def test_regional_ip_for_internal_and_global_ignored_there() -> None:
    conv = gce({"kubernetes.io/ingress.regional-static-ip-name": "r-ip",
                "kubernetes.io/ingress.global-static-ip-name": "g-ip"}, cls="gce-internal")
    addrs = [i.value for i in conv.gateway_intents if isinstance(i, GatewayAddress)]
    assert addrs == ["r-ip"] and "gce/static-ip-scope" in codes(conv)


def test_mapped_gateway_class_needs_no_hint() -> None:  # must-not-change twin
    conv = gce(gateway_class_map=(("gce", "gke-l7-global-external-managed"),))
    assert conv.gateway_intents == [] and not conv.notes


# --- class-less GKE Ingresses and the GatewayClass per dialect ------------------------------


def _select(annotations: dict[str, str], cls: str | None = None,
            default: str | None = None, **settings: Any) -> str | None:
    from gwshift.convert import new_conversion
    from gwshift.handlers import select_dialect
    from gwshift.parse import parse_ingress

    ing, _ = parse_ingress(ingress(annotations=annotations, cls=cls), 0)
    assert ing is not None
    ctx = Context(Settings(**settings), {})
    ctx.default_ingress_class = default
    return select_dialect(new_conversion(ing, ctx), ctx)


@pytest.mark.parametrize("key", ["kubernetes.io/ingress.global-static-ip-name",
                                 "kubernetes.io/ingress.regional-static-ip-name",
                                 "kubernetes.io/ingress.allow-http",
                                 "networking.gke.io/v1beta1.FrontendConfig",
                                 "ingress.gcp.kubernetes.io/pre-shared-cert"])
def test_classless_ingress_with_gke_annotations_is_gce(key: str) -> None:
    assert _select({key: "x"}) == "gce"


@pytest.mark.parametrize(("annotations", "kw"), [
    ({}, {}),  # no controller annotation: as before
    ({"example.com/team": "a"}, {}),
    # two controllers' annotations: which one served it is a guess
    ({"kubernetes.io/ingress.global-static-ip-name": "x", "alb.ingress.kubernetes.io/scheme": "internal"}, {}),
    # a default IngressClass in the stream decides, not the annotations
    ({"kubernetes.io/ingress.global-static-ip-name": "x"}, {"default": "other"}),
    # an explicit class decides
    ({"kubernetes.io/ingress.global-static-ip-name": "x"}, {"cls": "other"}),
    # --dialect none
    ({"kubernetes.io/ingress.global-static-ip-name": "x"}, {"dialect": "none"}),
])
def test_classless_selection_twins_stay_as_today(annotations: dict[str, str],
                                                 kw: dict[str, Any]) -> None:
    assert _select(annotations, **kw) is None


@pytest.mark.parametrize(("annotations", "kw", "expected"), [
    ({"alb.ingress.kubernetes.io/scheme": "internal"}, {}, "alb"),
    ({"traefik.ingress.kubernetes.io/router.entrypoints": "web"}, {}, "traefik"),
    ({"nginx.ingress.kubernetes.io/rewrite-target": "/"}, {}, "nginx"),
    # ingress-nginx under another --annotation-prefix: its own prefix is what counts
    ({"custom.example/rewrite-target": "/"}, {"annotation_prefix": "custom.example"}, "nginx"),
    ({"nginx.ingress.kubernetes.io/rewrite-target": "/"}, {"annotation_prefix": "custom.example"},
     None),
])
def test_classless_ingress_of_other_dialects(annotations: dict[str, str], kw: dict[str, Any],
                                             expected: str | None) -> None:
    assert _select(annotations, **kw) == expected


def _gateway_class(text: str, **settings: Any) -> list[str]:
    import yaml
    from gwshift.core import transform

    out = transform(text, Settings(**settings))
    return [d["spec"]["gatewayClassName"] for d in yaml.safe_load_all(out.text)
            if d and d["kind"] == "Gateway"]


def _doc(annotations: dict[str, str], cls: str | None = None) -> str:
    import yaml

    return yaml.safe_dump(ingress(annotations=annotations, cls=cls, class_annotation=True))


@pytest.mark.parametrize(("cls", "annotations", "expected"), [
    ("gce", {}, "gke-l7-global-external-managed"),
    ("gce-internal", {}, "gke-l7-rilb"),
    (None, {"kubernetes.io/ingress.global-static-ip-name": "ip"}, "gke-l7-global-external-managed"),
    (None, {}, "default"),  # twin: no dialect, no default class
    ("alb", {}, "alb"),  # twin: the ALB dialect has no conventional GatewayClass
])
def test_gateway_class_per_dialect(cls: str | None, annotations: dict[str, str],
                                   expected: str) -> None:
    assert _gateway_class(_doc(annotations, cls)) == [expected]


@pytest.mark.parametrize("mapping", [(("gce", "mine"),), (("*", "mine"),)])
def test_explicit_gateway_class_wins_over_the_dialect_default(
        mapping: tuple[tuple[str, str], ...]) -> None:
    assert _gateway_class(_doc({}, "gce"), gateway_class_map=mapping) == ["mine"]


def test_pre_shared_cert_is_a_listener_option_with_https() -> None:
    conv = gce({"ingress.gcp.kubernetes.io/pre-shared-cert": "a, b"})
    opt = next(i for i in conv.gateway_intents if isinstance(i, ListenerTLSOption))
    assert (opt.key, opt.value) == ("networking.gke.io/pre-shared-certs", "a,b")
    assert listeners(conv.routes[0]) == [("HTTP", 80), ("HTTPS", 443)]


def test_allow_http_false_drops_http() -> None:
    conv = gce({"kubernetes.io/ingress.allow-http": "false"},
               tls=[{"hosts": ["a.example.com"], "secretName": "a-tls"}])
    assert listeners(conv.routes[0]) == [("HTTPS", 443)] and not conv.blocked


def test_allow_http_false_without_certificate_blocks() -> None:
    conv = gce({"kubernetes.io/ingress.allow-http": "false"})
    assert conv.blocked and "gce/no-listener" in codes(conv)


def test_allow_http_true_changes_nothing() -> None:  # must-not-change twin
    conv = gce({"kubernetes.io/ingress.allow-http": "true"})
    assert listeners(conv.routes[0]) == [("HTTP", 80)]


def test_frontend_config_redirect_code() -> None:
    fc = frontend_config("fc", {"redirectToHttps": {"enabled": True, "responseCodeName": "FOUND"},
                                "sslPolicy": "modern"})
    conv = gce({"networking.gke.io/v1beta1.FrontendConfig": "fc"}, extra=(fc,),
               tls=[{"hosts": ["a.example.com"], "secretName": "a-tls"}])
    assert listeners(route(conv)) == [("HTTPS", 443)]
    red = route(conv, "redirect")
    assert listeners(red) == [("HTTP", 80)]
    assert red.rules[0].filters[0]["requestRedirect"] == {"scheme": "https", "statusCode": 302}
    assert any(isinstance(i, Opaque) and i.name == "ssl-policy" for i in conv.gateway_intents)


def test_frontend_config_without_redirect_changes_nothing() -> None:  # must-not-change twin
    fc = frontend_config("fc", {"redirectToHttps": {"enabled": False}})
    conv = gce({"networking.gke.io/v1beta1.FrontendConfig": "fc"}, extra=(fc,))
    assert [r.suffix for r in conv.routes] == [""]


def test_missing_frontend_config_is_reported() -> None:
    conv = gce({"networking.gke.io/v1beta1.FrontendConfig": "nope"})
    assert "gce/frontendconfig-missing" in codes(conv) and not conv.blocked


def test_managed_certificates_reported() -> None:
    conv = gce({"networking.gke.io/managed-certificates": "cert"})
    assert "gce/managed-certificates" in codes(conv)


def test_backend_config_is_one_intent_per_service() -> None:
    svc = service("web", {"cloud.google.com/backend-config": json.dumps({"ports": {"http": "bc"}})})
    bc = backend_config("bc", {"timeoutSec": 40, "iap": {"enabled": True},
                               "securityPolicy": {"name": "armor"},
                               "sessionAffinity": {"affinityType": "GENERATED_COOKIE",
                                                   "affinityCookieTtlSec": 50},
                               "cdn": {"enabled": True},
                               "customRequestHeaders": {"headers": ["X-A:1"]}})
    conv = gce(extra=(svc, bc))
    rule = conv.routes[0].rules[0]
    by_name = {i.name: i for i in rule.intents if isinstance(i, Opaque)}
    policy, cdn = by_name["backend-config"], by_name["backend-config.cdn"]
    assert isinstance(policy, Opaque) and policy.name == "backend-config"
    assert policy.by.security and policy.by.code == "gce/iap"
    assert json.loads(policy.value)["spec"] == {
        "timeoutSec": 40, "iap": {"enabled": True}, "securityPolicy": {"name": "armor"},
        "sessionAffinity": {"affinityType": "GENERATED_COOKIE", "affinityCookieTtlSec": 50}}
    assert isinstance(cdn, Opaque) and cdn.name == "backend-config.cdn" and not cdn.by.security
    assert rule.filters == [{"type": "RequestHeaderModifier", "requestHeaderModifier": {
        "set": [{"name": "X-A", "value": "1"}]}}]


def test_backend_config_without_access_control_is_a_setting() -> None:
    svc = service("web", {"cloud.google.com/backend-config": '{"default": "bc"}'})
    conv = gce(extra=(svc, backend_config("bc", {"timeoutSec": 40})))
    (policy,) = conv.routes[0].rules[0].intents
    assert isinstance(policy, Opaque) and not policy.by.security


def test_missing_backend_config_fails_closed() -> None:
    svc = service("web", {"cloud.google.com/backend-config": '{"default": "gone"}'})
    conv = gce(extra=(svc,))
    assert conv.blocked and "gce/backendconfig-missing" in codes(conv)
    allowed = gce(extra=(svc,), allow_insecure_drop=frozenset({"gce/backendconfig-missing"}))
    assert not allowed.blocked


def test_service_without_backend_config_changes_nothing() -> None:  # must-not-change twin
    conv = gce(extra=(service("web", {}),))
    assert conv.routes[0].rules[0].intents == [] and codes(conv) == {"gce/gateway-class"}


def test_one_gateway_per_ingress() -> None:
    a, b = build("gce", ingress("a", cls="gce", class_annotation=True),
                 ingress("b", cls="gce", class_annotation=True))
    ctx = Context(Settings(), {})
    assert group_key(a, ctx) != group_key(b, ctx)


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("value", ["true", "false", "", "garbage value", "{]"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    conv = gce({name: value})
    assert name in conv.consumed_annotations
    assert "gce/unknown-annotation" not in codes(conv)


def test_backend_config_with_yaml_dates_does_not_crash() -> None:
    import datetime

    svc = service("web", {"cloud.google.com/backend-config": '{"default": "bc"}'})
    bc = backend_config("bc", {"healthCheck": {"since": datetime.date(2001, 12, 14)}})
    conv = gce(extra=(svc, bc))
    (intent,) = conv.routes[0].rules[0].intents
    assert isinstance(intent, Opaque) and "2001-12-14" in intent.value
