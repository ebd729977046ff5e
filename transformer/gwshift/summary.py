"""The run's summary as values (``outcome.Summary``): per-source disposition, generated
objects and per-annotation status, derived from the plan, the dialect tables and the notes
(reports and the verifier read these instead of re-deriving them from note text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gwshift import checks, handlers, targets
from gwshift.notes import Note, ObjRef, Severity
from gwshift.outcome import AnnotationStatus, AnnotationSummary, SourceSummary, Summary

if TYPE_CHECKING:
    from gwshift.model import Conversion
    from gwshift.settings import Settings
    from gwshift.targets import Target

ALREADY_CONVERTED = "ingress/already-converted"
# Notes that say an annotation was dropped (reported), not converted differently.
_DROPPED = ("ingress/annotation-not-converted", "ingress/security-annotation-dropped",
            "nginx/unknown-annotation")


def ref_of(obj: Mapping[str, Any]) -> ObjRef:
    meta = obj.get("metadata") or {}
    return ObjRef(str(obj.get("kind", "")), meta.get("namespace"), meta.get("name"),
                  str(obj.get("apiVersion", "")))


def source_summary(conv: Conversion, replaced: bool, empty: bool,
                   generated: tuple[ObjRef, ...]) -> SourceSummary:
    src = conv.source
    if replaced and empty and conv.depends_on:
        return SourceSummary(src.ref, src.doc, "merged",
                             merged_into=conv.depends_on[0].source.ref, dialect=conv.dialect)
    if replaced:
        return SourceSummary(src.ref, src.doc, "converted", generated=generated,
                             dialect=conv.dialect)
    notes = sorted(conv.notes, key=Note.sort_key)
    if any(n.code == ALREADY_CONVERTED for n in notes):
        return SourceSummary(src.ref, src.doc, "already-converted", ALREADY_CONVERTED,
                             dialect=conv.dialect)
    errors = [n for n in notes if n.severity is Severity.ERROR]
    reason = (errors or notes)[0].code if (errors or notes) else None
    return SourceSummary(src.ref, src.doc, "kept", reason, dialect=conv.dialect)


def _status(notes: list[Note], disposition: str | None,
            refused: bool) -> tuple[AnnotationStatus, str | None]:
    errors = [n for n in notes if n.severity is Severity.ERROR]
    if errors:
        return "blocked", errors[0].code
    if refused:  # an intent the target cannot express: dropped with a note (or allowed)
        return "reported", notes[0].code if notes else None
    if notes:
        code = notes[0].code
        dropped = (code in _DROPPED or "knowingly dropped" in notes[0].message
                   or disposition == "reported")
        return ("reported" if dropped else "approximated"), code
    if disposition == "reported":
        return "ignored", None  # a value that changes nothing (the controller's default)
    if disposition == "approximated":
        return "approximated", None
    return "converted", None


def _refused_keys(conv: Conversion, target: Target, settings: Settings) -> set[str]:
    keys = set()
    for intent in checks.intents_of(conv):
        if targets.refusal(target, intent, settings) is not None:
            keys.add(intent.by.key)
            keys.update(k for k, _ in intent.by.params)
    return keys


def annotation_summaries(conv: Conversion, settings: Settings,
                         target: Target) -> list[AnnotationSummary]:
    """One entry per controller annotation of the source (other annotations are metadata)."""
    refused = _refused_keys(conv, target, settings)
    by_field: dict[str, list[Note]] = {}
    for n in sorted(conv.notes, key=Note.sort_key):
        by_field.setdefault(n.field, []).append(n)
    table: Mapping[str, Any] = {}
    own: tuple[str, ...] = ()
    if conv.dialect is not None:
        table = handlers.load(conv.dialect).table
        own = handlers.prefixes_of(handlers.DIALECTS[conv.dialect], settings)
    out = []
    for key, _ in conv.source.annotations:
        if handlers.controller_of(key, settings) is None:
            continue
        name = next((key[len(p):] for p in own if key.startswith(p)), None)
        row = table.get(name) if name is not None else None
        status, code = _status(by_field.get(f"metadata.annotations[{key}]", []),
                               getattr(row, "disposition", None) if row is not None else None,
                               key in refused)
        out.append(AnnotationSummary(conv.source.ref, key, status, code))
    return out


def summarize(sources: Iterable[SourceSummary], convs: Iterable[Conversion],
              settings: Settings, target: Target) -> Summary:
    annotations = [a for conv in convs for a in annotation_summaries(conv, settings, target)]
    return Summary(tuple(sorted(sources, key=lambda s: (s.doc, str(s.ref)))), tuple(annotations),
                   settings.target)
