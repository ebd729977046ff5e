"""``actions.<name>`` and ``conditions.<name>``: the JSON annotations of ALB listener rules.

A backend ``{service: {name: N, port: {name: use-annotation}}}`` stands for the action
``actions.N``; ``conditions.N`` adds conditions to every rule whose backend is named N
(an action or a real Service). Conditions are ANDed, the values of one condition ORed;
Gateway API expresses that as one match per combination of values.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import make_redirect_rule
from gwshift.handlers._values import is_ascii_digits, parse_int, parse_port
from gwshift.handlers.alb._kit import (
    JSONProblem,
    afield,
    block,
    canonical,
    get_ci,
    load_json,
    prov,
    str_list,
)
from gwshift.handlers.alb.paths import from_pattern, wildcard_match
from gwshift.intents import IPAccess, Opaque
from gwshift.model import BackendRef, Conversion, Match, Route, Rule, mapping
from gwshift.notes import info, warning

PREFIX = "alb.ingress.kubernetes.io/"
USE_ANNOTATION = "use-annotation"
MAX_TARGET_GROUPS = 16
MAX_MATCHES = 16
REDIRECT_CODES = {"HTTP_301": 301, "HTTP_302": 302}
# A Service port name (IANA service name): lowercase letters, digits, '-', 1-15 characters.
_PORT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?")
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
FIXED_RESPONSE = "alb/fixed-response"
SOURCE_IP = "alb/source-ip-condition"
WHY_FIXED = ("a fixed-response action answers these requests itself (often a 403/404 that "
             "hides a path); portable Gateway API has no direct response, so another rule "
             "would serve them")
WHY_SOURCE_IP = ("a source-ip condition limits the rule to client addresses; portable "
                 "Gateway API has no client-IP match")


def action_key(name: str) -> str:
    return f"{PREFIX}actions.{name}"


def condition_key(name: str) -> str:
    return f"{PREFIX}conditions.{name}"


# --- actions ------------------------------------------------------------------------------


def apply_action(conv: Conversion, ctx: Context, rule: Rule, name: str) -> None:
    """Turn the placeholder rule of a ``use-annotation`` backend into its action."""
    key = action_key(name)
    raw = conv.source.annotation(key)
    if raw is None:
        block(conv, key, "alb/action-missing", f"the backend {name!r} uses port "
              f"{USE_ANNOTATION!r} but the Ingress has no {key} annotation (the ALB rejects it)",
              field=f"{rule.source}.backend")
        return
    try:
        action = load_json(raw)
        if not isinstance(action, dict):
            raise JSONProblem("must be a JSON object")
        kind = get_ci(action, "type")
        if not isinstance(kind, str):
            raise JSONProblem("has no Type")
        kind = kind.lower()
        if kind == "forward":
            _forward(conv, ctx, rule, key, action)
        elif kind == "redirect":
            _redirect(conv, rule, key, action)
        elif kind == "fixed-response":
            _fixed_response(conv, rule, key, action)
        else:
            raise JSONProblem(f"has an unknown Type {kind[:40]!r} (forward, redirect, "
                              "fixed-response)")
    except JSONProblem as exc:
        block(conv, key, "alb/invalid-action", f"{key} {exc}")


def _forward(conv: Conversion, ctx: Context, rule: Rule, key: str, action: dict[str, Any]) -> None:
    config = get_ci(action, "forwardConfig")
    if get_ci(action, "targetGroupARN") or get_ci(action, "targetGroupName"):
        _target_group_arn(conv, key)
        return
    if not isinstance(config, dict):
        raise JSONProblem("forward needs ForwardConfig.TargetGroups or TargetGroupARN")
    groups = get_ci(config, "targetGroups")
    if not isinstance(groups, list) or not groups:
        raise JSONProblem("ForwardConfig.TargetGroups must be a non-empty list")
    if len(groups) > MAX_TARGET_GROUPS:
        raise JSONProblem(f"ForwardConfig.TargetGroups has more than {MAX_TARGET_GROUPS} entries")
    backends = []
    for tg in groups:
        if not isinstance(tg, dict):
            raise JSONProblem("every target group must be a JSON object")
        if get_ci(tg, "targetGroupARN") or get_ci(tg, "targetGroupName"):
            _target_group_arn(conv, key)
            return
        svc = get_ci(tg, "serviceName")
        if not isinstance(svc, str) or not svc:
            raise JSONProblem("a target group has no ServiceName")
        port = _port(conv, ctx, svc, get_ci(tg, "servicePort"), key)
        if port is None:
            return
        weight = get_ci(tg, "weight")
        if weight is not None and (isinstance(weight, bool) or not isinstance(weight, int)
                                   or not 0 <= weight <= 999):
            raise JSONProblem("Weight must be an integer from 0 to 999")
        backends.append(BackendRef(name=svc, port=port,
                                   weight=weight if len(groups) > 1 or weight == 0 else None))
    rule.backends = backends
    sticky = get_ci(config, "targetGroupStickinessConfig")
    if isinstance(sticky, dict) and get_ci(sticky, "enabled") is True:
        conv.note(warning("alb/stickiness-not-converted",
                          f"{key}: target group stickiness (a client stays on one weighted "
                          "target group) has no Gateway API form; requests are split by weight "
                          "on every request", field=afield(key)))


def _target_group_arn(conv: Conversion, key: str) -> None:
    block(conv, key, "alb/action-target-group-arn",
          f"{key} forwards to a target group by ARN/name, which is no Kubernetes Service a "
          "route can reference")


def _port(conv: Conversion, ctx: Context, svc: str, raw: Any, key: str) -> int | None:
    port = parse_port(raw)  # ASCII digits only: "٨٠" is no port 80, "²" no crash
    if port is not None:
        return port
    if isinstance(raw, str) and _PORT_NAME.fullmatch(raw) and not is_ascii_digits(raw):
        found = ctx.find_service(conv.source.namespace, svc)
        ports = mapping(mapping(found).get("spec")).get("ports")
        for p in ports if isinstance(ports, list) else []:
            if isinstance(p, dict) and p.get("name") == raw and isinstance(p.get("port"), int):
                return int(p["port"])
        block(conv, key, "alb/action-port-unresolved",
              f"{key}: service port name {raw[:63]!r} of Service {svc[:63]!r} cannot be resolved "
              "(no such Service/port in the stream; Gateway API needs a number)")
        return None
    raise JSONProblem("ServicePort must be a port number or name")


def _redirect(conv: Conversion, rule: Rule, key: str, action: dict[str, Any]) -> None:
    config = get_ci(action, "redirectConfig")
    if not isinstance(config, dict):
        raise JSONProblem("redirect needs a RedirectConfig object")
    redirect = redirect_filter(conv, key, config)
    if redirect is not None:
        make_redirect_rule(rule, redirect)


def redirect_filter(conv: Conversion, key: str, config: dict[str, Any]) -> dict[str, Any] | None:
    """RequestRedirect for an ALB RedirectConfig (``#{...}`` keeps that part of the request)."""
    def text(name: str) -> str | None:
        v = get_ci(config, name)
        if v is None:
            return None
        if not isinstance(v, str | int) or isinstance(v, bool):
            raise JSONProblem(f"RedirectConfig.{name} must be a string")
        return str(v)

    out: dict[str, Any] = {}
    proto = text("protocol")
    if proto is not None and proto != "#{protocol}":
        if proto.upper() not in ("HTTP", "HTTPS"):
            raise JSONProblem("RedirectConfig.Protocol must be HTTP, HTTPS or #{protocol}")
        out["scheme"] = proto.lower()
    host = text("host")
    if host is not None and host != "#{host}":
        if "#{" in host:
            block(conv, key, "alb/redirect-unsupported",
                  f"{key}: a redirect host built from request parts ({host[:63]!r}) has no "
                  "Gateway API form")
            return None
        out["hostname"] = host.lower()
    port = text("port")
    if port is not None and port != "#{port}":
        number = parse_port(port)
        if number is None:
            raise JSONProblem("RedirectConfig.Port must be a port number or #{port}")
        if not (out.get("scheme") == "https" and number == 443
                or out.get("scheme") == "http" and number == 80):
            out["port"] = number
    path = text("path")
    if path is not None and path != "/#{path}":
        if "#{" in path:
            block(conv, key, "alb/redirect-unsupported",
                  f"{key}: a redirect path built from request parts ({path[:63]!r}) has no "
                  "Gateway API form")
            return None
        out["path"] = {"type": "ReplaceFullPath", "replaceFullPath": path}
    query = text("query")
    if query is not None and query != "#{query}":
        conv.note(warning("alb/redirect-query",
                          f"{key}: the redirect sets the query to {query[:63]!r}; Gateway API "
                          "redirects keep the request's query", field=afield(key)))
    code = text("statusCode")
    if code not in REDIRECT_CODES:
        raise JSONProblem("RedirectConfig.StatusCode must be HTTP_301 or HTTP_302")
    out["statusCode"] = REDIRECT_CODES[code]
    return out


def _fixed_response(conv: Conversion, rule: Rule, key: str, action: dict[str, Any]) -> None:
    config = get_ci(action, "fixedResponseConfig")
    if not isinstance(config, dict):
        raise JSONProblem("fixed-response needs a FixedResponseConfig object")
    raw = get_ci(config, "statusCode")
    code = raw if type(raw) is int else parse_int(raw, 3, signed=False)  # ASCII, bounded
    if code is None or not 200 <= code <= 599:
        raise JSONProblem("FixedResponseConfig.StatusCode must be a 2XX, 4XX or 5XX code")
    value: dict[str, Any] = {"statusCode": code}
    for name in ("contentType", "messageBody"):
        v = get_ci(config, name)
        if v is not None:
            if not isinstance(v, str) or len(v) > 1024:
                raise JSONProblem(f"FixedResponseConfig.{name} must be a string of at most "
                                  "1024 characters")
            value[name] = v
    rule.backends = []
    rule.timeouts = rule.session_persistence = rule.retry = None
    rule.intents.append(Opaque("alb", "fixed-response", canonical(value),
                               prov(key, FIXED_RESPONSE, WHY_FIXED, security=True)))


# --- conditions -----------------------------------------------------------------------------


def apply_conditions(conv: Conversion, ctx: Context, route: Route, rule: Rule, name: str,
                     raw: str) -> bool:
    """Narrow ``rule`` by ``conditions.<name>``; False: the rule never matches (drop it)."""
    key = condition_key(name)
    try:
        conds = load_json(raw)
        if not isinstance(conds, list) or not conds:
            raise JSONProblem("must be a non-empty JSON list of conditions")
        alternatives: list[list[Any]] = []
        for cond in conds:
            alt = _condition(conv, ctx, route, rule, key, cond)
            if alt is False:
                return False
            if isinstance(alt, list) and alt:
                alternatives.append(alt)
        total = len(rule.matches)
        for alt in alternatives:
            total *= len(alt)
        if total > MAX_MATCHES:
            block(conv, key, "alb/conditions-too-many",
                  f"{key} needs {total} matches on one rule (more than {MAX_MATCHES})")
            return True
        matches = []
        for base in rule.matches:
            for combo in itertools.product(*alternatives):
                m = base.copy()
                ok = True
                for part in combo:
                    ok = part(m) and ok
                if ok:
                    matches.append(m)
        if not matches:
            block(conv, key, "alb/condition-path-unsupported",
                  f"{key}: the path-pattern condition and the Ingress path both restrict the path "
                  "and Gateway API has one path per match")
            return True
        rule.matches = matches
    except JSONProblem as exc:
        block(conv, key, "alb/invalid-condition", f"{key} {exc}")
    return True


def _values(cond: dict[str, Any], config: str, what: str) -> list[str]:
    cfg = get_ci(cond, config)
    if not isinstance(cfg, dict):
        raise JSONProblem(f"{what} needs {config[0].upper() + config[1:]}")
    return str_list(get_ci(cfg, "values"), f"{config}.Values")


def _condition(conv: Conversion, ctx: Context, route: Route, rule: Rule, key: str,
               cond: Any) -> list[Any] | bool | None:
    if not isinstance(cond, dict):
        raise JSONProblem("every condition must be a JSON object")
    fld = get_ci(cond, "field")
    if not isinstance(fld, str):
        raise JSONProblem("a condition has no Field")
    fld = fld.lower()
    if fld == "host-header":
        values = _values(cond, "hostHeaderConfig", fld)
        # Wildcard matching backtracks: bound the patterns (ALB allows 128 characters).
        if any(len(v) > 128 or v.count("*") > 4 for v in values):
            raise JSONProblem("host-header values must be at most 128 characters with at most "
                              "4 '*' wildcards")
        return _host_header(conv, route, key, values)
    if fld == "http-header":
        cfg = get_ci(cond, "httpHeaderConfig")
        hname = get_ci(cfg, "httpHeaderName")
        if not isinstance(hname, str) or not hname or len(hname) > 256:
            raise JSONProblem("httpHeaderConfig.HttpHeaderName must be a header name")
        return [_header(hname, v) for v in _values(cond, "httpHeaderConfig", fld)] or None
    if fld == "http-request-method":
        values = _values(cond, "httpRequestMethodConfig", fld)
        bad = [v for v in values if v.upper() not in METHODS]
        if bad:
            block(conv, key, "alb/condition-unsupported",
                  f"{key}: method {bad[0][:20]!r} is not a Gateway API method")
            return None
        return [_method(v.upper()) for v in values] or None
    if fld == "path-pattern":
        values = _values(cond, "pathPatternConfig", fld)
        parts = []
        for v in values:
            pm = from_pattern(v)
            if pm is None:
                raise JSONProblem(f"path pattern {v[:63]!r} must start with '/'")
            if pm.approx:
                conv.note(info("alb/path-pattern-approximated", f"{key}: {v}: {pm.approx}",
                               field=afield(key)))
            parts.append(_path(pm.path_type, pm.value))
        return parts or None
    if fld == "query-string":
        cfg = get_ci(cond, "queryStringConfig")
        pairs = get_ci(cfg, "values")
        if not isinstance(pairs, list) or len(pairs) > 64:
            raise JSONProblem("queryStringConfig.Values must be a list of {Key, Value}")
        parts = []
        for p in pairs:
            k, v = get_ci(p, "key"), get_ci(p, "value")
            if not isinstance(v, str) or (k is not None and not isinstance(k, str)):
                raise JSONProblem("queryStringConfig.Values must be a list of {Key, Value}")
            if not k:
                block(conv, key, "alb/condition-unsupported",
                      f"{key}: a query-string value without a key (any parameter) has no Gateway "
                      "API form")
                return None
            if "*" in k + v or "?" in k + v:
                block(conv, key, "alb/condition-unsupported",
                      f"{key}: query-string wildcards have no Gateway API form")
                return None
            parts.append(_query(k, v))
        return parts or None
    if fld == "source-ip":
        values = _values(cond, "sourceIpConfig", fld)
        from ipaddress import ip_network

        try:
            cidrs = tuple(str(ip_network(v.strip(), strict=False)) for v in values)
        except ValueError:
            raise JSONProblem("sourceIpConfig.Values must be CIDRs") from None
        rule.intents.append(IPAccess(cidrs, (), prov(key, SOURCE_IP, WHY_SOURCE_IP)))
        return None
    block(conv, key, "alb/condition-unsupported",
          f"{key}: condition field {fld[:40]!r} is not one gwshift converts")
    return None


def _host_header(conv: Conversion, route: Route, key: str, values: list[str]) -> bool | None:
    hosts = route.hostnames
    if not hosts:
        block(conv, key, "alb/condition-host-header",
              f"{key}: a host-header condition on a rule without a host would need its own "
              "route per host")
        return None
    covered = [h for h in hosts if any(wildcard_match(v, h) for v in values)]
    if len(covered) == len(hosts):
        return None  # the route's hostnames already say it
    if not covered:
        conv.note(info("alb/condition-never-matches",
                       f"{key}: the host-header condition excludes every host of the rule, so "
                       "the ALB never used it; the rule is dropped", field=afield(key)))
        return False
    block(conv, key, "alb/condition-host-header",
          f"{key}: the host-header condition keeps only some hosts of the rule "
          f"({', '.join(covered)}); that needs its own route")
    return None


def _header(name: str, value: str) -> Any:
    wild = "*" in value or "?" in value

    def part(m: Match) -> bool:
        if wild:
            from gwshift.handlers.alb.paths import to_regex

            m.headers.append({"type": "RegularExpression", "name": name,
                              "value": "(?i)" + to_regex(value)})
        else:
            m.headers.append({"name": name, "value": value})
        return True

    return part


def _method(method: str) -> Any:
    def part(m: Match) -> bool:
        m.method = method
        return True

    return part


def _query(k: str, v: str) -> Any:
    def part(m: Match) -> bool:
        m.query_params.append({"name": k, "value": v})
        return True

    return part


def _path(path_type: str, value: str) -> Any:
    def part(m: Match) -> bool:
        if m.path_type == "PathPrefix" and m.path == "/" or m.path is None:
            m.path_type, m.path = path_type, value
            return True
        return m.path_type == path_type and m.path == value

    return part
