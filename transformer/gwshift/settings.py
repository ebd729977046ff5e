"""Settings: one frozen value built from argv, environment or a KRM functionConfig."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gwshift.handlers import DIALECTS as _DIALECT_REGISTRY
from gwshift.targets import TARGETS as _TARGET_REGISTRY

CHANNELS = ("standard", "experimental")
DIALECTS = ("auto", *_DIALECT_REGISTRY, "none")
TARGETS = tuple(_TARGET_REGISTRY)
MODES = ("auto", "stream", "krm")
GATEWAY_API_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6")


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
    # Implementation that expresses policy intents (gwshift.targets); standard: portable only.
    target: str = "standard"
    # Namespace of the one Gateway per class when a class's Ingresses span namespaces.
    gateway_namespace: str | None = None
    allow_kept: bool = False  # exit 0 when every error only kept a source unchanged
    # Named ports of Services outside the stream: ((namespace, service, port name), number).
    service_ports: tuple[tuple[tuple[str, str, str], int], ...] = ()
    gateway_api_version: str = "1.6"
    name_template: str | None = None  # jinja2 (sandboxed) template for generated names
    nginx_defaults: bool = False  # emit ingress-nginx controller-wide defaults where possible

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
