"""The pure core: ``transform(text, settings) -> Outcome(text, notes)``.

Stages: split (stream.py) → inventory (lazy items) → parse (parse.py) → neutral plan
(convert.py) → dialect refinement (handlers/) → checks (checks.py: leftover annotations,
intents the target cannot express) → Gateway plan and emit (emit.py, the target expresses
intents per attachment) → optional validation → write (untouched chunks copied verbatim).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from gwshift import checks, emit, handlers, inventory, stream, targets, yamlio
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.errors import FatalError
from gwshift.handlers import GroupKey
from gwshift.inventory import Item, LoadError, from_chunk, from_object
from gwshift.model import Conversion, Ingress, mapping
from gwshift.notes import Note, ObjRef, Severity, error, exit_code, info, warning
from gwshift.parse import INGRESS_API_VERSIONS, parse_ingress
from gwshift.settings import Settings
from gwshift.targets import Target

# etcd's request limit: an Ingress larger than this was never served; refusing it early
# bounds the time and memory spent composing hostile documents.
MAX_OBJECT_BYTES = 1_572_864
Key = tuple[int, int]  # (document index, index inside a List document or -1)
Obj = dict[str, Any]


class Outcome(NamedTuple):
    text: str
    notes: tuple[Note, ...]

    def exit_code(self, strict: bool = False) -> int:
        return exit_code(self.notes, strict)


class Replacement(NamedTuple):
    objects: list[Any]  # generated objects, or their YAML text (plan_items(lean=True))
    keep_original: bool


class Plan(NamedTuple):
    replacements: dict[int, list[Obj]]  # item index -> objects replacing it (may include it)
    notes: list[Note]


def transform(text: str, settings: Settings) -> Outcome:
    pieces, notes = transform_pieces(text, settings)
    return Outcome("".join(pieces), notes)


def transform_pieces(text: str, settings: Settings) -> tuple[Iterator[str], tuple[Note, ...]]:
    """``transform`` with the output as pieces written one after the other.

    The plan (and every note) is complete before the first piece; pass-through pieces are
    sliced from ``text`` only as they are consumed, so a writer holds one piece at a time.
    """
    items = _stream_items(text)
    replacements, notes = plan_items(items, settings, lean=True)
    return _pieces(text, items, replacements), tuple(sorted(notes, key=Note.sort_key))


# Every kind the planner reads (with Lists and Gateway API objects): stream mode makes items
# of these documents only, so _objects_of_kind refuses any other kind. Dialects add theirs.
CORE_READS = frozenset({"Ingress", "Service", "ConfigMap", "IngressClass"})


def looked_up() -> frozenset[str]:
    """Kinds the planner reads: the core's, the dialects' reads and extra source kinds."""
    return CORE_READS | handlers.extra_reads() | {kind for _, kind in handlers.source_kinds()}


def _stream_items(text: str) -> list[Item]:
    """Items for the documents the planner may read; the others stay offsets in ``text``.

    A document is read when its kind is one the planner looks at, when it is a Gateway API
    object (idempotence checks) or a List, and when the cheap scan cannot tell its kind.
    """
    bounds = stream.boundaries(text)
    found = stream.scan(text, bounds)
    reads = looked_up()
    items = []
    for i in range(len(bounds) - 1):
        kind, api = found.kind[i], found.api[i]
        if (found.kinds[i] == 1 and found.apis[i] == 1 and kind is not None and api is not None
                and kind not in reads and not inventory.is_list_kind(kind)
                and not api.startswith(checks.GW_GROUP)):
            continue
        chunk = stream.chunk_at(text, bounds, i)
        if not chunk.has_content:
            continue
        items.append(from_chunk(chunk, stream.sniff_scanned(chunk, found)))
    return items


def _pieces(text: str, items: list[Item], reps: dict[Key, Replacement]) -> Iterator[str]:
    """The output: untouched runs as slices of ``text``, replaced documents rewritten."""
    lists = {doc for doc, sub in reps if sub >= 0}
    cursor = 0
    for item in items:
        chunk = item.source
        if chunk is None or ((item.index, -1) not in reps and item.index not in lists):
            continue
        if chunk.start > cursor:
            yield text[cursor : chunk.start]
        yield _write_chunk(chunk, item, reps, lists)
        cursor = chunk.end
    if cursor < len(text):
        yield text[cursor:]


def convert_objects(objs: list[Any], settings: Settings) -> Plan:
    """Envelope-free entry point (KRM): plain objects in, replacements by index out."""
    items = [from_object(i, o) for i, o in enumerate(objs)]
    replacements, notes = plan_items(items, settings)
    out: dict[int, list[Obj]] = {}
    for (doc, sub), rep in replacements.items():
        if sub >= 0:
            continue
        out[doc] = ([objs[doc]] if rep.keep_original else []) + rep.objects
    for doc in {d for d, s in replacements if s >= 0}:
        out[doc] = [_rebuilt_list(items[doc].obj(), doc, replacements)]
    return Plan(out, sorted(notes, key=Note.sort_key))


# --- writing ------------------------------------------------------------------------------


def _dump_objects(objs: list[Any], crlf: bool, comments: str = "") -> str:
    """Objects as YAML documents; ``comments`` (Helm's ``# Source:`` line) repeat before each
    object after the first, so ``helm template --show-only`` still finds every one."""
    text = ("---\n" + comments).join(o if isinstance(o, str) else yamlio.dump(o) for o in objs)
    return text.replace("\n", "\r\n") if crlf else text


def _comment_lines(header: str) -> str:
    return "".join(line.replace("\r\n", "\n") for line in header.splitlines(keepends=True)
                   if line.startswith("# Source: "))


def _write_chunk(chunk: stream.Chunk, item: Item, reps: dict[Key, Replacement],
                 lists: set[int]) -> str:
    key = (chunk.index, -1)
    if key in reps:
        rep = reps[key]
        if rep.keep_original:
            text = chunk.text if chunk.text.endswith("\n") else chunk.text + "\n"
            sep = "---\r\n" if chunk.crlf else "---\n"
            comments = _comment_lines(chunk.header)
            crlf_comments = comments.replace("\n", "\r\n") if chunk.crlf else comments
            return text + (sep + crlf_comments + _dump_objects(rep.objects, chunk.crlf, comments)
                           if rep.objects else "")
        if not rep.objects:
            return chunk.header + _merged_comment(item, chunk.crlf)
        return chunk.header + _dump_objects(rep.objects, chunk.crlf, _comment_lines(chunk.header))
    if chunk.index in lists:
        rebuilt = _rebuilt_list(item.obj(), chunk.index, reps)
        return chunk.header + _dump_objects([rebuilt], chunk.crlf)
    return chunk.text


def _merged_comment(item: Item, crlf: bool) -> str:
    """An Ingress merged into another (a canary) leaves a comment, not a silent hole."""
    meta = item.metadata
    ref = f"{item.kind or 'Ingress'}/{meta.get('namespace') or '-'}/{meta.get('name') or '-'}"
    text = f"# gwshift: {ref} was merged into the routes of another Ingress (see notes)\n"
    return text.replace("\n", "\r\n") if crlf else text


def _rebuilt_list(obj: Obj, doc: int, reps: dict[Key, Replacement]) -> Obj:
    new_items: list[Any] = []
    for j, child in enumerate(obj.get("items") or []):
        rep = reps.get((doc, j))
        if rep is None:
            new_items.append(child)
            continue
        new_items.extend(([child] if rep.keep_original else []) + rep.objects)
    return {**obj, "items": new_items}


# --- planning -----------------------------------------------------------------------------


class _Candidate(NamedTuple):
    key: Key
    obj: Any


def _group(api_version: Any) -> str:
    """The API group of an apiVersion (``""`` for the core group)."""
    return api_version.rpartition("/")[0] if isinstance(api_version, str) else ""


def _candidates(items: list[Item], notes: list[Note]) -> list[_Candidate]:
    """Source objects (Ingress and the dialects' extra kinds), top level or inside ``kind:
    List`` documents, selected by their parsed kind (the scan only tells which to parse)."""
    extra = handlers.source_kinds()

    def _is_source(kind: Any, api_version: Any) -> bool:
        return kind == "Ingress" or (_group(api_version), kind) in extra

    out = []
    for item in items:
        if item.kind is not None and _is_source(item.kind, item.api_version):
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
            if _is_source(obj.get("kind"), obj.get("apiVersion")):
                out.append(_Candidate((item.index, -1), obj))
        elif inventory.is_list_kind(item.kind):
            try:
                obj = item.obj()
            except LoadError:
                continue
            children = obj.get("items") if isinstance(obj, dict) else None
            for j, child in enumerate(children if isinstance(children, list) else []):
                if isinstance(child, dict) and _is_source(child.get("kind"), child.get("apiVersion")):
                    out.append(_Candidate((item.index, j), child))
    return out


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


def _parse(cand: _Candidate, ctx: Context, notes: list[Note]) -> Conversion | None:
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
        if conv is not None:
            conv.dialect = dialect
        return conv
    if api not in INGRESS_API_VERSIONS:
        notes.append(Note("ingress/unsupported-api-version", Severity.INFO,
                          f"apiVersion {api!r} is not an Ingress version gwshift reads; kept",
                          ObjRef("Ingress", None, None), "apiVersion", doc))
        return None
    ing, parse_notes = parse_ingress(cand.obj, doc)
    notes.extend(parse_notes)
    if ing is None:
        return None
    conv = new_conversion(ing, ctx)
    conv.dialect = handlers.select_dialect(conv, ctx)
    return conv


def _select(cands: list[_Candidate], ctx: Context, notes: list[Note]) -> dict[Key, Conversion]:
    convs: dict[Key, Conversion] = {}
    for cand in cands:
        conv = _parse(cand, ctx, notes)
        if conv is None:
            continue
        wanted = ctx.settings.ingress_classes
        if wanted and (conv.ingress_class or "") not in wanted:
            notes.append(info("ingress/class-not-selected",
                              f"ingress class {conv.ingress_class!r} is not selected by "
                              "--ingress-class; kept as it is", conv.source.ref,
                              "spec.ingressClassName")._replace(doc=conv.source.doc))
            continue
        convs[cand.key] = conv
    return convs


def plan_items(items: list[Item], settings: Settings,
               lean: bool = False) -> tuple[dict[Key, Replacement], list[Note]]:
    """Plan the replacements of every Ingress in ``items``.

    ``lean`` (stream mode) keeps memory flat in the number of Ingresses: the parsed Ingress
    objects are dropped once modelled (they reload from their chunk if asked for), and the
    generated objects of top-level documents are stored as YAML text as soon as they exist.
    """
    notes: list[Note] = []
    ctx = _context(items, settings)
    convs = _select(_candidates(items, notes), ctx, notes)
    if lean:
        by_doc = {item.index: item for item in items}
        for doc, sub in convs:
            if sub < 0:
                by_doc[doc].forget()
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
    checks.check_existing(ctx.conversions, items, settings)
    reps = _emit(convs, ctx, target, lean)
    for conv in ctx.conversions:
        notes.extend(conv.notes)
    return reps, list(dict.fromkeys(notes))  # a re-planned emit may repeat a note


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


def _emit(convs: dict[Key, Conversion], ctx: Context, target: Target,
          as_text: bool) -> dict[Key, Replacement]:
    for _ in range(3):  # blocking an Ingress (validation) changes the shared Gateways
        reps, newly_blocked = _emit_once(convs, ctx, target, as_text)
        if not newly_blocked:
            return reps
    return _emit_once(convs, ctx, target, as_text)[0]


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


def _emit_once(convs: dict[Key, Conversion], ctx: Context, target: Target,
               as_text: bool) -> tuple[dict[Key, Replacement], bool]:
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
    for gkey, members in sorted(groups.items()):
        plan = None if existing else emit.plan_gateway(members, ctx)
        if plan is not None:
            plans[gkey] = plan
            owners.setdefault(plan.owner_doc, []).extend(plan.gateways)
        owner_doc = min(c.source.doc for c in members)
        gateway_objects.setdefault(owner_doc, []).extend(
            emit.express_gateway(members, plan, ctx, target))
    reps: dict[Key, Replacement] = {}
    blocked = False
    written: dict[tuple[str, str, str | None, str], Obj] = {}
    for key, conv in sorted(live.items()):
        emitted = emit.emit_routes(conv, ctx, plans.get(ctx.group_of(conv)), target)
        objs = emitted.routes + conv.extra_objects + _once(conv, emitted.objects, written, ctx)
        if ctx.settings.validate and _invalid(conv, objs, ctx):
            blocked = True
            continue
        # The first source of a group carries its Gateways and their target objects.
        gateways = owners.pop(conv.source.doc, [])
        out: list[Any] = gateways + objs + gateway_objects.pop(conv.source.doc, [])
        if as_text and key[1] < 0:  # top-level documents are only ever written as text
            out = [yamlio.dump(o) for o in out]
        reps[key] = Replacement(out, ctx.settings.keep_ingress)
    return reps, blocked


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
