"""Lazy lookups of objects elsewhere in the input (Services for named ports, ConfigMaps, ...).

Why: a named backend port needs its Service, and loading every Service of a large stream
(a YAML compose per document) to find a few of them was up to a third of a run, and kept
every loaded Service in memory to the end. Here the documents of the looked-up kind are
indexed by ``(namespace, name)`` read *lexically* from their text; a document is loaded
only when a lookup names it, and dropped again after use (a small cache serves repeats).

The lexical reading covers the block-style ``metadata:`` that renderers write. Anything
it cannot vouch for (flow style, anchors, tags, quoted or complex keys, multi-line
scalars, duplicate keys, values YAML would not read as a plain string) is loaded instead,
exactly as before. A loaded document is checked against the key it was indexed under; if
the two ever disagree, the lookup falls back to loading every document of the kind, so the
result is always what a full load would give: the first document (in input order, List
children included) whose ``metadata`` has that name and namespace.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from gwshift import inventory, stream
from gwshift.inventory import Item, LoadError

_intern = sys.intern
Obj = dict[str, Any]
Key = tuple[str | None, str]
Finder = Callable[[str | None, str], Obj | None]

# Loaded objects kept for repeated lookups of the same name (an Ingress names a Service in
# several paths); beyond this, the oldest is dropped and reloads if asked for again.
CACHE_SIZE = 512

# Plain words YAML 1.1 resolves to booleans or null (PyYAML's implicit resolvers).
_NOT_STR = frozenset([
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"])

# The patterns are compiled on the first lookup, not at import: a run without lookups
# (most charts) does not pay for them.
_KEY: re.Pattern[str]
_NAME_VALUE: re.Pattern[str]
_DEEP: re.Pattern[str]
_DQ: re.Pattern[str]
_SQ: re.Pattern[str]
_FLOW: re.Pattern[str]
_BLOCK: re.Pattern[str]
_COMMENT: re.Pattern[str]
_PLAIN_RISK: re.Pattern[str]
_META_REST: re.Pattern[str]
_FAST_NAMES: re.Pattern[str]
_compiled = False
# pad -> the fast path's pattern for that column (see ``_fast_key``).
_FAST: dict[int, re.Pattern[str]] = {}


def _compile() -> None:
    global _compiled, _KEY, _NAME_VALUE, _DEEP, _DQ, _SQ, _FLOW, _BLOCK
    global _COMMENT, _PLAIN_RISK, _META_REST, _FAST_NAMES
    # metadata-level key line: a plain key, then a value or nothing.
    _KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_./-]*):(?:[ \t]+(.*?))?[ \t]*\r?\Z")
    # name/namespace values read without a parse: plain (letter first: never an int, float or
    # timestamp) or quoted without escapes; an optional comment after whitespace.
    _NAME_VALUE = re.compile(
        r"""(?:([A-Za-z][A-Za-z0-9_.-]*)|"([A-Za-z0-9_.-]+)"|'([A-Za-z0-9_.-]+)')(?:[ \t]+#.*)?\Z""")
    # Deeper lines: optional "- " entries, an optional key (plain or quoted), then the value.
    _DEEP = re.compile(
        r"""(?:-[ \t]+)*(?:(?:"[^"\\\n]*"|'[^'\n]*'|[^\s"'#{}\[\],&*!|>%@`?-][^:#"']*?|-[^\s:#"']*?)"""
        r"""[ \t]*:(?:[ \t]+|\Z))?(.*)\Z""")
    _DQ = re.compile(r'"(?:[^"\\]|\\.)*"[ \t]*(?:#.*)?\Z')
    _SQ = re.compile(r"'(?:[^']|'')*'[ \t]*(?:#.*)?\Z")
    _FLOW = re.compile(r"""[{\[][^{}\[\]"'#]*[}\]][ \t]*(?:#.*)?\Z""")
    _BLOCK = re.compile(r"[|>][-+1-9]{0,2}[ \t]*(?:#.*)?\Z")
    _COMMENT = re.compile(r"[ \t]#")
    _PLAIN_RISK = re.compile(r"[\"'{}\[\]]|:(?:[ \t]|\Z)")
    _META_REST = re.compile(r"[ \t]*(?:#[^\n]*)?\r?(?=\n|\Z)")
    _FAST_NAMES = re.compile(r"^ *(name|namespace):(.*)$", re.MULTILINE)
    _compiled = True


def _fast_pattern(pad: int) -> re.Pattern[str]:
    """The commonest ``metadata:`` block and nothing else: ``metadata:`` alone on its line,
    then keys at ``pad + 2`` with a plain one-word-ish value or none, and under a key without
    a value, ``key: value`` lines at ``pad + 4``; the block ends at a line of column <= pad
    that is no comment (or at the end of the document). No blank, comment, quoted, flow or
    multi-line line: each line is one the full reader below accepts the same way."""
    got = _FAST.get(pad)
    if got is None:
        value = r"[A-Za-z0-9_./=+-]+(?: [A-Za-z0-9_./=+-]+)*"
        key = r"[A-Za-z_][A-Za-z0-9_./-]*"
        deep_key = r"[A-Za-z0-9_][A-Za-z0-9_./-]*"
        k, d = " " * (pad + 2), " " * (pad + 4)
        got = _FAST[pad] = re.compile(
            rf"\n((?:{k}{key}: {value}\n|{k}{key}:\n(?:{d}{deep_key}: {value}\n)+)+)"
            rf"(?= {{0,{pad}}}[^ \n\r\t#]|\Z)")
    return got


def _fast_key(text: str, after: int, end: int, pad: int) -> tuple[str, str | None] | None:
    """``sniff_key`` for the commonest block (None: not that shape, read it fully)."""
    m = _fast_pattern(pad).match(text, after, end)
    if m is None:
        return None
    found: dict[str, str] = {}
    k = pad + 2
    for line in _FAST_NAMES.finditer(m.group(1)):
        if line.start(1) - line.start() != k:
            continue  # a deeper "name:" (a label), not metadata's
        key, value = line.group(1), line.group(2)
        if key in found or not value.startswith(" "):
            return None  # a duplicate key, or a name that is a mapping: read it fully
        found[key] = _name_value(value[1:])
    if "name" not in found:
        return None
    return found["name"], found.get("namespace")


class _Irregular(Exception):
    """The text is not plain block style here: load the document instead."""


def _lines(text: str, pos: int, end: int) -> Any:
    """(indent, content, is_blank) for each line of ``text[pos:end]``."""
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        line = text[pos:stop]
        line = line.removesuffix("\r")
        content = line.lstrip(" ")
        if content.startswith("\t"):
            raise _Irregular
        yield len(line) - len(content), content, not content
        pos = stop + 1


def _value_ok(value: str) -> bool | None:
    """Whether a value stays on its line: True, None for a block scalar, else raise."""
    if not value or value[0] == "#":
        return True
    c = value[0]
    if c == '"':
        if _DQ.match(value):
            return True
        raise _Irregular
    if c == "'":
        if _SQ.match(value):
            return True
        raise _Irregular
    if c in "{[":
        if _FLOW.match(value):
            return True
        raise _Irregular
    if c in "|>":
        if _BLOCK.match(value):
            return None
        raise _Irregular
    if c in "&*!%@`":
        raise _Irregular
    # A plain scalar: a quote, bracket or ": " in it may start a construct spanning lines
    # (``a:b: "...``), so only the unremarkable ones are vouched for.
    plain = _COMMENT.split(value, 1)[0]
    if _PLAIN_RISK.search(plain):
        raise _Irregular
    return True


def _name_value(value: str | None) -> str:
    m = _NAME_VALUE.match(value or "")
    if m is None:
        raise _Irregular
    plain, dq, sq = m.groups()
    if plain is not None and plain in _NOT_STR:
        raise _Irregular
    return plain or dq or sq


def _metadata_at(text: str, start: int, end: int, pad: int) -> int:
    """Offset just after ``metadata:`` of the one column-``pad`` ``metadata:`` line."""
    needle = "\n" + " " * pad + "metadata:"
    found = []
    # The first line: a stream document's first key, or a KRM item's "- key".
    if text.startswith("metadata:", start + pad) and (pad == 0 or text[start + pad - 2] == "-"):
        found.append(start + pad + 9)
    pos = text.find(needle, start, end)
    while pos != -1 and len(found) < 2:
        found.append(pos + len(needle))
        pos = text.find(needle, pos + 1, end)
    if len(found) != 1:
        raise _Irregular  # no metadata (load to see), or a duplicate key
    return found[0]


def sniff_key(text: str, start: int, end: int, pad: int = 0) -> tuple[str, str | None]:
    """``(name, namespace or None)`` of the document ``text[start:end]`` whose top-level
    keys sit at column ``pad`` (a KRM item: its first line is ``- key: ...``), read from the
    block-style ``metadata:`` lines. Raises _Irregular for anything else."""
    if not _compiled:
        _compile()
    after = _metadata_at(text, start, end, pad)
    fast = _fast_key(text, after, end, pad)
    return fast if fast is not None else _walk_key(text, after, end, pad)


def _walk_key(text: str, after: int, end: int, pad: int) -> tuple[str, str | None]:
    """``sniff_key`` line by line, from just after ``metadata:``."""
    rest = _META_REST.match(text, after, end)
    if rest is None:
        raise _Irregular  # "metadata: {...}", an anchor, a tag ...
    nl = text.find("\n", after, end)
    if nl == -1:
        raise _Irregular
    found: dict[str, str] = {}
    k = -1  # the indentation of metadata's keys
    block = -1  # inside a block scalar whose key line has this indentation
    last_empty = False  # the last key at k had no value (an indentless sequence may follow)
    check_next = False  # the previous line was name/namespace: no continuation allowed
    for indent, content, blank in _lines(text, nl + 1, end):
        if blank:
            continue
        if check_next and indent > k:
            raise _Irregular  # a multi-line scalar
        check_next = False
        if block >= 0:
            if indent > block:
                continue
            block = -1
        if indent <= pad:
            if content.startswith("#"):
                continue
            break  # the next top-level key: metadata ends
        if content.startswith("#"):
            continue
        if k < 0:
            k = indent
        if indent < k:
            raise _Irregular
        if indent == k and not (content.startswith("- ") or content == "-"):
            m = _KEY.match(content)
            if m is None:
                raise _Irregular  # a quoted, complex or merge key; metadata as a sequence
            key, value = m.group(1), m.group(2)
            if key in ("name", "namespace"):
                if key in found:
                    raise _Irregular
                found[key] = _name_value(value)
                check_next = True
                last_empty = False
                continue
            last_empty = not value or value.startswith("#")
            if _value_ok(value or "") is None:
                block = indent
            continue
        if indent == k and not last_empty:
            raise _Irregular  # "- " where metadata's keys are
        m = _DEEP.match(content)
        if m is None:
            raise _Irregular
        if _value_ok(m.group(1).strip()) is None:
            block = indent
    if "name" not in found:
        raise _Irregular
    return found["name"], found.get("namespace")


def _text_of(item: Item) -> tuple[str, int, int, int] | None:
    """Where an item's document is in the input: (text, start, end, column of its keys)."""
    src: Any = item.source
    if src is None:
        return None
    if isinstance(src, stream.Chunk):
        start = src.start + src.header_end
        if src.source.startswith("---", start):
            return None  # content on the separator line
        return src.source, start, src.end, 0
    text, n = getattr(src, "text", None), getattr(src, "n", None)
    if isinstance(text, str) and isinstance(n, int) and n >= 2:  # a KRM item (krm_splice)
        return text, src.start, src.end, n
    return None


def _is_loaded(item: Item) -> bool:
    """Whether the object is in memory already (the kind scan was unsure, or a List)."""
    return item._obj is not inventory._UNSET


def key_of(obj: Any, default_ns: str | None) -> Key | None:
    """The index key of a loaded object, as the full index computes it."""
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    name, ns = meta.get("name"), meta.get("namespace")
    if isinstance(name, str) and (ns is None or isinstance(ns, str)):
        return (ns or default_ns, name)
    return None


Entry = Item | Obj  # a document to load, or a List child loaded already


def _add(index: dict[Key, Entry | list[Entry]], key: Key, entry: Entry) -> None:
    got = index.get(key)
    if got is None:
        index[key] = entry
    elif isinstance(got, list):
        got.append(entry)
    else:
        index[key] = [got, entry]


class _Lazy:
    """The index of one kind: key -> documents (items to load, or loaded List children)."""

    def __init__(self, items: list[Item], kind: str, default_ns: str | None) -> None:
        self.items, self.kind, self.default_ns = items, kind, default_ns
        # One entry per key (a list only for repeated keys): 25 000 Services cost ~4 MB.
        self.index: dict[Key, Entry | list[Entry]] | None = None
        self.full: dict[Key, Obj] | None = None  # the fallback: every document loaded
        self.cache: dict[Key, Obj | None] = {}
        self.loads = 0  # documents loaded for this kind (tests count them)

    def __call__(self, ns: str | None, name: str) -> Obj | None:
        key = (ns or self.default_ns, name)
        if self.full is not None:
            return self.full.get(key)
        if key in self.cache:
            found = self.cache[key] = self.cache.pop(key)  # most recent last
            return found
        if self.index is None:
            self.index = self._build()
        found = None
        entries: Any = self.index.get(key, ())
        for entry in entries if isinstance(entries, (list, tuple)) else (entries,):
            obj = entry if isinstance(entry, dict) else self._load(entry)
            if obj is None:
                continue  # unreadable, not a mapping or not this kind: as the full index
            if key_of(obj, self.default_ns) != key:
                # The lexical key was wrong: never guess, load everything as before.
                self.full = self._build_full()
                return self.full.get(key)
            found = obj
            break
        self.cache[key] = found
        if len(self.cache) > CACHE_SIZE:
            del self.cache[next(iter(self.cache))]
        return found

    def _load(self, item: Item) -> Obj | None:
        self.loads += 1
        try:
            obj = item.obj()
        except LoadError:
            return None
        finally:
            item.forget()  # the cache holds what is used again; the rest reloads
        if not isinstance(obj, dict) or obj.get("kind") != self.kind:
            return None
        return obj

    def _build(self) -> dict[Key, Entry | list[Entry]]:
        index: dict[Key, Entry | list[Entry]] = {}
        for item in self.items:
            if inventory.is_list_kind(item.kind):
                # Lists are loaded for their Ingresses anyway; index their children.
                for child in inventory.objects([item], lambda _: False,
                                               lambda o: o.get("kind") == self.kind):
                    ckey = key_of(child, self.default_ns)
                    if ckey is not None:
                        _add(index, ckey, child)
                continue
            if item.kind != self.kind:
                continue
            where = None if _is_loaded(item) else _text_of(item)
            key: Key | None = None
            if where is not None:
                try:
                    name, ns = sniff_key(*where)
                    key = (_intern(ns) if ns else self.default_ns, name)
                except _Irregular:
                    key = None
            if key is None:  # loaded already, or irregular: read the key from the object
                obj = self._load(item)
                key = key_of(obj, self.default_ns) if obj is not None else None
                if key is None:
                    continue
            _add(index, key, item)
        return index

    def _build_full(self) -> dict[Key, Obj]:
        full: dict[Key, Obj] = {}
        for obj in inventory.objects(self.items, lambda item: item.kind == self.kind,
                                     lambda o: o.get("kind") == self.kind):
            key = key_of(obj, self.default_ns)
            if key is not None:
                full.setdefault(key, obj)
        return full


def finder(items: list[Item], kind: str, default_ns: str | None) -> Finder:
    """``find(ns, name)`` over the documents of ``kind`` in ``items`` (None: release
    namespace): the first such object, loading only the documents that could be it."""
    return _Lazy(items, kind, default_ns)
