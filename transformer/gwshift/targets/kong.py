"""Kong Ingress Controller 3.x: ``configuration.konghq.com/v1`` KongPlugins by ExtensionRef.

Each control is one KongPlugin ``<route>[-<rule>]-<purpose>`` in the route's namespace and
one ExtensionRef filter on the rules in scope. Kong OSS has no plugin for htpasswd basic auth
(its basic-auth plugin checks KongConsumer credentials) nor for forward auth, so those stay
with the source (fail closed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExtensionRef,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
)
from gwshift.notes import Note, Severity
from gwshift.targets import Attachment, Capability, Expressed, Target
from gwshift.targets._common import (
    distinct,
    expressed,
    extension_ref,
    first,
    ip_lists,
    note,
    obj,
    object_name,
    pick,
    strictest,
)

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "kong"
GROUP = "configuration.konghq.com"
API = f"{GROUP}/v1"
P = f"target-{NAME}/"
PLUGIN_KINDS = ("KongPlugin", "KongClusterPlugin")


def _extension_refusal(intent: ExtensionRef) -> str | None:
    if intent.group != GROUP or intent.kind not in PLUGIN_KINDS:
        return (f"Kong attaches only KongPlugin/KongClusterPlugin by ExtensionRef, not "
                f"{intent.kind}.{intent.group}")
    return None


TABLE: dict[type, Capability] = {
    IPAccess: Capability("converted", "KongPlugin ip-restriction allow/deny"),
    RateLimit: Capability(
        "approximated", "KongPlugin rate-limiting second/minute, limit_by ip, policy local "
        "(no burst)"),
    BodySize: Capability(
        "converted", "KongPlugin request-size-limiting allowed_payload_size (bytes)"),
    ExtensionRef: Capability(
        "converted", "ExtensionRef filter to the same KongPlugin/KongClusterPlugin",
        _extension_refusal),
}
# Where each intent can attach (emit's Attachment.scope): KongPlugins attach to rules only.
SCOPES: dict[type, tuple[str, ...]] = {t: ("route", "rule") for t in TABLE}
GAPS: dict[type, str] = {
    BasicAuth: "the basic-auth plugin checks KongConsumer credentials, not an htpasswd Secret; "
    "hashed passwords cannot be turned into credentials",
    ExternalAuth: "Kong OSS has no forward-auth plugin",
    ConnectionLimit: "no per-client connection limit plugin",
    ProxyTimeouts: "timeouts are Service annotations (konghq.com/*-timeout), not route plugins",
    CookieAffinity: "sticky sessions need a KongUpstreamPolicy on the Service",
    CustomErrors: "no plugin proxies error responses to another Service",
    RegexRewrite: "no regex rewrite with captures of the request path",
    BackendTLS: "backend TLS is set on the Service (konghq.com/protocol), not on a route",
    ClientCertAuth: "mtls-auth is a Kong Enterprise plugin",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    if att.scope == "gateway":
        notes += [note(P + "gateway-scope", Severity.ERROR,
                       f"{type(i).__name__}: KongPlugins attach to route rules here; it was "
                       "not expressed", att, i) for i in intents]
        return expressed(att, objects, filters, notes)
    for purpose, plugin, config in _plugins(att, intents, notes):
        name = object_name(att, purpose)
        objects.append(obj(API, "KongPlugin", name, att.namespace, plugin=plugin, config=config))
        filters.append(extension_ref(GROUP, "KongPlugin", name))
    for ref in pick(intents, ExtensionRef):
        if (ref.kind == "KongPlugin" and ref.namespace and att.namespace
                and ref.namespace != att.namespace):
            # Still attached by name: until the plugin exists in the route's namespace the
            # rule fails, never serves without it (fail closed).
            notes.append(note(P + "plugin-namespace", Severity.ERROR,
                              f"KongPlugin {ref.namespace}/{ref.name} is in another namespace "
                              f"than the route: copy it to namespace {att.namespace!r}; until "
                              "then the rule fails", att, ref))
        filters.append(extension_ref(GROUP, ref.kind, ref.name))
    return expressed(att, objects, filters, notes)


def _plugins(att: Attachment, intents: Sequence[Intent],
             notes: list[Note]) -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    allow, deny = ip_lists(intents)
    ip = first(intents, IPAccess)
    if ip is not None:
        config: dict[str, Any] = {}
        if allow is not None:
            # An empty intersection of allowlists admits nobody: a range no client has.
            config["allow"] = list(allow) or ["255.255.255.255/32"]
        if deny:
            config["deny"] = list(deny)
        out.append(("ip-restriction", "ip-restriction", config))
        notes.append(note(P + "client-ip", Severity.INFO,
                          "ip-restriction checks the client IP Kong sees; behind a load "
                          "balancer set Kong's trusted_ips and real_ip_header", att, ip))
    rates = distinct(intents, RateLimit)
    if rates:
        # One plugin holds every window (limit-rps and limit-rpm both apply); two limits of
        # one unit keep the smaller.
        limits: dict[str, int] = {}
        for rate in rates:
            unit = rate.unit.lower()
            limits[unit] = min(limits.get(unit, rate.requests), rate.requests)
        out.append(("rate-limit", "rate-limiting", {
            **dict(sorted(limits.items(), key=lambda kv: kv[0] != "second")),
            "limit_by": "ip", "policy": "local"}))
    for rate in rates:
        burst = f"; the burst of {rate.burst} nginx allowed is lost" if rate.burst else ""
        notes.append(note(P + "rate-limit", Severity.WARNING,
                          f"{rate.requests} requests per {rate.unit.lower()} per client IP in "
                          "fixed windows counted per Kong node (nginx: leaky bucket)" + burst,
                          att, rate))
    body = strictest(intents, BodySize, lambda b: b.limit_bytes)
    if body is not None and body.limit_bytes > 0:
        out.append(("body-size", "request-size-limiting", {
            "allowed_payload_size": body.limit_bytes, "size_unit": "bytes"}))
    return out


TARGET = Target(name=NAME, title="Kong Ingress Controller 3", table=TABLE, express=express,
                api_groups=(GROUP,))
