"""Stream-wide facts that conversion stages may consult (Services, ConfigMaps, classes, TLS)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwshift import handlers
from gwshift.handlers import GroupKey
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


Finder = Callable[[str | None, str], dict[str, Any] | None]


@dataclass
class Context:
    settings: Settings
    # Lazy lookups of objects elsewhere in the stream, per kind: (namespace, name) -> object.
    # The kinds are the core's own reads plus what the registered dialects declare.
    finders: dict[str, Finder]
    ingress_class_controllers: dict[str, str] = field(default_factory=dict)
    default_ingress_class: str | None = None
    conversions: list[Conversion] = field(default_factory=list)
    _tls_cache: dict[GroupKey, dict[str, set[str | None]]] | None = None

    def invalidate_tls(self) -> None:
        """A dialect added TLS entries (e.g. a placeholder certificate): re-index them."""
        self._tls_cache = None

    def find(self, kind: str, ns: str | None, name: str) -> dict[str, Any] | None:
        """The object of ``kind`` named ``name`` in ``ns`` (None: release namespace)."""
        finder = self.finders.get(kind)
        if finder is None:
            raise AssertionError(f"{kind} is read by a dialect but not declared in its "
                                 "DialectEntry.reads")
        return finder(ns, name)

    def find_service(self, ns: str | None, name: str) -> dict[str, Any] | None:
        return self.find("Service", ns, name)

    def find_configmap(self, ns: str | None, name: str) -> dict[str, Any] | None:
        return self.find("ConfigMap", ns, name)

    def namespace_of(self, ns: str | None) -> str | None:
        return ns or self.settings.namespace

    def same_group(self, a: Conversion, b: Conversion) -> bool:
        return self.group_of(a) == self.group_of(b)

    def _tls_index(self, conv: Conversion) -> dict[str, set[str | None]]:
        """TLS host -> Secrets (None: entry without secretName) of the Gateway group of ``conv``.

        Built once per group: dialects do not change TLS entries, and scanning every
        Ingress per host would make large streams quadratic.
        """
        key = self.group_of(conv)
        if self._tls_cache is None:
            self._tls_cache = {}
            for other in self.conversions:
                # A kept (blocked) Ingress's Secret still exists and its host still has TLS.
                index = self._tls_cache.setdefault(self.group_of(other), {})
                for t in other.tls:
                    for h in t.hosts:
                        index.setdefault(h.lower(), set()).add(t.secret)
        return self._tls_cache.get(key, {})

    def group_of(self, conv: Conversion) -> GroupKey:
        """Which Gateway serves ``conv``: its dialect's ``group_key`` (ALB IngressGroup),
        else one Gateway per (namespace, Ingress class). The only grouping function."""
        custom = handlers.load(conv.dialect).group_key if conv.dialect is not None else None
        if custom is not None:
            return custom(conv, self)
        return (conv.source.namespace or self.settings.namespace or "", conv.ingress_class or "")

    def _covering(self, conv: Conversion, host: str | None) -> set[str | None]:
        if host is None:
            return set()
        index = self._tls_index(conv)
        host = host.lower()
        found = set(index.get(host, set()))
        if "." in host and not host.startswith("*."):
            found |= index.get("*." + host.split(".", 1)[1], set())
        return found

    def tls_secrets_for(self, conv: Conversion, host: str | None) -> list[str]:
        """Secrets of any Ingress sharing ``conv``'s Gateway whose TLS hosts cover ``host``."""
        return sorted(s for s in self._covering(conv, host) if s)

    def host_has_tls(self, conv: Conversion, host: str | None) -> bool:
        return bool(self._covering(conv, host))
