"""Every rendering of notes and of a run's Outcome, in one place.

* text line (stderr): ``severity code doc Kind/ns/name field message``, tab-separated, with
  control characters escaped in every field (a hostile annotation key holding a newline or a
  tab must not forge a note line or shift columns);
* JSON (``--notes-format json`` lines, ``--report FILE`` when FILE does not end in .md);
* KRM ``results`` entries;
* Markdown (``--report FILE.md``, ``GWSHIFT_REPORT``, functionConfig ``report``): a migration
  report for a pull request. Deterministic: no timestamps, stable order.

The report reads ``Outcome.summary`` (per-source disposition, generated objects, annotation
statuses). When a run has no summary, :func:`summary_from_notes` derives one from the notes
and the input's source documents.

Imported on every run for the stderr lines, so it imports nothing heavy at module level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gwshift.notes import Note, ObjRef, Severity, escape
from gwshift.outcome import (
    AnnotationStatus,
    AnnotationSummary,
    Outcome,
    SourceDisposition,
    SourceSummary,
    Summary,
)

# --- text and JSON ----------------------------------------------------------------------------


def note_line(n: Note) -> str:
    """``severity code doc Kind/ns/name field message``, tab-separated, escaped."""
    return n.line()


def note_dict(n: Note) -> dict[str, object]:
    obj = n.obj
    return {
        "code": n.code, "severity": n.severity.label, "message": n.message, "field": n.field,
        "document": n.doc,
        "object": None if obj is None else {"kind": obj.kind, "namespace": obj.namespace,
                                            "name": obj.name},
    }


def note_json_line(n: Note) -> str:
    import json

    return json.dumps(note_dict(n), sort_keys=True)


def notes_json(notes: Iterable[Note]) -> str:
    """The JSON report file: ``{"notes": [...]}``."""
    import json

    return json.dumps({"notes": [note_dict(n) for n in notes]}, indent=2, sort_keys=True) + "\n"


def stderr_text(notes: Sequence[Note], fmt: str, quiet: bool) -> str:
    shown = [n for n in notes if not quiet or n.severity >= Severity.WARNING]
    render = note_json_line if fmt == "json" else note_line
    return "".join(render(n) + "\n" for n in shown)


# --- KRM --------------------------------------------------------------------------------------


def krm_result(n: Note, file: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One KRM ``results`` entry: message, severity, resourceRef, field.path, file, tags.code.

    Every string is escaped as in the text line (``notes.escape``): kpt prints results to a
    terminal, so an ESC or a newline from an annotation key or value must not reach it raw
    (a no-op for every valid name, path and message)."""
    out: dict[str, Any] = {"message": escape(n.message), "severity": n.severity.label}
    if n.obj is not None:
        ref: dict[str, Any] = {}
        if n.obj.api_version:
            ref["apiVersion"] = escape(n.obj.api_version)
        elif n.obj.kind == "Ingress":
            ref["apiVersion"] = "networking.k8s.io/v1"
        if n.obj.kind:
            ref["kind"] = escape(n.obj.kind)
        if n.obj.name:
            ref["name"] = escape(n.obj.name)
        if n.obj.namespace:
            ref["namespace"] = escape(n.obj.namespace)
        if ref:
            out["resourceRef"] = ref
    if n.field:
        out["field"] = {"path": escape(n.field)}
    if file:
        out["file"] = {k: escape(v) if isinstance(v, str) else v for k, v in file.items()}
    out["tags"] = {"code": escape(n.code)}
    return out


# --- summary fallback -------------------------------------------------------------------------

SourceDoc = tuple[int, ObjRef, Mapping[str, str]]  # (document, ref, annotations)
_ANN_FIELD = r"metadata\.annotations\[(.+)\]\Z"
_REPORTED = ("-not-converted", "/annotation-not-converted")


def _same(a: ObjRef | None, b: ObjRef) -> bool:
    return a is not None and (a.kind, a.namespace, a.name) == (b.kind, b.namespace, b.name)


def summary_from_notes(notes: Sequence[Note], sources: Sequence[SourceDoc] = (),
                       target: str = "standard",
                       owned: Any = None) -> Summary:
    """A Summary for runs whose pipeline does not fill one: dispositions from the notes.

    ``sources`` are the source documents of the input (without them, the sources the notes
    name); ``owned(key)`` tells whether an annotation belongs to a dialect (others are
    ``ignored``). Generated objects are unknown here (empty).
    """
    if not sources:
        seen: dict[tuple[int, str, str | None, str | None], SourceDoc] = {}
        for n in notes:
            if n.obj is not None and n.obj.kind == "Ingress" and n.obj.name and n.doc is not None:
                seen.setdefault((n.doc, n.obj.kind, n.obj.namespace, n.obj.name),
                                (n.doc, n.obj, {}))
        sources = list(seen.values())
    out_sources: list[SourceSummary] = []
    out_anns: list[AnnotationSummary] = []
    for doc, ref, anns in sources:
        mine = [n for n in notes if n.doc == doc and (n.obj is None or _same(n.obj, ref))]
        codes = {n.code for n in mine}
        errors = sorted(n.code for n in mine if n.severity >= Severity.ERROR)
        disp: SourceDisposition
        reason: str | None = None
        if "ingress/class-not-selected" in codes:
            disp = "not-selected"
        elif "ingress/already-converted" in codes:
            disp = "already-converted"
        elif errors or "ingress/nothing-to-convert" in codes or "ingress/unsupported-api-version" in codes:
            disp = "kept"
            reason = errors[0] if errors else min(codes & {"ingress/nothing-to-convert", "ingress/unsupported-api-version"})
        elif "nginx/canary-merged" in codes:
            disp = "merged"
        else:
            disp = "converted"
        out_sources.append(SourceSummary(ref, doc, disp, reason))
        by_key: dict[str, list[Note]] = {}
        for n in mine:
            m = re.match(_ANN_FIELD, n.field)
            if m:
                by_key.setdefault(m.group(1), []).append(n)
        for key in sorted(set(anns) | set(by_key)):
            said = sorted(by_key.get(key, []), key=lambda n: (-int(n.severity), n.code))
            out_anns.append(AnnotationSummary(ref, key, _status(said, key, owned),
                                              said[0].code if said else None))
    return Summary(tuple(out_sources), tuple(out_anns), target)


def _status(said: list[Note], key: str, owned: Any) -> AnnotationStatus:
    if not said:
        return "converted" if owned is None or owned(key) else "ignored"
    worst = said[0]
    if worst.severity >= Severity.ERROR:
        return "blocked"
    if worst.code.endswith(_REPORTED):
        return "reported"
    return "approximated" if worst.severity >= Severity.WARNING else "converted"


def _load_or_none(text: str) -> Any:
    """A document for the report, or None: the run itself already reported what it could
    not read, and the report must never fail on it."""
    from gwshift import yamlio

    try:
        return yamlio.load(text)
    except Exception:  # noqa: BLE001 - any failure means "not readable"; said elsewhere
        return None


def source_docs(text: str) -> list[SourceDoc]:
    """The Ingress documents of a stream with their annotations (report fallback only)."""
    from gwshift import stream

    out: list[SourceDoc] = []
    for chunk in stream.split(text):
        if not chunk.has_content or stream.sniff(chunk).kind != "Ingress":
            continue
        obj = _load_or_none(chunk.text)
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        if not isinstance(meta, dict):
            continue
        ann = meta.get("annotations")
        anns = {str(k): str(v) for k, v in ann.items()} if isinstance(ann, dict) else {}
        name, ns = meta.get("name"), meta.get("namespace")
        out.append((chunk.index, ObjRef("Ingress", ns if isinstance(ns, str) else None,
                                        name if isinstance(name, str) else None), anns))
    return out


# --- Markdown ---------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|")


def _ref(ref: ObjRef) -> str:
    return _cell(f"{ref.kind} {ref.namespace or '-'}/{ref.name or '-'}")


def _count(summary: Summary, disposition: str) -> int:
    return sum(1 for s in summary.sources if s.disposition == disposition)


NEXT_STEPS = (
    ("Install the Gateway API CRDs (the release you target, standard channel unless you used "
    "`--channel experimental`) and a GatewayClass for your implementation "
    "(`kubectl get gatewayclass`)."),
    ("Run in parallel: deploy with `--keep-ingress`, so the generated Gateway and routes "
    "serve next to the unchanged Ingress."),
    ("Compare routing: `gwshift verify` checks that the same requests reach the same "
    "backends through the Gateway as through the Ingress."),
    ("Switch DNS (or the load balancer) to the Gateway's address, and watch errors and "
    "latency."),
    ("Remove the Ingress: deploy without `--keep-ingress`; kept sources above stay Ingresses "
    "until their notes are resolved."),
)


def markdown(outcome: Outcome, title: str = "gwshift migration report") -> str:
    """The migration report (a summary is expected; see summary_from_notes)."""
    summary = outcome.summary
    generated = sum(len(s.generated) for s in summary.sources)
    lines = [
        f"# {title}",
        "",
        (f"**{len(summary.sources)} source object(s): {_count(summary, 'converted')} converted, "
        f"{_count(summary, 'kept')} kept, {_count(summary, 'merged')} merged; "
        f"{generated} object(s) generated** (target `{summary.target}`; "
        f"{_severity_counts(outcome.notes)})."),
        "",
        "## Sources",
        "",
    ]
    if summary.sources:
        lines += ["| source | outcome | generated objects | reason |", "|---|---|---|---|"]
        for s in sorted(summary.sources, key=lambda s: (s.doc, str(s.ref))):
            outcome_text: str = s.disposition
            if s.merged_into is not None:
                outcome_text += f" into {_ref(s.merged_into)}"
            gen = "<br>".join(_ref(g) for g in s.generated) or "-"
            reason = f"`{_cell(s.reason)}`" if s.reason else ""
            lines.append(f"| {_ref(s.ref)} | {outcome_text} | {gen} | {reason} |")
    else:
        lines.append("No source objects (nothing to convert).")
    lines += ["", "## Annotations", ""]
    if summary.annotations:
        lines += ["| source | annotation | status | note |", "|---|---|---|---|"]
        for a in summary.annotations:
            lines.append(f"| {_ref(a.source)} | `{_cell(a.key)}` | {a.status} | "
                         f"{_annotation_note(a, outcome.notes)} |")
    else:
        lines.append("No annotations.")
    other = [n for n in outcome.notes if not re.match(_ANN_FIELD, n.field)]
    if other:
        lines += ["", "## Other notes", "", "| severity | code | object | field | message |",
                  "|---|---|---|---|---|"]
        for n in other:
            obj = _ref(n.obj) if n.obj else "-"
            lines.append(f"| {n.severity.label} | `{_cell(n.code)}` | {obj} | "
                         f"{_cell(n.field) or '-'} | {_cell(n.message)} |")
    lines += ["", "## Next steps", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(NEXT_STEPS, 1)]
    lines += ["", "Explain any code with `gwshift explain CODE`."]
    return "\n".join(lines) + "\n"


def _severity_counts(notes: Sequence[Note]) -> str:
    counts = [sum(1 for n in notes if n.severity == s) for s in (Severity.ERROR, Severity.WARNING,
                                                                 Severity.INFO)]
    return f"{counts[0]} error(s), {counts[1]} warning(s), {counts[2]} info note(s)"


def _annotation_note(a: AnnotationSummary, notes: Sequence[Note]) -> str:
    if a.code is None:
        return ""
    field = f"metadata.annotations[{a.key}]"
    match = next((n for n in notes if n.code == a.code and _same(n.obj, a.source)
                  and n.field == field), None)
    match = match or next((n for n in notes if n.code == a.code and _same(n.obj, a.source)), None)
    text = f"`{_cell(a.code)}`"
    return f"{text}: {_cell(match.message)}" if match else text


# --- writing ----------------------------------------------------------------------------------


def report_text(path: str, outcome: Outcome) -> str:
    return markdown(outcome) if path.lower().endswith(".md") else notes_json(outcome.notes)


def with_summary(outcome: Outcome, text: str | None, target: str, owned: Any = None,
                 output: str | None = None) -> Outcome:
    """The outcome with a summary: its own, else one derived from notes, input and output."""
    if outcome.summary.sources:
        return outcome
    sources = source_docs(text) if text is not None else []
    summary = summary_from_notes(outcome.notes, sources, target, owned)
    if output is not None:
        summary = _with_generated(summary, generated_objects(output))
    return outcome._replace(summary=summary)


SOURCE_ANNOTATION = "gwshift.dev/source"  # emit.py writes it on every generated object


def generated_objects(output: str) -> list[tuple[ObjRef, str]]:
    """(generated object, its ``gwshift.dev/source``) in an output stream or ResourceList."""
    from gwshift import stream

    objs: list[Any] = []
    for chunk in stream.split(output):
        if SOURCE_ANNOTATION not in chunk.text:
            continue
        obj = _load_or_none(chunk.text)
        if isinstance(obj, dict) and obj.get("kind") == "ResourceList":
            objs.extend(obj.get("items") or [])
        else:
            objs.append(obj)
    out: list[tuple[ObjRef, str]] = []
    for obj in objs:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        ann = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(meta, dict) and isinstance(ann, dict) \
                and isinstance(ann.get(SOURCE_ANNOTATION), str):
            out.append((ObjRef(str(obj.get("kind")), meta.get("namespace"), meta.get("name")),
                        ann[SOURCE_ANNOTATION]))
    return out


def _with_generated(summary: Summary, generated: list[tuple[ObjRef, str]]) -> Summary:
    """Objects to the source named by their annotation; a shared Gateway (source
    ``IngressClass/x``) to the first converted source of its namespace."""
    sources = list(summary.sources)
    for ref, src in generated:
        kind, _, name = src.partition("/")
        for i, s in enumerate(sources):
            if s.disposition != "converted" or s.ref.namespace != ref.namespace:
                continue
            if (kind == s.ref.kind and name == s.ref.name) or kind == "IngressClass":
                sources[i] = s._replace(generated=(*s.generated, ref))
                break
    return summary._replace(sources=tuple(sources))
