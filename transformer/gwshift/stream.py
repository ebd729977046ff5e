"""Lossless split of a YAML stream into document chunks, and a cheap classifier.

``''.join(c.text for c in split(text)) == text`` always holds. A chunk starts at a
separator line (``---``, ``--- # comment``), at a document end marker (``...``) that has a
document after it, or at the start of the stream; its header is the run of separator, end
marker, comment and blank lines before the first content line.

Line breaks are what YAML 1.1 readers (PyYAML, Go yaml.v2 behind Helm and kubectl) take them
to be: LF, CRLF, a lone CR, NEL (U+0085), and the line and paragraph separators U+2028 and
U+2029. Lines are found on a *view* of the text in which every such break is one ``\n``
(same length, so offsets are shared); chunks always slice the original text.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

_SEPARATOR = re.compile(r"^---(?:[ \t][^\n]*)?\r?$", re.MULTILINE)
_END_MARKER = re.compile(r"\.\.\.[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_ODD_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_LONE_CR = re.compile(r"\r(?!\n)")
_view_cache: tuple[str, str] = ("", "")


def odd_line_breaks(text: str) -> bool:
    """Whether ``text`` breaks lines with something other than LF/CRLF (a lone CR, NEL,
    U+2028, U+2029): YAML readers see line breaks there that a line-by-line tool does not."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return True
    return "\r" in text and _LONE_CR.search(text) is not None


def _view(text: str) -> str:
    """``text`` with every odd line break turned into ``\n`` (same length); ``text`` itself
    when there is none. One entry is cached: the splitter asks per chunk for the same text."""
    global _view_cache
    if _view_cache[0] is text:
        return _view_cache[1]
    if not odd_line_breaks(text):
        view = text
    else:
        # A CR of a CRLF pair becomes an empty line before the LF: harmless, since only
        # header lines (blank, comment, marker) and column-0 keys are looked at.
        view = text.translate(_ODD_BREAKS)
    _view_cache = (text, view)
    return view
_TOP_KIND = re.compile(r"""^kind:[ \t]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*(?:#.*)?\r?$""", re.MULTILINE)
_TOP_API = re.compile(
    r"""^apiVersion:[ \t]*["']?([A-Za-z0-9_./-]+)["']?[ \t]*(?:#.*)?\r?$""", re.MULTILINE
)


class Chunk:
    """One document of the stream: ``source[start:end]``, sliced only when asked for.

    Pass-through chunks are never copied out of the input until they are written, which
    keeps peak memory near one copy of the input.
    """

    __slots__ = ("end", "header_end", "index", "source", "start")

    def __init__(self, index: int, source: str, header_end: int, start: int = 0,
                 end: int | None = None) -> None:
        self.index = index
        self.source = source
        self.start = start
        self.end = len(source) if end is None else end
        self.header_end = header_end  # offset from start where content starts

    def __repr__(self) -> str:
        return f"Chunk({self.index}, {self.text!r}, {self.header_end})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Chunk) and self.index == other.index
                and self.header_end == other.header_end and self.text == other.text)

    __hash__ = None  # type: ignore[assignment]

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def header(self) -> str:
        return self.source[self.start : self.start + self.header_end]

    @property
    def body(self) -> str:
        return self.source[self.start + self.header_end : self.end]

    @property
    def has_content(self) -> bool:
        return self.header_end < self.end - self.start

    @property
    def crlf(self) -> bool:
        return self.source.find("\r\n", self.start, self.end) != -1


def _header_end(text: str, start: int = 0, end: int | None = None) -> int:
    """Offset (from ``start``) of the first content line of ``text[start:end]``."""
    n = len(text) if end is None else end
    pos = start
    first = True
    while pos < n:
        nl = text.find("\n", pos, n)
        line_end = n if nl == -1 else nl + 1
        stripped = text[pos:line_end].strip()
        is_sep = first and (stripped == "---" or stripped.startswith("--- #"))
        if not (is_sep or stripped == "" or stripped.startswith("#") or stripped == "..."):
            # "--- value" on the separator line puts content on the header line itself.
            return pos - start
        first = False
        pos = line_end
    return n - start


def _line_starts(text: str, prefix: str) -> list[int]:
    """Offsets of the lines that start with ``prefix``.

    str.find in a loop beats a MULTILINE ``^`` regex, which tries every offset of the text.
    """
    out = [0] if text.startswith(prefix) else []
    needle = "\n" + prefix
    pos = text.find(needle)
    while pos != -1:
        out.append(pos + 1)
        pos = text.find(needle, pos + 1)
    return out


def boundaries(text: str) -> list[int]:
    """Start offsets of the chunks of ``text``, then ``len(text)``: chunk i is
    ``text[b[i]:b[i + 1]]``."""
    text = _view(text)
    starts = [p for p in _line_starts(text, "---") if _SEPARATOR.match(text, p)]
    if "..." in text:
        starts = _with_end_markers(text, starts)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(text)]
    if bounds[0] == bounds[1]:  # empty text
        bounds.pop(0)
    return bounds


def _with_end_markers(text: str, starts: list[int]) -> list[int]:
    """Add the ``...`` lines that end a document and have another one after them before the
    next ``---``: YAML starts a new document there (``a: 1\n...\nb: 2`` is two documents).
    The marker line opens the next chunk, so replacing the document before it never glues
    the generated YAML to the next document."""
    import bisect

    extra = []
    for pos in _line_starts(text, "..."):
        if not _END_MARKER.match(text, pos):
            continue
        nl = text.find("\n", pos)
        after = len(text) if nl == -1 else nl + 1
        i = bisect.bisect_right(starts, pos)
        nxt = starts[i] if i < len(starts) else len(text)
        if _header_end(text, after, nxt) < nxt - after:  # content follows the marker
            extra.append(pos)
    return sorted(set(starts).union(extra)) if extra else starts


def chunk_at(text: str, bounds: list[int], i: int) -> Chunk:
    a, b = bounds[i], bounds[i + 1]
    return Chunk(i, text, _header_end(_view(text), a, b), a, b)


def split(text: str) -> list[Chunk]:
    bounds = boundaries(text)
    return [chunk_at(text, bounds, i) for i in range(len(bounds) - 1)]


def _separator_has_content(chunk: Chunk) -> bool:
    source = _view(chunk.source)
    nl = source.find("\n", chunk.start, chunk.end)
    first = source[chunk.start : chunk.end if nl == -1 else nl].strip()
    return first.startswith("---") and first not in ("---",) and not first.startswith("--- #")


class Sniff(NamedTuple):
    kind: str | None
    api_version: str | None
    certain: bool  # False: the cheap scan could not tell; parse to be sure


def sniff(chunk: Chunk) -> Sniff:
    """Top-level ``kind``/``apiVersion`` from column-0 lines, without parsing."""
    if not chunk.has_content:
        return Sniff(None, None, not _separator_has_content(chunk))
    body = _view(chunk.source)[chunk.start + chunk.header_end : chunk.end]
    kinds = _TOP_KIND.findall(body)
    apis = _TOP_API.findall(body)
    if len(kinds) == 1:
        return Sniff(kinds[0], apis[0] if len(apis) == 1 else None, len(apis) <= 1)
    return Sniff(None, None, False)


class Scan(NamedTuple):
    """Column-0 ``kind:``/``apiVersion:`` values per chunk, from one pass over the text."""

    kind: list[str | None]  # the value when the chunk has exactly one
    kinds: bytearray  # how many (capped at 2)
    api: list[str | None]
    apis: bytearray


def scan(text: str, bounds: list[int]) -> Scan:
    import bisect

    text = _view(text)
    n = len(bounds) - 1
    out = Scan([None] * n, bytearray(n), [None] * n, bytearray(n))
    for values, counts, regex, word in ((out.kind, out.kinds, _TOP_KIND, "kind:"),
                                        (out.api, out.apis, _TOP_API, "apiVersion:")):
        for pos in _line_starts(text, word):
            m = regex.match(text, pos)
            if m is not None:
                i = bisect.bisect_right(bounds, pos) - 1
                values[i] = sys.intern(m.group(1))
                counts[i] = min(counts[i] + 1, 2)
    return out


def sniff_scanned(chunk: Chunk, found: Scan) -> Sniff:
    """``sniff(chunk)`` from a ``scan`` of the whole text."""
    i = chunk.index
    if not chunk.has_content:
        return Sniff(None, None, not _separator_has_content(chunk))
    if found.kinds[i] == 1:
        return Sniff(found.kind[i], found.api[i] if found.apis[i] == 1 else None,
                     found.apis[i] <= 1)
    return Sniff(None, None, False)


# --- reading input, bounded ------------------------------------------------------------------

# A rendered release this large does not exist (Helm stores a release in one Secret of at
# most 1 MiB compressed; one Kubernetes object is at most ~1.5 MB); /dev/zero or a runaway
# pipe would otherwise fill memory before anything could be said.
MAX_INPUT_MB = 256
_BLOCK = 1 << 20


class InputError(Exception):
    """Input cannot be read: the message is one line (what, where, what to do)."""


def max_input_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The input bound in bytes: ``GWSHIFT_MAX_INPUT_MB`` (a positive whole number of MiB)
    or ``MAX_INPUT_MB``. Set to anything else it is an InputError (one line): a bound the
    user asked for is never ignored silently."""
    import os

    raw = (os.environ if environ is None else environ).get("GWSHIFT_MAX_INPUT_MB", "")
    raw = raw.strip()
    if not raw:  # unset or empty (Argo CD sends empty strings for cleared parameters)
        return MAX_INPUT_MB << 20
    if raw.isascii() and raw.isdigit() and len(raw) <= 6 and int(raw) > 0:
        return int(raw) << 20
    from gwshift.notes import escape

    raise InputError(f"gwshift: GWSHIFT_MAX_INPUT_MB={escape(raw[:40])!r} is not a positive "
                     f"whole number of MiB (at most 999999); set it to e.g. 512, or unset it "
                     f"for the default {MAX_INPUT_MB}")


def _where(name: str) -> str:
    """The input's name for a message: control characters escaped as notes escape fields
    (a newline in a file name would otherwise split the one line)."""
    if name == "-":
        return "stdin"
    from gwshift.notes import escape

    return escape(name)


def read_input(name: str, max_bytes: int | None = None) -> bytearray:
    """All bytes of file ``name`` (``-``: stdin), at most ``max_bytes``; raises InputError
    with one line for a closed stdin, an unreadable file, or input over the bound."""
    limit = max_input_bytes() if max_bytes is None else max_bytes
    where = _where(name)
    try:
        if name == "-":
            if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
                raise InputError("gwshift: stdin is closed; pipe the rendered YAML in or name "
                                 "a file")
            return _read_bounded(sys.stdin.buffer, where, limit)
        with open(name, "rb") as fh:
            return _read_bounded(fh, where, limit)
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: read on a closed file object
        reason = getattr(exc, "strerror", None) or "not readable"
        raise InputError(f"gwshift: cannot read {where}: {reason}") from None


def _read_bounded(fh: Any, where: str, limit: int) -> bytearray:
    buf = bytearray()
    while True:
        block = fh.read(min(_BLOCK, limit + 1 - len(buf)))
        if not block:
            return buf
        buf += block
        if len(buf) > limit:
            raise InputError(f"gwshift: {where}: input larger than {limit >> 20} MiB; "
                             "set GWSHIFT_MAX_INPUT_MB to allow more")
