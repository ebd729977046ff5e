"""KRM ResourceList by lexical splicing: untouched items are copied as text, never parsed.

kpt and kustomize write a ResourceList in one regular shape: column-0 keys ``apiVersion``,
``kind``, ``items`` (a block sequence of block mappings), ``functionConfig``. For that shape
the items are located by offsets; only the items the converter asks for (Ingresses,
Services, ConfigMaps, IngressClasses, Gateway API objects) are dedented and loaded, and
only replaced items are written anew. Everything else, comments included (``- # comment``
heads, comments between items), leaves byte for byte, in slices of the input. That is what
makes a 10 000-item ResourceList cheap, and what keeps kpt from moving an item's head
comment onto its neighbour (a round-trip re-dump attaches it to the previous item).

Any other shape (flow style, ``results`` already present, several documents, a key this
reader does not know, an Ingress inside a List item) returns ``None`` and the caller falls
back to the round-trip path.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from gwshift import yamlio
from gwshift.inventory import Item
from gwshift.krm import results
from gwshift.notes import Note
from gwshift.outcome import Summary
from gwshift.settings import Settings

Spliced = tuple[Iterable[str], tuple[Note, ...], Settings, Summary | None]

_TOP_KEY = re.compile(r"([A-Za-z]+):(?:[ \t]+([^\n]*))?$", re.MULTILINE)
_COL0 = re.compile(r"\n[^ #\n]")
_KEYS = frozenset({"apiVersion", "kind", "items", "functionConfig"})
_VALUE = r"""[ \t]*["']?([A-Za-z0-9_./-]+)["']?[ \t]*(?:#[^\n]*)?(?=\n|$)"""
_FILE_ANN = re.compile(
    r"\n[ \t]*((?:internal\.)?config\.kubernetes\.io/(?:path|index)):([^\n]*)")
_FIRST = {"kind": re.compile(rf"- kind:{_VALUE}"), "api": re.compile(rf"- apiVersion:{_VALUE}")}
_PATTERNS: dict[tuple[str, int], re.Pattern[str]] = {}


def _pattern(name: str, n: int) -> re.Pattern[str]:
    """Per-indentation patterns, compiled once."""
    got = _PATTERNS.get((name, n))
    if got is None:
        source = {
            "start": rf"\n {{{n}}}-(?![^ \n])",
            "under": rf"\n {{0,{n - 1}}}[^ \n#]" if n > 0 else r"(?!)",
            "at": rf"\n {{{n}}}(?:[^ \n#\-]|-[^ \n])",
            "kind": rf"\n {{{n}}}kind:{_VALUE}",
            "api": rf"\n {{{n}}}apiVersion:{_VALUE}",
            "dedent": rf"\n {{{n}}}",
        }[name]
        got = _PATTERNS[(name, n)] = re.compile(source)
    return got


class _Span(NamedTuple):
    start: int  # offset of the "- " line
    end: int  # offset after the item's last line (trailing comments/blank lines excluded)


class _Spans:
    """The item spans as two arrays of offsets (a tuple per item costs ~100 bytes: ~10 MB
    at 100 000 items); a ``_Span`` is made when one is asked for."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")

    def append(self, span: _Span) -> None:
        self.starts.append(span.start)
        self.ends.append(span.end)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> _Span:
        return _Span(self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[_Span]:
        for a, b in zip(self.starts, self.ends, strict=True):
            yield _Span(a, b)


class _ItemText:
    """The dedented text of one item, made only when the converter loads the item."""

    __slots__ = ("end", "n", "start", "text")
    header_end = 0

    def __init__(self, text: str, start: int, end: int, n: int) -> None:
        self.text, self.start, self.end, self.n = text, start, end, n

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def body(self) -> str:
        nl = self.text.find("\n", self.start, self.end)
        if nl == -1:
            return self.text[self.start + self.n : self.end]
        first = self.text[self.start + self.n : nl]
        return first + _pattern("dedent", self.n).sub("\n", self.text[nl : self.end])


def _line_end(text: str, pos: int, limit: int) -> int:
    nl = text.find("\n", pos, limit)
    return limit if nl == -1 else nl + 1


def _sections(text: str) -> list[tuple[str, int, int, str]] | None:
    """(key, key-line offset, section end, rest of the key line) of the top-level keys."""
    starts = [m.start() + 1 for m in _COL0.finditer(text)]
    if text and text[0] not in " #\n":
        starts.insert(0, 0)
    found: list[tuple[str, int, str]] = []
    for pos in starts:
        if text.startswith("-", pos):
            if text.startswith("---", pos) and found:
                return None  # a second document
            if not text.startswith("---", pos) and (not found or found[-1][0] != "items"):
                return None
            continue
        m = _TOP_KEY.match(text, pos)
        if m is None or m.group(1) not in _KEYS or any(k == m.group(1) for k, _, _ in found):
            return None
        found.append((m.group(1), pos, (m.group(2) or "").strip()))
    return [(key, pos, found[i + 1][1] if i + 1 < len(found) else len(text), rest)
            for i, (key, pos, rest) in enumerate(found)]


_ITEMS_KEY = re.compile(r"^items:[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_ITEMS_END = re.compile(r"\n(?![-# \t\n])")


def item_spans(text: str) -> tuple[int, list[tuple[int, int]]] | None:
    """(indentation, [(start, end)]) of the items of a block ``items:`` sequence, read
    lexically whatever the other top-level keys are (the round-trip path uses it to keep
    items it cannot load as text); None when the items are not a block sequence."""
    m = _ITEMS_KEY.search(text)
    if m is None:
        return None
    begin = _line_end(text, m.start(), len(text))
    stop = _ITEMS_END.search(text, begin - 1)
    end = stop.start() + 1 if stop else len(text)
    shape = _spans(text, begin, end)
    if shape is None:
        return None
    return shape[0], [(span.start, span.end) for span in shape[1]]


def _is_filler(text: str, a: int, b: int, ind: int) -> bool:
    line = text[a:b].rstrip("\n")
    s = line.lstrip(" ")
    return not s or (s[0] == "#" and len(line) - len(s) <= ind)


def _spans(text: str, begin: int, end: int) -> tuple[int, _Spans] | None:
    """Sequence indentation and item spans of the ``items`` block ``text[begin:end]``."""
    pos, ind = begin, -1
    while pos < end:  # the first content line gives the indentation
        nxt = _line_end(text, pos, end)
        s = text[pos:nxt].strip()
        if s and not s.startswith("#"):
            ind = len(text[pos:nxt]) - len(text[pos:nxt].lstrip(" "))
            break
        pos = nxt
    if ind < 0 or not text.startswith("-", pos + ind):
        return None
    scan = begin - 1  # the newline that ends the "items:" line
    if _pattern("under", ind).search(text, scan, end) or _pattern("at", ind).search(text, scan, end):
        return None
    starts = [m.start() + 1 for m in _pattern("start", ind).finditer(text, scan, end)]
    spans = _Spans()
    for i, a in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        e = stop
        while e > a:  # trailing comment/blank lines stay between items
            prev = text.rfind("\n", a, e - 1) + 1
            if prev <= a or not _is_filler(text, prev, e, ind):
                break
            e = prev
        spans.append(_Span(a, e))
    return ind, spans


def _sniff(text: str, span: _Span, ind: int) -> tuple[str | None, str | None] | None:
    """kind and apiVersion of an item from its lines; None when it is not a block mapping
    whose keys sit at the item's indentation."""
    n = ind + 2
    first_end = _line_end(text, span.start, span.end)
    head = text[span.start + ind + 1 : first_end].rstrip("\n")
    if head.strip() and not head.lstrip().startswith("#"):
        if not head.startswith(" ") or head[1:2] in (" ", "") or head[1] in "{[\"'!&*|>%@`":
            return None
    else:  # "-" or "- # comment": the keys start on a later line, at n
        pos = first_end
        while pos < span.end:
            nxt = _line_end(text, pos, span.end)
            line = text[pos:nxt]
            s = line.strip()
            if s and not s.startswith("#"):
                if len(line) - len(line.lstrip(" ")) != n or line.lstrip(" ")[0] in "{[\"'!&*|>%@`":
                    return None
                break
            pos = nxt
    out: list[str | None] = []
    for name in ("kind", "api"):
        found = [m.group(1) for m in _pattern(name, n).finditer(text, span.start, span.end)]
        m = _FIRST[name].match(text, span.start + ind, span.end)
        if m is not None:
            found.append(m.group(1))
        if len(found) > 1:
            return None
        # Interned: 100 000 items name a handful of kinds (one string each, not one per item).
        out.append(sys.intern(found[0]) if found else None)
    if out[0] is not None and out[1] is None:
        return None  # an apiVersion this scan cannot read: let the parser decide
    return out[0], out[1]


def _file_info(text: str, span: _Span) -> dict[str, Any]:
    """``file`` of a result: the item's path/index annotations, read lexically."""
    return results.file_info({m.group(1): m.group(2).strip(" \t").strip("'\"")
                          for m in _FILE_ANN.finditer(text, span.start - 1 if span.start else 0,
                                                      span.end)})


def _indented(obj: Any, ind: int) -> str:
    body = yamlio.dump(obj).split("\n")[:-1]
    pad = " " * ind
    lines = [pad + "- " + body[0]] + [pad + "  " + line if line else "" for line in body[1:]]
    return "\n".join(lines) + "\n"


def splice(text: str, settings: Settings) -> Spliced | None:
    """Output pieces, notes and effective settings for a regular ResourceList, or None (use
    the round-trip path)."""
    from gwshift.core import plan_items

    if "\r" in text:
        return None
    sections = _sections(text)
    if sections is None:
        return None
    by_key = {key: (pos, end, rest) for key, pos, end, rest in sections}
    if not {"apiVersion", "kind", "items"} <= set(by_key):
        return None
    items_pos, items_end, items_rest = by_key["items"]
    if (by_key["apiVersion"][2].strip("'\"") not in results.RL_API_VERSIONS
            or by_key["kind"][2].strip("'\"") != "ResourceList"
            or (items_rest and not items_rest.startswith("#"))):
        return None
    shape = _spans(text, _line_end(text, items_pos, items_end), items_end)
    if shape is None:
        return None
    ind, spans = shape

    plain_fc: Any = None
    if "functionConfig" in by_key:
        fc_pos, fc_end, fc_rest = by_key["functionConfig"]
        if fc_rest and not fc_rest.startswith("#"):
            return None
        try:
            loaded = yamlio.load(text[fc_pos:fc_end])
        except (yamlio.YAMLError, yamlio.UnsafeYAML, ValueError):
            return None  # the round-trip path reports it
        plain_fc = loaded.get("functionConfig") if isinstance(loaded, dict) else None

    effective, notes = results.effective_settings(plain_fc, settings)
    if effective is None:
        return _with_results([text], notes, {}), tuple(notes), settings, None

    from gwshift import checks, inventory
    from gwshift.plan import item_at, looked_up

    # Items only for the documents the planner may read (as stream mode does): the kinds it
    # looks up, Lists, Gateway API objects, and what the scan could not tell.
    reads = looked_up(text)
    items: list[Item] = []
    for i, span in enumerate(spans):
        sniffed = _sniff(text, span, ind)
        if sniffed is None:
            return None
        kind, api = sniffed
        if (kind is not None and api is not None and kind not in reads
                and not inventory.is_list_kind(kind) and not api.startswith(checks.GW_GROUP)):
            continue
        items.append(Item(i, kind, api, None,
                          source=_ItemText(text, span.start, span.end, ind + 2)))  # type: ignore[arg-type]
    # Parsed sources are dropped once modelled; generated objects are placed and written as
    # text as soon as they exist (the replaced source reloads for that), so neither all
    # sources nor all generated objects are in memory at once.
    start_index = results.next_indexes(_file_info(text, s) for s in spans)
    state: dict[str, Any] = {"round": -1, "next": {}}

    def finish(key: tuple[int, int], keep: bool, objs: list[Any], round_no: int) -> tuple[str, ...]:
        if round_no != state["round"]:  # a re-planned emission starts the indexes afresh
            state["round"], state["next"] = round_no, dict(start_index)
        item = item_at(items, key[0])
        plain = item.obj()
        item.forget()
        placed = results.place(plain, plain, ([plain] if keep else []) + objs, state["next"])
        return tuple(_indented(obj, ind) for obj in placed[1 if keep else 0 :])

    planned = plan_items(items, effective, forget=True, finish=finish)
    reps, plan_notes = planned[0], planned[1]
    # the pipeline's summary, once plan_items returns one as a third value
    summary: Summary | None = planned[2] if len(planned) > 2 else None
    if any(sub >= 0 for _, sub in reps):
        return None
    notes.extend(sorted(plan_notes, key=Note.sort_key))
    notes.extend(results.strict_notes(plan_notes, effective, settings, plain_fc))
    file_info = {i: _file_info(text, spans[i]) for i in {n.doc for n in notes if n.doc is not None}
                 if 0 <= i < len(spans)}
    return _with_results(_pieces(text, spans, reps), notes, file_info), tuple(notes), effective, summary


def _pieces(text: str, spans: _Spans, reps: dict[tuple[int, int], Any]) -> Iterator[str]:
    """The output, piece by piece as it is written: untouched runs are slices of ``text``
    made only when consumed (never a second copy of the whole input)."""
    cursor = 0
    for i in sorted(doc for doc, _ in reps):
        span, rep = spans[i], reps[(i, -1)]
        yield text[cursor : span.end if rep.keep_original else span.start]
        if rep.keep_original and not text.endswith("\n", 0, span.end):
            yield "\n"
        yield from rep.texts
        cursor = span.end
    yield text[cursor:]


def _with_results(pieces: Iterable[str], notes: list[Note],
                  file_info: dict[int, dict[str, Any]]) -> Iterator[str]:
    last = ""
    for piece in pieces:
        if piece:
            last = piece
        yield piece
    if not notes:
        return
    entries = results.results(notes, file_info)
    if last and not last.endswith("\n"):
        yield "\n"
    yield "results:\n"
    yield yamlio.dump(entries)
