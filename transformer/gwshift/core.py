"""The pure core: ``transform(text, settings) -> Outcome(text, notes, summary)``.

Stages: split (stream.py) → inventory (lazy items) → plan (plan.py: parse, neutral routes,
dialect refinement, checks, Gateway plan and emit with the target expressing intents,
optional validation) → write (write.py: untouched chunks copied verbatim).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from gwshift import checks, inventory, stream
from gwshift.inventory import Item, from_chunk, from_object
from gwshift.notes import Note
from gwshift.outcome import Outcome, Summary
from gwshift.plan import (  # noqa: F401  (re-exported: callers of the core before the split)
    CORE_READS,
    MAX_OBJECT_BYTES,
    Key,
    Obj,
    Replacement,
    looked_up,
    plan,
    plan_items,
)
from gwshift.settings import Settings
from gwshift.write import pieces, rebuilt_list

__all__ = ["Outcome", "Plan", "convert_objects", "plan_items", "transform", "transform_pieces"]



class Plan(NamedTuple):
    replacements: dict[int, list[Obj]]  # item index -> objects replacing it (may include it)
    notes: list[Note]


def transform(text: str, settings: Settings) -> Outcome:
    out, notes, summary = _transform(text, settings)
    return Outcome("".join(out), notes, summary)


def transform_pieces(text: str,
                     settings: Settings) -> tuple[Iterator[str], tuple[Note, ...], Summary]:
    """``transform`` with the output as pieces written one after the other.

    The plan (and every note) is complete before the first piece; pass-through pieces are
    sliced from ``text`` only as they are consumed, so a writer holds one piece at a time.
    """
    return _transform(text, settings)


def _transform(text: str, settings: Settings) -> tuple[Iterator[str], tuple[Note, ...], Summary]:
    """The stream envelope (the KRM one is gwshift.envelope's: core never imports krm)."""
    items = _stream_items(text)
    planned = plan(items, settings, lean=True)
    notes = tuple(sorted(planned.notes, key=Note.sort_key))
    return pieces(text, items, planned.replacements), notes, planned.summary


def _stream_items(text: str) -> list[Item]:
    """Items for the documents the planner may read; the others stay offsets in ``text``.

    A document is read when its kind is one the planner looks at, when it is a Gateway API
    object (idempotence checks) or a List, and when the cheap scan cannot tell its kind.
    """
    bounds = stream.boundaries(text)
    found = stream.scan(text, bounds)
    reads = looked_up(text)
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


def convert_objects(objs: list[Any], settings: Settings) -> Plan:
    """Envelope-free entry point (KRM): plain objects in, replacements by index out."""
    items = [from_object(i, o) for i, o in enumerate(objs)]
    replacements, notes = plan_items(items, settings)
    out: dict[int, list[Obj]] = {}
    for (doc, sub), rep in replacements.items():
        if sub < 0:
            out[doc] = ([objs[doc]] if rep.keep_original else []) + rep.objects
    for doc in {d for d, s in replacements if s >= 0}:
        out[doc] = [rebuilt_list(items[doc].obj(), doc, replacements)]
    return Plan(out, sorted(notes, key=Note.sort_key))
