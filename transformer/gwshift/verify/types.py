"""Values shared by both sides of the verifier: a probe request and what serving it did.

Both semantics modules (``nginx``, ``gatewayapi``) answer a :class:`Request` with a
:class:`Verdict`; ``compare`` classifies the pairs that differ.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

OUTSIDE_CLIENT = "203.0.113.7"  # TEST-NET-3: outside every allowlist a chart would write

ResultKind = Literal["backend", "redirect", "status", "split", "unknown"]


class Request(NamedTuple):
    scheme: str  # "http" | "https"
    host: str  # lowercase, no port
    path: str  # starts with "/"
    query: str = ""  # without "?"
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()  # names lowercase
    cookies: tuple[tuple[str, str], ...] = ()
    client: str = OUTSIDE_CLIENT
    l4_port: int = 0  # an L4 probe ("tcp", "tls", "udp" connection to this port)

    @property
    def port(self) -> int:
        if self.l4_port:
            return self.l4_port
        return 443 if self.scheme == "https" else 80

    @property
    def uri(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def cookie(self, name: str) -> str | None:
        for k, v in self.cookies:
            if k == name:
                return v
        return None

    def describe(self) -> str:
        if self.l4_port:
            sni = f" (SNI {self.host})" if self.host else ""
            return f"{self.scheme.upper()} connection to port {self.l4_port}{sni}"
        extra = [f"{k}: {v}" for k, v in self.headers]
        extra += [f"cookie {k}={v}" for k, v in self.cookies]
        if self.client != OUTSIDE_CLIENT:
            extra.append(f"from {self.client}")
        tail = f" [{'; '.join(extra)}]" if extra else ""
        return f"{self.method} {self.scheme}://{self.host}{self.uri}{tail}"

    def as_dict(self) -> dict[str, object]:
        if self.l4_port:
            return {"protocol": self.scheme, "port": self.l4_port, "sni": self.host or None,
                    "client": self.client}
        return {"method": self.method, "url": f"{self.scheme}://{self.host}{self.uri}",
                "headers": dict(self.headers), "cookies": dict(self.cookies),
                "client": self.client}


class Result(NamedTuple):
    """What happened to a request. Backends are a distribution: ``(ref, share)`` sorted,
    ref ``namespace/service:port``; ``path`` is the URI sent upstream."""

    kind: ResultKind
    status: int = 0
    backends: tuple[tuple[str, float], ...] = ()
    path: str = ""
    location: str = ""
    detail: str = ""  # why (not compared): "no listener", "default backend" ...
    headers: tuple[tuple[str, str], ...] = ()  # upstream request headers in COMPARED_HEADERS

    def key(self) -> tuple[object, ...]:
        shares = tuple((b, round(s, 4)) for b, s in self.backends)
        return (self.kind, self.status, shares, self.path, self.location, self.headers)

    def describe(self) -> str:
        if self.kind == "backend":
            parts = [b if s >= 0.9999 else f"{b} ({s:.0%})" for b, s in self.backends]
            hdrs = "".join(f", {k}: {v}" for k, v in self.headers)
            where = f" path {self.path}" if self.path else ""
            return f"backend {', '.join(parts)}{where}{hdrs}"
        if self.kind == "redirect":
            return f"redirect {self.status} {self.location}"
        if self.kind == "split":
            return self.detail
        if self.kind == "status":
            return f"status {self.status}" + (f" ({self.detail})" if self.detail else "")
        return f"not modelled ({self.detail})"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        if self.kind == "backend":
            out["backends"] = [{"ref": b, "share": round(s, 4)} for b, s in self.backends]
            out["path"] = self.path
            if self.headers:
                out["headers"] = dict(self.headers)
        elif self.kind == "redirect":
            out.update(status=self.status, location=self.location)
        elif self.kind == "status":
            out["status"] = self.status
        if self.detail:
            out["detail"] = self.detail
        return out


class Ref(NamedTuple):
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}"


class Verdict(NamedTuple):
    result: Result
    by: tuple[Ref, ...] = ()  # the objects that decided it (for notes and the report)
    # Other objects that would have decided it had they been created first: the source
    # winner depends on creation timestamps the manifests do not carry.
    rivals: tuple[Ref, ...] = ()
    # Policies or filters verify cannot read that apply (e.g. a KongPlugin by ExtensionRef,
    # a Traefik Middleware): who is denied there is not modelled.
    opaque: tuple[str, ...] = ()


def status(code: int, detail: str = "", by: tuple[Ref, ...] = ()) -> Verdict:
    return Verdict(Result("status", code, detail=detail), by)


def unknown(detail: str, by: tuple[Ref, ...] = ()) -> Verdict:
    return Verdict(Result("unknown", detail=detail), by)


# Upstream request headers whose value both sides can tell (set from annotations / filters);
# other proxy headers (X-Forwarded-For, X-Request-ID ...) are not compared.
COMPARED_HEADERS = ("host", "x-forwarded-prefix")


def backend(shares: dict[str, float], path: str, by: tuple[Ref, ...] = (),
            headers: dict[str, str] | None = None) -> Verdict:
    total = sum(shares.values())
    dist = tuple(sorted((b, s / total) for b, s in shares.items() if s > 0)) if total else ()
    if not dist:
        return status(500, "no backend with weight", by)
    hdrs = tuple(sorted((k, v) for k, v in (headers or {}).items() if k in COMPARED_HEADERS))
    return Verdict(Result("backend", backends=dist, path=path, headers=hdrs), by)


def redirect(code: int, location: str, by: tuple[Ref, ...] = ()) -> Verdict:
    return Verdict(Result("redirect", code, location=location), by)
