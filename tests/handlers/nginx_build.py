"""Hand-built Conversions for handler tests: parse + neutral routes, then the nginx refine."""

from __future__ import annotations

from typing import Any

from gwshift import checks, targets
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.handlers.nginx import DIALECT, defaults
from gwshift.model import Conversion, Rule
from gwshift.parse import parse_ingress
from gwshift.settings import Settings
from gwshift.targets import Attachment, Target

P = "nginx.ingress.kubernetes.io/"


def ingress(name: str = "web", annotations: dict[str, str] | None = None,
            host: str | None = "a.example.com",
            paths: tuple[tuple[str, str | None, str], ...] = (("/", "Prefix", "web"),),
            tls: bool = False, ns: str = "ns") -> dict[str, Any]:
    rule: dict[str, Any] = {"http": {"paths": [
        {"path": p, **({"pathType": t} if t else {}),
         "backend": {"service": {"name": svc, "port": {"number": 80}}}} for p, t, svc in paths]}}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": "nginx", "rules": [rule]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns,
                         "annotations": {P + k: v for k, v in (annotations or {}).items()}},
            "spec": spec}


def refine(*objs: dict[str, Any], configmaps: tuple[dict[str, Any], ...] = (),
           **settings: Any) -> list[Conversion]:
    def find_cm(ns: str | None, name: str) -> dict[str, Any] | None:
        for cm in configmaps:
            if cm["metadata"]["name"] == name and cm["metadata"].get("namespace") == ns:
                return cm
        return None

    ctx = Context(Settings(**settings),
                  {"Service": lambda ns, n: None, "ConfigMap": find_cm})
    convs = []
    for i, obj in enumerate(objs):
        ing, _ = parse_ingress(obj, i)
        assert ing is not None
        convs.append(new_conversion(ing, ctx))
    ctx.conversions = convs
    for conv in convs:
        conv.dialect, conv.dialect_paths = "nginx", True
        build_routes(conv, ctx)
    # The pipeline's order (core._refine): refine, intents the target cannot express, passes.
    target = targets.get(ctx.settings.target)
    DIALECT.refine(convs, ctx)
    for conv in convs:
        checks.unconsumed(conv, target, ctx.settings)
    for run_pass in DIALECT.passes:
        run_pass(convs, ctx)
    for conv in convs:
        if not conv.blocked and conv.routes:
            _EXPRESSED[id(conv)] = _express(conv, target, ctx.settings)
        # The once-per-Gateway controller-defaults note is tested on its own
        # (test_nginx_defaults.py); per-annotation tests compare every other note.
        conv.notes[:] = [n for n in conv.notes if n.code != defaults.DEFAULTS]
    return convs


# What the target expressed for the first route of a Conversion: (filters, objects).
_EXPRESSED: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}


def _express(conv: Conversion, target: Target,
             settings: Settings) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    route = conv.routes[0]
    wanted = [i for i in route.intents if targets.refusal(target, i, settings) is None]
    if not wanted:
        return [], []
    att = Attachment("route", route.kind, conv.source.name, conv.source.namespace, None,
                     conv.source.ref)
    done = target.express(att, wanted, settings)
    for n in done.notes:
        conv.note(n)
    return list(done.filters), list(done.objects)


def one(anns: dict[str, str], **kw: Any) -> Conversion:
    settings = {k: kw.pop(k) for k in ("channel", "allow_insecure_drop", "annotation_prefix")
                if k in kw}
    return refine(ingress(annotations=anns, **kw), **settings)[0]


def codes(conv: Conversion) -> set[str]:
    return {n.code for n in conv.notes}


def rule0(conv: Conversion) -> Rule:
    return conv.routes[0].rules[0]


def filters(conv: Conversion) -> dict[str, Any]:
    """Filters of the first rule, with those the target adds for the route's intents."""
    added = _EXPRESSED.get(id(conv), ([], []))[0]
    return {f["type"]: f for f in rule0(conv).filters + added}


def policies(conv: Conversion) -> list[dict[str, Any]]:
    """The objects the target writes for the first route's intents (BackendTLSPolicy ...)."""
    return _EXPRESSED.get(id(conv), ([], []))[1]
