"""Which source model serves each Ingress class: ingress-nginx and the Ingress spec
(``nginx``), or one of the first-match dialect models (``traefik``, ``kong``, ``alb``,
``gce``, ``nginx-inc``, ``haproxy``). Classes of a dialect with no model yet stay ``unmodelled:<dialect>`` (their
probes are counted "not compared", never judged by a model of another controller)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from gwshift.verify import nginx
from gwshift.verify import objects as o
from gwshift.verify.router import SourceWorld

World = nginx.World | SourceWorld
# dialect -> build(cls, all objects, the class's Ingresses, default namespace)
Builder = Callable[[str, list[o.Obj], list[o.Obj], str], SourceWorld]


def _models() -> dict[str, Builder]:
    from gwshift.verify import alb, gce, haproxy, kong, nginx_inc, traefik

    return {"traefik": traefik.build, "alb": alb.build, "gce": gce.build, "kong": kong.build,
            "nginx-inc": nginx_inc.build, "haproxy": haproxy.build}


MODELLED = ("traefik", "kong", "alb", "gce", "nginx-inc", "haproxy")
# Source kinds other than Ingress, by dialect: (kind, API groups, default class).
EXTRA_SOURCES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "IngressRoute": ("traefik", ("traefik.io", "traefik.containo.us"), "traefik"),
}


# Source kinds no model reads: their traffic is not compared (L4 listeners: the probes are
# HTTP requests).
UNREAD_SOURCES: dict[str, str] = {
    "IngressRouteTCP": "Traefik IngressRouteTCP (TCP: HTTP probes only)",
    "IngressRouteUDP": "Traefik IngressRouteUDP (UDP: HTTP probes only)",
}
MODEL_NAMES = {"nginx": "ingress-nginx", "generic": "ingress spec", "traefik": "traefik",
               "kong": "kong", "alb": "aws alb", "gce": "gce", "nginx-inc": "nginx inc", "haproxy": "haproxy"}


def census(objs: list[o.Obj], worlds: dict[str, World]) -> Counter[str]:
    """How many source objects each model judged, and which ones none did (and why)."""
    out: Counter[str] = Counter()
    for w in worlds.values():
        if isinstance(w, SourceWorld):
            out[MODEL_NAMES.get(w.dialect, w.dialect)] += len(w.ingresses)
        elif w.dialect.startswith("unmodelled:"):
            out[f"not compared: no model of the {w.dialect[11:]} dialect yet"] += len(w.ingresses)
        else:
            out[MODEL_NAMES.get(w.dialect, w.dialect)] += len(w.ingresses)
    for obj in objs:
        if o.kind(obj) in ("TCPIngress", "UDPIngress"):
            out["kong"] += 1  # compared by port (kong.l4_rules)
            continue
        why = UNREAD_SOURCES.get(o.kind(obj))
        if why is not None:
            out[f"not compared: {why}"] += 1
    return +out


def build(objs: list[o.Obj], default_ns: str, forced_dialect: str, prefix: str) -> dict[str, World]:
    worlds: dict[str, World] = dict(nginx.build(objs, default_ns, forced_dialect, prefix))
    models = _models()
    extra: dict[str, list[o.Obj]] = {}
    for obj in objs:
        spec = EXTRA_SOURCES.get(o.kind(obj))
        if spec is not None and o.group(obj) in spec[1]:
            cls = o.annotations_of(obj).get("kubernetes.io/ingress.class") or spec[2]
            extra.setdefault(cls, []).append(obj)
    for cls in sorted(set(worlds) | set(extra)):
        w = worlds.get(cls)
        dialect = w.dialect if w is not None else "unmodelled:traefik"
        name = dialect.removeprefix("unmodelled:")
        if name not in models or not dialect.startswith("unmodelled:") and w is not None:
            continue
        ings = [i.obj for i in w.ingresses] if isinstance(w, nginx.World) else []
        if name == "traefik":
            from gwshift.verify import traefik

            built = traefik.build(cls, objs, ings, default_ns, extra.get(cls, []))
        else:
            built = models[name](cls, objs, ings, default_ns)
        built.ingresses = [*ings, *extra.get(cls, [])]
        worlds[cls] = built
    return worlds
