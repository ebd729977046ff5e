"""The only module that imports YAML libraries.

PyYAML's C loader (pure fallback) loads the documents gwshift must read; PyYAML's dumper
writes new objects with one fixed style (a direct writer, byte-identical to it, for the
common shapes). ruamel.yaml is imported lazily, only for KRM ResourceLists the lexical
splice (krm_splice) cannot handle, where comments of untouched items should survive.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml

try:
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader

    HAS_C = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    HAS_C = False

# Entries of the two scalar caches below (resolver tags, written scalars). Keys and common
# values repeat and are cached early; names and hosts are unique and only hold memory (at
# 100k documents a larger cap kept ~25 MB of them alive to the end).
_CACHE_MAX = 20_000


class _CachedResolver(_Loader):
    """Scalar tag resolution memoised by value: the composer asks for every scalar, and
    keys and common values repeat across documents."""

    _tags: ClassVar[dict[tuple[str, bool, bool], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and type(value) is str:
            key = (value, bool(implicit[0]), bool(implicit[1]))
            tag = self._tags.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._tags) < _CACHE_MAX:
                    self._tags[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


LOADER: type = _CachedResolver
PURE_LOADER: type = yaml.SafeLoader
YAMLError = yaml.YAMLError

# Documents gwshift parses are bounded. Aliases are refused outright (MAX_ALIASES = 0):
# Kubernetes objects never need them (the API server stores JSON), and an alias bomb of a few
# hundred bytes expands to gigabytes once anything walks or writes the value. Counting them
# instead would still let a few aliases of aliases expand 9**n-fold. Scalar aliases count
# too (a 1 MB string aliased 1 000 times is written out 1 000 times). Anchors without
# aliases are harmless and accepted. Absurd nesting and node counts are refused as well.
MAX_ALIASES = 0
MAX_DEPTH = 200
MAX_NODES = 1_000_000

_ALIAS_HINT = ("gwshift does not expand YAML aliases in documents it reads (Kubernetes objects "
               "never need them); write the value out")


class UnsafeYAML(Exception):
    """The document uses aliases, or more nesting or nodes than gwshift accepts."""


def _alias_error(node: yaml.Node) -> UnsafeYAML:
    # The anchored node's position (the composer shares the node, so the alias has none of
    # its own); never its text, which is untrusted.
    line = node.start_mark.line + 1 if node.start_mark is not None else 0
    return UnsafeYAML(f"alias of the {_KIND_WORD.get(type(node), 'node')} anchored at line "
                      f"{line}: {_ALIAS_HINT}")


_KIND_WORD: dict[type, str] = {yaml.ScalarNode: "scalar", yaml.MappingNode: "mapping",
                               yaml.SequenceNode: "sequence"}


def _check_node(root: yaml.Node) -> None:
    seen: set[int] = set()
    aliases = 0
    nodes = 0
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise UnsafeYAML(f"nesting deeper than {MAX_DEPTH} levels")
        if nodes > MAX_NODES:
            raise UnsafeYAML(f"more than {MAX_NODES} nodes")
        if id(node) in seen:  # the composer hands out the anchored node again: an alias
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _alias_error(node)
            continue
        seen.add(id(node))
        cls = type(node)
        if cls is mapping:
            pairs = node.value
            if len({k.value for k, _ in pairs if type(k) is yaml.ScalarNode}) != sum(
                    1 for k, _ in pairs if type(k) is yaml.ScalarNode):
                _duplicate_key(root)
            for k, v in pairs:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif cls is sequence:
            stack.extend((child, depth + 1) for child in node.value)


def _duplicate_key(root: yaml.Node) -> None:
    """Raise for the first duplicate key, with its path (only walked when one exists)."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, path)
            for k, v in node.value:
                sub = f"{path}.{k.value}" if isinstance(k, yaml.ScalarNode) else path
                stack.append((v, sub.lstrip(".")))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(node.value))
    raise UnsafeYAML("duplicate key in a mapping key; the API server rejects it")


def _check_keys(node: yaml.MappingNode, path: str) -> None:
    keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    if len(keys) != len(set(keys)):
        dup = next(k for k in keys if keys.count(k) > 1)
        where = f"{path}.{dup}" if path else dup
        raise UnsafeYAML(f"duplicate key {safe_text(where)} (line {node.start_mark.line + 1}); "
                         "the API server rejects it, PyYAML would silently keep the last value")


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _flow_depth_ok(text: str) -> None:
    """LibYAML composes recursively: refuse deep flow nesting before it overflows the C stack."""
    brackets = _NOT_BRACKET.sub("", text)
    if len(brackets) <= MAX_DEPTH:
        return
    depth = 0
    for ch in brackets:
        depth = depth + 1 if ch in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            raise UnsafeYAML(f"flow nesting deeper than {MAX_DEPTH} levels")


def load(text: str) -> Any:
    """Safely load one document: no aliases, no Python tags, bounded nesting and size.

    Every document gwshift reads goes through here or ``load_all``/``check``: Ingresses,
    Services, ConfigMaps (``custom-headers``), IngressClasses, Lists and their items, KRM
    functionConfigs, and (via ``rt_load``) ResourceLists on the ruamel round-trip path.
    Raises ``UnsafeYAML`` or ``YAMLError``.
    """
    _flow_depth_ok(text)
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            # Without an "&" there is no anchor, hence no alias: skip tracking scalars.
            return _Builder(loader, track_scalars="&" in text).build(node, 0)
        except _Unsupported:
            pass
        _check_node(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


_intern = sys.intern
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


class _Builder:
    """Checks and constructs in one walk over the composed nodes.

    It does what SafeConstructor does for the tags Kubernetes objects use (str, int, bool,
    null, map, seq) several times faster; anything else (merge keys, other tags, complex
    keys, duplicate keys) raises ``_Unsupported`` and the document takes the checked
    PyYAML path, which also words the errors.
    """

    def __init__(self, loader: Any, track_scalars: bool = True) -> None:
        self.loader = loader
        self.memo: dict[int, Any] = {}
        self.nodes = 0
        self.scalars: set[int] | None = set() if track_scalars else None

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise _Unsupported
        cls = type(node)
        tag = node.tag
        if cls is yaml.ScalarNode:
            if self.scalars is not None:
                if id(node) in self.scalars:
                    raise _alias_error(node)
                self.scalars.add(id(node))
            if tag == _STR:
                # Keys and short values repeat across Ingresses ("service", "Prefix", "/"):
                # one shared copy each keeps thousands of parsed Ingresses small.
                value = node.value
                return _intern(value) if len(value) <= 64 else value
            if tag == _NULL:
                return None
            if tag == _BOOL or tag == _INT:
                return self.loader.construct_object(node)
            raise _Unsupported
        nid = id(node)
        if nid in self.memo:
            raise _alias_error(node)
        if cls is yaml.MappingNode and tag == _MAP:
            out: dict[Any, Any] = {}
            self.memo[nid] = out
            # Untracked plain-string keys and values (nearly all of them) are built here, not
            # by a call per node: the same checks, counts and interning as ``build``.
            fast = self.scalars is None and depth < MAX_DEPTH
            for k, v in node.value:
                if type(k) is not yaml.ScalarNode or k.tag == "tag:yaml.org,2002:merge":
                    raise _Unsupported
                if fast and k.tag == _STR:
                    self.nodes += 1
                    key = k.value
                    if len(key) <= 64:
                        key = _intern(key)
                else:
                    key = self.build(k, depth + 1)
                if key in out:
                    raise _Unsupported
                if fast and type(v) is yaml.ScalarNode and v.tag == _STR:
                    self.nodes += 1
                    value = v.value
                    out[key] = _intern(value) if len(value) <= 64 else value
                else:
                    out[key] = self.build(v, depth + 1)
            if self.nodes > MAX_NODES:
                raise _Unsupported
            return out
        if cls is yaml.SequenceNode and tag == _SEQ:
            seq: list[Any] = []
            self.memo[nid] = seq
            for child in node.value:
                seq.append(self.build(child, depth + 1))
            return seq
        raise _Unsupported


def check(text: str) -> None:
    """Raise ``UnsafeYAML``/``YAMLError`` unless every document of ``text`` is within the
    bounds ``load`` applies (no aliases, nesting, node count, duplicate keys). Composes with
    the C parser only, so it is cheap next to a ruamel round-trip load of the same text."""
    _flow_depth_ok(text)
    loader = LOADER(text)
    try:
        while loader.check_node():
            _check_node(loader.get_node())
    finally:
        loader.dispose()


def load_all(text: str) -> Iterator[Any]:
    _flow_depth_ok(text)
    loader = LOADER(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            _check_node(node)
            yield loader.construct_document(node)
    finally:
        loader.dispose()


def error_line(exc: Exception) -> str:
    """One line describing a YAML error, with its position when known. Parser messages quote
    bits of the input (a tag, a character): those are escaped and shortened, so the line
    stays one line of bounded length whatever the input holds."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["YAML error"])[0]
    problem = safe_text(str(problem), 160)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return problem


_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def safe_text(text: str, limit: int = 80) -> str:
    """Untrusted text made fit for a one-line message: control characters, line and paragraph
    separators escaped (\\n, \\x1b, \\u2028), cut to ``limit`` characters with an ellipsis.
    Notes, stderr lines and KRM results built from input must go through this."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNSAFE_CHARS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def describe(value: Any) -> str:
    """What an untrusted value is, never what it says: ``a mapping``, ``a string of 12
    characters``, ``an integer``; for messages about values of the wrong type."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return f"a string of {len(value)} characters"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def dump(obj: Any, unshare: bool = False) -> str:
    """Dump one object in gwshift's fixed style (block style, key order kept).

    Byte-identical to PyYAML's dump below; the direct writer handles the shapes gwshift
    generates (str/int/bool/None leaves) several times faster, and anything else goes to
    PyYAML. A container that appears twice is written by PyYAML as an anchor and an alias;
    with ``unshare`` every occurrence is written out in full instead, exactly as
    ``dump(copy)`` of a copy in which no container appears twice (``emit.unshared``), without
    making that copy.
    """
    if isinstance(obj, (dict, list)) and type(obj) in (dict, list):
        out: list[str] = []
        # Without unshare: every container seen (a repeat is an alias). With it: only the
        # containers on the current path (a repeat there is a cycle, which PyYAML refuses).
        seen: set[int] = set()
        try:
            if isinstance(obj, dict):
                _w_map(obj, "", "", out, seen, unshare)
            else:
                _w_seq(obj, "", out, seen, unshare)
        except _Unsupported:
            pass
        else:
            if out:
                return "".join(out)
    return _pyyaml_dump(_unshared(obj) if unshare else obj)


def _unshared(value: Any) -> Any:
    """A copy in which no dict or list appears twice (see ``emit.unshared``)."""
    if isinstance(value, dict):
        return {k: _unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshared(v) for v in value]
    return value


class _Unsupported(Exception):
    pass


# --- quoting: a string must read back as a string under YAML 1.1 and YAML 1.2 -------------
#
# PyYAML's emitter quotes a string when its own (YAML 1.1) resolver would read it as
# something else: y/n/yes/no/on/off, ~, 1:20, 0b1, 0x1F, 2001-12-14, .inf, ... Readers of the
# output (kubectl, kustomize/kyaml, Argo CD: Go yaml.v3) use YAML 1.2, which reads more
# plain scalars as numbers: 0o17, 09, 1e3, +1e-3. Both sets are quoted.
# Go's strconv (yaml.v3) takes upper-case prefixes; ruamel's 1.2 resolver takes underscores
# anywhere ("08_", "1_0e3"). The union of what any of them reads as a number is quoted.
_YAML12_INT = r"[-+]?(?:[0-9_]+|0[oO]?[0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+)"
_YAML12_FLOAT = (r"[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
                 r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


class _QuotingResolver(yaml.resolver.Resolver):
    pass


class _QuotingDumper(_Dumper):
    pass


for _cls in (_QuotingResolver, _QuotingDumper):
    # YAML 1.1's bool also has y/Y/n/N (yaml.v2, behind sigs.k8s.io/yaml, reads them so);
    # PyYAML leaves them out of its resolver and would write them plain.
    _cls.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile("^(?:y|Y|n|N)$"), list("yYnN"))
    _cls.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(f"^(?:{_YAML12_INT})$"),
                               list("-+0123456789_"))
    _cls.add_implicit_resolver("tag:yaml.org,2002:yaml", re.compile(r"^(?:!|&|\*)$"), list("!&*"))
    _cls.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(f"^(?:{_YAML12_FLOAT})$"),
                               list("-+0123456789."))
_RESOLVER = _QuotingResolver()


def needs_quotes(text: str) -> bool:
    """Whether a plain ``text`` would be read as something other than a string by a YAML 1.1
    (PyYAML, yaml.v2) or a YAML 1.2 (yaml.v3, ruamel) reader."""
    return bool(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR)


# Plain in PyYAML's emitter and resolved as str: a letter or "/" first, then only
# letters, digits and "_./-"; minus the YAML 1.1 booleans and nulls.
_PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./-]*\Z")
_NOT_PLAIN = frozenset(
    ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "y", "Y", "n", "N"])
_SCALARS: dict[str, str] = {}


def _w_str(s: str) -> str:
    got = _SCALARS.get(s)
    if got is not None:
        return got
    if _PLAIN.match(s) and s not in _NOT_PLAIN:
        got = s
    elif len(s) > 1000 or "\n" in s:
        raise _Unsupported  # line folding or block scalars: PyYAML decides
    else:
        line = _pyyaml_dump({"k": s})
        if line.count("\n") != 1:
            raise _Unsupported
        got = line[3:-1]
    if len(_SCALARS) < _CACHE_MAX:
        _SCALARS[s] = got
    return got


def _w_leaf(v: Any) -> str:
    t = type(v)
    if t is str:
        return _SCALARS.get(v) or _w_str(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if v is None:
        return "null"
    if t is dict and not v:
        return "{}"
    if t is list and not v:
        return "[]"
    raise _Unsupported


# Keys written plain, with their ": " / ":" suffixes: keys repeat across every object.
_KEYS: dict[str, tuple[str, str]] = {}


def _w_key(k: Any) -> tuple[str, str]:
    got = _KEYS.get(k) if type(k) is str else None
    if got is not None:
        return got
    if type(k) is not str or len(k) > 120 or not _PLAIN.match(k) or k in _NOT_PLAIN:
        raise _Unsupported  # quoted, long or multi-line keys: PyYAML decides ("? " keys)
    got = (f"{k}: ", f"{k}:\n")
    if len(_KEYS) < 10_000:
        _KEYS[k] = got
    return got


def _w_map(d: dict[str, Any], first: str, ind: str, out: list[str], seen: set[int],
           unshare: bool = False) -> None:
    if id(d) in seen:
        raise _Unsupported  # PyYAML would write an anchor and an alias (or refuse a cycle)
    seen.add(id(d))
    pre = first
    sub = ind + "  "
    append = out.append
    for k, v in d.items():
        key = _KEYS.get(k) or _w_key(k)
        t = type(v)
        if t is str:
            append(pre + key[0] + (_SCALARS.get(v) or _w_str(v)) + "\n")
        elif t is dict and v:
            append(pre + key[1])
            _w_map(v, sub, sub, out, seen, unshare)
        elif t is list and v:
            append(pre + key[1])
            _w_seq(v, ind, out, seen, unshare)  # PyYAML indents no sequence inside a mapping
        else:
            append(pre + key[0] + _w_leaf(v) + "\n")
        pre = ind
    if unshare:
        seen.discard(id(d))


def _w_seq(items: list[Any], ind: str, out: list[str], seen: set[int],
           unshare: bool = False) -> None:
    if id(items) in seen:
        raise _Unsupported
    seen.add(id(items))
    dash = ind + "- "
    sub = ind + "  "
    for v in items:
        t = type(v)
        if t is dict and v:
            _w_map(v, dash, sub, out, seen, unshare)
        elif t is list and v:
            raise _Unsupported  # "- - x": rare, PyYAML writes it
        else:
            out.append(dash + _w_leaf(v) + "\n")
    if unshare:
        seen.discard(id(items))


def _pyyaml_dump(obj: Any) -> str:
    return yaml.dump(
        obj,
        Dumper=_QuotingDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        explicit_start=False,
    )


# --- ruamel (KRM only; imported lazily) ---------------------------------------------------


def rt_yaml() -> Any:
    """A round-trip ruamel.yaml instance configured once for ResourceLists."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=2, offset=0)
    return y


def has_comments(text: str) -> bool:
    """Whether the text holds a YAML comment (a ``#`` between tokens, not inside a scalar).

    The C scanner finds this far faster than ruamel's round-trip loader parses; without
    comments there is nothing for ruamel to preserve.
    """
    if "#" not in text:
        return False
    prev = 0
    for token in yaml.scan(text, Loader=LOADER):
        if "#" in text[prev : token.start_mark.index]:
            return True
        prev = token.end_mark.index
    return "#" in text[prev:]


def rt_load(text: str) -> Any:
    """Round-trip load (comments kept); plain C-loaded objects when there are no comments.

    Bounded like ``load``: the text is first composed by the C parser and checked (no
    aliases, nesting, node count), so ruamel never sees an alias bomb and ``rt_to_plain``
    never expands one. Raises ``UnsafeYAML`` or ``YAMLError``.
    """
    if not has_comments(text):
        return load(text)
    check(text)
    return rt_yaml().load(text)


def rt_new(obj: Any) -> Any:
    """A generated (plain) object made ready for insertion into a round-trip tree: strings
    that YAML 1.1 or 1.2 would read as another type become single-quoted scalars, since
    ruamel's 1.2 emitter writes ``yes``/``on``/``y`` plain. Untouched input keeps its own
    style; call this only on new objects."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    def walk(v: Any) -> Any:
        if type(v) is str:
            return SingleQuotedScalarString(v) if needs_quotes(v) else v
        if type(v) is dict:
            return {k: walk(x) for k, x in v.items()}
        if type(v) is list:
            return [walk(x) for x in v]
        return v

    return walk(obj)


def rt_dump(obj: Any) -> str:
    import io

    if type(obj) is dict:  # loaded without comments by rt_load's fast path
        return dump(obj)
    buf = io.StringIO()
    rt_yaml().dump(obj, buf)
    return buf.getvalue()


def rt_to_plain(obj: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts/lists/scalars."""
    if isinstance(obj, dict):
        return {str(k): rt_to_plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [rt_to_plain(v) for v in obj]
    if isinstance(obj, bool) or obj is None:
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, str):
        return str(obj)
    return obj
