"""Deterministic, valid, readable names for generated objects and listeners."""

from __future__ import annotations

import re

_INVALID = re.compile(r"[^a-z0-9-]+")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def short_hash(text: str, n: int = 6) -> str:
    import hashlib  # only long names need a hash: ~3 ms of start-up otherwise (issue 12)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def slug(text: str) -> str:
    """Lowercase DNS-label-ish slug: dots and invalid characters become dashes."""
    s = _INVALID.sub("-", text.lower().replace("*", "wildcard")).strip("-")
    return re.sub("-{2,}", "-", s) or "x"


def fit(name: str, limit: int = 63) -> str:
    """Trim to ``limit`` keeping it valid and unique by a hash of the full name."""
    name = name.strip("-") or "x"
    if len(name) <= limit and (limit > 63 or _LABEL.match(name)):
        return name
    h = short_hash(name)
    return f"{name[: limit - 7].rstrip('-.')}-{h}"


def host_slug(host: str | None) -> str:
    if host is None:
        return "any"
    return slug(host)


# Ports a listener name leaves out (the protocol's usual port): today's HTTP/HTTPS/TLS names.
_USUAL_PORTS = {"HTTP": 80, "HTTPS": 443, "TLS": 443}


def listener_name(protocol: str, hostname: str | None, port: int | None = None) -> str:
    """``http``/``https`` for hostless listeners, ``https-www-example-com`` otherwise; the
    port is added when it is not the protocol's usual one (``tls-a-example-com-8443``) and
    always for TCP/UDP, which have no hostname (``tcp-9000``, ``udp-53``)."""
    base = protocol.lower()
    if hostname is not None and protocol not in ("TCP", "UDP"):
        base = f"{base}-{slug(hostname)}"
    if port is not None and port != _USUAL_PORTS.get(protocol):
        base = f"{base}-{port}"
    return fit(base, 63)


def gateway_name(ingress_class: str | None) -> str:
    return fit(slug(ingress_class) if ingress_class else "default", 63)


def route_name(ingress: str, *parts: str) -> str:
    name = "-".join([ingress, *[p for p in parts if p]])
    return fit(name, 253) if len(name) > 253 else name
