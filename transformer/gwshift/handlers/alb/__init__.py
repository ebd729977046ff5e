"""The AWS Load Balancer Controller dialect: ``alb.ingress.kubernetes.io/*`` (class ``alb``,
controller ``ingress.k8s.aws/alb``).

``TABLE`` is the single source of truth (docs, "supported", explain). Order of work
(``refine``): backends with port ``use-annotation`` are modelled (placeholder rules), ALB
path patterns become Gateway matches, actions and conditions are applied per rule, the
per-Ingress handlers run in TABLE order (load balancer and target group settings become
intents for the target), listeners come from ``listen-ports``; then per IngressGroup:
``ssl-redirect`` and ALB's first-match rule order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.handlers import Dialect
from gwshift.handlers._table import Apply, Handler, Level
from gwshift.handlers._values import is_ascii_digits, parse_int, parse_port
from gwshift.handlers.alb import actions, listeners
from gwshift.handlers.alb._kit import (
    FAIL_CLOSED,
    afield,
    block,
    gateway_intent,
    handler,
    noop,
    opaque,
    prov,
    reported,
    route_intent,
    run_table,
    say,
)
from gwshift.handlers.alb.paths import from_pattern
from gwshift.intents import IPAccess, Opaque
from gwshift.model import Conversion, Ingress, IngressBackend, Rule
from gwshift.notes import info, warning

PREFIX = "alb.ingress.kubernetes.io/"
GROUP_NAME = PREFIX + "group.name"
GROUP_ORDER = PREFIX + "group.order"
REGEX_PATHS = PREFIX + "use-regex-path-match"
_GROUP = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$")

SECURITY_GROUPS = "alb/security-groups"
INBOUND = "alb/inbound-cidrs"
WAF = "alb/waf"
SHIELD = "alb/shield-advanced-protection"
MTLS = "alb/mutual-authentication"
AUTH = "alb/authentication"
JWT = "alb/jwt-validation"
BACKEND_TLS = "alb/backend-https"
LB_SETTING = "alb/load-balancer-setting"
TG_SETTING = "alb/target-group-setting"

WHY = {
    SECURITY_GROUPS: "security groups decide which clients may reach the load balancer; "
                     "Gateway API has no such field",
    INBOUND: "inbound-cidrs limits the clients that may reach the load balancer",
    WAF: "a web application firewall filters requests before they reach the backends",
    SHIELD: "AWS Shield Advanced protects the load balancer against DDoS",
    MTLS: "mutual TLS authenticates clients by certificate on the listener",
    AUTH: "the ALB authenticates users (OIDC / Cognito) before forwarding",
    JWT: "the ALB validates a JWT before forwarding",
    BACKEND_TLS: "the ALB spoke HTTPS to the targets without verifying their certificates; "
                 "portable Gateway API backend TLS (BackendTLSPolicy) always verifies",
    LB_SETTING: "a load balancer setting with no Gateway API field: only the aws target "
                "(LoadBalancerConfiguration) expresses it",
    TG_SETTING: "a target group setting with no Gateway API field: only the aws target "
                "(TargetGroupConfiguration) expresses it",
}


Check = Callable[[str], "str | None"]  # the problem with a value, None when it is valid


def _key_value_pairs(value: str) -> str | None:
    """``k1=v1,k2=v2`` (the controller's format for attributes and tags): a JSON object or a
    bare word would become keys with empty values, which AWS rejects."""
    items = value.split(",")
    if not value.strip() or any(not i.partition("=")[0].strip() or "=" not in i for i in items):
        return "must be comma separated key=value pairs (k1=v1,k2=v2)"
    return None


# IANA service name (a Service port name): lowercase letters, digits, '-', at least one letter.
_PORT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?")


def _health_port(value: str) -> str | None:
    v = value.strip()
    if v == "traffic-port" or parse_port(v) is not None or (
            _PORT_NAME.fullmatch(v) and not is_ascii_digits(v) and "--" not in v):
        return None
    return "must be traffic-port, a port number (1-65535) or a Service port name"


def _int_range(low: int, high: int) -> Check:
    """ASCII digits only, bounded (``int("٨٠")`` is 80 and ``int("²")`` raises)."""
    def check(value: str) -> str | None:
        n = parse_int(value, 5, signed=False)
        return None if n is not None and low <= n <= high else \
            f"must be a whole number from {low} to {high}"
    return check


def _checked(key: str, inner: Apply, check: Check | None) -> Apply:
    """Refuse an invalid value at parse time (alb/invalid-value: the Ingress is kept) instead of
    handing a target something its CRD or the controller rejects."""
    if check is None:
        return inner

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        problem = check(value)
        if problem is not None:
            block(conv, key, "alb/invalid-value", f"{key} {problem}")
            return
        inner(value, conv, ctx)

    return apply


def _lb(name: str, level: Level = "IMPL", check: Check | None = None) -> Handler:
    """A load balancer setting: an Opaque intent on the Gateway (not an access control)."""
    inner = opaque("alb", PREFIX + name, name, LB_SETTING, WHY[LB_SETTING], security=False)
    codes = (LB_SETTING,) if check is None else (LB_SETTING, "alb/invalid-value")
    return handler(level, "intent", _checked(PREFIX + name, inner, check),
                   "LoadBalancerConfiguration (--target aws); reported elsewhere", codes,
                   intent=Opaque)


def _https_lb(name: str) -> Handler:
    """A setting of the HTTPS listeners: recorded with their ports once listen-ports is
    known (``listeners.apply_listen_ports``), as JSON ``{"value", "ports"}``."""
    return handler("IMPL", "intent", noop, "LoadBalancerConfiguration listenerConfigurations "
                   "of the HTTPS ports (--target aws); reported elsewhere", (LB_SETTING,),
                   intent=Opaque)


TG_NAMES: list[str] = []


def _tg(name: str, check: Check | None = None) -> Handler:
    """A target group setting: part of the per-Service ``target-group`` Opaque intent."""
    TG_NAMES.append(name)
    codes = (TG_SETTING,) if check is None else (TG_SETTING, "alb/invalid-value")
    return handler("IMPL", "intent", _checked(PREFIX + name, noop, check),
                   "TargetGroupConfiguration per backend Service (--target aws); reported "
                   "elsewhere", codes, intent=Opaque)


def _target_groups(conv: Conversion) -> None:
    """One ``target-group`` Opaque per backend Service: ``{"service", "annotations"}``.

    HTTPS to the targets (unverified) rides along: with it the intent is an access-control
    one (the traffic would go out unencrypted or fail), so it fails closed elsewhere.
    """
    settings = {n: v.strip() for n in TG_NAMES if (v := conv.source.annotation(PREFIX + n))
                is not None}
    if not settings:
        return
    https = settings.get("backend-protocol", "").upper() == "HTTPS"
    code = BACKEND_TLS if https else TG_SETTING
    key = PREFIX + ("backend-protocol" if https else min(settings))
    seen: set[str] = set()
    for route in conv.routes:
        for rule in route.rules:
            for b in rule.backends:
                if b.kind != "Service" or b.group or b.name in seen:
                    continue
                seen.add(b.name)
                value = actions.canonical({"service": b.name, "annotations": settings})
                rule.intents.append(Opaque("alb", "target-group", value,
                                           prov(key, code, WHY[code], security=https)))


def _sec(name: str, code: str, scope: str = "gateway", off: tuple[str, ...] = ()) -> Handler:
    """An access control without a typed intent: Opaque, security (fail closed elsewhere)."""
    inner = opaque("alb", PREFIX + name, name, code, WHY[code], security=True, scope=scope)

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip().lower() not in off:
            inner(value, conv, ctx)

    return handler("IMPL", "intent", apply, "the aws target's configuration; elsewhere "
                   + FAIL_CLOSED, (code,), WHY[code], Opaque)


def _r(name: str, message: str, severity: str = "warning", skip: tuple[str, ...] = ()) -> Handler:
    code = f"alb/{name}-not-converted"
    return handler("NONE", "reported", reported(PREFIX + name, code, message, severity, skip),
                   "nothing (reported)", (code,), message)


def _param(main: str) -> Handler:
    return handler("IMPL", "intent", noop, f"read with {main}", (), f"Parameter of {main}.")


def _inbound_cidrs(value: str, conv: Conversion, ctx: Context) -> None:
    from ipaddress import ip_network

    key = PREFIX + "inbound-cidrs"
    try:
        cidrs = tuple(str(ip_network(v.strip(), strict=False)) for v in value.split(",") if v.strip())
    except ValueError:
        block(conv, key, "alb/invalid-value", f"{key} must be a comma separated list of CIDRs")
        return
    if cidrs:
        gateway_intent(conv, IPAccess(cidrs, (), prov(key, INBOUND, WHY[INBOUND])))


def _auth_type(value: str, conv: Conversion, ctx: Context) -> None:
    v = value.strip().lower()
    if v in ("", "none"):
        return
    key = PREFIX + "auth-type"
    params = {k[len(PREFIX):]: val for k, val in conv.source.annotations
              if k.startswith(PREFIX + "auth-")}
    route_intent(conv, Opaque("alb", "auth", actions.canonical(params),
                              prov(key, AUTH, WHY[AUTH])))


def _group_name(value: str, conv: Conversion, ctx: Context) -> None:
    if not _GROUP.match(value.strip()):
        block(conv, GROUP_NAME, "alb/invalid-group-name",
              f"{GROUP_NAME}={value[:70]!r} is not a valid IngressGroup name")


def _group_order(value: str, conv: Conversion, ctx: Context) -> None:
    if _order(conv) is None:
        block(conv, GROUP_ORDER, "alb/invalid-value",
              f"{GROUP_ORDER}={value[:20]!r} must be an integer from -1000 to 1000")


def _order(conv: Conversion) -> int | None:
    raw = (conv.source.annotation(GROUP_ORDER) or "0").strip()
    if not re.fullmatch(r"-?[0-9]{1,4}", raw) or not -1000 <= int(raw) <= 1000:
        return None
    return int(raw)


_NLB = "the frontend NLB in front of the ALB is infrastructure outside Gateway API"

TABLE: dict[str, Handler] = {
    # --- routing ---------------------------------------------------------------------------
    "actions.*": handler("STD", "converted", noop,
        "use-annotation backends: forward -> weighted backendRefs; redirect -> RequestRedirect; "
        "fixed-response -> Opaque intent (envoy-gateway: HTTPRouteFilter directResponse; aws: "
        "ListenerRuleConfiguration; elsewhere fail closed)",
        ("alb/action-missing", "alb/invalid-action", "alb/action-target-group-arn",
         "alb/action-port-unresolved", "alb/redirect-unsupported", "alb/redirect-query",
         "alb/stickiness-not-converted", actions.FIXED_RESPONSE),
        "Target groups by ARN keep the Ingress; stickiness is reported."),
    "conditions.*": handler("STD", "converted", noop,
        "matches on the rules of that backend: headers, method, query, path; host-header "
        "narrows by hostname; source-ip -> IPAccess intent on the rule",
        ("alb/invalid-condition", "alb/condition-unsupported", "alb/condition-host-header",
         "alb/condition-never-matches", "alb/conditions-too-many",
         "alb/condition-path-unsupported", "alb/path-pattern-approximated", actions.SOURCE_IP),
        "Values of one condition are ORed (one match each); header values are case-sensitive "
        "in Gateway API."),
    "transforms.*": handler("STD", "approximated", noop,
        "static url-rewrite -> URLRewrite ReplaceFullPath, static host-header-rewrite -> "
        "URLRewrite hostname; regex captures keep the Ingress",
        ("alb/invalid-transform", "alb/transform-unsupported")),
    "use-regex-path-match": handler("IMPL", "approximated", noop,
        "ImplementationSpecific paths -> RegularExpression matches", ("alb/path-regex",),
        "Regular expression support is implementation-specific."),
    "group.name": handler("STD", "converted", _group_name,
        "one Gateway per IngressGroup (Dialect.group_key); without it one per Ingress",
        ("alb/invalid-group-name",)),
    "group.order": handler("NONE", "approximated", _group_order,
        "rules an earlier group member covers are dropped (ALB evaluates in order)",
        ("alb/group-rule-shadowed", "alb/invalid-value"),
        "Gateway API orders by specificity; only fully covered rules are made equivalent."),
    "listen-ports": handler("STD", "converted", noop,
        "listeners (protocol, port) of every route of the Ingress",
        ("alb/invalid-listen-ports", "alb/https-certificate-from-acm", "alb/tls-secret-ignored")),
    "ssl-redirect": handler("STD", "converted", noop,
        "every HTTP listener of the IngressGroup: `<route>-redirect` HTTPRoute, RequestRedirect "
        "https (port), 301", ("alb/invalid-ssl-redirect", "alb/ssl-redirect-from-group")),
    # --- load balancer (Gateway) ----------------------------------------------------------
    "scheme": _lb("scheme"),
    "load-balancer-name": _lb("load-balancer-name"),
    "ip-address-type": _lb("ip-address-type"),
    "subnets": _lb("subnets"),
    "customer-owned-ipv4-pool": _lb("customer-owned-ipv4-pool"),
    "ipam-ipv4-pool-id": _lb("ipam-ipv4-pool-id"),
    "load-balancer-attributes": _lb("load-balancer-attributes", check=_key_value_pairs),
    "listener-attributes.*": _lb("listener-attributes"),
    "minimum-load-balancer-capacity": _lb("minimum-load-balancer-capacity"),
    "certificate-arn": _https_lb("certificate-arn"),
    "ssl-policy": _https_lb("ssl-policy"),
    "tags": _lb("tags", check=_key_value_pairs),
    "manage-backend-security-group-rules": _lb("manage-backend-security-group-rules"),
    "create-acm-cert": _r("create-acm-cert", "certificates are issued outside the Gateway "
                          "(cert-manager or ACM)"),
    "security-groups": _sec("security-groups", SECURITY_GROUPS),
    "security-group-prefix-lists": _sec("security-group-prefix-lists", SECURITY_GROUPS),
    "inbound-cidrs": handler("IMPL", "intent", _inbound_cidrs,
        "IPAccess intent on the Gateway (allow list); elsewhere " + FAIL_CLOSED, (INBOUND,),
        WHY[INBOUND], IPAccess),
    "wafv2-acl-arn": _sec("wafv2-acl-arn", WAF, off=("none",)),
    "wafv2-acl-name": _sec("wafv2-acl-name", WAF, off=("none",)),
    "waf-acl-id": _sec("waf-acl-id", WAF, off=("none",)),
    "shield-advanced-protection": _sec("shield-advanced-protection", SHIELD, off=("false",)),
    "mutual-authentication": _sec("mutual-authentication", MTLS),
    # --- authentication -------------------------------------------------------------------
    "auth-type": handler("IMPL", "intent", _auth_type,
        "Opaque intent `auth` (ListenerRuleConfiguration authenticate-oidc/-cognito with "
        "--target aws); elsewhere " + FAIL_CLOSED, (AUTH,), WHY[AUTH], Opaque),
    "auth-idp-cognito": _param("auth-type"),
    "auth-idp-oidc": _param("auth-type"),
    "auth-on-unauthenticated-request": _param("auth-type"),
    "auth-scope": _param("auth-type"),
    "auth-session-cookie": _param("auth-type"),
    "auth-session-timeout": _param("auth-type"),
    "jwt-validation": _sec("jwt-validation", JWT, scope="route"),
    # --- target groups (routes' backends) --------------------------------------------------
    "target-type": _tg("target-type"),
    "backend-protocol": _tg("backend-protocol"),
    "backend-protocol-version": _tg("backend-protocol-version"),
    "target-group-attributes": _tg("target-group-attributes", _key_value_pairs),
    "target-node-labels": _r("target-node-labels", "which nodes receive traffic is the "
                             "implementation's"),
    "healthcheck-port": _tg("healthcheck-port", _health_port),
    "healthcheck-protocol": _tg("healthcheck-protocol"),
    "healthcheck-path": _tg("healthcheck-path"),
    "healthcheck-interval-seconds": _tg("healthcheck-interval-seconds", _int_range(5, 300)),
    "healthcheck-timeout-seconds": _tg("healthcheck-timeout-seconds", _int_range(2, 120)),
    "healthy-threshold-count": _tg("healthy-threshold-count", _int_range(2, 10)),
    "unhealthy-threshold-count": _tg("unhealthy-threshold-count", _int_range(2, 10)),
    "success-codes": _tg("success-codes"),
    "multi-cluster-target-group": _r("multi-cluster-target-group", "target groups shared "
                                     "between clusters are outside Gateway API", skip=("false",)),
    # --- frontend NLB ------------------------------------------------------------------------
    "enable-frontend-nlb": _r("enable-frontend-nlb", _NLB, skip=("false",)),
    "frontend-nlb-*": _r("frontend-nlb", _NLB),
}


def _name_of(key: str) -> str | None:
    if not key.startswith(PREFIX):
        return None
    name = key[len(PREFIX):]
    for pattern in ("actions.", "conditions.", "transforms.", "listener-attributes."):
        if name.startswith(pattern):
            return pattern + "*"
    if name.startswith("frontend-nlb-"):
        return "frontend-nlb-*"
    return name


def supported() -> list[str]:
    from gwshift.handlers._table import supported as derived

    return derived(TABLE)


# --- refine ------------------------------------------------------------------------------------


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        actions_at = _rebuild_use_annotation(conv, ctx)
        run_table(conv, ctx, TABLE, _name_of, "alb/unknown-annotation", "AWS Load Balancer "
                  "Controller")
        if conv.blocked:
            continue
        _paths(conv)
        _actions_and_conditions(conv, ctx, actions_at)
        _auth_on_fixed_responses(conv)
        _transforms(conv)
        if not conv.blocked:
            listeners.apply_listen_ports(conv, ctx)
            _target_groups(conv)
        _service_annotations(conv, ctx)
    groups: dict[Hashable, list[Conversion]] = {}
    for conv in convs:
        groups.setdefault(group_key(conv, ctx), []).append(conv)
    for members in groups.values():
        members.sort(key=lambda c: (_order(c) or 0, c.source.namespace or "", c.source.name))
        listeners.apply_ssl_redirect(members)
        for conv in members:
            if not conv.blocked:
                listeners.apply_rule_order(conv)
        _group_shadowing([c for c in members if not c.blocked])
        for conv in members:
            if not conv.routes and not conv.blocked:
                # Replacing it by nothing would be faithful, but a reviewer should decide.
                conv.block(info("alb/ingress-never-matches",
                                "every rule of this Ingress is covered by earlier rules of its "
                                "ALB listeners (or IngressGroup), so the ALB never routed a "
                                "request to it; it is kept as it is"))


def _auth_on_fixed_responses(conv: Conversion) -> None:
    """The ALB authenticates before a fixed response too; a route-wide intent reaches only
    the forwarding rules, so a fixed-response rule carries the auth intent itself."""
    for route in conv.routes:
        auth = [i for i in route.intents if isinstance(i, Opaque) and i.name == "auth"]
        for rule in route.rules if auth else ():
            if any(isinstance(i, Opaque) and i.name == "fixed-response" for i in rule.intents):
                rule.intents[:0] = [a for a in auth if a not in rule.intents]


def group_key(conv: Conversion, ctx: Context) -> tuple[str, ...]:
    """One load balancer per IngressGroup; an Ingress without group.name is its own group."""
    name = (conv.source.annotation(GROUP_NAME) or "").strip()
    if name and _GROUP.match(name):
        return ("alb-group", name)
    return ("alb-ingress", ctx.namespace_of(conv.source.namespace) or "", conv.source.name)


def _backends(ing: Ingress) -> dict[str, IngressBackend]:
    out = {p.field: p.backend for r in ing.rules for p in r.paths}
    if ing.default_backend is not None:
        out[ing.default_backend.field] = ing.default_backend
    return out


def _rebuild_use_annotation(conv: Conversion, ctx: Context) -> dict[str, str]:
    """Rebuild the neutral routes with a placeholder for every ``use-annotation`` backend.

    The neutral converter cannot resolve port name ``use-annotation`` (no such Service
    port) and keeps the Ingress; the placeholder keeps the rule in place so that its action
    can replace it. Returns rule source field -> action name.
    """
    ing = conv.ingress
    at: dict[str, str] = {}

    def fix(b: IngressBackend, source: str) -> IngressBackend:
        if b.service and b.port_name == actions.USE_ANNOTATION:
            at[source] = b.service
            return b._replace(port_number=1, port_name=None)
        return b

    rules = tuple(r._replace(paths=tuple(p._replace(backend=fix(p.backend, p.field))
                                         for p in r.paths)) for r in ing.rules)
    default = ing.default_backend
    if default is not None:
        default = fix(default, default.field)
    if not at:
        return at
    placeholder = ing._replace(rules=rules, default_backend=default, _annotation_table=None)
    fresh = new_conversion(placeholder, ctx)
    fresh.dialect, fresh.dialect_paths = conv.dialect, conv.dialect_paths
    build_routes(fresh, ctx)
    conv.routes, conv.notes, conv.blocked = fresh.routes, fresh.notes, fresh.blocked
    return at


def _all_rules(conv: Conversion) -> list[Rule]:
    from gwshift.handlers._ir import rules

    return list(rules(conv))


def _paths(conv: Conversion) -> None:
    regex = (conv.source.annotation(REGEX_PATHS) or "").strip().lower() == "true"
    paths = {p.field: p for r in conv.ingress.rules for p in r.paths}
    reinterpreted = set()
    for rule in _all_rules(conv):
        p = paths.get(rule.source)
        if p is None or p.path_type in ("Exact", "Prefix") or not rule.matches:
            continue
        reinterpreted.add(f"{p.field}.pathType")
        value = p.path or "/"
        if regex:
            rule.matches[0].path_type, rule.matches[0].path = "RegularExpression", value
            conv.note(warning("alb/path-regex", f"path {value!r} is an ALB regular expression "
                              "(use-regex-path-match); Gateway API regex syntax and support are "
                              "implementation-specific", field=f"{p.field}.path"))
            continue
        pm = from_pattern(value)
        if pm is None:
            block(conv, REGEX_PATHS, "alb/invalid-path", f"path {value[:70]!r} is no ALB path "
                  "pattern (it must start with '/')", field=f"{p.field}.path")
            return
        rule.matches[0].path_type, rule.matches[0].path = pm.path_type, pm.value
        if pm.approx:
            make = warning if pm.path_type == "RegularExpression" else info
            code = "alb/path-regex" if pm.path_type == "RegularExpression" else \
                "alb/path-pattern-approximated"
            conv.note(make(code, f"path {value!r}: {pm.approx}", field=f"{p.field}.path"))
    # The neutral converter's "converted to PathPrefix" note no longer says what happened.
    conv.notes = [n for n in conv.notes if not (n.code == "ingress/path-type-implementation-specific"
                                                and n.field in reinterpreted)]


def _actions_and_conditions(conv: Conversion, ctx: Context, actions_at: dict[str, str]) -> None:
    backends = _backends(conv.ingress)
    done: set[int] = set()
    for route in conv.routes:
        kept = []
        for rule in route.rules:
            if id(rule) in done:  # the defaultBackend rule is shared by every route
                kept.append(rule)
                continue
            done.add(id(rule))
            name = actions_at.get(rule.source)
            if name is not None:
                actions.apply_action(conv, ctx, rule, name)
            b = backends.get(rule.source)
            raw = conv.source.annotation(actions.condition_key(b.service)) if b and b.service \
                else None
            if raw is not None and b is not None and b.service is not None \
                    and not actions.apply_conditions(conv, ctx, route, rule, b.service, raw):
                continue
            kept.append(rule)
        route.rules = kept
    conv.routes = [r for r in conv.routes if r.rules]
    if not conv.routes and not conv.blocked:
        conv.block(info("ingress/nothing-to-convert", "no rule of the Ingress ever matches on "
                        "the ALB (conditions exclude them all); it is kept as it is"))
    used = {b.service for b in backends.values() if b.service}
    for key, _ in conv.source.annotations:
        for kind, make_key in (("actions", actions.action_key), ("conditions", actions.condition_key)):
            if key.startswith(PREFIX + kind + "."):
                name = key[len(PREFIX + kind + "."):]
                if name not in used and key == make_key(name):
                    say(conv, key, info, "alb/annotation-unused",
                        f"{key} names no backend of this Ingress; it has no effect")


def _transforms(conv: Conversion) -> None:
    from gwshift.handlers.alb import transforms

    backends = _backends(conv.ingress)
    for rule in _all_rules(conv):
        b = backends.get(rule.source)
        if b is None or not b.service or not rule.backends:
            continue
        raw = conv.source.annotation(f"{PREFIX}transforms.{b.service}")
        if raw is not None:
            transforms.apply(conv, rule, f"{PREFIX}transforms.{b.service}", raw)


def _service_annotations(conv: Conversion, ctx: Context) -> None:
    """The controller also reads target group annotations from the backend Services."""
    seen = set()
    for rule in _all_rules(conv):
        for b in rule.backends:
            if b.kind != "Service" or b.name in seen:
                continue
            seen.add(b.name)
            svc = ctx.find_service(conv.source.namespace, b.name)
            meta = svc.get("metadata") if isinstance(svc, dict) else None
            anns = meta.get("annotations") if isinstance(meta, dict) else None
            keys = sorted(k for k in anns if isinstance(k, str) and k.startswith(PREFIX)) \
                if isinstance(anns, dict) else []
            if keys:
                conv.note(warning("alb/service-annotation",
                                  f"Service {b.name} carries {', '.join(keys)}: target group "
                                  "settings the Gateway does not read; express them on the "
                                  "implementation (e.g. appProtocol for HTTP2/GRPC)",
                                  field=rule.source))


def _group_shadowing(members: list[Conversion]) -> None:
    """A rule an earlier group member already covers never matched on the ALB: drop it."""
    from gwshift.handlers.alb.listeners import _covers

    for i, later in enumerate(members):
        for route in later.routes:
            ports = {(k.protocol, k.port) for k in route.listeners}
            kept = []
            for rule in route.rules:
                shadow = None
                for earlier in members[:i]:
                    for er in earlier.routes:
                        if (er.hostnames and not set(route.hostnames) <= set(er.hostnames)) or \
                                not ports <= {(k.protocol, k.port) for k in er.listeners}:
                            continue
                        if any(_covers(r, rule) for r in er.rules):
                            shadow = earlier
                if shadow is None:
                    kept.append(rule)
                    continue
                if rule.source == afield(listeners.SSL_REDIRECT):
                    continue  # the group's one HTTP redirect, written once per member
                later.note(info("alb/group-rule-shadowed",
                                f"Ingress {shadow.source.namespace}/{shadow.source.name} comes "
                                "earlier in the IngressGroup (group.order) and matches every "
                                "request of this rule, so the ALB never used it; it is dropped",
                                field=rule.source))
            route.rules = kept
        later.routes = [r for r in later.routes if r.rules]


DIALECT = Dialect(name="alb", refine=refine, table=TABLE, group_key=group_key)

__all__ = ["DIALECT", "TABLE", "WHY", "afield", "group_key", "supported"]
