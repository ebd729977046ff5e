"""Controller dialects: each refines the neutral route plan of the Ingresses it owns.

A dialect module exposes ``DIALECT`` (a :class:`Dialect`). Which Ingress a dialect owns is
decided by ``select_dialect``: its IngressClass names/controllers, or ``--dialect``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion


@dataclass(frozen=True)
class Dialect:
    name: str
    classes: tuple[str, ...]  # Ingress class names owned by default
    controllers: tuple[str, ...]  # IngressClass spec.controller values owned by default
    # Refines every Conversion of this dialect in the stream (per Ingress and across them).
    refine: Callable[[list[Conversion], Context], None]


def load_dialects() -> dict[str, Dialect]:
    import importlib

    found = {}
    for module in DIALECT_MODULES:
        try:
            dialect = importlib.import_module(module).DIALECT
        except (ImportError, AttributeError):
            continue  # a dialect under construction must not break the neutral core
        found[dialect.name] = dialect
    return found


DIALECT_MODULES = ("gwshift.handlers.nginx",)


def select_dialect(conv: Conversion, ctx: Context, dialects: dict[str, Dialect]) -> str | None:
    forced = ctx.settings.dialect
    if forced == "none":
        return None
    if forced != "auto":
        return forced
    cls = conv.gateway_class
    controller = ctx.ingress_class_controllers.get(cls or "")
    for d in dialects.values():
        if cls in d.classes or (controller is not None and controller in d.controllers):
            return d.name
    return None
