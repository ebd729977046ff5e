"""Run both sides over every probe and classify what differs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gwshift.settings import Settings
from gwshift.verify import explain, gatewayapi, kong, nginx, objects, probes, sources
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Ref, Request, Result, Verdict

MODEL_NAMES = sources.MODEL_NAMES


@dataclass
class Difference:
    kind: str
    world: str  # Ingress class
    request: Request
    source: Verdict
    gateway: Verdict
    note: explain.NoteRef | None
    dialect: str = "nginx"  # the source model: "nginx" (ingress-nginx) or "generic" (spec)

    @property
    def source_model(self) -> str:
        return MODEL_NAMES.get(self.dialect, self.dialect)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind, "ingressClass": self.world, "sourceModel": self.source_model,
            "request": self.request.as_dict(),
            "source": self.source.result.as_dict(), "gateway": self.gateway.result.as_dict(),
            "decidedBy": sorted({str(r) for r in self.source.by + self.gateway.by}),
            "rivals": [str(r) for r in self.source.rivals],
            "explainedBy": None if self.note is None else
            {"code": self.note.code, "object": self.note.obj, "message": self.note.message},
        }


@dataclass
class Report:
    probes: int = 0
    not_modelled: int = 0  # probes not compared (see not_compared for why)
    differences: list[Difference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_compared: Counter[str] = field(default_factory=Counter)
    # source objects by the model that judged them ("traefik", "ingress-nginx" ...) or by
    # why none did ("not compared: <reason>")
    sources: Counter[str] = field(default_factory=Counter)

    @property
    def sources_compared(self) -> int:
        return sum(n for k, n in self.sources.items() if not k.startswith("not compared"))

    @property
    def sources_not_compared(self) -> int:
        return sum(n for k, n in self.sources.items() if k.startswith("not compared"))

    @property
    def unexplained(self) -> list[Difference]:
        return [d for d in self.differences if d.note is None]

    @property
    def exit_code(self) -> int:
        return 1 if self.unexplained else 0


def _denied(r: Result) -> bool:
    return r.kind == "status" and r.status in (401, 403)


def classify(s: Result, g: Result) -> str | None:
    """The kind of difference between the source's and the Gateway's result (None: same)."""
    if s.kind == "unknown" or g.kind == "unknown" or s.key() == g.key():
        return None
    if _denied(s) and _denied(g):
        return None  # which requests are denied is compared, not which of 401/403 says so
    if g.kind == "split":
        return "host-split"
    if s.kind == "backend" and g.kind == "backend":
        if {b for b, _ in s.backends} != {b for b, _ in g.backends}:
            return "backend"
        if s.key()[2] != g.key()[2]:
            return "weights"
        if s.path != g.path:
            return "rewrite"
        return "headers"
    if s.kind == "redirect" and g.kind == "redirect":
        return "redirect-differs"
    if s.kind == "redirect":
        return "redirect-lost"
    if g.kind == "redirect":
        return "redirect-added"
    if s.kind == "status" and s.status == 404 and _denied(g):
        return "extra-served"  # the Gateway routes it (behind its access control)
    if _denied(s) and g.kind == "status" and g.status == 404:
        return "not-served"
    if s.kind == "status" and s.status in (401, 403):
        return "access-control-lost" if g.kind == "backend" else "status"
    if g.kind == "status" and g.status in (401, 403):
        return "access-control-added"
    if s.kind == "backend":
        return "not-served"
    if g.kind == "backend":
        return "extra-served"
    return "status"


def _notes(before: str, settings: Settings) -> tuple[dict[tuple[str, str], list[explain.NoteRef]], list[str]]:
    from gwshift.core import transform
    from gwshift.errors import FatalError

    try:
        outcome = transform(before, settings)
    except FatalError as exc:
        return {}, [f"conversion of BEFORE failed, no note explains anything: {exc}"]
    out: dict[tuple[str, str], list[explain.NoteRef]] = {}
    for n in outcome.notes:
        if n.obj is None or n.obj.kind not in explain.SOURCE_KINDS:
            continue
        ns = n.obj.namespace or settings.namespace or "default"
        ref = Ref(n.obj.kind, ns, n.obj.name or "")
        out.setdefault(explain.key(ref), []).append(
            explain.NoteRef(n.code, n.severity.label, str(n.obj), n.message))
    return out, []


_ACCESS_KINDS = ("access-control-lost", "access-control-added", "status")
_ROUTES = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")


def _migrated(before: list[objects.Obj], after: list[objects.Obj]) -> list[objects.Obj]:
    """AFTER without the routes BEFORE already had: they were not part of the migration
    and whatever serves them (a Gateway outside both streams) is not being replaced."""
    pre = [b for b in before if objects.kind(b) in _ROUTES]
    return [a for a in after if objects.kind(a) not in _ROUTES or a not in pre]


def verify(before: str, after: str, settings: Settings, target: str | None = None,
           names: tuple[str, str] = ("BEFORE", "AFTER")) -> Report:
    """Probe both sides and classify every difference (see the package docstring).

    ``target``: the implementation whose choices the spec leaves open (regex precedence);
    default: the conversion's target (``settings.target``), else "standard".
    """
    if target is None:
        target = str(getattr(settings, "target", "standard"))
    ns = settings.namespace or "default"
    skipped: list[str] = []
    before_objs = objects.load(before, names[0], skipped)
    after_objs = objects.load(after, names[1], skipped)
    worlds = sources.build(before_objs, ns, settings.dialect, settings.annotation_prefix)
    # Namespace labels decide allowedRoutes selectors; BEFORE may carry the Namespaces
    namespaces = [b for b in before_objs if objects.kind(b) == "Namespace"]
    model = gatewayapi.build(namespaces + _migrated(before_objs, after_objs), ns, target)
    notes, warnings = _notes(before, settings)
    kept = {explain.key(Ref(objects.kind(x), objects.namespace(x, ns), objects.name(x)))
            for x in after_objs if objects.kind(x) in explain.SOURCE_KINDS}
    report = Report(warnings=skipped + warnings)
    report.sources = sources.census(before_objs, worlds)
    l4 = kong.l4_rules(before_objs, ns)
    if not worlds and not l4:
        report.warnings.append(f"{names[0]} has no Ingress: nothing to verify")
    for cls, req in probes.generate(worlds, model):
        report.probes += 1
        if worlds[cls].dialect.startswith("unmodelled:"):
            report.not_modelled += 1
            report.not_compared[f"source: no model of the {worlds[cls].dialect[11:]} dialect "
                                "yet"] += 1
            continue
        world = worlds[cls]
        src = (world.evaluate(req) if isinstance(world, SourceWorld)
               else nginx.evaluate(world, req))
        classes = tuple({settings.gateway_class_for(cls) or cls, cls})
        gw = gatewayapi.evaluate(model, req, classes, cls)
        _judge(report, cls, world.dialect, req, src, gw, notes, kept, world.canary_backends)
    for req in kong.l4_probes(l4):  # Kong TCPIngress / UDPIngress: compared by port
        report.probes += 1
        _judge(report, "kong", "kong", req, kong.evaluate_l4(l4, req),
               gatewayapi.evaluate_l4(model, req), notes, kept, {})
    return report


def _judge(report: Report, cls: str, dialect: str, req: Request, src: Verdict, gw: Verdict,
           notes: dict[tuple[str, str], list[explain.NoteRef]], kept: set[tuple[str, str]],
           canary_backends: dict[str, list[Ref]]) -> None:
    """Classify one probe's pair of verdicts into the report."""
    if src.result.kind == "unknown" or gw.result.kind == "unknown":
        report.not_modelled += 1
        why = src.result if src.result.kind == "unknown" else gw.result
        label = MODEL_NAMES.get(dialect, dialect)
        report.not_compared[(f"{label}: " if why is src.result else "gateway api: ")
                            + why.detail] += 1
        return
    kind = "order-dependent" if src.rivals else classify(src.result, gw.result)
    if kind in ("rewrite", "headers") and not set(src.by) & set(gw.by):
        kind = "backend"  # another rule (of another Ingress) matched: a matching difference
    if kind in _ACCESS_KINDS and gw.opaque:
        report.not_modelled += 1
        report.not_compared["gateway api: access control by " + ", ".join(gw.opaque)
                            + " not modelled"] += 1
        return
    if kind is None:
        return
    canaries = tuple(r for b, _ in gw.result.backends for r in canary_backends.get(b, ()))
    refs = src.by + src.rivals + gw.by + canaries
    note = explain.find(kind, refs, notes, kept, dialect)
    report.differences.append(Difference(kind, cls, req, src, gw, note, dialect))
