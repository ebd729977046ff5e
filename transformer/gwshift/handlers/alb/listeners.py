"""Listeners (``listen-ports``), the group-wide ``ssl-redirect``, and ALB's rule order.

An ALB listener evaluates its rules in order and the first match wins; Gateway API picks
the most specific match. The controller also drops, per listener, a redirect rule that would
redirect to that same listener (the legacy ``actions.ssl-redirect`` idiom on an HTTPS
listener) and every rule that an earlier redirect already covers. Doing the same per
listener (and dropping any rule an earlier rule fully covers) makes the routes serve what
the ALB served; listeners whose rule lists differ get their own route.
"""

from __future__ import annotations

import copy
import re

from gwshift.context import Context
from gwshift.handlers._values import parse_port
from gwshift.handlers.alb._kit import (
    JSONProblem,
    afield,
    block,
    canonical,
    gateway_intent,
    hosts_of,
    load_json,
    prov,
)
from gwshift.intents import IPAccess, Opaque
from gwshift.model import HTTP, HTTPS, Conversion, ListenerKey, Match, Route, Rule
from gwshift.notes import info, warning

PREFIX = "alb.ingress.kubernetes.io/"
LISTEN_PORTS = PREFIX + "listen-ports"
SSL_REDIRECT = PREFIX + "ssl-redirect"
CERTIFICATE_ARN = PREFIX + "certificate-arn"
HTTPS_CERTIFICATE = "alb/https-certificate-from-acm"


def listen_ports(conv: Conversion) -> list[tuple[str, int]] | None:
    """The (protocol, port) listeners of the Ingress; None when the annotation is invalid."""
    raw = conv.source.annotation(LISTEN_PORTS)
    if raw is None:
        # The controller's default: HTTPS:443 when a certificate is configured, else HTTP:80.
        tls = conv.source.annotation(CERTIFICATE_ARN) or conv.tls
        return [(HTTPS, 443)] if tls else [(HTTP, 80)]
    try:
        value = load_json(raw)
        if not isinstance(value, list) or not value or len(value) > 64:
            raise JSONProblem("must be a non-empty JSON list like [{\"HTTP\": 80}, {\"HTTPS\": 443}]")
        out: list[tuple[str, int]] = []
        for entry in value:
            if not isinstance(entry, dict) or len(entry) != 1:
                raise JSONProblem("every entry must be one {\"PROTOCOL\": port} object")
            ((proto, port),) = entry.items()
            if not isinstance(proto, str) or proto.upper() not in (HTTP, HTTPS):
                raise JSONProblem("protocols must be HTTP or HTTPS")
            if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
                raise JSONProblem("ports must be numbers from 1 to 65535")
            if (proto.upper(), port) not in out:
                out.append((proto.upper(), port))
    except JSONProblem as exc:
        block(conv, LISTEN_PORTS, "alb/invalid-listen-ports", f"{LISTEN_PORTS} {exc}")
        return None
    return out


def apply_listen_ports(conv: Conversion, ctx: Context) -> None:
    ports = listen_ports(conv)
    if ports is None:
        return
    for route in conv.routes:
        route.listeners = [ListenerKey(h, proto, port) for h in hosts_of(route)
                           for proto, port in ports]
    if any(proto == HTTPS for proto, _ in ports):
        _https_certificates(conv, ctx)
    _https_settings(conv, sorted(port for proto, port in ports if proto == HTTPS))
    for t in conv.tls:
        if t.secret:
            conv.note(warning("alb/tls-secret-ignored",
                              f"the ALB ignored secretName {t.secret} (its certificates come from "
                              "ACM); the Gateway listener uses that Secret, so it must exist",
                              field=f"{t.field}.secretName"))


def _https_certificates(conv: Conversion, ctx: Context) -> None:
    """HTTPS hosts without a certificate Secret: the ALB used ACM, the Gateway has nothing.

    Without a certificate the Gateway emits no HTTPS listener and the routes serve nothing
    there, so this is recorded as an intent that keeps the Ingress unless a target (aws:
    LoadBalancerConfiguration) expresses the certificate or the user accepts the loss.
    """
    hosts = sorted({h or "*" for r in conv.routes for h in hosts_of(r)
                    if not (ctx.tls_secrets_for(conv, h) if h else
                            any(t.secret and not t.hosts for t in conv.tls))})
    if not hosts:
        return
    arn = conv.source.annotation(CERTIFICATE_ARN)
    key = CERTIFICATE_ARN if arn is not None else LISTEN_PORTS
    value = canonical({"hosts": hosts, "certificateArn": arn})
    gateway_intent(conv, Opaque("alb", "certificate", value, prov(
        key, HTTPS_CERTIFICATE,
        f"the ALB's HTTPS listener took the certificate for {', '.join(hosts)} from ACM "
        "(certificate-arn, or discovery by host); a Gateway HTTPS listener needs a certificate "
        "Secret (add spec.tls secretName) or the target's load balancer configuration "
        "(--target aws), else HTTPS is not served")))


# Settings of the ALB's HTTPS listeners (LoadBalancerConfiguration listenerConfigurations).
HTTPS_SETTINGS = ("certificate-arn", "ssl-policy")
WHY_LB = ("a load balancer setting with no Gateway API field: only the aws target "
          "(LoadBalancerConfiguration) expresses it")


def _https_settings(conv: Conversion, ports: list[int]) -> None:
    """``certificate-arn`` / ``ssl-policy`` as Opaque ``{"value", "ports"}``: the aws target
    writes one listenerConfiguration per HTTPS port; without an HTTPS listener the ALB
    ignored them."""
    for name in HTTPS_SETTINGS:
        key = PREFIX + name
        raw = conv.source.annotation(key)
        if raw is None or not raw.strip():
            continue
        if not ports:
            conv.note(info("alb/no-https-listener", f"{key} is ignored, as by the ALB: the "
                           "Ingress has no HTTPS listener (listen-ports)", field=afield(key)))
            continue
        value = canonical({"value": raw.strip(), "ports": ports})
        gateway_intent(conv, Opaque("alb", name, value, prov(key, "alb/load-balancer-setting",
                                                             WHY_LB, security=False)))


# --- ssl-redirect (IngressGroup-wide) -----------------------------------------------------


def ssl_redirect_port(conv: Conversion) -> int | None:
    raw = conv.source.annotation(SSL_REDIRECT)
    if raw is None:
        return None
    port = parse_port(raw.strip())  # ASCII digits only: "٨٠" must not redirect to port 80
    if port is None:
        block(conv, SSL_REDIRECT, "alb/invalid-ssl-redirect",
              f"{SSL_REDIRECT}={raw[:40]!r} is not the HTTPS port to redirect to")
        return None
    return port


def apply_ssl_redirect(members: list[Conversion]) -> None:
    """Once one Ingress of a group sets it, every HTTP listener of the group redirects."""
    port = None
    origin = None
    for conv in members:
        p = ssl_redirect_port(conv)
        if p is not None and port is None:
            port, origin = p, conv
    if port is None or origin is None:
        return
    for conv in members:
        if conv.blocked:
            continue
        if conv is not origin and conv.source.annotation(SSL_REDIRECT) is None:
            conv.note(info("alb/ssl-redirect-from-group",
                           f"{SSL_REDIRECT} of Ingress {origin.source.namespace}/"
                           f"{origin.source.name} applies to every Ingress of the IngressGroup: "
                           "HTTP requests redirect to HTTPS here too"))
        extra = []
        for route in conv.routes:
            http = [k for k in route.listeners if k.protocol == HTTP]
            if not http or route.kind != "HTTPRoute":
                continue
            route.listeners = [k for k in route.listeners if k.protocol != HTTP]
            redirect: dict[str, object] = {"scheme": "https", "statusCode": 301}
            if port != 443:
                redirect["port"] = port
            rule = Rule([Match("PathPrefix", "/")], [], afield(SSL_REDIRECT),
                        filters=[{"type": "RequestRedirect", "requestRedirect": redirect}])
            suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
            extra.append(Route("HTTPRoute", suffix, list(route.hostnames), [rule], http,
                               source=route.source))
        conv.routes = [r for r in conv.routes if r.listeners] + extra


# --- rule order per listener ----------------------------------------------------------------


_PATH_FIELD = re.compile(r"^spec\.rules\[(\d+)\]\.http\.paths\[\d+\]")


def _lbc_order(conv: Conversion, rules: list[Rule]) -> list[Rule]:
    """The AWS LBC's ``sortIngressPaths`` (pkg/ingress/model_build_listener_rules.go): per
    Ingress rule, Exact paths, then Prefix longest first (stable), then
    ImplementationSpecific/unset as written; the defaultBackend is the listener's default
    action, last."""
    types = {p.field: (p.path_type, p.path or "") for r in conv.ingress.rules for p in r.paths}

    def rank(rule: Rule) -> tuple[int, int, int]:
        m = _PATH_FIELD.match(rule.source or "")
        if m is None or m.group(0) not in types:
            return (1 << 30, 3, 0)
        ptype, path = types[m.group(0)]
        tier = 0 if ptype == "Exact" else 1 if ptype == "Prefix" else 2
        return (int(m.group(1)), tier, -len(path) if tier == 1 else 0)

    return sorted(rules, key=rank)


def apply_rule_order(conv: Conversion) -> None:
    routes: list[Route] = []
    for route in conv.routes:
        if route.kind != "HTTPRoute" or not route.listeners:
            routes.append(route)
            continue
        ordered_rules = _lbc_order(conv, route.rules)
        if [id(r) for r in ordered_rules] != [id(r) for r in route.rules]:
            conv.note(info("alb/path-order",
                           "the AWS Load Balancer Controller orders a rule's paths Exact, then "
                           "Prefix (longest first), then ImplementationSpecific, not as written; "
                           "the HTTPRoute rules follow that order where a first match decides",
                           field="spec.rules"))
            route.rules = ordered_rules
        groups: dict[tuple[int, ...], tuple[list[Rule], list[ListenerKey]]] = {}
        shadowed: dict[int, Rule] = {}
        served: set[int] = set()
        for lk in route.listeners:
            kept = _rules_for(route, lk, shadowed)
            served.update(id(r) for r in kept)
            groups.setdefault(tuple(id(r) for r in kept), (kept, []))[1].append(lk)
        # A rule shadowed on some listeners only (the redirect idiom on HTTP) still serves
        # elsewhere: its own route says so. One shadowed everywhere never served at all.
        for r in (r for i, r in shadowed.items() if i not in served):
            conv.note(info("alb/rule-shadowed",
                           "an earlier rule of the ALB listener matches every request this rule "
                           "matches (ALB rules are evaluated in order), so it never served "
                           "anything; it is dropped", field=r.source))
        ordered = sorted(groups.values(), key=lambda g: (not any(k.protocol == HTTPS for k in g[1])))
        first = True
        for kept, keys in ordered:
            if not kept:
                continue
            if first:
                route.rules, route.listeners = kept, keys
                routes.append(route)
                first = False
                continue
            redirect_only = all(_redirect(r) is not None for r in kept)
            tag = "redirect" if redirect_only else f"{keys[0].protocol.lower()}-{keys[0].port}"
            suffix = f"{route.suffix}-{tag}" if route.suffix else tag
            routes.append(Route(route.kind, suffix, list(route.hostnames), copy.deepcopy(kept),
                                keys, source=route.source, intents=list(route.intents)))
    conv.routes = routes


def _rules_for(route: Route, lk: ListenerKey, shadowed: dict[int, Rule]) -> list[Rule]:
    out: list[Rule] = []
    for rule in route.rules:
        if _redirects_to_itself(rule, route, lk):
            continue
        if any(_covers(earlier, rule) for earlier in out):
            shadowed[id(rule)] = rule
            continue
        out.append(rule)
    return out


def _redirect(rule: Rule) -> dict[str, object] | None:
    for f in rule.filters:
        if f.get("type") == "RequestRedirect":
            red: dict[str, object] = f["requestRedirect"]
            return red
    return None


def _redirects_to_itself(rule: Rule, route: Route, lk: ListenerKey) -> bool:
    red = _redirect(rule)
    if red is None or "path" in red:
        return False
    scheme = red.get("scheme")
    proto = str(scheme).upper() if scheme else lk.protocol
    default = 443 if scheme == "https" else 80 if scheme == "http" else lk.port
    host = red.get("hostname")
    return (proto == lk.protocol and red.get("port", default) == lk.port
            and (host is None or host in route.hostnames))


def _covers(a: Rule, b: Rule) -> bool:
    if any(isinstance(i, IPAccess) for i in a.intents):  # a source-ip condition narrows it
        return False
    return all(any(_match_covers(ma, mb) for ma in a.matches) for mb in b.matches)


def _match_covers(a: Match, b: Match) -> bool:
    if a.method and a.method != b.method:
        return False
    if any(h not in b.headers for h in a.headers) or any(q not in b.query_params
                                                        for q in a.query_params):
        return False
    if a.path is None or a.path_type is None:
        return True
    if a.path_type == "PathPrefix":
        if a.path == "/":
            return True
        if b.path_type not in ("Exact", "PathPrefix") or b.path is None:
            return False
        base = a.path.rstrip("/")
        return b.path.rstrip("/") == base or b.path.startswith(base + "/")
    return a.path_type == b.path_type and a.path == b.path
