"""Planning: which sources convert, into what, and what is kept (with notes saying why).

Candidates (Ingress and the dialects' extra source kinds) are parsed, grouped per Gateway,
refined by their dialects, checked, and emitted; validation may keep a source, which changes
the shared Gateways, so emission re-plans (at most four rounds). The result is one
:class:`Replacement` per converted source plus a :class:`~gwshift.outcome.Summary`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from gwshift import checks, emit, handlers, inventory, stream, targets, yamlio
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.errors import FatalError
from gwshift.generated_names import apply as apply_name_template
from gwshift.handlers import GroupKey
from gwshift.inventory import Item, LoadError
from gwshift.model import Conversion, Ingress, mapping
from gwshift.notes import Note, ObjRef, Severity, error, info, warning
from gwshift.outcome import SourceSummary, Summary
from gwshift.parse import INGRESS_API_VERSIONS, parse_ingress
from gwshift.settings import Settings
from gwshift.summary import ref_of, source_summary, summarize
from gwshift.targets import Target
from gwshift.yamlio import safe_text

# etcd's request limit: an Ingress larger than this was never served; refusing it early
# bounds the time and memory spent composing hostile documents.
MAX_OBJECT_BYTES = 1_572_864
NOT_IN_LIST = -1
Obj = dict[str, Any]


# (document index in the input, index inside a ``kind: List`` document or NOT_IN_LIST); a
# plain tuple because the KRM splice path looks replacements up by ``(i, -1)``.
Key = tuple[int, int]


class Replacement(NamedTuple):
    """What replaces one source: generated objects, or (lean stream mode, top-level
    documents) their YAML text; the original stays too with --keep-ingress."""

    keep_original: bool
    objects: list[Obj]
    texts: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.objects and not self.texts


class Planned(NamedTuple):
    replacements: dict[Key, Replacement]
    notes: list[Note]
    summary: Summary


# Every kind the planner reads (with Lists and Gateway API objects): stream mode makes items
# of these documents only, so _objects_of_kind refuses any other kind. Dialects add theirs.
CORE_READS = frozenset({"Ingress", "Service", "ConfigMap", "IngressClass"})


def looked_up(text: str | None = None) -> frozenset[str]:
    """Kinds the planner reads: the core's, the dialects' reads and extra source kinds, and,
    given the input ``text``, the kinds of documents that may name sources when their marker
    occurs in it (ingress-nginx's controller naming its tcp-services ConfigMap)."""
    return (CORE_READS | handlers.extra_reads() | {kind for _, kind in handlers.source_kinds()}
            | (handlers.naming_kinds(text) if text is not None else frozenset()))


def item_at(items: list[Item], doc: int) -> Item:
    """The item of document ``doc`` (items are in document order: no index dict, which at
    100k documents is a few MB)."""
    pos = bisect.bisect_left(items, doc, key=lambda item: item.index)
    if pos < len(items) and items[pos].index == doc:
        return items[pos]
    return next(item for item in items if item.index == doc)  # not in order: look


class _Candidate(NamedTuple):
    key: Key
    obj: Any


def _group(api_version: Any) -> str:
    """The API group of an apiVersion (``""`` for the core group)."""
    return api_version.rpartition("/")[0] if isinstance(api_version, str) else ""


# (group, kind) -> (namespace, name) of the objects a ``named_by`` dialect made sources.
Named = dict[tuple[str, str], set[tuple[str | None, str]]]


def _mentions(item: Item, words: Iterable[str]) -> bool:
    """Whether the item's text holds one of ``words``, read without loading it; an item held
    only as an object (KRM round trip, tests) is in memory anyway: True."""
    src: Any = item.source
    text, start, end = (item.text, 0, None) if src is None else (
        getattr(src, "source", None) if isinstance(src, stream.Chunk) else getattr(src, "text", None),
        getattr(src, "start", 0), getattr(src, "end", None))
    if not isinstance(text, str):
        return True
    return any(text.find(w, start, end) != -1 for w in words)


def _named(items: list[Item], ctx: Context) -> Named:
    """The sources ``named_by`` dialects select. Only documents of a naming kind whose text
    has its marker are loaded (most inputs: none), and only then is the dialect imported."""
    out: Named = {}
    for name, entry in sorted(handlers.DIALECTS.items()):
        if not entry.named_by or ctx.settings.dialect not in ("auto", name):
            continue
        markers: dict[str, list[str]] = {}
        for kind, marker in entry.named_by:
            markers.setdefault(kind, []).append(marker)
        docs = list(inventory.objects(
            items, lambda item: item.kind in markers and _mentions(item, markers[item.kind]),  # noqa: B023
            lambda obj: isinstance(obj.get("kind"), str) and obj["kind"] in markers))  # noqa: B023
        select = handlers.load(name).select if docs else None
        if select is None:
            continue
        by_kind = {kind: (group, kind) for group, kind in entry.sources}
        for kind, ns, obj_name in select(docs, ctx):
            if kind in by_kind:
                out.setdefault(by_kind[kind], set()).add((ctx.namespace_of(ns), obj_name))
    return out


def _candidates(items: list[Item], notes: list[Note], named: Named | None = None,
                default_ns: str | None = None) -> Iterator[_Candidate]:
    """Source objects (Ingress and the dialects' extra kinds), top level or inside ``kind:
    List`` documents, selected by their parsed kind (the scan only tells which to parse).
    A kind of a ``named_by`` dialect is a source only where ``named`` names the object.
    Loaded one at a time as the caller asks: a lean plan drops each once it is modelled."""
    extra = handlers.source_kinds()
    named = named or {}
    selective = {src for src, d in extra.items() if handlers.DIALECTS[d].named_by}

    def _is_source(kind: Any, api_version: Any, obj: Any = None) -> bool:
        if kind == "Ingress":
            return True
        if not isinstance(kind, str):
            return False  # e.g. a mapping: unhashable, and no kind anyway
        src = (_group(api_version), kind)
        if src not in extra:
            return False
        if src not in selective:
            return True
        if src not in named:
            return False
        if obj is None:
            return True  # checked by name once loaded
        meta = mapping(obj.get("metadata"))
        ns, name = meta.get("namespace"), meta.get("name")
        return (ns if isinstance(ns, str) and ns else default_ns, name) in named[src]

    def _may_be_source(item: Item) -> bool:
        if not _is_source(item.kind, item.api_version):
            return False
        src = (_group(item.api_version), item.kind)
        return src not in selective or _mentions(item, {n for _, n in named[src]})

    for item in items:
        if item.kind is not None and _may_be_source(item):
            try:
                if item.size > MAX_OBJECT_BYTES:
                    raise LoadError(f"the document is larger than {MAX_OBJECT_BYTES} bytes, "
                                    "the API server's object size limit")
                obj = item.obj()
                if not isinstance(obj, dict):
                    raise LoadError(f"the document is a {type(obj).__name__}, not a mapping")
            except LoadError as exc:
                notes.append(error("yaml/invalid", f"cannot parse this {item.kind} document: "
                                   f"{exc}; it is kept as it is", ObjRef(item.kind, None, None))
                             ._replace(doc=item.index))
                continue
            if _is_source(obj.get("kind"), obj.get("apiVersion"), obj):
                yield _Candidate((item.index, NOT_IN_LIST), obj)
        elif inventory.is_list_kind(item.kind):
            try:
                obj = item.obj()
            except LoadError as exc:
                # A List that may hold a source but cannot be read is said, not left silently
                # (a List without the word Ingress or an extra kind has nothing to convert).
                body = item.source.body if item.source is not None else item.text or ""
                kinds = [src[1] for src in extra if src not in selective or src in named]
                if "Ingress" in body or any(k in body for k in kinds):
                    notes.append(error("yaml/invalid", f"cannot parse this {item.kind} "
                                       f"document: {exc}; it is kept as it is",
                                       ObjRef(str(item.kind), None, None))._replace(doc=item.index))
                continue
            children = obj.get("items") if isinstance(obj, dict) else None
            for j, child in enumerate(children if isinstance(children, list) else []):
                if isinstance(child, dict) and _is_source(child.get("kind"),
                                                          child.get("apiVersion"), child):
                    yield _Candidate((item.index, j), child)


def _objects_of_kind(items: list[Item], kind: str) -> list[Obj]:
    if kind not in looked_up():
        raise AssertionError(f"{kind} is read by the planner but not declared (looked_up)")
    return list(inventory.objects(items, lambda item: item.kind == kind,
                                  lambda obj: obj.get("kind") == kind))


def _lookup(items: list[Item], kind: str, settings: Settings) -> Any:
    # perf hook (issue 12): documents indexed lexically, loaded only when a lookup names them.
    from gwshift import lookup

    return lookup.finder(items, kind, settings.namespace)


def _context(items: list[Item], settings: Settings) -> Context:
    lookups = looked_up() - {"Ingress", "IngressClass"}
    ctx = Context(settings, {kind: _lookup(items, kind, settings) for kind in sorted(lookups)})
    for obj in _objects_of_kind(items, "IngressClass"):
        meta = mapping(obj.get("metadata"))
        spec = mapping(obj.get("spec"))
        name = meta.get("name")
        if not isinstance(name, str):
            continue
        ctx.ingress_class_controllers[name] = str(spec.get("controller", ""))
        ann = mapping(meta.get("annotations"))
        if str(ann.get("ingressclass.kubernetes.io/is-default-class", "")).lower() == "true":
            ctx.default_ingress_class = name
    return ctx


def _parse(cand: _Candidate, ctx: Context, notes: list[Note],
           kept: list[SourceSummary]) -> Conversion | None:
    """The Conversion of one candidate: Ingresses through parse.py, extra source kinds
    through the parser their dialect declares (only when that dialect may run)."""
    doc = cand.key[0]
    kind, api = cand.obj.get("kind"), cand.obj.get("apiVersion")
    if kind != "Ingress":
        dialect = handlers.source_kinds()[(_group(api), kind)]
        if ctx.settings.dialect not in ("auto", dialect):
            return None  # --dialect none/other: a kind only its dialect understands stays
        conv, parse_notes = handlers.load(dialect).parsers[(_group(api), kind)](cand.obj, doc, ctx)
        notes.extend(parse_notes)
        if conv is None:
            reason = next((n.code for n in parse_notes if n.severity is Severity.ERROR), None)
            kept.append(SourceSummary(_ref(cand.obj), doc, "kept", reason, dialect=dialect))
            return None
        conv.dialect = dialect
        return conv
    if api not in INGRESS_API_VERSIONS:
        note = Note("ingress/unsupported-api-version", Severity.INFO,
                    f"apiVersion {_shown(api)} is not an Ingress version gwshift reads; kept",
                    _ref(cand.obj), "apiVersion", doc)
        notes.append(note)
        kept.append(SourceSummary(_ref(cand.obj), doc, "kept", note.code))
        return None
    ing, parse_notes = parse_ingress(cand.obj, doc)
    notes.extend(parse_notes)
    if ing is None:
        reason = next((n.code for n in parse_notes if n.severity is Severity.ERROR), None)
        kept.append(SourceSummary(_ref(cand.obj), doc, "kept", reason))
        return None
    conv = new_conversion(ing, ctx)
    conv.dialect = handlers.select_dialect(conv, ctx)
    return conv


def _shown(value: object) -> str:
    """An untrusted value for a message: quoted text, or only its type (never its repr)."""
    return f"'{safe_text(value)}'" if isinstance(value, str) else f"of type {type(value).__name__}"


def _ref(obj: dict[str, Any]) -> ObjRef:
    meta = mapping(obj.get("metadata"))
    name, ns, api = meta.get("name"), meta.get("namespace"), obj.get("apiVersion")
    return ObjRef(str(obj.get("kind")), ns if isinstance(ns, str) else None,
                  name if isinstance(name, str) else None, api if isinstance(api, str) else "")


def _select(cands: Iterable[_Candidate], ctx: Context, notes: list[Note],
            others: list[SourceSummary] | None = None,
            selected: Callable[[Key], None] | None = None) -> dict[Key, Conversion]:
    """Conversions of the selected sources; ``others`` gets the sources left as they are;
    ``selected(key)`` is told of each selected source once it is modelled."""
    others = [] if others is None else others
    convs: dict[Key, Conversion] = {}
    for cand in cands:
        conv = _parse(cand, ctx, notes, others)
        if conv is None:
            continue
        wanted = ctx.settings.ingress_classes
        if wanted and (conv.ingress_class or "") not in wanted:
            notes.append(info("ingress/class-not-selected",
                              f"ingress class {conv.ingress_class!r} is not selected by "
                              "--ingress-class; kept as it is", conv.source.ref,
                              "spec.ingressClassName")._replace(doc=conv.source.doc))
            others.append(SourceSummary(conv.source.ref, conv.source.doc, "not-selected",
                                        "ingress/class-not-selected", dialect=conv.dialect))
            continue
        convs[cand.key] = conv
        if selected is not None:
            selected(cand.key)
    return convs


# Writes the generated objects of one top-level source as text right after emission
# (KRM splice: placed and indented as items): (key, keep the original, objects, round).
Finish = Callable[[Key, bool, list[Obj], int], tuple[str, ...]]


def plan_items(items: list[Item], settings: Settings, lean: bool = False,
               forget: bool | None = None,
               finish: Finish | None = None) -> tuple[dict[Key, Replacement], list[Note]]:
    """``plan`` without the summary (the KRM splice path)."""
    planned = plan(items, settings, lean, forget, finish)
    return planned.replacements, planned.notes


def plan(items: list[Item], settings: Settings, lean: bool = False,
         forget: bool | None = None, finish: Finish | None = None) -> Planned:
    """Plan the replacements of every source in ``items``.

    ``lean`` (stream mode) keeps memory flat in the number of Ingresses: the parsed Ingress
    objects are dropped once modelled (they reload from their chunk if asked for), and the
    generated objects of top-level documents are stored as YAML text as soon as they exist.
    ``forget`` (default: ``lean``) does the first half only; ``finish`` turns the generated
    objects of each top-level source into text its own way as soon as they exist (the KRM
    splice path places and indents them). Emission may run again (validation re-plans):
    ``finish`` is told the round, and only the last round's texts are kept.
    """
    notes: list[Note] = []
    others: list[SourceSummary] = []
    ctx = _context(items, settings)
    selected = None
    if lean if forget is None else forget:

        def selected(key: Key) -> None:  # modelled: the parsed object reloads if asked for
            if key[1] == NOT_IN_LIST:
                item_at(items, key[0]).forget()

    cands = _candidates(items, notes, _named(items, ctx), settings.namespace)
    convs = _select(cands, ctx, notes, others, selected)
    ctx.conversions = list(convs.values())
    for conv in ctx.conversions:
        if isinstance(conv.source, Ingress):  # extra source kinds come with their routes
            # A dialect may turn paths that are no valid prefix into regular expressions.
            conv.dialect_paths = conv.dialect is not None
            build_routes(conv, ctx)
    target = targets.get(settings.target)
    _refine(ctx, target)
    for conv in ctx.conversions:
        checks.check_annotations(conv, settings)
        checks.check_paths(conv)
        emit.name_rules(conv)
        apply_name_template(conv, settings)  # before the collision checks read the names
    checks.check_existing(ctx.conversions, items, settings, ctx)
    reps, generated = _emit(convs, ctx, target, lean, finish)
    for conv in ctx.conversions:
        conv.notes = list(dict.fromkeys(conv.notes))  # a re-planned emit may repeat a note
        notes.extend(conv.notes)
    sources = others + [
        source_summary(conv, key in reps, key in reps and reps[key].empty, generated.get(key, ()))
        for key, conv in convs.items()]
    return Planned(reps, list(dict.fromkeys(notes)), summarize(sources, convs.values(), settings, target))


def _refine(ctx: Context, target: Target) -> None:
    """Dialects refine their sources; intents the target cannot express keep their sources
    (checks.unconsumed); then the dialects' cross-source passes run."""
    by_dialect: dict[str, list[Conversion]] = {}
    for conv in ctx.conversions:
        if conv.dialect is not None:
            by_dialect.setdefault(conv.dialect, []).append(conv)
    for name in sorted(by_dialect):
        handlers.load(name).refine(by_dialect[name], ctx)
    for conv in ctx.conversions:
        checks.unconsumed(conv, target, ctx.settings)
    for name in sorted(by_dialect):
        for run_pass in handlers.load(name).passes:
            run_pass(by_dialect[name], ctx)


Generated = dict[Key, tuple[ObjRef, ...]]


def _emit(convs: dict[Key, Conversion], ctx: Context, target: Target, as_text: bool,
          finish: Finish | None = None) -> tuple[dict[Key, Replacement], Generated]:
    for round_no in range(3):  # blocking an Ingress (validation) changes the shared Gateways
        reps, generated, newly_blocked = _emit_once(convs, ctx, target, as_text, finish,
                                                    round_no)
        if not newly_blocked:
            return reps, generated
    reps, generated, _ = _emit_once(convs, ctx, target, as_text, finish, 3)
    return reps, generated


def _block_dependents(convs: dict[Key, Conversion]) -> None:
    changed = True
    while changed:
        changed = False
        for conv in convs.values():
            if conv.blocked or not any(d.blocked for d in conv.depends_on):
                continue
            conv.block(error("ingress/merged-into-kept-ingress",
                             "this Ingress was merged into an Ingress that is kept unconverted; "
                             "it is kept too so that both keep routing together"))
            changed = True


def _emit_once(convs: dict[Key, Conversion], ctx: Context, target: Target, as_text: bool,
               finish: Finish | None = None,
               round_no: int = 0) -> tuple[dict[Key, Replacement], Generated, bool]:
    _block_dependents(convs)
    live = {k: c for k, c in convs.items() if not c.blocked}
    groups: dict[GroupKey, list[Conversion]] = {}
    for conv in live.values():
        if conv.routes:
            groups.setdefault(ctx.group_of(conv), []).append(conv)
    plans = {}
    owners: dict[int, list[Obj]] = {}
    gateway_objects: dict[int, list[Obj]] = {}  # target objects for Gateways, by owner doc
    existing = ctx.settings.gateway is not None and not ctx.settings.listener_set
    blocked = False
    for gkey, members in sorted(groups.items()):
        plan = None if existing else emit.plan_gateway(members, ctx)
        if plan is not None:
            plans[gkey] = plan
            owners.setdefault(plan.owner_doc, []).extend(plan.gateways)
        owner_doc = min(c.source.doc for c in members)
        gateway_objects.setdefault(owner_doc, []).extend(
            emit.express_gateway(members, plan, ctx, target))
        # The target could not express a Gateway-scope control (emit's backstop blocked
        # its sources): re-plan without them.
        blocked = blocked or any(c.blocked for c in members)
    reps: dict[Key, Replacement] = {}
    generated: Generated = {}
    written: dict[tuple[str, str, str | None, str], Obj] = {}
    for key, conv in sorted(live.items()):
        if conv.blocked:
            continue  # blocked by a Gateway-scope error above
        emitted = emit.emit_routes(conv, ctx, plans.get(ctx.group_of(conv)), target)
        if conv.blocked:  # the target could not express an intent (emit's backstop)
            blocked = True
            continue
        objs = emitted.routes + conv.extra_objects + _once(conv, emitted.objects, written, ctx)
        plan = plans.get(ctx.group_of(conv))
        if ctx.settings.gateway_api_version != "1.6":  # the latest: nothing to adapt
            from gwshift import compat  # imports the feature matrix: off the default path

            adapted = compat.for_conversion(conv, objs, plan.gateways if plan else [],
                                            ctx.settings)
            if adapted is None:  # --gateway-api-version cannot serve it: the source is kept
                blocked = True
                continue
            objs = adapted
        if ctx.settings.validate and _invalid(conv, objs, ctx):
            blocked = True
            continue
        # The first source of a group carries its Gateways and their target objects.
        gateways = owners.pop(conv.source.doc, [])
        out = gateways + objs + gateway_objects.pop(conv.source.doc, [])
        generated[key] = tuple(ref_of(o) for o in out)
        keep = ctx.settings.keep_ingress
        # Each object on its own: a dict shared between objects (or inside one) would be
        # written as a YAML anchor/alias. Text is written unshared directly (no copy).
        if finish is not None and key[1] == NOT_IN_LIST:
            reps[key] = Replacement(keep, [], finish(key, keep, [emit.unshared(o) for o in out],
                                                     round_no))
        elif as_text and key[1] == NOT_IN_LIST:  # top-level documents are only written as text
            reps[key] = Replacement(keep, [], tuple(yamlio.dump(o, unshare=True) for o in out))
        else:
            reps[key] = Replacement(keep, [emit.unshared(o) for o in out])
    return reps, generated, blocked


def _once(conv: Conversion, objects: list[Obj],
          written: dict[tuple[str, str, str | None, str], Obj], ctx: Context) -> list[Obj]:
    """Target objects are written once: several routes (or sources) may ask for the same
    one (a BackendTLSPolicy per Service); a same-named one with other content is a note."""
    out = []
    for obj in objects:
        meta = obj.get("metadata") or {}
        ident = (obj.get("apiVersion", ""), obj.get("kind", ""),
                 ctx.namespace_of(meta.get("namespace")), meta.get("name", ""))
        first = written.setdefault(ident, obj)
        if first is obj:
            out.append(obj)
        elif first != obj:
            conv.note(warning("gateway/object-conflict",
                              f"{ident[1]}/{ident[3]} already emitted with other settings; "
                              "the first one is kept"))
    return out


def _invalid(conv: Conversion, objs: list[Obj], ctx: Context) -> bool:
    from gwshift import validation

    try:
        problems = validation.validate_objects(objs, channel=ctx.settings.channel)
    except validation.ValidationUnavailable as exc:
        raise FatalError(f"gwshift: --validate: {exc}") from None
    for p in problems:
        conv.block(error("gateway/invalid-output",
                         f"generated {p.kind}/{p.name} is invalid at {p.field or 'the object'}: "
                         f"{p.message}; the Ingress is kept"))
    return bool(problems)
