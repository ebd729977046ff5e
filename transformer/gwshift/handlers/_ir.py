"""Neutral helpers over the route IR, shared by every dialect (no annotation is read here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from gwshift.model import HTTP, HTTPS, Conversion, Ingress, ListenerKey, Rule

if TYPE_CHECKING:
    from gwshift.context import Context


def rules(conv: Conversion) -> Iterator[Rule]:
    """Every rule of the conversion once (the core may share one rule between routes)."""
    seen: set[int] = set()
    for route in conv.routes:
        for rule in route.rules:
            if id(rule) not in seen:
                seen.add(id(rule))
                yield rule


def source_hosts(conv: Conversion) -> set[str]:
    """Hosts the source names (lowercase), converted or not: an Ingress's rule hosts, else
    the hostnames of its routes."""
    if isinstance(conv.source, Ingress):
        return {r.host.lower() for r in conv.source.rules if r.host}
    return {h for route in conv.routes for h in route.hostnames}


def backend_rules(conv: Conversion) -> Iterator[Rule]:
    """Rules that proxy (not redirect rules)."""
    return (r for r in rules(conv) if r.backends and not has_filter(r, "RequestRedirect"))


def has_filter(rule: Rule, ftype: str) -> bool:
    return any(f.get("type") == ftype for f in rule.filters)


_MEMBER = {
    "URLRewrite": "urlRewrite",
    "RequestRedirect": "requestRedirect",
    "RequestHeaderModifier": "requestHeaderModifier",
    "ResponseHeaderModifier": "responseHeaderModifier",
    "CORS": "cors",
}


def merge_filter(rule: Rule, ftype: str, patch: dict[str, Any]) -> None:
    """Merge ``patch`` into the rule's single filter of ``ftype`` (CEL: one of each type)."""
    member = _MEMBER[ftype]
    for f in rule.filters:
        if f.get("type") == ftype:
            f[member].update(patch)
            return
    rule.filters.append({"type": ftype, member: dict(patch)})


def set_header(rule: Rule, ftype: str, name: str, value: str) -> None:
    """Add ``set`` of a header to the rule's one header modifier of ``ftype``."""
    member = _MEMBER[ftype]
    for f in rule.filters:
        if f.get("type") == ftype:
            entries = f[member].setdefault("set", [])
            entries[:] = [e for e in entries if e["name"].lower() != name.lower()]
            entries.append({"name": name, "value": value})
            return
    rule.filters.append({"type": ftype, member: {"set": [{"name": name, "value": value}]}})


def make_redirect_rule(rule: Rule, redirect: dict[str, Any]) -> None:
    """Turn ``rule`` into a redirect (CEL: no backendRefs, no URLRewrite next to it)."""
    rule.backends = []
    rule.filters = [{"type": "RequestRedirect", "requestRedirect": redirect}]
    rule.timeouts = None
    rule.session_persistence = None
    rule.retry = None


class ServiceURL(NamedTuple):
    name: str
    namespace: str | None  # None: the Ingress namespace
    port: int
    path: str


def service_url(url: str) -> ServiceURL | None:
    """``http(s)://svc[.ns[.svc[.cluster.local]]][:port][/path]`` without nginx variables."""
    from urllib.parse import urlsplit

    if "$" in url:
        return None
    parts = urlsplit(url)
    labels = (parts.hostname or "").split(".")
    if parts.scheme not in ("http", "https") or not labels[0]:
        return None
    if len(labels) > 2 and (labels[2] != "svc" or len(labels) not in (3, 5)):
        return None
    if len(labels) == 5 and labels[3:] != ["cluster", "local"]:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return ServiceURL(labels[0], labels[1] if len(labels) > 1 else None, port, parts.path)


def add_host_aliases(conv: Conversion, ctx: Context, aliases: list[str]) -> None:
    """Serve each route that has hostnames under ``aliases`` too (nginx server-alias, Kong
    host-aliases): the alias joins the hostnames, with an HTTP listener and an HTTPS one
    where a TLS entry of the group covers it."""
    for route in conv.routes:
        if not route.hostnames:
            continue
        for a in aliases:
            if a in route.hostnames:
                continue
            route.hostnames.append(a)
            route.listeners.append(ListenerKey(a, HTTP))
            if ctx.host_has_tls(conv, a):
                route.listeners.append(ListenerKey(a, HTTPS))
