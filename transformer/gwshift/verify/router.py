"""A first-match router: the shape every non-nginx source model shares.

Traefik, Kong, AWS ALB and GCE all answer a request the same way: the routes that apply
(entry point / listener, then the route's own match) are tried in the controller's order
and the first that matches handles the request; nothing matching is a 404. What differs
per controller is *how* the routes and their order are built, which lives in the dialect
modules (``traefik``, ``kong``, ``alb``, ``gce``); this module only runs them.

A :class:`SourceWorld` quacks like ``nginx.World`` where ``compare`` and ``probes`` look
(``cls``, ``dialect``, ``canary_backends``, ``evaluate``) and brings its own probe seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gwshift.verify import objects as o
from gwshift.verify.types import Ref, Request, Verdict, status, unknown

# A match: True / False, or a string saying why it cannot be evaluated (not modelled).
MatchResult = bool | str
Matcher = Callable[[Request], MatchResult]
Handle = Callable[[Request], Verdict]

HOSTLESS = "unlisted-host.example.net"  # probes.HOSTLESS (no import cycle)


@dataclass
class Seeds:
    """What a source names for one host: the probe generator's raw material."""

    paths: set[str] = field(default_factory=set)
    headers: set[tuple[tuple[str, str], ...]] = field(default_factory=set)
    cookies: set[tuple[str, str]] = field(default_factory=set)
    queries: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)
    clients: set[str] = field(default_factory=set)


@dataclass
class SourceRoute:
    ref: Ref  # the source object (Ingress, IngressRoute ...): its notes explain differences
    match: Matcher
    order: tuple[object, ...]  # sort key: the route tried first has the smallest key
    schemes: frozenset[str]  # "http" / "https": the entry points / listeners it serves
    handle: Handle
    hosts: tuple[str, ...] = ()  # host patterns named (probe seeds); empty: any host
    describe: str = ""  # the controller's own rule text (debugging, reports)
    # Routes of the same order that match the same requests: which one the controller
    # keeps is not a property of the manifests (reported as order-dependent).
    ties: tuple[Ref, ...] = ()


@dataclass
class SourceWorld:
    cls: str
    dialect: str
    routes: list[SourceRoute] = field(default_factory=list)
    seeds: dict[str, Seeds] = field(default_factory=dict)
    canary_backends: dict[str, list[Ref]] = field(default_factory=dict)
    # host -> why HTTPS to it is not compared (e.g. served with a default certificate);
    # hosts not listed are compared. ``https_default`` applies to every other host.
    https_unknown: dict[str, str] = field(default_factory=dict)
    https_default: str | None = None
    https_known: o.HostIndex[bool] = field(default_factory=o.HostIndex)
    notes_kinds: tuple[str, ...] = ("Ingress",)
    ingresses: list[object] = field(default_factory=list)  # the source objects it judges

    def seed(self, host: str | None) -> Seeds:
        return self.seeds.setdefault((host or HOSTLESS).lower(), Seeds())

    def finish(self) -> None:
        self.routes.sort(key=lambda r: r.order)

    def evaluate(self, req: Request) -> Verdict:
        if req.scheme == "https" and not self.https_known.lookup(req.host):
            why = self.https_unknown.get(req.host, self.https_default)
            if why:
                return unknown(why)
        for route in self.routes:
            if req.scheme not in route.schemes:
                continue
            ok = route.match(req)
            if isinstance(ok, str):
                return unknown(ok, (route.ref,))
            if ok:
                verdict = route.handle(req)
                if route.ties and verdict.result.kind == "backend":
                    return verdict._replace(rivals=route.ties)
                return verdict
        return status(404, "no route")


def path_seed(path: str) -> str:
    """A path for the probes from a literal path (``/`` for an empty one)."""
    return path if path.startswith("/") else "/" + path
