"""Output pieces: untouched runs are slices of the input, replaced documents are rewritten.

A replacement holds generated objects (dicts) or, in lean stream mode, their YAML text:
two fields, never a mix (``plan.Replacement``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gwshift import stream, yamlio
from gwshift.inventory import Item
from gwshift.plan import Key, Obj, Replacement


def pieces(text: str, items: list[Item], reps: dict[Key, Replacement]) -> Iterator[str]:
    """The output: untouched runs as slices of ``text``, replaced documents rewritten."""
    lists = {doc for doc, sub in reps if sub >= 0}
    cursor = 0
    for item in items:
        chunk = item.source
        if chunk is None or ((item.index, -1) not in reps and item.index not in lists):
            continue
        if chunk.start > cursor:
            yield text[cursor : chunk.start]
        yield write_chunk(chunk, item, reps, lists)
        cursor = chunk.end
    if cursor < len(text):
        yield text[cursor:]


def _documents(rep: Replacement) -> list[str]:
    return list(rep.texts) if rep.texts else [yamlio.dump(o) for o in rep.objects]


def _dump(docs: list[str], crlf: bool, comments: str = "") -> str:
    """YAML documents; ``comments`` (Helm's ``# Source:`` line) repeat before each document
    after the first, so ``helm template --show-only`` still finds every one."""
    text = ("---\n" + comments).join(docs)
    return text.replace("\n", "\r\n") if crlf else text


def _comment_lines(header: str) -> str:
    return "".join(line.replace("\r\n", "\n") for line in header.splitlines(keepends=True)
                   if line.startswith("# Source: "))


def write_chunk(chunk: stream.Chunk, item: Item, reps: dict[Key, Replacement],
                 lists: set[int]) -> str:
    key = (chunk.index, -1)
    if key in reps:
        rep = reps[key]
        if rep.keep_original:
            text = chunk.text if chunk.text.endswith("\n") else chunk.text + "\n"
            sep = "---\r\n" if chunk.crlf else "---\n"
            comments = _comment_lines(chunk.header)
            crlf_comments = comments.replace("\n", "\r\n") if chunk.crlf else comments
            docs = _documents(rep)
            return text + (sep + crlf_comments + _dump(docs, chunk.crlf, comments) if docs else "")
        if rep.empty:
            return chunk.header + _merged_comment(item, chunk.crlf)
        return _opened(chunk) + _dump(_documents(rep), chunk.crlf, _comment_lines(chunk.header))
    if chunk.index in lists:
        rebuilt = rebuilt_list(item.obj(), chunk.index, reps)
        return _opened(chunk) + _dump([yamlio.dump(rebuilt)], chunk.crlf)
    return chunk.text


def _opened(chunk: stream.Chunk) -> str:
    """The header, plus ``---`` when a rewritten document follows another without one (after
    a ``...`` end marker): YAML 1.2 allows a bare document there, YAML 1.1 readers do not."""
    header = chunk.header
    if chunk.start == 0 or any(line.startswith("---") for line in header.splitlines()):
        return header
    return header + ("---\r\n" if chunk.crlf else "---\n")


def _merged_comment(item: Item, crlf: bool) -> str:
    """An Ingress merged into another (a canary) leaves a comment, not a silent hole."""
    meta = item.metadata
    ref = f"{item.kind or 'Ingress'}/{meta.get('namespace') or '-'}/{meta.get('name') or '-'}"
    text = f"# gwshift: {ref} was merged into the routes of another Ingress (see notes)\n"
    return text.replace("\n", "\r\n") if crlf else text


def rebuilt_list(obj: Obj, doc: int, reps: dict[Key, Replacement]) -> Obj:
    new_items: list[Any] = []
    for j, child in enumerate(obj.get("items") or []):
        rep = reps.get((doc, j))
        if rep is None:
            new_items.append(child)
            continue
        new_items.extend(([child] if rep.keep_original else []) + rep.objects)
    return {**obj, "items": new_items}


