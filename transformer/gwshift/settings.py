"""Settings: one frozen value built from argv, environment or a KRM functionConfig."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

CHANNELS = ("standard", "experimental")
DIALECTS = ("auto", "nginx", "none")
MODES = ("auto", "stream", "krm")


@dataclass(frozen=True)
class Settings:
    ingress_classes: tuple[str, ...] = ()  # empty: every class
    gateway_class_map: tuple[tuple[str, str], ...] = ()  # (FROM, TO); FROM "*" maps all
    gateway: tuple[str, str] | None = None  # (namespace, name) of an existing Gateway
    keep_ingress: bool = False
    listener_set: bool = False  # with gateway: listeners (TLS) in a ListenerSet per namespace
    namespace: str | None = None  # release namespace for objects that carry none
    dialect: str = "auto"
    channel: str = "standard"
    annotation_prefix: str = "nginx.ingress.kubernetes.io"
    allow_insecure_drop: frozenset[str] = frozenset()
    strict: bool = False  # warnings count as errors for the exit code
    validate: bool = False
    mode: str = "auto"
    report: str | None = None
    notes_format: str = "text"
    debug: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def gateway_class_for(self, ingress_class: str | None) -> str | None:
        for src, dst in self.gateway_class_map:
            if src == ingress_class:
                return dst
        for src, dst in self.gateway_class_map:
            if src == "*":
                return dst
        return ingress_class

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
