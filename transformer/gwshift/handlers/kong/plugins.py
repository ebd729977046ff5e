"""``konghq.com/plugins`` (on the Ingress or the backend Service): KongPlugin and
KongClusterPlugin references.

A plugin in the stream whose ``plugin:`` has a portable or intent form becomes that
(ip-restriction -> IPAccess, rate-limiting -> RateLimit, cors -> CORS filter,
request-/response-transformer headers -> header modifiers); anything else, or a plugin not
in the stream, becomes an ``ExtensionRef`` intent to it, which only a Kong target can attach.
Plugins that may control access fail closed elsewhere.
"""

from __future__ import annotations

import copy
import ipaddress
import re
from typing import Any, NamedTuple

from gwshift.context import Context
from gwshift.handlers._ir import merge_filter
from gwshift.handlers._values import parse_csv
from gwshift.handlers.kong._common import GROUP, seq
from gwshift.intents import ExtensionRef, Intent, IPAccess, Provenance, RateLimit
from gwshift.model import Conversion, Rule, mapping
from gwshift.notes import error, info

CODE = "kong/plugin"  # a plugin left as an ExtensionRef (security: fail closed)
CODE_DROPPED = "kong/plugin-dropped"  # the same for a plugin that controls no access
# Plugins that control no access: not expressed -> a warning, not fail closed.
HARMLESS = frozenset({
    "correlation-id", "prometheus", "zipkin", "opentelemetry", "datadog", "statsd",
    "file-log", "http-log", "tcp-log", "udp-log", "syslog", "loggly", "request-transformer",
    "response-transformer", "proxy-cache", "grpc-web", "grpc-gateway", "cors",
    "request-size-limiting", "session",
})
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
_ORIGIN = re.compile(r"^(\*|https?://(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                     r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?)$")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")


class PluginRef(NamedTuple):
    name: str
    kind: str  # KongPlugin | KongClusterPlugin
    namespace: str | None
    obj: dict[str, Any] | None


class Origin(NamedTuple):
    key: str
    field: str


class Effects(NamedTuple):
    intents: list[Intent]
    filters: list[tuple[str, dict[str, Any]]]  # (filter type, member patch)
    notes: list[str]


class NotPortable(Exception):
    def __init__(self, reason: str, security: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.security = security


def resolve(name: str, ns: str | None, ctx: Context) -> PluginRef:
    """KIC looks for a KongPlugin in the namespace first, then a KongClusterPlugin."""
    obj = ctx.find("KongPlugin", ns, name)
    if obj is not None and str(obj.get("apiVersion", "")).startswith(GROUP + "/"):
        return PluginRef(name, "KongPlugin", ns, obj)
    cluster = ctx.find("KongClusterPlugin", None, name)
    if cluster is not None and str(cluster.get("apiVersion", "")).startswith(GROUP + "/"):
        return PluginRef(name, "KongClusterPlugin", None, cluster)
    return PluginRef(name, "KongPlugin", ns, None)


def effects(refs: list[PluginRef], origin: Origin) -> Effects:
    out = Effects([], [], [])
    for ref in refs:
        if ref.obj is None:
            out.intents.append(_extension(ref, origin, True, "it is not in the input, so "
                                          "gwshift cannot tell what it does (it may be "
                                          "authentication)"))
            continue
        if ref.obj.get("disabled") is True:
            out.notes.append(f"{ref.kind} {ref.name} is disabled; nothing to convert")
            continue
        plugin = str(ref.obj.get("plugin") or "")
        try:
            _translate(ref, plugin, origin, out)
        except NotPortable as exc:
            out.intents.append(_extension(ref, origin, exc.security, exc.reason))
    return out


# Kong auth plugins whose credentials are KongConsumer objects (not a Secret a target reads).
_CONSUMER_AUTH = frozenset({"basic-auth", "key-auth", "hmac-auth", "jwt", "acl"})


def _translate(ref: PluginRef, plugin: str, origin: Origin, out: Effects) -> None:
    fn = _PLUGINS.get(plugin)
    security = plugin not in HARMLESS
    if fn is None:
        if plugin in _CONSUMER_AUTH:
            # Its credentials are KongConsumer credentials, which no other implementation
            # reads: there is no Secret to hand to another target's basic/key auth.
            raise NotPortable(f"plugin {plugin} checks the credentials of KongConsumers, which "
                              "only Kong reads (move them to the target's own auth)", True)
        raise NotPortable(f"plugin {plugin or '(unnamed)'} has no portable Gateway API form",
                          security)
    if ref.obj is not None and ref.obj.get("configFrom"):
        raise NotPortable("its configuration is in a Secret (configFrom) gwshift cannot read",
                          security)
    extra = [k for k in ("consumerRef", "run_on", "ordering", "protocols")
             if ref.obj is not None and ref.obj.get(k)]
    if extra:
        raise NotPortable(f"{', '.join(extra)} has no portable form", security)
    config = mapping(ref.obj.get("config")) if ref.obj is not None else {}
    fn(ref, config, origin, out)


def _prov(ref: PluginRef, origin: Origin, code: str, why: str) -> Provenance:
    return Provenance(origin.key, origin.field, code, f"{ref.kind} {ref.name}: {why}",
                      security=True)


def _ip_restriction(ref: PluginRef, config: dict[str, Any], origin: Origin,
                    out: Effects) -> None:
    allow = _cidrs(config.get("allow") or seq(config.get("whitelist")))
    deny = _cidrs(config.get("deny") or seq(config.get("blacklist")))
    if not allow and not deny:
        raise NotPortable("ip-restriction lists no address", True)
    if config.get("status") or config.get("message"):
        out.notes.append(f"{ref.kind} {ref.name}: the custom rejection status/message is lost")
    out.intents.append(IPAccess(allow, deny, _prov(
        ref, origin, "kong/ip-restriction", "Gateway API has no client-IP allow/deny list "
        "(implementation policies only); dropping it opens the routes to everyone")))


def _cidrs(values: Any) -> tuple[str, ...]:
    out = []
    for v in values if isinstance(values, list) else [values]:
        try:
            out.append(str(ipaddress.ip_network(str(v).strip(), strict=False)))
        except ValueError:
            raise NotPortable(f"{v!r} is not an IP address or CIDR", True) from None
    return tuple(out)


_UNITS = {"second": "Second", "minute": "Minute"}
_LONGER = ("hour", "day", "month", "year")


def _rate_limiting(ref: PluginRef, config: dict[str, Any], origin: Origin,
                   out: Effects) -> None:
    limits = {u: config.get(u) for u in (*_UNITS, *_LONGER) if config.get(u) is not None}
    if len(limits) != 1 or next(iter(limits)) not in _UNITS:
        raise NotPortable(f"limits per {', '.join(limits) or 'nothing'} (only one limit per "
                          "second or per minute has an intent form)", True)
    (unit, count), = limits.items()
    if not isinstance(count, int) or count <= 0:
        raise NotPortable(f"limit {count!r} is not a positive count", True)
    by = config.get("limit_by") or "consumer"
    if by not in ("consumer", "ip"):
        raise NotPortable(f"limit_by {by} (the intent limits per client IP)", True)
    if by == "consumer":
        out.notes.append(f"{ref.kind} {ref.name}: Kong limited per authenticated consumer, "
                         "falling back to the client IP; the limit is now per client IP")
    if config.get("policy") in ("cluster", "redis"):
        out.notes.append(f"{ref.kind} {ref.name}: Kong counted across its nodes "
                         f"({config['policy']}); the implementation may count per proxy")
    out.intents.append(RateLimit(count, _UNITS[unit], None, _prov(  # type: ignore[arg-type]
        ref, origin, "kong/rate-limiting", "Gateway API has no rate limits (implementation "
        "policies only); dropping them removes abuse protection")))


_CORS_METHODS = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"]


def _cors(ref: PluginRef, config: dict[str, Any], origin: Origin, out: Effects) -> None:
    origins = [str(o) for o in seq(config.get("origins"))] or ["*"]
    if any(not _ORIGIN.match(o.lower()) for o in origins):
        raise NotPortable(f"origins {origins} include regexes or invalid origins", False)
    cors: dict[str, Any] = {"allowOrigins": ["*"] if "*" in origins else
                            [o.lower() for o in origins]}
    methods = [str(m).upper() for m in seq(config.get("methods")) or _CORS_METHODS]
    if any(m not in METHODS for m in methods):
        raise NotPortable(f"methods {methods} include one Gateway API lacks", False)
    cors["allowMethods"] = methods
    headers = [str(h) for h in seq(config.get("headers"))]
    # Without a list Kong echoed Access-Control-Request-Headers: any header is allowed.
    cors["allowHeaders"] = ["*"] if not headers or "*" in headers else headers
    exposed = [str(h) for h in seq(config.get("exposed_headers"))]
    if exposed:
        cors["exposeHeaders"] = ["*"] if "*" in exposed else exposed
    if config.get("credentials") is True:
        cors["allowCredentials"] = True
    age = config.get("max_age")
    if isinstance(age, int) and age >= 1:
        cors["maxAge"] = age
    if config.get("preflight_continue") is True:
        out.notes.append(f"{ref.kind} {ref.name}: preflight_continue (preflights proxied "
                         "upstream) is lost; the Gateway answers preflights")
    out.filters.append(("CORS", cors))


def _pairs(items: Any, what: str) -> list[tuple[str, str]]:
    out = []
    for item in items if isinstance(items, list) else []:
        name, sep, value = str(item).partition(":")
        if not sep or not _HEADER.match(name.strip()) or not value.strip():
            raise NotPortable(f"{what} entry {item!r} is not 'name:value'", False)
        out.append((name.strip(), value.strip()))
    return out


def _transformer(ftype: str) -> Any:
    member = "requestHeaderModifier" if ftype.startswith("Request") else "responseHeaderModifier"

    def translate(ref: PluginRef, config: dict[str, Any], origin: Origin, out: Effects) -> None:
        patch: dict[str, Any] = {}
        for action in ("remove", "rename", "replace", "add", "append"):
            section = mapping(config.get(action))
            other = sorted(k for k, v in section.items() if k != "headers" and v)
            if other or (action == "rename" and section.get("headers")):
                raise NotPortable(f"{action} {', '.join(other) or 'headers'} has no portable "
                                  "form", False)
        if config.get("http_method") or config.get("uri"):
            raise NotPortable("http_method/uri changes have no portable form", False)
        removes = [str(h) for h in seq(mapping(config.get("remove")).get("headers"))]
        sets = (_pairs(mapping(config.get("replace")).get("headers"), "replace")
                + _pairs(mapping(config.get("add")).get("headers"), "add"))
        adds = _pairs(mapping(config.get("append")).get("headers"), "append")
        if removes:
            patch["remove"] = removes
        if sets:
            patch["set"] = [{"name": n, "value": v} for n, v in dict(sets).items()]
        if adds:
            patch["add"] = [{"name": n, "value": v} for n, v in adds]
        if not patch:
            out.notes.append(f"{ref.kind} {ref.name} changes no header; nothing to convert")
            return
        if sets:
            out.notes.append(f"{ref.kind} {ref.name}: Kong's add (only if absent) and replace "
                             "(only if present) both become set (always)")
        out.filters.append((ftype, {member: patch}))

    return translate


_PLUGINS = {
    "ip-restriction": _ip_restriction,
    "rate-limiting": _rate_limiting,
    "cors": _cors,
    "request-transformer": _transformer("RequestHeaderModifier"),
    "response-transformer": _transformer("ResponseHeaderModifier"),
}


def _extension(ref: PluginRef, origin: Origin, security: bool, reason: str) -> ExtensionRef:
    code = CODE if security else CODE_DROPPED
    why = (f"{ref.kind} {ref.name} stays a Kong plugin ({reason}); only a Kong target can "
           "attach it" + ("" if security else "; without it the routes lose its effect"))
    return ExtensionRef(GROUP, ref.kind, ref.name, ref.namespace,
                        Provenance(origin.key, origin.field, code, why, security))


def apply_to_rules(conv: Conversion, rules: list[Rule], eff: Effects, origin: Origin) -> None:
    """Filters on every rule; the caller places the intents (route or rule scope)."""
    for note in eff.notes:
        conv.note(info("kong/plugin-approximated", note, field=origin.field))
    for rule in rules:
        for ftype, shared in eff.filters:
            patch = copy.deepcopy(shared)  # one copy per rule: no YAML anchors in the output
            if ftype == "CORS":
                merge_filter(rule, "CORS", patch)
                continue
            member = next(iter(patch))
            current = next((f for f in rule.filters if f.get("type") == ftype), None)
            if current is None:
                rule.filters.append({"type": ftype, member: patch[member]})
                continue
            for k, v in patch[member].items():
                current[member].setdefault(k, []).extend(v)
            if any(len(v) > 16 for v in current[member].values()):
                conv.block(error("kong/too-many-headers", "more than 16 header changes on one "
                                 "rule; the Ingress is kept", field=origin.field))


def refs_of(value: str, ns: str | None, ctx: Context) -> list[PluginRef]:
    return [resolve(name, ns, ctx) for name in parse_csv(value)]
