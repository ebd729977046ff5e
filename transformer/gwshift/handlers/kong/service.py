"""Annotations Kong reads from the backend Service (``konghq.com/*`` on the Service).

The Service passes through untouched; what its annotations ask for lands on the rules
that route to it: upstream protocol (BackendTLS intent), path prefix and Host (one
URLRewrite with the Ingress's strip-path), timeouts, plugins (rule-scoped intents).
"""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import backend_rules
from gwshift.handlers._values import duration, parse_bool, parse_csv, parse_int
from gwshift.handlers.kong import plugins
from gwshift.handlers.kong._common import PREFIX
from gwshift.intents import BackendTLS, Provenance
from gwshift.model import Conversion, Rule, mapping
from gwshift.notes import info, warning

DEFAULT_TIMEOUT_MS = 60000
MAX_TIMEOUT_MS = 2**31 - 2  # Kong's schema for connect/read/write_timeout
TIMEOUTS = ("connect-timeout", "read-timeout", "write-timeout")


class ServiceFacts:
    """What the rewriting step needs from the Services: path prefix and Host per Service."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}
        self.hosts: dict[str, str] = {}


def _annotations(svc: dict[str, Any]) -> dict[str, str]:
    ann = mapping(mapping(svc.get("metadata")).get("annotations"))
    return {k[len(PREFIX):]: str(v) for k, v in ann.items()
            if isinstance(k, str) and k.startswith(PREFIX)}


def apply_services(conv: Conversion, ctx: Context, known: frozenset[str]) -> ServiceFacts:
    facts = ServiceFacts()
    users: dict[str, list[Rule]] = {}
    for rule in backend_rules(conv):
        for b in rule.backends:
            if b.kind == "Service" and not b.group:
                users.setdefault(b.name, []).append(rule)
    for name in sorted(users):
        svc = ctx.find("Service", conv.source.namespace, name)
        anns = _annotations(svc) if svc is not None else {}
        if anns:
            _apply(conv, ctx, name, anns, users[name], facts, known)
    return facts


def _apply(conv: Conversion, ctx: Context, svc: str, anns: dict[str, str], rules: list[Rule],
           facts: ServiceFacts, known: frozenset[str]) -> None:
    where = f"{rules[0].source}.backend"

    def note(make: Any, code: str, key: str, message: str) -> None:
        conv.note(make(code, f"Service {svc} {PREFIX}{key}: {message}", field=where))

    for k in sorted(anns):
        if k not in known:
            note(warning, "kong/unknown-annotation", k,
                 "not a Kong Service annotation (KIC 3.x); not converted")
    path = anns.get("path")
    if path:
        if path.startswith("/"):
            facts.paths[svc] = path
        else:
            note(warning, "kong/invalid-value", "path", f"{path!r} does not start with '/'")
    if anns.get("host-header"):
        facts.hosts[svc] = anns["host-header"].strip()
    _protocol(conv, ctx, svc, anns, rules, where, note)
    _timeouts(conv, anns, rules, note)
    if "retries" in anns:
        note(warning, "kong/retries-not-converted", "retries",
             "Kong retried failed connections (default 5); HTTPRoute retry is experimental and "
             "retries by status code; not converted")
    for k, msg in (("upstream-policy", ("KongUpstreamPolicy (hashing, health checks, "
                    "algorithm) is implementation-specific")),
                   ("override", "KongIngress overrides are deprecated and not converted"),
                   ("tls-verify-depth", "verification depth is the implementation's")):
        if k in anns:
            note(warning if k != "tls-verify-depth" else info, f"kong/{k}-not-converted", k, msg)
    if anns.get("plugins"):
        origin = plugins.Origin(f"{PREFIX}plugins (on Service {svc})", where)
        refs = plugins.refs_of(anns["plugins"], conv.source.namespace, ctx)
        eff = plugins.effects(refs, origin)
        plugins.apply_to_rules(conv, rules, eff, origin)
        for rule in rules:
            rule.intents.extend(i for i in eff.intents if i not in rule.intents)


def _protocol(conv: Conversion, ctx: Context, svc: str, anns: dict[str, str], rules: list[Rule],
              where: str, note: Any) -> None:
    proto = anns.get("protocol", "").strip().lower()
    if proto in ("https", "grpcs"):
        verify = parse_bool(anns.get("tls-verify")) is True
        cas = parse_csv(anns.get("ca-certificates-secrets"))
        host = anns.get("host-header") or None
        if host is None:
            ns = ctx.namespace_of(conv.source.namespace) or "default"
            host = f"{svc}.{ns}.svc"
            if verify:
                note(warning, "kong/backend-tls-hostname", "tls-verify",
                     f"no konghq.com/host-header: BackendTLSPolicy verifies the certificate as "
                     f"{host!r}")
        intent = BackendTLS(svc, None, host.lower(), cas[0] if cas else None,
                            verify, anns.get("client-cert") or None, Provenance(
                                PREFIX + "protocol", where, "kong/backend-tls",
                                f"Service {svc} is served over TLS (konghq.com/protocol {proto})"
                                " and the target cannot express that backend TLS; the routes "
                                "would send plain HTTP to it", security=False))
        for rule in rules:
            if intent not in rule.intents:
                rule.intents.append(intent)
    if proto in ("grpc", "grpcs"):
        note(warning, "kong/backend-h2c", "protocol",
             "gRPC upstreams need HTTP/2: set appProtocol kubernetes.io/h2c (grpc) or "
             "kubernetes.io/h2c over TLS on the Service port")
    elif proto in ("tcp", "tls", "udp", "tls_passthrough"):
        note(info, "kong/protocol-stream", "protocol",
             f"{proto} applies to TCPIngress/UDPIngress routes, not to this Ingress")
    elif proto not in ("", "http", "https", "ws", "wss"):
        note(warning, "kong/invalid-value", "protocol", f"{proto!r} is not a Kong protocol")


def _timeouts(conv: Conversion, anns: dict[str, str], rules: list[Rule], note: Any) -> None:
    given = {k: parse_int(anns.get(k)) for k in TIMEOUTS if k in anns}
    if not given:
        return
    # Kong's own bound (its schema: an integer between 0 and 2^31 - 2 ms): read here, with a
    # note, so the total always fits a Gateway API duration (never clamped by duration()).
    bad = [k for k, v in given.items() if v is None or not 0 <= v <= MAX_TIMEOUT_MS]
    if bad:
        note(warning, "kong/invalid-value", bad[0], "not a number of milliseconds from 0 to "
             f"{MAX_TIMEOUT_MS} (Kong's limit); ignored")
        return
    total_ms = sum(given.get(k) or DEFAULT_TIMEOUT_MS for k in TIMEOUTS)
    total = duration(-(-total_ms // 1000))
    for rule in rules:
        rule.timeouts = {"request": total, "backendRequest": total}
    note(warning, "kong/timeout-approximated", next(iter(given)),
         f"Kong's connect/write/read timeouts (idle, per operation) become one total of {total} "
         "(connect + write + read, defaults 60s each); long responses are cut at that time")
