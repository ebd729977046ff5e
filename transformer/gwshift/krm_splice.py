"""KRM ResourceList by lexical splicing: untouched items are copied as text, never parsed.

kpt and kustomize write a ResourceList in one regular shape: column-0 keys ``apiVersion``,
``kind``, ``items`` (a block sequence), ``functionConfig``. For that shape the items are cut
apart at their ``- `` lines; only the items the converter needs (Ingresses, Services,
ConfigMaps, IngressClasses, Lists) are dedented and loaded, and only replaced items are
written anew. Everything else, comments included (``- # comment`` heads, comments between
items), leaves byte for byte. That is what makes a 10 000-item ResourceList cheap, and
what keeps kpt from moving an item's head comment onto its neighbour (a round-trip
re-dump attaches it to the previous item).

Any other shape (flow style, ``results`` already present, several documents, a key this
reader does not know) returns ``None`` and the caller falls back to the round-trip path.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from gwshift import yamlio
from gwshift.config import ConfigError, settings_from_function_config
from gwshift.inventory import Item, from_chunk
from gwshift.notes import Note, Severity
from gwshift.settings import Settings
from gwshift.stream import Chunk

_TOP_KEY = re.compile(r"([A-Za-z]+):(?:[ \t]+(.*))?$")
_KEYS = frozenset({"apiVersion", "kind", "items", "functionConfig"})
_FILE_ANN = re.compile(
    r"^[ \t]*((?:internal\.)?config\.kubernetes\.io/(?:path|index)):[ \t]*(.*?)[ \t]*$",
    re.MULTILINE,
)


class _Section(NamedTuple):
    key: str
    start: int  # line index of the key line
    end: int  # line index after the section
    rest: str  # what follows "key:" on its line


class _RawItem(NamedTuple):
    start: int  # first line (the "- " line)
    end: int  # after the last line of the item proper
    gap_end: int  # after the comment/blank lines that follow it (kept in place)


def _sections(lines: list[str]) -> list[_Section] | None:
    found: list[tuple[str, int, str]] = []
    for i, line in enumerate(lines):
        if not line or line[0] in " #":
            continue
        if line[0] == "-" and not line.startswith("---"):
            if not found or found[-1][0] != "items":
                return None
            continue
        if line.startswith("---") or line.startswith("..."):
            if found:
                return None  # a second document or an end marker: not the simple shape
            continue
        m = _TOP_KEY.match(line)
        if m is None or m.group(1) not in _KEYS or any(k == m.group(1) for k, _, _ in found):
            return None
        found.append((m.group(1), i, (m.group(2) or "").strip()))
    out = []
    for n, (key, start, rest) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        out.append(_Section(key, start, end, rest))
    return out


def _is_filler(line: str, ind: int) -> bool:
    s = line.lstrip(" ")
    return not s or (s[0] == "#" and len(line) - len(s) <= ind)


def _items(lines: list[str], sec: _Section) -> tuple[int, list[_RawItem]] | None:
    """Sequence indentation and item spans of the ``items`` block, or None when irregular."""
    ind = -1
    starts: list[int] = []
    for i in range(sec.start + 1, sec.end):
        line = lines[i]
        s = line.lstrip(" ")
        if not s or (s[0] == "#" and (ind < 0 or len(line) - len(s) <= ind)):
            continue
        indent = len(line) - len(s)
        if ind < 0:
            ind = indent
        if indent < ind:
            return None
        if indent == ind:
            if s != "-" and not s.startswith("- "):
                return None
            starts.append(i)
    if not starts:
        return None
    spans = []
    for n, a in enumerate(starts):
        gap_end = starts[n + 1] if n + 1 < len(starts) else sec.end
        end = gap_end
        while end > a + 1 and _is_filler(lines[end - 1], ind):
            end -= 1
        spans.append(_RawItem(a, end, gap_end))
    return ind, spans


_DEDENT: dict[int, re.Pattern[str]] = {}


def _dedent(lines: list[str], span: _RawItem, ind: int) -> str:
    n = ind + 2
    pattern = _DEDENT.get(n)
    if pattern is None:
        pattern = _DEDENT[n] = re.compile(rf"^ {{{n}}}", re.MULTILINE)
    first = lines[span.start][n:]
    rest = "\n".join(lines[span.start + 1 : span.end])
    return first + "\n" + (pattern.sub("", rest) + "\n" if rest else "")


def _indented(obj: Any, ind: int) -> list[str]:
    body = yamlio.dump(obj).split("\n")[:-1]
    pad = " " * ind
    return [pad + "- " + body[0]] + [pad + "  " + line if line else "" for line in body[1:]]


def _file_info(raw: str) -> dict[str, Any]:
    """``file`` of a result: the item's path/index annotations, read lexically."""
    found = {k: v.strip("'\"") for k, v in _FILE_ANN.findall(raw)}
    path = found.get("internal.config.kubernetes.io/path") or found.get("config.kubernetes.io/path")
    if path is None:
        return {}
    info: dict[str, Any] = {"path": path}
    index = found.get("internal.config.kubernetes.io/index",
                      found.get("config.kubernetes.io/index"))
    if index is not None and index.lstrip("-").isdigit():
        info["index"] = int(index)
    return info


def transform_spliced(text: str, settings: Settings) -> Any:
    """``core.Outcome`` for a regular ResourceList, or None to use the round-trip path."""
    from gwshift import krm
    from gwshift.core import Outcome, plan_items

    if "\r" in text:
        return None
    lines = text.split("\n")
    sections = _sections(lines)
    if sections is None:
        return None
    by_key = {s.key: s for s in sections}
    api, kind, items_sec = by_key.get("apiVersion"), by_key.get("kind"), by_key.get("items")
    if (api is None or kind is None or items_sec is None
            or api.rest.strip("'\"") not in krm.RL_API_VERSIONS
            or kind.rest.strip("'\"") != "ResourceList"
            or (items_sec.rest and not items_sec.rest.startswith("#"))):
        return None
    shape = _items(lines, items_sec)
    if shape is None:
        return None
    ind, spans = shape

    fc_sec = by_key.get("functionConfig")
    plain_fc: Any = None
    if fc_sec is not None:
        if fc_sec.rest and not fc_sec.rest.startswith("#"):
            return None
        try:
            plain_fc = yamlio.load("\n".join(lines[fc_sec.start : fc_sec.end]) + "\n")
        except (yamlio.YAMLError, yamlio.UnsafeYAML, ValueError):
            return None  # the round-trip path reports it
        plain_fc = plain_fc.get("functionConfig") if isinstance(plain_fc, dict) else None

    notes: list[Note] = []
    try:
        effective = settings_from_function_config(plain_fc, settings)
    except ConfigError as exc:
        notes.append(Note("config/invalid", Severity.ERROR, krm._strip_prog(str(exc)),
                          krm._ref(plain_fc), krm._fc_field(exc.field)))
        return Outcome(_with_results(text, notes, {}), tuple(notes))

    items: list[Item] = []
    for i, span in enumerate(spans):
        item = from_chunk(Chunk(i, _dedent(lines, span, ind), 0))
        items.append(item)
    reps, plan_notes = plan_items(items, effective)
    if any(sub >= 0 for _, sub in reps):
        return None  # Ingresses inside a List item: the round-trip path rebuilds the List
    notes.extend(sorted(plan_notes, key=Note.sort_key))
    if effective.strict and not settings.strict:
        warnings = sum(1 for n in plan_notes if n.severity == Severity.WARNING)
        if warnings:
            notes.append(Note("config/strict", Severity.ERROR,
                              f"strict is set in functionConfig: {warnings} warning(s) above "
                              "count as errors", krm._ref(plain_fc), "spec.strict"))

    raw = ["\n".join(lines[s.start : s.end]) for s in spans] if reps or notes else []
    next_index: dict[str, int] = {}
    if reps:
        for r in raw:
            info = _file_info(r)
            if info:
                path = info["path"]
                next_index[path] = max(next_index.get(path, 0), info.get("index", -1) + 1)
    out = lines[: spans[0].start]
    for i, span in enumerate(spans):
        rep = reps.get((i, -1))
        if rep is None:
            out.extend(lines[span.start : span.gap_end])
            continue
        plain = items[i].obj()
        objs = ([plain] if rep.keep_original else []) + rep.objects
        placed = krm._place(plain, plain, objs, next_index)
        for j, obj in enumerate(placed):
            if j == 0 and rep.keep_original:
                out.extend(lines[span.start : span.end])
            else:
                out.extend(_indented(obj, ind))
        out.extend(lines[span.end : span.gap_end])
    out.extend(lines[spans[-1].gap_end :])
    file_info = {i: _file_info(raw[i]) for i in {n.doc for n in notes if n.doc is not None}
                 if 0 <= i < len(raw)}
    return Outcome(_with_results("\n".join(out), notes, file_info), tuple(notes))


def _with_results(text: str, notes: list[Note], file_info: dict[int, dict[str, Any]]) -> str:
    from gwshift import krm

    if not notes:
        return text
    results = [krm._result(n, file_info) for n in sorted(notes, key=krm._note_order)]
    body = text if text.endswith("\n") else text + "\n"
    return body + "results:\n" + yamlio.dump(results)
