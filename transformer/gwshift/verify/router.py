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
    # The controller's own priority (without the model's tie-break): routes of equal rank
    # that match the same request are tried in an order the controller leaves undefined
    # (Traefik: sort.Sort is not stable; Kong: "it is not defined which of the matching
    # routes will be used"). None: the order is total (ALB rule priorities).
    rank: tuple[object, ...] | None = None


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
        for i, route in enumerate(self.routes):
            if req.scheme not in route.schemes:
                continue
            ok = route.match(req)
            if isinstance(ok, str):
                return unknown(ok, (route.ref,))
            if ok:
                verdict = route.handle(req)
                rivals = self._rivals(i, req, verdict)
                return verdict._replace(rivals=rivals) if rivals else verdict
        return status(404, "no route")

    def _rivals(self, i: int, req: Request, verdict: Verdict) -> tuple[Ref, ...]:
        """Other source objects whose equally ranked routes match ``req`` and would answer
        differently: which one serves is not a property of the manifests."""
        winner = self.routes[i]
        if winner.rank is None or verdict.result.kind != "backend":
            return ()
        out: list[Ref] = []
        for other in self.routes[i + 1:]:
            if other.rank != winner.rank:
                break
            if (req.scheme in other.schemes and other.ref != winner.ref
                    and other.match(req) is True
                    and other.handle(req).result.key() != verdict.result.key()
                    and other.ref not in out):
                out.append(other.ref)
        return tuple(out)


def path_seed(path: str) -> str:
    """A path for the probes from a literal path (``/`` for an empty one)."""
    return path if path.startswith("/") else "/" + path
