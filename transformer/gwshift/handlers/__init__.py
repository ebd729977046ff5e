"""Controller dialects: each refines the neutral route plan of the sources it owns.

``DIALECTS`` is the explicit registry, kept as data so that selecting a dialect, knowing
which annotation prefixes are whose, and which extra kinds the planner must read never
imports a dialect module: a module (exposing ``DIALECT``, a :class:`Dialect`) is imported
only when a source of that dialect is in the stream.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion
    from gwshift.notes import Note
    from gwshift.settings import Settings

# Stands for the --annotation-prefix value in ``DialectEntry.prefixes`` (ingress-nginx only).
ANNOTATION_PREFIX = "$annotation-prefix"


class DialectEntry(NamedTuple):
    """What the core needs to know about a dialect without importing it."""

    name: str
    module: str
    classes: tuple[str, ...]  # Ingress class names owned by default
    controllers: tuple[str, ...]  # IngressClass spec.controller values owned by default
    prefixes: tuple[str, ...]  # annotation key prefixes it owns (ending in "/")
    reads: frozenset[str] = frozenset()  # extra kinds it looks up in the stream
    # Extra source kinds it converts: (apiVersion group, kind), e.g. Kong TCPIngress.
    sources: tuple[tuple[str, str], ...] = ()


# Parses one extra source object (document index given) into a Conversion, or notes why not.
SourceParser = Callable[[dict[str, Any], int, "Context"], "tuple[Conversion | None, list[Note]]"]


@dataclass(frozen=True)
class Dialect:
    name: str
    # Refines every Conversion of this dialect in the stream (per source and across them).
    refine: Callable[[list[Conversion], Context], None]
    # Annotation name (without prefix) -> handler; supported/docs/report derive from it.
    table: Mapping[str, Any] = field(default_factory=dict)
    # (group, kind) -> parser for the extra source kinds declared in the DialectEntry.
    parsers: Mapping[tuple[str, str], SourceParser] = field(default_factory=dict)
    # Gateway grouping key override (ALB IngressGroup); None: (namespace, class).
    group_key: Callable[[Conversion, Context], Hashable] | None = None


DIALECTS: dict[str, DialectEntry] = {
    "nginx": DialectEntry(
        name="nginx", module="gwshift.handlers.nginx", classes=("nginx",),
        controllers=("k8s.io/ingress-nginx",), prefixes=(ANNOTATION_PREFIX,)),
    "traefik": DialectEntry(
        name="traefik", module="gwshift.handlers.traefik", classes=("traefik",),
        controllers=("traefik.io/ingress-controller",),
        prefixes=("traefik.ingress.kubernetes.io/",), reads=frozenset({"Middleware"}),
        sources=(("traefik.io", "IngressRoute"), ("traefik.containo.us", "IngressRoute"))),
    "kong": DialectEntry(
        name="kong", module="gwshift.handlers.kong", classes=("kong",),
        controllers=("ingress-controllers.konghq.com/kong",), prefixes=("konghq.com/",),
        reads=frozenset({"KongPlugin", "KongClusterPlugin"}),
        sources=(("configuration.konghq.com", "TCPIngress"),
                 ("configuration.konghq.com", "UDPIngress"))),
}


def prefixes_of(entry: DialectEntry, settings: Settings) -> tuple[str, ...]:
    own = settings.annotation_prefix.rstrip("/") + "/"
    return tuple(own if p == ANNOTATION_PREFIX else p for p in entry.prefixes)


def owner_of(key: str, settings: Settings) -> str | None:
    """The dialect whose annotation prefix ``key`` carries (None: no dialect's)."""
    for entry in DIALECTS.values():
        if key.startswith(prefixes_of(entry, settings)):
            return entry.name
    return None


def extra_reads() -> frozenset[str]:
    return frozenset().union(*(e.reads for e in DIALECTS.values()))


def source_kinds() -> dict[tuple[str, str], str]:
    """(group, kind) of every extra source kind -> the dialect that converts it."""
    return {src: e.name for e in DIALECTS.values() for src in e.sources}


_loaded: dict[str, Dialect] = {}


def load(name: str) -> Dialect:
    if name not in _loaded:
        _loaded[name] = importlib.import_module(DIALECTS[name].module).DIALECT
    return _loaded[name]


def load_dialects() -> dict[str, Dialect]:
    """Every registered dialect (docs, tests); the planner loads only those it needs."""
    return {name: load(name) for name in DIALECTS}


def select_dialect(conv: Conversion, ctx: Context, dialects: object = None) -> str | None:
    """The dialect of ``conv``: --dialect, else its IngressClass controller, else class name.

    The controller is checked first: an IngressClass named ``nginx`` whose controller is
    F5's is not ingress-nginx.
    """
    forced = ctx.settings.dialect
    if forced == "none":
        return None
    if forced != "auto":
        return forced
    cls = conv.ingress_class
    controller = ctx.ingress_class_controllers.get(cls or "")
    if controller is not None:
        for entry in DIALECTS.values():
            if controller in entry.controllers:
                return entry.name
    for entry in DIALECTS.values():
        if cls in entry.classes:
            return entry.name
    return None
