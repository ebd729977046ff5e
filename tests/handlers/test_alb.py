"""ALB dialect: value -> emitted IR -> notes, each rewrite with a must-not-change twin.

``build`` is shared by the tests of this area's other dialects (GCE, F5 NGINX, HAProxy).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.handlers import load
from gwshift.handlers.alb import TABLE, group_key
from gwshift.handlers.alb.paths import from_pattern
from gwshift.intents import IPAccess, Opaque
from gwshift.model import Conversion, Route
from gwshift.parse import parse_ingress
from gwshift.settings import Settings
from hypothesis import given, settings
from hypothesis import strategies as st

P = "alb.ingress.kubernetes.io/"
SSL_ACTION = json.dumps({"Type": "redirect", "RedirectConfig": {
    "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}})


def ingress(name: str = "web", annotations: dict[str, str] | None = None,
            host: str | None = "a.example.com",
            paths: tuple[tuple[str, str | None, str, int | str], ...] = (("/", "Prefix", "web", 80),),
            cls: str | None = "alb", ns: str = "ns", tls: list[dict[str, Any]] | None = None,
            class_annotation: bool = False) -> dict[str, Any]:
    rule: dict[str, Any] = {"http": {"paths": [
        {"path": p, **({"pathType": t} if t else {}),
         "backend": {"service": {"name": svc, "port": (
             {"number": port} if isinstance(port, int) else {"name": port})}}}
        for p, t, svc, port in paths]}}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"rules": [rule]}
    anns = dict(annotations or {})
    if cls and class_annotation:
        anns["kubernetes.io/ingress.class"] = cls
    elif cls:
        spec["ingressClassName"] = cls
    if tls:
        spec["tls"] = tls
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns, "annotations": anns}, "spec": spec}


def build(dialect: str, *objs: dict[str, Any], extra: tuple[dict[str, Any], ...] = (),
          **settings: Any) -> list[Conversion]:
    """Parse, plan neutrally, refine with ``dialect`` (extra: Services, BackendConfigs ...)."""
    def finder(kind: str) -> Any:
        def find(ns: str | None, name: str) -> dict[str, Any] | None:
            for o in extra:
                meta = o["metadata"]
                if o["kind"] == kind and meta["name"] == name and meta.get("namespace") == ns:
                    return o
            return None
        return find

    kinds = ("Service", "ConfigMap", "FrontendConfig", "BackendConfig")
    ctx = Context(Settings(**settings), {k: finder(k) for k in kinds})
    convs = []
    for i, obj in enumerate(objs):
        ing, _ = parse_ingress(obj, i)
        assert ing is not None
        convs.append(new_conversion(ing, ctx))
    ctx.conversions = convs
    for conv in convs:
        conv.dialect, conv.dialect_paths = dialect, True
        build_routes(conv, ctx)
    load(dialect).refine(convs, ctx)
    return convs


def one(dialect: str, obj: dict[str, Any], **kw: Any) -> Conversion:
    return build(dialect, obj, **kw)[0]


def codes(conv: Conversion) -> set[str]:
    return {n.code for n in conv.notes}


def route(conv: Conversion, suffix: str = "") -> Route:
    return next(r for r in conv.routes if r.suffix == suffix)


def alb(annotations: dict[str, str], **kw: Any) -> Conversion:
    return one("alb", ingress(annotations={P + k: v for k, v in annotations.items()}, **kw))


def listeners(r: Route) -> list[tuple[str, int]]:
    return sorted((k.protocol, k.port) for k in r.listeners)


# --- path patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "expected"), [
    ("/*", ("PathPrefix", "/")),
    ("/api/*", ("PathPrefix", "/api")),
    ("/api", ("Exact", "/api")),
    ("/a*b", ("RegularExpression", "^/a.*b$")),
    ("/v?/x", ("RegularExpression", "^/v./x$")),
])
def test_path_patterns(pattern: str, expected: tuple[str, str]) -> None:
    pm = from_pattern(pattern)
    assert pm is not None and (pm.path_type, pm.value) == expected


def test_path_pattern_must_start_with_slash() -> None:
    assert from_pattern("api/*") is None


def test_implementation_specific_paths_follow_alb_patterns() -> None:
    conv = alb({}, paths=(("/api/*", "ImplementationSpecific", "api", 80),
                          ("/*", "ImplementationSpecific", "web", 80)))
    assert [(m.path_type, m.path) for r in conv.routes[0].rules for m in r.matches] == \
        [("PathPrefix", "/api"), ("PathPrefix", "/")]
    assert "ingress/path-type-implementation-specific" not in codes(conv)
    assert "alb/path-pattern-approximated" in codes(conv)


def test_prefix_paths_are_left_alone() -> None:  # must-not-change twin
    conv = alb({}, paths=(("/api", "Prefix", "api", 80),))
    assert [(m.path_type, m.path) for m in conv.routes[0].rules[0].matches] == \
        [("PathPrefix", "/api")]
    assert not conv.notes


# --- actions ------------------------------------------------------------------------------------


def test_ssl_redirect_action_idiom_splits_listeners() -> None:
    conv = alb({"actions.ssl-redirect": SSL_ACTION,
                "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'},
               paths=(("/*", "ImplementationSpecific", "ssl-redirect", "use-annotation"),
                      ("/*", "ImplementationSpecific", "web", 80)),
               tls=[{"hosts": ["a.example.com"], "secretName": "a-tls"}])
    assert not conv.blocked
    main, redirect = route(conv), route(conv, "redirect")
    assert listeners(main) == [("HTTPS", 443)] and listeners(redirect) == [("HTTP", 80)]
    assert [b.name for r in main.rules for b in r.backends] == ["web"]
    assert redirect.rules[0].filters == [{"type": "RequestRedirect", "requestRedirect": {
        "scheme": "https", "statusCode": 301}}]


def test_forward_weighted_target_groups() -> None:
    action = {"type": "forward", "forwardConfig": {"targetGroups": [
        {"serviceName": "blue", "servicePort": "80", "weight": 90},
        {"serviceName": "green", "servicePort": 8080, "weight": 10}],
        "targetGroupStickinessConfig": {"enabled": True, "durationSeconds": 60}}}
    conv = alb({"actions.split": json.dumps(action)},
               paths=(("/", "Prefix", "split", "use-annotation"),))
    assert [(b.name, b.port, b.weight) for b in conv.routes[0].rules[0].backends] == \
        [("blue", 80, 90), ("green", 8080, 10)]
    assert "alb/stickiness-not-converted" in codes(conv)


def test_redirect_action_fields() -> None:
    action = {"Type": "redirect", "RedirectConfig": {"Host": "new.example.com", "Path": "/x",
                                                     "Port": "8443", "Protocol": "HTTPS",
                                                     "Query": "a=b", "StatusCode": "HTTP_302"}}
    conv = alb({"actions.moved": json.dumps(action)},
               paths=(("/", "Prefix", "moved", "use-annotation"),))
    rule = conv.routes[0].rules[0]
    assert rule.backends == []
    assert rule.filters[0]["requestRedirect"] == {
        "scheme": "https", "hostname": "new.example.com", "port": 8443,
        "path": {"type": "ReplaceFullPath", "replaceFullPath": "/x"}, "statusCode": 302}
    assert "alb/redirect-query" in codes(conv)


def test_fixed_response_is_a_security_intent() -> None:
    action = {"type": "fixed-response", "fixedResponseConfig": {
        "contentType": "text/plain", "statusCode": "403", "messageBody": "no"}}
    conv = alb({"actions.deny": json.dumps(action)},
               paths=(("/admin", "Prefix", "deny", "use-annotation"), ("/", "Prefix", "web", 80)))
    rule = conv.routes[0].rules[0]
    assert rule.backends == []
    (intent,) = rule.intents
    assert isinstance(intent, Opaque) and intent.name == "fixed-response" and intent.by.security
    assert json.loads(intent.value)["statusCode"] == 403


def test_missing_action_keeps_the_ingress() -> None:
    conv = alb({}, paths=(("/", "Prefix", "nothing", "use-annotation"),))
    assert conv.blocked and "alb/action-missing" in codes(conv)


@pytest.mark.parametrize("value", [
    "not json", "[]", '{"type": "teleport"}', '{"type": "forward"}',
    '{"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": 3}]}}',
    '{"type": "redirect", "redirectConfig": {"statusCode": "HTTP_418"}}',
    "[" * 5000 + "]" * 5000, '{"a": "' + "x" * 100_000 + '"}',
    '{"type": "forward", "targetGroupARN": "arn:aws:elasticloadbalancing:x"}',
])
def test_hostile_or_invalid_actions_block_without_traceback(value: str) -> None:
    conv = alb({"actions.x": value}, paths=(("/", "Prefix", "x", "use-annotation"),))
    assert conv.blocked
    assert codes(conv) & {"alb/invalid-action", "alb/action-target-group-arn"}


# --- conditions ---------------------------------------------------------------------------------


def test_conditions_become_matches() -> None:
    conds = [{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Canary",
                                                           "values": ["1", "yes"]}},
             {"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET"]}},
             {"field": "query-string", "queryStringConfig": {"values": [{"key": "v",
                                                                         "value": "2"}]}}]
    conv = alb({"conditions.web": json.dumps(conds)})
    matches = [m.to_dict() for m in conv.routes[0].rules[0].matches]
    assert matches == [
        {"path": {"type": "PathPrefix", "value": "/"}, "headers": [{"name": "X-Canary", "value": v}],
         "queryParams": [{"name": "v", "value": "2"}], "method": "GET"} for v in ("1", "yes")]


def test_source_ip_condition_is_a_rule_intent() -> None:
    conds = [{"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}}]
    conv = alb({"conditions.web": json.dumps(conds)})
    (intent,) = conv.routes[0].rules[0].intents
    assert isinstance(intent, IPAccess) and intent.allow == ("10.0.0.0/8",) and intent.by.security


def test_host_header_condition_covering_the_host_is_redundant() -> None:
    conds = [{"field": "host-header", "hostHeaderConfig": {"values": ["*.example.com"]}}]
    conv = alb({"conditions.web": json.dumps(conds)})
    assert not conv.blocked and len(conv.routes[0].rules) == 1


def test_host_header_condition_on_hostless_rule_blocks() -> None:
    conds = [{"field": "host-header", "hostHeaderConfig": {"values": ["a.example.com"]}}]
    conv = alb({"conditions.web": json.dumps(conds)}, host=None)
    assert conv.blocked and "alb/condition-host-header" in codes(conv)


def test_conditions_of_another_backend_change_nothing() -> None:  # must-not-change twin
    conds = [{"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET"]}}]
    conv = alb({"conditions.other": json.dumps(conds)})
    assert conv.routes[0].rules[0].matches[0].method is None
    assert "alb/annotation-unused" in codes(conv)


# --- listeners, ssl-redirect, rule order -----------------------------------------------------


def test_default_listener_is_https_with_a_certificate() -> None:
    conv = alb({"certificate-arn": "arn:aws:acm:x"})
    assert listeners(conv.routes[0]) == [("HTTPS", 443)]
    cert = next(i for i in conv.gateway_intents if isinstance(i, Opaque) and i.name == "certificate")
    # No Secret: HTTPS would not be served, so the source is kept unless a target expresses it.
    assert cert.by.security and cert.by.code == "alb/https-certificate-from-acm"
    assert json.loads(cert.value) == {"certificateArn": "arn:aws:acm:x", "hosts": ["a.example.com"]}


def test_https_with_a_secret_needs_no_certificate_intent() -> None:  # must-not-change twin
    conv = alb({"listen-ports": '[{"HTTPS": 443}]'},
               tls=[{"hosts": ["a.example.com"], "secretName": "a-tls"}])
    assert not [i for i in conv.gateway_intents if isinstance(i, Opaque)]


def test_default_listener_is_http_without_one() -> None:  # must-not-change twin
    conv = alb({})
    assert listeners(conv.routes[0]) == [("HTTP", 80)] and not conv.notes


def test_https_listener_settings_carry_the_https_ports() -> None:
    conv = alb({"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}, {"HTTPS": 8443}]',
                "certificate-arn": "arn:aws:acm:x, arn:aws:acm:y", "ssl-policy": "P"},
               tls=[{"hosts": ["a.example.com"], "secretName": "a-tls"}])
    settings = {i.name: json.loads(i.value) for i in conv.gateway_intents
                if isinstance(i, Opaque) and i.name in ("certificate-arn", "ssl-policy")}
    assert settings == {"certificate-arn": {"value": "arn:aws:acm:x, arn:aws:acm:y",
                                            "ports": [443, 8443]},
                        "ssl-policy": {"value": "P", "ports": [443, 8443]}}
    assert not any(i.by.security for i in conv.gateway_intents)


def test_https_settings_without_an_https_listener_are_ignored() -> None:  # must-not-change twin
    conv = alb({"listen-ports": '[{"HTTP": 80}]', "ssl-policy": "P"})
    assert conv.gateway_intents == [] and "alb/no-https-listener" in codes(conv)
    assert not conv.blocked


def test_authentication_precedes_a_fixed_response_too() -> None:
    action = {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}}
    conv = alb({"actions.down": json.dumps(action), "auth-type": "cognito",
                "auth-idp-cognito": '{"userPoolARN": "a", "userPoolClientID": "b", '
                                    '"userPoolDomain": "c"}'},
               paths=(("/down", "Prefix", "down", "use-annotation"), ("/", "Prefix", "web", 80)))
    fixed, forward = conv.routes[0].rules
    assert [i.name for i in conv.routes[0].intents] == ["auth"]
    assert [i.name for i in fixed.intents] == ["auth", "fixed-response"]
    assert forward.intents == []  # the route-wide intent reaches forwarding rules itself


def test_invalid_listen_ports_block() -> None:
    conv = alb({"listen-ports": '[{"HTTP": "eighty"}]'})
    assert conv.blocked and "alb/invalid-listen-ports" in codes(conv)


def test_ssl_redirect_annotation_applies_to_the_whole_group() -> None:
    a = ingress("a", {P + "group.name": "shop", P + "ssl-redirect": "443",
                      P + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'})
    b = ingress("b", {P + "group.name": "shop", P + "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'},
                host="b.example.com", ns="other")
    convs = build("alb", a, b)
    for conv in convs:
        assert listeners(route(conv)) == [("HTTPS", 443)]
        assert listeners(route(conv, "redirect")) == [("HTTP", 80)]
    assert "alb/ssl-redirect-from-group" in codes(convs[1])


def test_rule_covered_by_an_earlier_rule_is_dropped() -> None:
    conv = alb({}, paths=(("/*", "ImplementationSpecific", "web", 80),
                          ("/api/*", "ImplementationSpecific", "api", 80)))
    assert [b.name for r in conv.routes[0].rules for b in r.backends] == ["web"]
    assert "alb/rule-shadowed" in codes(conv)


def test_more_specific_rule_first_is_kept() -> None:  # must-not-change twin
    conv = alb({}, paths=(("/api/*", "ImplementationSpecific", "api", 80),
                          ("/*", "ImplementationSpecific", "web", 80)))
    assert [b.name for r in conv.routes[0].rules for b in r.backends] == ["api", "web"]


def test_group_order_drops_rules_an_earlier_member_covers() -> None:
    first = ingress("first", {P + "group.name": "g", P + "group.order": "1"})
    second = ingress("second", {P + "group.name": "g", P + "group.order": "2"})
    convs = build("alb", second, first)
    assert convs[1].routes and not convs[0].routes
    assert "alb/group-rule-shadowed" in codes(convs[0])


def test_group_key() -> None:
    a = ingress("a", {P + "group.name": "shop"})
    b = ingress("b", {P + "group.name": "shop"}, ns="other")
    c = ingress("c")
    convs = build("alb", a, b, c)
    ctx = Context(Settings(), {})
    assert group_key(convs[0], ctx) == group_key(convs[1], ctx) != group_key(convs[2], ctx)


# --- intents ------------------------------------------------------------------------------------


def test_load_balancer_settings_are_opaque_gateway_intents() -> None:
    conv = alb({"scheme": "internal", "wafv2-acl-arn": "arn:aws:wafv2:x",
                "shield-advanced-protection": "false"})
    got = {(i.name, i.by.security) for i in conv.gateway_intents if isinstance(i, Opaque)}
    assert got == {("scheme", False), ("wafv2-acl-arn", True)}


def test_target_group_settings_are_one_intent_per_service() -> None:
    conv = alb({"healthcheck-path": "/healthz", "target-type": "ip"})
    (intent,) = conv.routes[0].rules[0].intents
    assert isinstance(intent, Opaque) and intent.name == "target-group" and not intent.by.security
    assert json.loads(intent.value) == {"service": "web", "annotations": {
        "healthcheck-path": "/healthz", "target-type": "ip"}}


def test_inbound_cidrs_and_backend_https() -> None:
    conv = alb({"inbound-cidrs": "10.0.0.0/8, 192.168.0.0/16", "backend-protocol": "HTTPS"})
    (acl,) = conv.gateway_intents
    assert isinstance(acl, IPAccess) and acl.allow == ("10.0.0.0/8", "192.168.0.0/16")
    (tg,) = conv.routes[0].rules[0].intents
    # Unverified HTTPS to the targets: only a target that speaks it (aws) may take it.
    assert isinstance(tg, Opaque) and tg.by.security and tg.by.code == "alb/backend-https"


def test_auth_type_records_the_parameters() -> None:
    conv = alb({"auth-type": "cognito", "auth-scope": "openid"})
    (intent,) = conv.routes[0].intents
    assert isinstance(intent, Opaque) and intent.by.security
    assert json.loads(intent.value) == {"auth-scope": "openid", "auth-type": "cognito"}


def test_unknown_annotation_is_reported() -> None:
    conv = alb({"no-such-thing": "x"})
    assert "alb/unknown-annotation" in codes(conv)
    assert P + "no-such-thing" in conv.consumed_annotations


@pytest.mark.parametrize("name", [n for n in TABLE if "*" not in n])
@pytest.mark.parametrize("value", ["true", "", "garbage value", "[{]", "443"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    conv = alb({name: value})
    assert P + name in conv.consumed_annotations
    assert "alb/unknown-annotation" not in codes(conv)


# Two ALB Ingresses without group.name are two load balancers: two Gateways, two names.
def test_separate_load_balancers_get_separate_gateway_names() -> None:
    from gwshift.core import transform

    a = json.dumps(ingress("a"))
    b = json.dumps(ingress("b", host="b.example.com"))
    out = transform(f"{a}\n---\n{b}\n", Settings())
    import yaml

    names = [d["metadata"]["name"] for d in yaml.safe_load_all(out.text)
             if isinstance(d, dict) and d.get("kind") == "Gateway"]
    assert len(names) == 2 and len(set(names)) == 2


# --- transforms -----------------------------------------------------------------------------


def _transform(regex: str, replace: str, kind: str = "url-rewrite") -> list[dict[str, Any]]:
    cfg = "urlRewriteConfig" if kind == "url-rewrite" else "hostHeaderRewriteConfig"
    return [{"type": kind, cfg: {"rewrites": [{"regex": regex, "replace": replace}]}}]


def test_transform_prefix_idiom_is_replace_prefix_match() -> None:
    conv = alb({"transforms.web": json.dumps(_transform("^/api/(.*)$", "/v2/$1"))},
               paths=(("/api", "Prefix", "web", 80),))
    assert conv.routes[0].rules[0].filters == [{"type": "URLRewrite", "urlRewrite": {"path": {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}}}]


def test_transform_host_header_is_urlrewrite_hostname() -> None:
    conv = alb({"transforms.web": json.dumps(_transform(".*", "internal.example.com",
                                                        "host-header-rewrite"))})
    assert conv.routes[0].rules[0].filters[0]["urlRewrite"] == {"hostname": "internal.example.com"}


def test_transform_with_captures_elsewhere_is_a_regex_intent() -> None:
    from gwshift.intents import RegexRewrite

    conv = alb({"transforms.web": json.dumps(_transform("^/a/(.*)/b$", "/$1"))})
    (intent,) = conv.routes[0].rules[0].intents
    assert isinstance(intent, RegexRewrite) and intent.substitution == "/\\1"


# --- hostile JSON never escapes as an exception ---------------------------------------------

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda kids: st.lists(kids, max_size=4)
                     | st.dictionaries(st.sampled_from(["type", "Type", "forwardConfig",
                                                        "targetGroups", "serviceName",
                                                        "servicePort", "weight", "redirectConfig",
                                                        "statusCode", "field", "values"]),
                                       kids, max_size=4), max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(action=_JSON, conds=_JSON)
def test_any_json_action_or_condition_gives_notes_not_tracebacks(action: Any, conds: Any) -> None:
    conv = alb({"actions.x": json.dumps(action), "conditions.web": json.dumps(conds),
                "listen-ports": json.dumps(conds)},
               paths=(("/", "Prefix", "x", "use-annotation"), ("/w", "Prefix", "web", 80)))
    assert conv.blocked or conv.routes


def test_pathological_host_wildcards_are_refused_in_bounded_time() -> None:
    conds = [{"field": "host-header", "hostHeaderConfig": {"values": ["*a" * 30 + "*"]}}]
    conv = alb({"conditions.web": json.dumps(conds)}, host="a" * 60 + ".example.com")
    assert conv.blocked and "alb/invalid-condition" in codes(conv)


def test_rule_with_a_source_ip_condition_shadows_nothing() -> None:  # must-not-change twin
    conds = [{"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}}]
    conv = alb({"conditions.web": json.dumps(conds), "target-type": "ip"},
               paths=(("/*", "ImplementationSpecific", "web", 80),
                      ("/api/*", "ImplementationSpecific", "api", 80)))
    assert [b.name for r in conv.routes[0].rules for b in r.backends] == ["web", "api"]


# --- hostile integers and values (issue 19): ASCII digits, bounded, refused at parse time ------

_HOSTILE_NUMBERS = ["²", "٨٠", "1" * 5000, "８０", "+80"]


def _action(value: dict[str, Any]) -> Conversion:
    return alb({"actions.x": json.dumps(value, ensure_ascii=False)},
               paths=(("/", "Prefix", "x", "use-annotation"),))


@pytest.mark.parametrize("number", _HOSTILE_NUMBERS)
def test_hostile_numbers_in_actions_are_invalid_actions(number: str) -> None:
    for action in (
        {"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "port": number,
                                                "statusCode": "HTTP_301"}},
        {"type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "web", "servicePort": number}]}},
        {"type": "fixed-response", "fixedResponseConfig": {"statusCode": number}},
    ):
        conv = _action(action)
        assert conv.blocked and "alb/invalid-action" in codes(conv), action


def test_ascii_numbers_in_actions_still_convert() -> None:  # must-not-change twin
    redirect = _action({"type": "redirect", "redirectConfig": {
        "protocol": "HTTPS", "port": " 8443", "statusCode": "HTTP_301"}})
    assert redirect.routes[0].rules[0].filters[0]["requestRedirect"]["port"] == 8443
    forward = _action({"type": "forward", "forwardConfig": {"targetGroups": [
        {"serviceName": "web", "servicePort": "8080"}]}})
    assert [b.port for b in forward.routes[0].rules[0].backends] == [8080]
    fixed = _action({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "404"}})
    assert json.loads(fixed.routes[0].rules[0].intents[0].value)["statusCode"] == 404
    fixed_int = _action({"type": "fixed-response", "fixedResponseConfig": {"statusCode": 503}})
    assert json.loads(fixed_int.routes[0].rules[0].intents[0].value)["statusCode"] == 503


def test_a_port_name_is_resolved_and_a_non_name_is_invalid() -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "ns"},
           "spec": {"ports": [{"name": "http-web", "port": 8080}]}}
    conv = one("alb", ingress(annotations={P + "actions.x": json.dumps({
        "type": "forward", "forwardConfig": {"targetGroups": [
            {"serviceName": "web", "servicePort": "http-web"}]}})},
        paths=(("/", "Prefix", "x", "use-annotation"),)), extra=(svc,))
    assert [b.port for b in conv.routes[0].rules[0].backends] == [8080]
    bad = _action({"type": "forward", "forwardConfig": {"targetGroups": [
        {"serviceName": "web", "servicePort": "Not A Name"}]}})
    assert bad.blocked and "alb/invalid-action" in codes(bad)


@pytest.mark.parametrize("number", _HOSTILE_NUMBERS)
def test_hostile_ssl_redirect_ports_block(number: str) -> None:
    conv = alb({"ssl-redirect": number, "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'})
    assert conv.blocked and "alb/invalid-ssl-redirect" in codes(conv)


def test_ssl_redirect_ascii_port_still_redirects() -> None:  # must-not-change twin
    conv = alb({"ssl-redirect": "443", "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'})
    assert not conv.blocked and listeners(route(conv, "redirect")) == [("HTTP", 80)]


@pytest.mark.parametrize(("name", "value"), [
    ("healthcheck-port", "²"), ("healthcheck-port", "٨٠"), ("healthcheck-port", "0"),
    ("healthcheck-port", "70000"), ("healthcheck-port", "Traffic Port"),
    ("healthcheck-interval-seconds", "٣٠"), ("healthcheck-interval-seconds", "1" * 5000),
    ("healthcheck-timeout-seconds", "²"), ("healthy-threshold-count", "99"),
    ("unhealthy-threshold-count", "-3"),
    ("load-balancer-attributes", '{"a": 1}'), ("load-balancer-attributes", "a=1,"),
    ("load-balancer-attributes", "=x"), ("tags", "team"), ("target-group-attributes", "x"),
])
def test_invalid_target_group_and_lb_values_block(name: str, value: str) -> None:
    conv = alb({name: value})
    assert conv.blocked and "alb/invalid-value" in codes(conv)


@pytest.mark.parametrize(("name", "value"), [
    ("healthcheck-port", "traffic-port"), ("healthcheck-port", "8080"),
    ("healthcheck-port", "http-web"), ("healthcheck-interval-seconds", "30"),
    ("healthcheck-timeout-seconds", "5"), ("healthy-threshold-count", "2"),
    ("unhealthy-threshold-count", "10"),
    ("load-balancer-attributes", "idle_timeout.timeout_seconds=600,routing.http2.enabled=true"),
    ("tags", "team=shop, env=prod"), ("target-group-attributes", "stickiness.enabled=true"),
])
def test_valid_target_group_and_lb_values_are_intents(name: str, value: str) -> None:  # twins
    conv = alb({name: value})
    assert "alb/invalid-value" not in codes(conv)
    assert conv.gateway_intents or conv.routes[0].rules[0].intents
