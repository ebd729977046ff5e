"""Items of the input (stream chunks or KRM items) with lazily loaded objects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gwshift import yamlio
from gwshift.stream import Chunk, Sniff, sniff

_UNSET: Any = object()


class LoadError(Exception):
    pass


class Item:
    # A plain slotted class, not a dataclass: ``dataclasses`` costs ~7 ms of start-up.
    __slots__ = ("_obj", "api_version", "index", "kind", "source", "text")

    def __init__(self, index: int, kind: str | None, api_version: str | None,
                 text: str | None = None, _obj: Any = _UNSET,
                 source: Chunk | None = None) -> None:
        self.index = index  # document index in the input
        self.kind = kind
        self.api_version = api_version
        self.text = text
        self._obj = _obj
        # The chunk the text comes from: its body is sliced only when the object is needed,
        # so pass-through documents are never copied.
        self.source = source

    def forget(self) -> None:
        """Drop the loaded object when it can be loaded again from its chunk."""
        if self.source is not None:
            self._obj = _UNSET

    @property
    def size(self) -> int:
        if self.source is not None:
            return self.source.length - self.source.header_end
        return len(self.text or "")

    def obj(self) -> Any:
        """The loaded object; raises LoadError with one line on YAML problems."""
        if self._obj is _UNSET:
            text = self.source.body if self.source is not None else self.text
            try:
                self._obj = yamlio.load(text or "")
            except yamlio.UnsafeYAML as exc:
                raise LoadError(str(exc)) from None
            except yamlio.YAMLError as exc:
                raise LoadError(yamlio.error_line(exc)) from None
            except (ValueError, RecursionError) as exc:  # e.g. bad timestamps, deep nesting
                raise LoadError(f"cannot read document: {exc}") from None
        return self._obj

    @property
    def metadata(self) -> dict[str, Any]:
        try:
            obj = self.obj()
        except LoadError:
            return {}
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        return meta if isinstance(meta, dict) else {}


def from_chunk(chunk: Chunk, s: Sniff | None = None) -> Item:
    if s is None:
        s = sniff(chunk)
    item = Item(chunk.index, s.kind, s.api_version, None if chunk.has_content else "",
                source=chunk if chunk.has_content else None)
    if not s.certain or (s.kind is not None and s.api_version is None):
        # Flow-style or JSON documents: only a parse tells the kind. Errors here mean
        # the document is not something gwshift converts; it passes through untouched.
        try:
            obj = item.obj()
        except LoadError:
            return item
        if isinstance(obj, dict):
            kind, api = obj.get("kind"), obj.get("apiVersion")
            item.kind = kind if isinstance(kind, str) else None
            item.api_version = api if isinstance(api, str) else None
    return item


def from_object(index: int, obj: Any) -> Item:
    kind = obj.get("kind") if isinstance(obj, dict) else None
    api = obj.get("apiVersion") if isinstance(obj, dict) else None
    return Item(index, kind if isinstance(kind, str) else None,
                api if isinstance(api, str) else None, None, obj)


def is_list_kind(kind: str | None) -> bool:
    """``kind: List`` and the typed lists (``ServiceList`` ...), never a ResourceList."""
    return kind is not None and kind.endswith("List") and kind != "ResourceList"


def objects(items: list[Item], item_wanted: Callable[[Item], bool],
            obj_wanted: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    """Loaded mapping objects: the wanted top-level items, and the wanted children of List
    documents (kube-prometheus-stack renders its objects that way). Unreadable items are
    skipped: they pass through untouched."""
    for item in items:
        is_list = is_list_kind(item.kind)
        if not is_list and not item_wanted(item):
            continue
        try:
            obj = item.obj()
        except LoadError:
            continue
        if not isinstance(obj, dict):
            continue
        children = obj.get("items") if is_list else [obj]
        for child in children if isinstance(children, list) else []:
            if isinstance(child, dict) and obj_wanted(child):
                yield child
