"""The Source of a conversion whose object has no Ingress rules: Kong's TCPIngress/UDPIngress
and ingress-nginx's tcp/udp-services ConfigMaps (imported only by those dialect modules)."""

from __future__ import annotations

from dataclasses import dataclass, field

from gwshift.notes import ObjRef


@dataclass(frozen=True, slots=True)
class StreamSource:
    kind: str
    api_version: str
    name: str
    namespace: str | None
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    doc: int
    rules: tuple[()] = ()  # no Ingress rules: neutral stages see none
    default_backend: None = None
    # What else decides the conversion (the spec or the data), for re-run detection.
    content: str = field(default="", compare=False, repr=False)

    @property
    def ref(self) -> ObjRef:
        return ObjRef(self.kind, self.namespace, self.name, self.api_version)

    def annotation(self, key: str) -> str | None:
        return dict(self.annotations).get(key)

    def content_key(self) -> str:
        return repr((self.kind, self.api_version, self.labels, self.annotations, self.content))
