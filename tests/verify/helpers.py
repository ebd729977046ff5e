"""Small builders for the verify unit tests (plain dicts, as loaded from YAML)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from gwshift.verify import gatewayapi, nginx
from gwshift.verify.types import Request, Result

Obj = dict[str, Any]
PREFIX = "nginx.ingress.kubernetes.io/"


def path(p: str, svc: str, ptype: str = "Prefix", port: int = 80) -> Obj:
    return {"path": p, "pathType": ptype,
            "backend": {"service": {"name": svc, "port": {"number": port}}}}


def ingress(name: str, host: str | None, *paths: Obj, ns: str = "web", cls: str = "nginx",
            ann: dict[str, str] | None = None, tls: list[str] | None = None,
            default: str | None = None, extra_rules: list[Obj] | None = None) -> Obj:
    spec: Obj = {"ingressClassName": cls}
    rules: list[Obj] = []
    if paths:
        rule: Obj = {"http": {"paths": list(paths)}}
        if host is not None:
            rule["host"] = host
        rules.append(rule)
    rules += extra_rules or []
    if rules:
        spec["rules"] = rules
    if tls is not None:
        spec["tls"] = [{"hosts": tls, "secretName": f"{name}-tls"}]
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    meta: Obj = {"name": name, "namespace": ns}
    if ann:
        meta["annotations"] = {PREFIX + k: v for k, v in ann.items()}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta,
            "spec": spec}


def world(*objs: Obj, cls: str = "nginx") -> nginx.World:
    return nginx.build(list(objs), "default", "auto", PREFIX.rstrip("/"))[cls]


def get(url: str, **kw: Any) -> Request:
    scheme, _, rest = url.partition("://")
    host, _, p = rest.partition("/")
    p, _, q = ("/" + p).partition("?")
    return Request(scheme, host, p, q, **kw)


def src(w: nginx.World, url: str, **kw: Any) -> Result:
    return nginx.evaluate(w, get(url, **kw)).result


def served_by(r: Result) -> str:
    """A compact view: the backend (single), redirect, or status."""
    if r.kind == "backend":
        return ",".join(b.split("/")[1].split(":")[0] for b, _ in r.backends)
    if r.kind == "redirect":
        return f"{r.status} {r.location}"
    if r.kind == "status":
        return str(r.status)
    return r.kind


def gateway(name: str = "gw", ns: str = "web", *listeners: Obj, cls: str = "eg",
            spec: Obj | None = None) -> Obj:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"gatewayClassName": cls, "listeners": list(listeners), **(spec or {})}}


def listener(name: str, port: int = 80, hostname: str | None = None, proto: str = "HTTP",
             **extra: Any) -> Obj:
    out: Obj = {"name": name, "port": port, "protocol": proto, **extra}
    if hostname:
        out["hostname"] = hostname
    return out


def route(name: str, *rules: Obj, ns: str = "web", hostnames: list[str] | None = None,
          parents: list[Obj] | None = None, kind: str = "HTTPRoute", created: str = "") -> Obj:
    meta: Obj = {"name": name, "namespace": ns}
    if created:
        meta["creationTimestamp"] = created
    spec: Obj = {"parentRefs": parents or [{"name": "gw"}], "rules": list(rules)}
    if hostnames:
        spec["hostnames"] = hostnames
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": kind, "metadata": meta,
            "spec": spec}


def rule(*matches: Obj, to: str | list[tuple[str, int]] = "svc", filters: list[Obj] | None = None,
         port: int = 80) -> Obj:
    refs = ([{"name": to, "port": port}] if isinstance(to, str)
            else [{"name": n, "port": port, "weight": w} for n, w in to])
    out: Obj = {"backendRefs": refs} if to else {}
    if matches:
        out["matches"] = list(matches)
    if filters:
        out["filters"] = filters
    return out


def match(value: str = "/", ptype: str = "PathPrefix", **extra: Any) -> Obj:
    return {"path": {"type": ptype, "value": value}, **extra}


def model(*objs: Obj, target: str = "standard") -> gatewayapi.Model:
    return gatewayapi.build(list(objs), "default", target)


def gw_result(m: gatewayapi.Model, url: str, **kw: Any) -> Result:
    return gatewayapi.evaluate(m, get(url, **kw)).result


PACKAGE = Path(__file__).resolve().parents[2] / "transformer" / "gwshift"


@cache
def _converter_source() -> str:
    return "\n".join(f.read_text() for f in sorted(PACKAGE.rglob("*.py"))
                     if "verify" not in f.relative_to(PACKAGE).parts)


def converter_lacks(*codes: str) -> bool:
    """True while the converter emits none of ``codes``: the note codes its fix of a defect
    introduces. A case verify fails on is ``xfail(strict=True)`` under this condition, so
    it turns into a plain test (that must pass) as soon as the fix is in the tree."""
    src = _converter_source()
    return not any(f'"{c}"' in src for c in codes)


def converter_lacks_any(*codes: str) -> bool:
    """True while the converter lacks one of ``codes``: a case with several defects stays
    ``xfail`` until every one of them is fixed or noted."""
    return any(converter_lacks(c) for c in codes)
