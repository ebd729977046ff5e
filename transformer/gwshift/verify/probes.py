"""Probe requests from both sides: every host and path either side names, with variants.

For every host (a wildcard instantiated with one and with two labels) and every path:
the path itself, with and without a trailing slash, a child, a sibling sharing the string
prefix, a different case, with a query; over HTTP and HTTPS. Then the canary headers and
cookies the annotations name, the methods/headers/query parameters routes match on, and
a client inside each allowlist.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from gwshift.verify import gatewayapi as gapi
from gwshift.verify import nginx
from gwshift.verify import objects as o
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Request

HOSTLESS = "unlisted-host.example.net"
MAX_PROBES_PER_HOST = 600  # bounds hostile inputs; real hosts need a few dozen
_META = re.compile(r"[()\[\]{}*+?|^$\\]")


def instantiate(host: str) -> list[str]:
    """A concrete host for a hostname; wildcards with one label and with two."""
    if host.startswith("*."):
        return ["w1" + host[1:], "w2.w1" + host[1:]]
    return [host]


def literal(path: str) -> str:
    """The literal start of a (possibly regex) path: a request that reaches it."""
    cut = _META.search(path)
    lit = path if cut is None else path[: cut.start()]
    return lit if lit.startswith("/") else "/" + lit


def sample(pattern: str) -> str:
    """A value a (header) regex finds: its literal start, anchors dropped."""
    body = pattern.removeprefix("^")
    cut = _META.search(body)
    return body if cut is None else body[: cut.start()]


def variants(path: str) -> list[tuple[str, str]]:
    """(path, query) variants of one path seed."""
    p = path or "/"
    base = p.rstrip("/") or "/"
    out = [(p, ""), (p, "q=1")]
    if p != "/":
        out.append((base + "/" if not p.endswith("/") else base, ""))
        out.append((base + "x", ""))
        if p.upper() != p:
            out.append((p.upper(), ""))
    out.append(((base if base != "/" else "") + "/child", ""))
    return out


@dataclass
class HostSeeds:
    paths: set[str] = field(default_factory=set)
    headers: set[tuple[tuple[str, str], ...]] = field(default_factory=set)
    cookies: set[tuple[str, str]] = field(default_factory=set)
    queries: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)


def _seeds_for(world: nginx.World) -> dict[str, HostSeeds]:
    seeds: dict[str, HostSeeds] = {}

    def at(host: str) -> HostSeeds:
        return seeds.setdefault(host, HostSeeds())

    for ing in world.ingresses:
        cfg = ing.cfg
        hosts = [h or HOSTLESS for h in ing.rule_hosts] or [HOSTLESS]
        for tls_hosts, _ in ing.tls:
            hosts.extend(h.lower() for h in tls_hosts)
        for alias in cfg.server_alias.replace(",", " ").split():
            hosts.append(alias.lower())
        for host in hosts:
            for concrete in instantiate(host):
                hs = at(concrete)
                hs.paths.add("/")
                for p in ing.paths:
                    if (p.host or HOSTLESS) == host:
                        hs.paths.add(literal(p.path) if world.dialect == "nginx" else p.path)
                if cfg.canary_header:
                    name = cfg.canary_header.lower()
                    values = ["always", "never", cfg.canary_header_value or "other"]
                    if cfg.canary_header_pattern:
                        lit = sample(cfg.canary_header_pattern)
                        values += [lit, f"x{lit}x"]
                    for v in values:
                        hs.headers.add(((name, v),))
                if cfg.canary_cookie:
                    for v in ("always", "never"):
                        hs.cookies.add((cfg.canary_cookie, v))
                for cidr in cfg.allow + cfg.deny:
                    inside = o.first_address(cidr)
                    if inside:
                        hs.clients.add(inside)
    return seeds


def _gateway_seeds(model: gapi.Model, seeds: dict[str, HostSeeds], owner: dict[str, str],
                   world: str, default_world: str) -> None:
    def mine(host: str) -> bool:
        return owner.get(host, default_world) == world

    listeners_of: dict[int, list[gapi.Listener]] = {}
    for gw in model.gateways.values():
        for lis in gw.listeners:
            for r in model.attached.get(id(lis), []):
                listeners_of.setdefault(id(r), []).append(lis)
    for route in model.routes:
        if route.ref.kind in gapi.L4_KINDS:
            continue  # L4 routes get L4 probes (kong.l4_probes)
        hosts = [c for h in route.hostnames for c in instantiate(h)]
        if not hosts:
            for lis in listeners_of.get(id(route), []):
                hosts.extend(instantiate(lis.hostname) if lis.hostname else [HOSTLESS])
        for host in hosts:
            if not mine(host):
                continue
            hs = seeds.setdefault(host, HostSeeds())
            hs.paths.add("/")
            for rule in route.rules:
                for m in rule.matches:
                    if m.path is not None:
                        hs.paths.add(literal(m.path.value) if m.path.type == "RegularExpression"
                                     else m.path.value)
                    exact = tuple((n, v) for t, n, v in m.headers if t == "Exact")
                    if exact:
                        hs.headers.add(exact)
                    if m.method:
                        hs.methods.add(m.method)
                    for t, n, v in m.query:
                        if t == "Exact":
                            hs.queries.add(f"{n}={v}")
    for pol in model.policies:
        for _action, cidrs in pol.allow_cidrs:
            for cidr in cidrs:
                inside = o.first_address(cidr)
                if inside:
                    for hs in seeds.values():
                        hs.clients.add(inside)


def _router_seeds(world: SourceWorld) -> dict[str, HostSeeds]:
    return {h: HostSeeds(set(s.paths), set(s.headers), set(s.cookies), set(s.queries),
                         set(s.methods), set(s.clients)) for h, s in world.seeds.items()}


def generate(worlds: Mapping[str, nginx.World | SourceWorld], model: gapi.Model) -> list[tuple[str, Request]]:
    """(world class, request) pairs, deterministic and de-duplicated."""
    owner: dict[str, str] = {}
    per_world: dict[str, dict[str, HostSeeds]] = {}
    for cls in sorted(worlds):
        w = worlds[cls]
        per_world[cls] = (_router_seeds(w) if isinstance(w, SourceWorld) else _seeds_for(w))
        for host in per_world[cls]:
            owner.setdefault(host, cls)
    default_world = min(worlds) if worlds else ""
    out: list[tuple[str, Request]] = []
    for cls in sorted(per_world):
        seeds = per_world[cls]
        _gateway_seeds(model, seeds, owner, cls, default_world)
        for host in sorted(seeds):
            hs = seeds[host]
            reqs: list[Request] = []
            for scheme in ("http", "https"):
                for seed in sorted(hs.paths):
                    for path, query in variants(seed):
                        reqs.append(Request(scheme, host, path, query))
                    for hdrs in sorted(hs.headers):
                        reqs.append(Request(scheme, host, seed, "", headers=hdrs))
                    for cookie in sorted(hs.cookies):
                        reqs.append(Request(scheme, host, seed, "", cookies=(cookie,)))
                    for q in sorted(hs.queries):
                        reqs.append(Request(scheme, host, seed, q))
                    for method in sorted(hs.methods):
                        reqs.append(Request(scheme, host, seed, "", method=method))
                    for client in sorted(hs.clients):
                        reqs.append(Request(scheme, host, seed, "", client=client))
            seen: set[Request] = set()
            for r in reqs:
                if r not in seen and len(seen) < MAX_PROBES_PER_HOST:
                    seen.add(r)
                    out.append((cls, r))
    return out
