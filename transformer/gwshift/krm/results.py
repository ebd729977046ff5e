"""What both KRM paths (splice and round trip) share: functionConfig → effective settings or
a ``config/invalid`` result, ``strict`` from functionConfig, results, file info, and the
placement of generated objects (reserved annotations settled).

Reserved annotations (``internal.config.kubernetes.io/*``, legacy ``config.kubernetes.io/
path|index``, ``config.k8s.io/id``):

* untouched items keep them as they are;
* the successor of a replaced item (the Ingress itself when it is kept, otherwise the route
  named like it, otherwise the first route, otherwise the first object) inherits the item's
  path, index, id and seqindent, so orchestrators map it back to the same file position and
  copy comments by id;
* every other generated object gets the item's path (and seqindent) with a fresh index after
  the last one used in that file, so kpt writes it into the same file; it gets no id, and no
  index when the item had no path (kustomize): index and id are never duplicated;
* kustomize's build bookkeeping (``previousNames/Kinds/Namespaces``, ``prefixes``,
  ``suffixes``), ``kustomize.config.k8s.io/id`` and ``config.kubernetes.io/local-config``
  never reach generated objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from gwshift.config import settings_from_function_config
from gwshift.notes import Note, ObjRef, Severity
from gwshift.settings import ConfigError, Settings

RL_API_VERSIONS = ("config.kubernetes.io/v1", "config.kubernetes.io/v1beta1")
INTERNAL = "internal.config.kubernetes.io/"
PATH_KEYS = (INTERNAL + "path", "config.kubernetes.io/path")
INDEX_KEYS = (INTERNAL + "index", "config.kubernetes.io/index")
ID_KEYS = (INTERNAL + "id", "config.k8s.io/id")
SEQINDENT_KEYS = (INTERNAL + "seqindent",)
SUCCESSOR_KEYS = PATH_KEYS + INDEX_KEYS + ID_KEYS + SEQINDENT_KEYS
# Never on generated objects (beyond what is re-added above).
DROPPED_EXACT = frozenset({
    "config.kubernetes.io/path", "config.kubernetes.io/index", "config.k8s.io/id",
    "config.kubernetes.io/local-config", "config.kubernetes.io/function",
    "kustomize.config.k8s.io/id", "kustomize.config.k8s.io/needs-hash",
    "kustomize.config.k8s.io/behavior",
})
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
FileInfo = dict[str, Any]


class Effective(NamedTuple):
    settings: Settings | None  # None: the functionConfig is invalid (items pass unchanged)
    notes: list[Note]


def effective_settings(plain_fc: Any, settings: Settings) -> Effective:
    """The functionConfig overlaid on the CLI/env settings, or a ``config/invalid`` note."""
    try:
        return Effective(settings_from_function_config(plain_fc, settings), [])
    except ConfigError as exc:
        return Effective(None, [Note("config/invalid", Severity.ERROR,
                                     str(exc).removeprefix("gwshift: "), ref(plain_fc),
                                     f"functionConfig.{exc.field}" if exc.field
                                     else "functionConfig")])


def strict_notes(plan_notes: Iterable[Note], effective: Settings, settings: Settings,
                 plain_fc: Any) -> list[Note]:
    """``strict`` set in functionConfig only: warnings count as errors, said once."""
    if not effective.strict or settings.strict:
        return []
    warnings = sum(1 for n in plan_notes if n.severity == Severity.WARNING)
    if not warnings:
        return []
    return [Note("config/strict", Severity.ERROR, f"strict is set in functionConfig: {warnings} "
                 "warning(s) above count as errors", ref(plain_fc), "spec.strict")]


def ref(obj: Any) -> ObjRef | None:
    if not isinstance(obj, dict):
        return None
    meta = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    return ObjRef(str(obj.get("kind") or ""), meta.get("namespace"), meta.get("name"),
                  str(obj.get("apiVersion") or ""))


def note_order(n: Note) -> tuple[Any, ...]:
    return (*n.sort_key(), -int(n.severity))


def results(notes: Iterable[Note], files: Mapping[int, FileInfo]) -> list[dict[str, Any]]:
    """KRM ``results`` entries, in a stable order (rendered by gwshift.report)."""
    from gwshift.report import krm_result

    return [krm_result(n, files.get(n.doc) if n.doc is not None else None)
            for n in sorted(notes, key=note_order)]


def file_info(ann: Mapping[str, Any]) -> FileInfo:
    """``file`` of a result from an item's path/index annotations (internal ones first)."""
    path = next((ann[k] for k in PATH_KEYS if isinstance(ann.get(k), str)), None)
    if path is None:
        return {}
    info: FileInfo = {"path": str(path)}
    index = next((ann[k] for k in INDEX_KEYS if ann.get(k) is not None), None)
    text = str(index) if index is not None else ""
    if text.isascii() and text.isdigit() and len(text) <= 9:
        info["index"] = int(text)
    return info


def annotations_of(obj: Any) -> dict[str, Any]:
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    return ann if isinstance(ann, dict) else {}


def file_of(item: Any) -> FileInfo:
    return file_info(annotations_of(item))


def next_indexes(infos: Iterable[FileInfo]) -> dict[str, int]:
    """For each file path, the first index no item of that file uses."""
    out: dict[str, int] = {}
    for info in infos:
        if info:
            out[info["path"]] = max(out.get(info["path"], 0), info.get("index", -1) + 1)
    return out


def _identity(obj: Any) -> tuple[Any, ...]:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return (obj.get("apiVersion"), obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _successor(item_plain: dict[str, Any], reps: list[Any]) -> int | None:
    if not reps:
        return None
    same = [j for j, o in enumerate(reps) if isinstance(o, dict) and
            _identity(o) == _identity(item_plain)]
    if same:
        return same[0]
    name = (item_plain.get("metadata") or {}).get("name")
    routes = [j for j, o in enumerate(reps) if isinstance(o, dict) and o.get("kind") in ROUTE_KINDS]
    for j in routes:
        if (reps[j].get("metadata") or {}).get("name") == name:
            return j
    return routes[0] if routes else 0


def place(item: Any, item_plain: dict[str, Any], reps: list[Any], next_index: dict[str, int],
          merge: Callable[[Any, Any], Any] | None = None) -> list[Any]:
    """The objects replacing ``item``, with reserved annotations settled.

    ``merge(item, obj)`` updates the original (round-trip) item in place when it is kept
    (its comments survive); by default the plain object replaces it.
    """
    src_ann = annotations_of(item_plain)
    path = file_of(item_plain).get("path")
    succ = _successor(item_plain, reps)
    out: list[Any] = []
    for j, obj in enumerate(reps):
        if not isinstance(obj, dict):
            out.append(obj)
            continue
        if j == succ and _identity(obj) == _identity(item_plain):
            # The item itself (kept Ingress, possibly modified): its annotations stay.
            for key in SUCCESSOR_KEYS:
                if key in src_ann:
                    obj.setdefault("metadata", {}).setdefault("annotations", {})[key] = src_ann[key]
            out.append(merge(item, obj) if merge is not None else obj)
            continue
        # A copy whose metadata (and annotations, replaced below) may change: the values are
        # only read, so the rest is shared (a deep copy of every object cost time and a
        # second copy of each at once).
        new = dict(obj)
        if isinstance(new.get("metadata"), dict):
            new["metadata"] = dict(new["metadata"])
        if j == succ:
            _settle_annotations(new, src_ann, SUCCESSOR_KEYS)
        else:
            extra = {k: src_ann[k] for k in PATH_KEYS + SEQINDENT_KEYS if k in src_ann}
            if path is not None:  # a fresh index in the same file, never a duplicate
                index = next_index.get(path, 0)
                next_index[path] = index + 1
                extra.update({k: str(index) for k in INDEX_KEYS if k in src_ann})
            _settle_annotations(new, extra, extra)
        out.append(new)
    return out


def _settle_annotations(obj: dict[str, Any], src_ann: Mapping[str, Any],
                        keys: Iterable[str]) -> None:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    old = meta["annotations"] if isinstance(meta.get("annotations"), dict) else {}
    ann = {k: v for k, v in old.items()
           if not k.startswith(INTERNAL) and k not in DROPPED_EXACT}
    for key in keys:
        if key in src_ann:
            ann[key] = str(src_ann[key])
    if ann:
        meta["annotations"] = ann
    else:
        meta.pop("annotations", None)
