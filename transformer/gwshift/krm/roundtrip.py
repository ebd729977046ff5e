"""The round-trip path for ResourceLists the splice path cannot read lexically (flow style,
``results`` already present, CR line endings, an Ingress inside a List item ...).

The text is first loaded with yamlio's bounded loader (alias expansion, depth and node
limits) so the unbounded ruamel loader never sees an alias bomb; then loaded round-trip
through yamlio so untouched items keep their comments, key order and quoting.

* Odd items (one that does not load on its own: a duplicate key, an unknown tag, an alias
  bomb; or one that is not an object: null, a scalar) are kept as text, written back
  verbatim in place, and never fail the whole list (an unreadable Ingress is an error note,
  as in stream mode).
* Comments are never moved: a comment ruamel attaches to the end of a replaced item (the
  ``# Source:`` line Helm writes before the NEXT item) is moved onto the end of the last
  object that replaces it, so it still heads the same next item.
* A ResourceList that cannot be read at all (not YAML, an alias bomb outside the items,
  ``items`` not a list, an unsupported apiVersion) is written back byte for byte with one
  error result appended (``yaml/invalid``), never as empty output: kpt shows the result,
  and the orchestrator stops on the non-zero exit with its input intact (invariant 1).
* Generated objects and results go into a ruamel tree through ``yamlio.rt_new``, so a
  string YAML 1.1 or 1.2 reads as another type (``yes``, ``on``, ``0o17``) is quoted.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from gwshift import yamlio
from gwshift.errors import FatalError
from gwshift.krm import results, splice
from gwshift.notes import Note, ObjRef, error
from gwshift.outcome import Summary
from gwshift.settings import Settings

RoundTrip = tuple[list[str], tuple[Note, ...], Settings, Summary | None]


def round_trip(text: str, settings: Settings) -> RoundTrip:
    try:
        return _round_trip(text, settings, [])
    except _Unreadable as exc:
        spared = _spare_odd_items(text)
        if spared is None:
            return _written_back(text, exc.message, settings)
        marked, odd = spared
        try:
            pieces, notes, effective, summary = _round_trip(marked, settings, _odd_notes(odd), spared=True)
        except _Unreadable:
            return _written_back(text, exc.message, settings)
        out = pieces[0]
        for token, item in odd.items():
            out = out.replace(f"- {token}\n", item.text, 1)
        return [out], notes, effective, summary


def _written_back(text: str, message: str, settings: Settings) -> RoundTrip:
    """The input ResourceList unchanged, with an error result when one can be added."""
    note = error("yaml/invalid", message.removeprefix("gwshift: ") + "; the ResourceList is "
                 "written back unchanged (nothing converted)", None, "")
    return [with_result(text, [note])], (note,), settings, None


# A top-level key, a document marker or the first content line of a block mapping.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
_TOP_RESULTS = re.compile(r"""(?:results|"results"|'results')[ \t]*:(?:[ \t]|\Z)""")
_EMPTY_REST = re.compile(r"[ \t]*(?:#.*)?")
_MARKER = re.compile(r"(?:---|\.\.\.)(?:[ \t].*)?")


def with_result(text: str, notes: list[Note]) -> str:
    """``text`` (a ResourceList written as a block mapping) with ``results`` entries for
    ``notes`` added lexically: appended as a new ``results:`` key, or prepended to an
    existing block ``results`` sequence. Everything else stays byte for byte. Text that is not
    such a mapping (flow style, ``results: []``) is returned unchanged (the notes still reach
    stderr and the report)."""
    nl = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    body = yamlio.dump(results.results(notes, {})).replace("\n", nl)
    lines = [m for m in _LINE.finditer(text) if m.group()]
    seen_content = False
    insert_at = len(text)
    results_line: int | None = None
    for k, m in enumerate(lines):
        line = m.group().rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#") or line.startswith("%"):
            continue
        if _MARKER.fullmatch(line):
            if seen_content:
                insert_at = m.start()  # the document ends here: results go before it
                break
            continue
        if not seen_content and not (line[0] not in " \t{[" and ":" in line):
            return text  # not a block mapping (flow style, a scalar ...)
        seen_content = True
        found = _TOP_RESULTS.match(line)
        if found:
            if not _EMPTY_REST.fullmatch(line, found.end()):
                return text  # ``results: []`` or another flow value: not touched
            results_line = k
    if not seen_content:
        return text
    if results_line is not None:
        return _prepend_results(text, lines, results_line, body, nl)
    head = text[:insert_at]
    if head and not head.endswith(("\n", "\r")):
        head += nl
    return head + "results:" + nl + body + text[insert_at:]


def _prepend_results(text: str, lines: list[re.Match[str]], at: int, body: str, nl: str) -> str:
    """New entries before the first entry of an existing block ``results`` sequence."""
    for m in lines[at + 1 :]:
        line = m.group().rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        stripped = line.lstrip(" ")
        if not (stripped == "-" or stripped.startswith("- ")):
            return text  # not a block sequence (a mapping, garbage): leave it
        pad = " " * (len(line) - len(stripped))
        block = "".join(pad + ln + nl if ln else nl for ln in body.split(nl)[:-1])
        return text[: m.start()] + block + text[m.start() :]
    return text  # ``results:`` with nothing after it: null, leave it


def _round_trip(text: str, settings: Settings, extra: list[Note],
                spared: bool = False) -> RoundTrip:
    from gwshift.core import convert_objects

    rl = _load(text)
    items = rl.get("items")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise _Unreadable("gwshift: ResourceList.items must be a list")
    if not spared and not all(isinstance(i, dict) for i in items):
        # ruamel would rewrite a null or scalar item (``- null`` becomes ``- ``)
        raise _Unreadable("gwshift: a ResourceList item is not an object")
    fc = rl.get("functionConfig")
    plain_fc = yamlio.rt_to_plain(fc) if fc is not None else None

    effective, notes = results.effective_settings(plain_fc, settings)
    notes.extend(extra)
    if effective is None:
        return [_finish(rl, items, notes, {})], tuple(notes), settings, None

    plain_items = [_plain(i) for i in items]
    plan = convert_objects(copy.deepcopy(plain_items), effective)
    notes.extend(plan.notes)
    notes.extend(results.strict_notes(plan.notes, effective, settings, plain_fc))

    next_index = results.next_indexes(results.file_of(p) for p in plain_items)
    # A ruamel tree (the input had comments): what gwshift adds goes through rt_new so its
    # writer quotes `yes`/`on`/`0o17`; a plain tree is written by yamlio.dump, which does.
    tree = type(rl) is not dict
    merge = _merge_into if not tree else _merge_into_tree
    new_items = _empty_like(items)
    for i, item in enumerate(items):
        reps = plan.replacements.get(i)
        if reps is None or not isinstance(item, dict) or not isinstance(plain_items[i], dict):
            _append(new_items, items, i, item)
            continue
        placed = results.place(item, plain_items[i], reps, next_index, merge)
        if tree:
            placed = [o if o is item else yamlio.rt_new(o) for o in placed]
        _keep_tail_comment(item, placed)
        new_items.extend(placed)
    files = {i: results.file_of(p) for i, p in enumerate(plain_items) if isinstance(p, dict)}
    # the pipeline's summary, once convert_objects' Plan carries one
    summary: Summary | None = getattr(plan, "summary", None)
    return [_finish(rl, new_items, notes, files)], tuple(notes), effective, summary


class _Unreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Odd(NamedTuple):
    item: int  # item index
    text: str  # the item as written (dedented to column 0, starting "- ")
    ingress: bool
    reason: str


_INGRESS = re.compile(r"^[- ]*kind:[ \t]*[\"']?Ingress[\"']?[ \t]*$", re.MULTILINE)


def _spare_odd_items(text: str) -> tuple[str, dict[str, _Odd]] | None:
    """The text with every item that cannot be loaded on its own replaced by a placeholder
    scalar, and those items (kept as text, written back verbatim); None when the items
    are not a block sequence or every item loads (the problem is elsewhere)."""
    shape = splice.item_spans(text)
    if shape is None:
        return None
    ind, spans = shape
    odd: dict[str, _Odd] = {}
    parts: list[str] = []
    cursor = 0
    for i, (start, end) in enumerate(spans):
        item = _dedent(text[start:end], ind)
        reason = _unreadable(item)
        if reason is None:
            continue
        token = f"gwshift-unreadable-item-{i}"
        while token in text:
            token += "x"
        odd[token] = _Odd(i, item if item.endswith("\n") else item + "\n",
                          bool(_INGRESS.search(item)), reason)
        parts += [text[cursor:start], " " * ind + f"- {token}\n"]
        cursor = end
    if not odd:
        return None
    parts.append(text[cursor:])
    return "".join(parts), odd


def _unreadable(item: str) -> str | None:
    """Why an item (``- ...`` text) is kept as text: it does not load, or is no object."""
    try:
        loaded = yamlio.load(item)
    except Exception as exc:  # noqa: BLE001 - any failure: this item is kept as text
        return yamlio.error_line(exc)
    if isinstance(loaded, list) and len(loaded) == 1 and isinstance(loaded[0], dict):
        return None
    return "the item is not an object"


def _dedent(item: str, ind: int) -> str:
    if not ind:
        return item
    pad = " " * ind
    return "".join(line[ind:] if line.startswith(pad) else line
                   for line in item.splitlines(keepends=True))


def _odd_notes(odd: dict[str, _Odd]) -> list[Note]:
    """An unreadable Ingress is an error (kept unconverted, as in stream mode)."""
    return [error("yaml/invalid", f"cannot parse this Ingress item: {o.reason}; it is kept as "
                  "it is", ObjRef("Ingress", None, None))._replace(doc=o.item)
            for o in odd.values() if o.ingress]


def _plain(item: Any) -> Any:
    """A plain copy of an item; an odd item (None, scalar) stays as it is and is skipped."""
    return yamlio.rt_to_plain(item) if isinstance(item, (dict, list)) else item


# --- loading / writing -----------------------------------------------------------------------


def _load(text: str) -> Any:
    try:
        yamlio.load(text)  # the bounded loader first: limits before ruamel expands anything
        rl = yamlio.rt_load(text)
    except yamlio.UnsafeYAML as exc:
        raise _Unreadable(f"gwshift: the ResourceList is refused: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - YAML libraries raise many types; all mean "not YAML"
        raise _Unreadable("gwshift: the ResourceList is not valid YAML: "
                          + yamlio.error_line(exc)) from None
    if not isinstance(rl, dict) or rl.get("kind") != "ResourceList":
        raise FatalError("gwshift: KRM mode expects one ResourceList object on stdin "
                         "(apiVersion: config.kubernetes.io/v1, kind: ResourceList)")
    api = rl.get("apiVersion")
    if api not in results.RL_API_VERSIONS:
        got = repr(yamlio.safe_text(api)) if isinstance(api, str) else yamlio.describe(api)
        raise _Unreadable(f"gwshift: unsupported ResourceList apiVersion {got} "
                          f"(expected {' or '.join(results.RL_API_VERSIONS)})")
    if rl.get("results") is not None and not isinstance(rl.get("results"), list):
        # never overwritten: a results field of the wrong type is the caller's to see
        raise _Unreadable("gwshift: ResourceList.results must be a list, got "
                          + yamlio.describe(rl.get("results")))
    return rl


def _empty_like(items: list[Any]) -> list[Any]:
    """An empty sequence of the same type (ruamel's commented sequence when loaded round
    trip), made without importing ruamel here (only yamlio imports YAML libraries)."""
    return type(items)()


def _append(new_items: Any, old_items: Any, old_index: int, item: Any) -> None:
    """Append an untouched item, carrying the comment attached to its sequence slot."""
    new_items.append(item)
    ca = getattr(old_items, "ca", None)
    if ca is not None and old_index in ca.items:
        new_items.ca.items[len(new_items) - 1] = ca.items[old_index]


def _finish(rl: Any, items: Any, notes: list[Note], files: dict[int, results.FileInfo]) -> str:
    if "items" in rl or type(rl) is dict:
        rl["items"] = items
    else:
        rl.insert(min(2, len(rl)), "items", items)
    entries = results.results(notes, files)
    if entries and type(rl) is not dict:
        entries = yamlio.rt_new(entries)
    if entries:
        existing = rl.get("results")
        if isinstance(existing, list):
            existing.extend(entries)
        else:
            rl["results"] = entries
    return yamlio.rt_dump(rl)


# --- comments ---------------------------------------------------------------------------------


def _tail(obj: Any) -> tuple[Any, Any, int] | None:
    """(container, key, slot) of the comment after the last scalar of ``obj``, if any."""
    ca = getattr(obj, "ca", None)
    if ca is None or not len(obj):
        return None
    if isinstance(obj, dict):
        key: Any = list(obj)[-1]
        value, slot = obj[key], 2
    else:
        key, slot = len(obj) - 1, 0
        value = obj[key]
    if isinstance(value, (dict, list)) and len(value):
        return _tail(value)
    entry = ca.items.get(key)
    if entry and len(entry) > slot and entry[slot] is not None:
        return obj, key, slot
    return None


def _keep_tail_comment(item: Any, placed: list[Any]) -> None:
    """Move the comment trailing a replaced item onto the end of its last replacement, so a
    ``# Source:`` line keeps heading the item after it."""
    found = _tail(item)
    if found is None or not placed or placed[-1] is item:
        return
    container, key, slot = found
    token = container.ca.items[key][slot]
    last = placed[-1]
    if not isinstance(last, dict):
        return
    rt_last = yamlio.rt_yaml().load(yamlio.dump(last))  # a commented copy, through yamlio
    if not isinstance(rt_last, dict) or not hasattr(rt_last, "ca"):
        return
    placed[-1] = rt_last
    target: Any = rt_last
    while True:
        k = list(target)[-1] if isinstance(target, dict) else len(target) - 1
        value = target[k]
        if isinstance(value, (dict, list)) and len(value) and hasattr(value, "ca"):
            target = value
            continue
        entry = target.ca.items.setdefault(k, [None, None, None, None])
        entry[2 if isinstance(target, dict) else 0] = token
        return


def _merge_into(target: Any, new: Any, fresh: Callable[[Any], Any] = lambda v: v) -> Any:
    """Make round-trip ``target`` equal to plain ``new``, touching only what differs; what
    is new goes through ``fresh`` (``yamlio.rt_new`` for a ruamel tree)."""
    if isinstance(target, dict) and isinstance(new, dict):
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, value in new.items():
            if key in target:
                target[key] = _merge_into(target[key], value, fresh)
            else:
                target[key] = fresh(value)
        return target
    if isinstance(target, list) and isinstance(new, list) and len(target) == len(new):
        for idx, value in enumerate(new):
            target[idx] = _merge_into(target[idx], value, fresh)
        return target
    if yamlio.rt_to_plain(target) == new:
        return target
    return fresh(new)


def _merge_into_tree(target: Any, new: Any) -> Any:
    return _merge_into(target, new, yamlio.rt_new)
