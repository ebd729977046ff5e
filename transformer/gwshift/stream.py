"""Lossless split of a YAML stream into document chunks, and a cheap classifier.

``''.join(c.text for c in split(text)) == text`` always holds. A chunk starts at a
separator line (``---``, ``--- # comment``) or at the start of the stream; its header is
the run of separator, comment and blank lines before the first content line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SEPARATOR = re.compile(r"^---(?:[ \t][^\n]*)?\r?$", re.MULTILINE)
_TOP_KIND = re.compile(r"""^kind:[ \t]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*(?:#.*)?\r?$""", re.MULTILINE)
_TOP_API = re.compile(
    r"""^apiVersion:[ \t]*["']?([A-Za-z0-9_./-]+)["']?[ \t]*(?:#.*)?\r?$""", re.MULTILINE
)


class Chunk(NamedTuple):
    index: int  # type: ignore[assignment]
    text: str
    header_end: int  # offset in text where content starts (len(text) when none)

    @property
    def header(self) -> str:
        return self.text[: self.header_end]

    @property
    def body(self) -> str:
        return self.text[self.header_end :]

    @property
    def has_content(self) -> bool:
        return self.header_end < len(self.text)

    @property
    def crlf(self) -> bool:
        return "\r\n" in self.text


def _header_end(text: str) -> int:
    pos = 0
    n = len(text)
    first = True
    while pos < n:
        end = text.find("\n", pos)
        line_end = n if end == -1 else end + 1
        stripped = text[pos:line_end].strip()
        is_sep = first and (stripped == "---" or stripped.startswith("--- #"))
        if not (is_sep or stripped == "" or stripped.startswith("#") or stripped == "..."):
            # "--- value" on the separator line puts content on the header line itself.
            return pos
        first = False
        pos = line_end
    return n


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


def split(text: str) -> list[Chunk]:
    starts = [p for p in _line_starts(text, "---") if _SEPARATOR.match(text, p)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(text)]
    chunks: list[Chunk] = []
    for i in range(len(starts)):
        piece = text[bounds[i] : bounds[i + 1]]
        if not piece and i == 0:
            continue
        chunks.append(Chunk(len(chunks), piece, _header_end(piece)))
    return chunks


def _separator_has_content(chunk: Chunk) -> bool:
    first = chunk.text.split("\n", 1)[0].strip()
    return first.startswith("---") and first not in ("---",) and not first.startswith("--- #")


class Sniff(NamedTuple):
    kind: str | None
    api_version: str | None
    certain: bool  # False: the cheap scan could not tell; parse to be sure


def sniff(chunk: Chunk) -> Sniff:
    """Top-level ``kind``/``apiVersion`` from column-0 lines, without parsing."""
    if not chunk.has_content:
        return Sniff(None, None, not _separator_has_content(chunk))
    body = chunk.body
    kinds = _TOP_KIND.findall(body)
    apis = _TOP_API.findall(body)
    if len(kinds) == 1:
        return Sniff(kinds[0], apis[0] if len(apis) == 1 else None, len(apis) <= 1)
    return Sniff(None, None, False)


def sniff_all(text: str, chunks: list[Chunk]) -> list[Sniff]:
    """``sniff`` of every chunk of ``split(text)`` with one scan of the whole text."""
    import bisect

    starts: list[int] = []
    pos = 0
    for c in chunks:
        starts.append(pos)
        pos += len(c.text)
    kinds: list[list[str]] = [[] for _ in chunks]
    apis: list[list[str]] = [[] for _ in chunks]
    for found, regex in ((kinds, _TOP_KIND), (apis, _TOP_API)):
        word = "kind:" if regex is _TOP_KIND else "apiVersion:"
        for pos in _line_starts(text, word):
            m = regex.match(text, pos)
            if m is not None:
                found[bisect.bisect_right(starts, pos) - 1].append(m.group(1))
    out = []
    for i, c in enumerate(chunks):
        if not c.has_content:
            out.append(Sniff(None, None, not _separator_has_content(c)))
        elif len(kinds[i]) == 1:
            out.append(Sniff(kinds[i][0], apis[i][0] if len(apis[i]) == 1 else None,
                             len(apis[i]) <= 1))
        else:
            out.append(Sniff(None, None, False))
    return out
