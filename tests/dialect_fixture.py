"""A test-only dialect: a dialect is one module (``DIALECT``) plus one registry line.

Ingresses of class ``toy`` get intents from ``toy.example/*`` annotations; ``TCPThing``
(group ``toy.example``) is an extra source kind that becomes a TCP, UDP or TLS route.
All toy sources share one Gateway (``group_key``), whatever their namespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gwshift.context import Context
from gwshift.handlers import Dialect, DialectEntry, GroupKey
from gwshift.intents import BasicAuth, GatewayAddress, IPAccess, Provenance
from gwshift.model import BackendRef, Conversion, IngressTLS, ListenerKey, Route, Rule, mapping
from gwshift.notes import Note, ObjRef, error

PREFIX = "toy.example/"
ENTRY = DialectEntry(name="toy", module="dialect_fixture", classes=("toy",), controllers=(),
                     prefixes=(PREFIX,), sources=(("toy.example", "TCPThing"),))


def _by(key: str, security: bool = True) -> Provenance:
    return Provenance(key, f"metadata.annotations[{key}]", "toy/ip-access",
                      "the target cannot enforce the toy allow list", security)


def refine(convs: list[Conversion], ctx: Context) -> None:
    for conv in convs:
        for key, value in conv.source.annotations:
            if not key.startswith(PREFIX):
                continue
            conv.consumed_annotations.add(key)
            name = key[len(PREFIX):]
            cidrs = tuple(v.strip() for v in value.split(",") if v.strip())
            if name == "allow":
                for route in conv.routes:
                    route.intents.append(IPAccess(cidrs, (), _by(key)))
            elif name == "deny":
                for route in conv.routes:
                    route.intents.append(IPAccess((), cidrs, _by(key)))
            elif name == "allow-first-rule":
                conv.routes[0].rules[0].intents.append(IPAccess(cidrs, (), _by(key)))
            elif name == "gateway-allow":  # like ALB inbound-cidrs: the whole load balancer
                conv.gateway_intents.append(IPAccess(cidrs, (), _by(key)))
            elif name.startswith("basic"):  # basic, basic2 ...: a Secret per annotation
                for route in conv.routes:
                    route.intents.append(BasicAuth(value, None, "auth-file", _by(key)))
            elif name == "address":
                conv.gateway_intents.append(GatewayAddress("IPAddress", value, _by(key, False)))


@dataclass(frozen=True)
class TCPThing:
    """A minimal Source: what neutral stages read."""

    api_version: str
    name: str
    namespace: str | None
    doc: int
    annotations: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    kind: str = "TCPThing"

    @property
    def ref(self) -> ObjRef:
        return ObjRef(self.kind, self.namespace, self.name, self.api_version)

    def annotation(self, key: str) -> str | None:
        return dict(self.annotations).get(key)

    def content_key(self) -> str:
        return repr((self.api_version, self.annotations, self.labels))


def parse_tcp(obj: dict[str, Any], doc: int, ctx: Context) -> tuple[Conversion | None, list[Note]]:
    meta, spec = mapping(obj.get("metadata")), mapping(obj.get("spec"))
    ann = tuple((str(k), str(v)) for k, v in mapping(meta.get("annotations")).items())
    src = TCPThing(str(obj.get("apiVersion")), str(meta.get("name")), meta.get("namespace"), doc,
                   ann)
    port, proto, svc = spec.get("port"), spec.get("protocol", "TCP"), spec.get("service")
    if not isinstance(port, int) or not isinstance(svc, str):
        return None, [error("toy/invalid", "spec.port and spec.service are required", src.ref,
                            "spec")._replace(doc=doc)]
    conv = Conversion(source=src, ingress_class="toy")
    rule = Rule([], [BackendRef(svc, spec.get("servicePort", port))], "spec")
    if proto == "TLS":
        host = str(spec.get("host"))
        conv.tls = [IngressTLS((host,), spec.get("secretName"), "spec.tls")]
        conv.routes.append(Route("TLSRoute", "", [host], [rule],
                                 [ListenerKey(host, "TLS", port, "Terminate")]))
    else:
        kind = "UDPRoute" if proto == "UDP" else "TCPRoute"
        conv.routes.append(Route(kind, "", [], [rule], [ListenerKey(None, proto, port)]))
    return conv, []


def group_key(conv: Conversion, ctx: Context) -> GroupKey:
    return ("toy",)


DIALECT = Dialect(name="toy", refine=refine, table={},
                  parsers={("toy.example", "TCPThing"): parse_tcp}, group_key=group_key)
