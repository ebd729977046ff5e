"""Stream-wide facts that conversion stages may consult (Services, ConfigMaps, classes, TLS)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwshift.model import Conversion
from gwshift.settings import Settings


def host_covered(host: str | None, tls_host: str) -> bool:
    """Whether a TLS host entry covers a rule host (wildcards cover one or more labels)."""
    if host is None:
        return False
    host = host.lower()
    tls_host = tls_host.lower()
    if host == tls_host:
        return True
    if tls_host.startswith("*."):
        suffix = tls_host[1:]
        # A certificate's wildcard covers exactly one label (RFC 6125), unlike a listener's.
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        return bool(label) and "." not in label and label != "*"
    return False


@dataclass
class Context:
    settings: Settings
    # Lazy lookups of objects elsewhere in the stream: (namespace, name) -> plain object.
    find_service: Callable[[str | None, str], dict[str, Any] | None]
    find_configmap: Callable[[str | None, str], dict[str, Any] | None]
    ingress_class_controllers: dict[str, str] = field(default_factory=dict)
    default_ingress_class: str | None = None
    conversions: list[Conversion] = field(default_factory=list)

    def namespace_of(self, ns: str | None) -> str | None:
        return ns or self.settings.namespace

    def same_group(self, a: Conversion, b: Conversion) -> bool:
        return (
            self.namespace_of(a.ingress.namespace) == self.namespace_of(b.ingress.namespace)
            and a.gateway_class == b.gateway_class
        )

    def tls_secrets_for(self, conv: Conversion, host: str | None) -> list[str]:
        """Secrets of any Ingress sharing ``conv``'s Gateway whose TLS hosts cover ``host``."""
        found: list[str] = []
        for other in self.conversions:
            # A kept (blocked) Ingress's Secret still exists and its host still has TLS.
            if not self.same_group(conv, other):
                continue
            for t in other.tls:
                if t.secret and any(host_covered(host, h) for h in t.hosts):
                    if t.secret not in found:
                        found.append(t.secret)
        return sorted(found)

    def host_has_tls(self, conv: Conversion, host: str | None) -> bool:
        for other in self.conversions:
            if not self.same_group(conv, other):
                continue
            for t in other.tls:
                if any(host_covered(host, h) for h in t.hosts):
                    return True
        return False
