"""KRM Functions Specification (v1) envelope: ResourceList in, ResourceList out.

Used by kustomize exec/container KRM functions and kpt (``kpt fn eval --exec gwshift``,
``kpt fn render``). The regular shape kpt and kustomize write is spliced as text
(``krm_splice``: untouched items, comments included, are copied byte for byte and never
parsed); any other shape is loaded with ruamel round-trip (through yamlio) so that untouched
items keep their comments, key order and quoting. Both paths share the rules below.

* ``functionConfig`` (``gwshift.dev/v1alpha1 IngressToGateway`` with ``spec``, or a ``v1
  ConfigMap`` with ``data``) is overlaid on the CLI/environment settings (config.py). An
  invalid functionConfig gives an ``error`` result and exit 1; the items are written back
  unchanged.
* Items are converted on plain copies with ``core.convert_objects``. A replaced item's
  objects take its position, in the order the core returns them.
* Reserved annotations (``internal.config.kubernetes.io/*``, legacy ``config.kubernetes.io/
  path|index``, ``config.k8s.io/id``):
  - untouched items keep them as they are;
  - the successor of a replaced item (the Ingress itself when it is kept, otherwise the route
    named like it, otherwise the first route, otherwise the first object) inherits the
    item's path, index, id and seqindent, so orchestrators map it back to the same file
    position and copy comments by id;
  - every other generated object gets the item's path (and seqindent) with a fresh index after
    the last one used in that file, so kpt writes it into the same file; it gets no id, and
    no index when the item had no path (kustomize): index and id are never duplicated;
  - kustomize's build bookkeeping (``previousNames/Kinds/Namespaces``, ``prefixes``,
    ``suffixes``), ``kustomize.config.k8s.io/id`` and ``config.kubernetes.io/local-config``
    never reach generated objects (the ``previous*`` copy defeats a user's nameReference, and
    kustomize drops any output object marked local-config).
* ``results`` (message, severity, resourceRef, field.path, file.path/index, tags.code) are
  appended after any results already present, sorted by item index, object, field, code.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from gwshift import yamlio
from gwshift.config import ConfigError, settings_from_function_config
from gwshift.errors import FatalError
from gwshift.notes import Note, ObjRef, Severity
from gwshift.settings import Settings

RL_API_VERSIONS = ("config.kubernetes.io/v1", "config.kubernetes.io/v1beta1")
RL_API_VERSION = "config.kubernetes.io/v1"

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


def resource_list_pieces(text: str, settings: Settings) -> tuple[list[str], tuple[Note, ...]]:
    """Output pieces and notes for one ResourceList: spliced when regular, else round-trip."""
    from gwshift import krm_splice

    spliced = krm_splice.splice(text, settings)
    if spliced is not None:
        return spliced
    out = _round_trip(text, settings)
    return [out.text], out.notes


def transform_resource_list(text: str, settings: Settings) -> Any:
    """Convert the Ingress items of one ResourceList; returns ``core.Outcome``."""
    from gwshift.core import Outcome

    pieces, notes = resource_list_pieces(text, settings)
    return Outcome("".join(pieces), notes)


def config_error_note(exc: ConfigError, plain_fc: Any) -> Note:
    return Note("config/invalid", Severity.ERROR, _strip_prog(str(exc)), _ref(plain_fc),
                _fc_field(exc.field))


def strict_notes(plan_notes: Iterable[Note], effective: Settings, settings: Settings,
                 plain_fc: Any) -> list[Note]:
    """``strict`` set in functionConfig only: warnings count as errors, said once."""
    if not effective.strict or settings.strict:
        return []
    warnings = sum(1 for n in plan_notes if n.severity == Severity.WARNING)
    if not warnings:
        return []
    return [Note("config/strict", Severity.ERROR, f"strict is set in functionConfig: {warnings} "
                 "warning(s) above count as errors", _ref(plain_fc), "spec.strict")]


def _round_trip(text: str, settings: Settings) -> Any:
    from gwshift.core import Outcome, convert_objects

    rl = _load(text)
    items = rl.get("items")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise FatalError("gwshift: ResourceList.items must be a list")
    fc = rl.get("functionConfig")
    plain_fc = yamlio.rt_to_plain(fc) if fc is not None else None

    notes: list[Note] = []
    try:
        effective = settings_from_function_config(plain_fc, settings)
    except ConfigError as exc:
        notes.append(config_error_note(exc, plain_fc))
        return Outcome(_finish(rl, items, notes, {}), tuple(notes))

    plain_items = [yamlio.rt_to_plain(i) for i in items]
    plan = convert_objects(copy.deepcopy(plain_items), effective)
    notes.extend(plan.notes)
    notes.extend(strict_notes(plan.notes, effective, settings, plain_fc))

    next_index = next_indexes(_file_of(item) for item in items)
    new_items = _CommentedSeq() if type(items) is not list else []
    for i, item in enumerate(items):
        reps = plan.replacements.get(i)
        if reps is None or not isinstance(item, dict):
            _append(new_items, items, i, item)
            continue
        for obj in _place(item, plain_items[i], reps, next_index):
            new_items.append(obj)
    file_info = {i: _file_of(item) for i, item in enumerate(items) if isinstance(item, dict)}
    return Outcome(_finish(rl, new_items, notes, file_info), tuple(notes))


# --- loading / writing -----------------------------------------------------------------------


def _load(text: str) -> Any:
    try:
        rl = yamlio.rt_load(text)
    except Exception as exc:  # noqa: BLE001 - ruamel raises many types; all mean "not YAML"
        raise FatalError(f"gwshift: the ResourceList is not valid YAML: "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if not isinstance(rl, dict) or rl.get("kind") != "ResourceList":
        raise FatalError("gwshift: KRM mode expects one ResourceList object on stdin "
                         "(apiVersion: config.kubernetes.io/v1, kind: ResourceList)")
    api = rl.get("apiVersion")
    if api not in RL_API_VERSIONS:
        raise FatalError(f"gwshift: unsupported ResourceList apiVersion {api!r} "
                         f"(expected {' or '.join(RL_API_VERSIONS)})")
    return rl


def _CommentedSeq() -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


def _append(new_items: Any, old_items: Any, old_index: int, item: Any) -> None:
    """Append an untouched item, carrying the comment attached to its sequence slot."""
    new_items.append(item)
    ca = getattr(old_items, "ca", None)
    if ca is not None and old_index in ca.items:
        new_items.ca.items[len(new_items) - 1] = ca.items[old_index]


def _finish(rl: Any, items: Any, notes: list[Note], file_info: dict[int, dict[str, Any]]) -> str:
    if "items" in rl or type(rl) is dict:
        rl["items"] = items
    else:
        rl.insert(min(2, len(rl)), "items", items)
    results = [_result(n, file_info) for n in sorted(notes, key=_note_order)]
    if results:
        existing = rl.get("results")
        if isinstance(existing, list):
            existing.extend(results)
        else:
            rl["results"] = results
    return yamlio.rt_dump(rl)


def _note_order(n: Note) -> tuple[Any, ...]:
    return (*n.sort_key(), -int(n.severity))


def _strip_prog(message: str) -> str:
    return message.removeprefix("gwshift: ")


def _fc_field(field: str) -> str:
    return f"functionConfig.{field}" if field else "functionConfig"


def _ref(obj: Any) -> ObjRef | None:
    if not isinstance(obj, dict):
        return None
    meta = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    return ObjRef(str(obj.get("kind") or ""), meta.get("namespace"), meta.get("name"),
                  str(obj.get("apiVersion") or ""))


# --- results -------------------------------------------------------------------------------


def _result(n: Note, file_info: dict[int, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"message": n.message, "severity": n.severity.label}
    if n.obj is not None:
        ref: dict[str, Any] = {}
        if n.obj.api_version:
            ref["apiVersion"] = n.obj.api_version
        elif n.obj.kind == "Ingress":
            ref["apiVersion"] = "networking.k8s.io/v1"
        if n.obj.kind:
            ref["kind"] = n.obj.kind
        if n.obj.name:
            ref["name"] = n.obj.name
        if n.obj.namespace:
            ref["namespace"] = n.obj.namespace
        if ref:
            out["resourceRef"] = ref
    if n.field:
        out["field"] = {"path": n.field}
    info = file_info.get(n.doc) if n.doc is not None else None
    if info:
        out["file"] = info
    out["tags"] = {"code": n.code}
    return out


def _file_of(item: Any) -> dict[str, Any]:
    return file_info(_annotations(item))


def file_info(ann: dict[str, Any]) -> dict[str, Any]:
    """``file`` of a result from an item's path/index annotations (internal ones first)."""
    path = next((ann[k] for k in PATH_KEYS if isinstance(ann.get(k), str)), None)
    if path is None:
        return {}
    info: dict[str, Any] = {"path": str(path)}
    index = next((ann[k] for k in INDEX_KEYS if ann.get(k) is not None), None)
    try:
        if index is not None:
            info["index"] = int(str(index))
    except ValueError:
        pass
    return info


# --- placing generated objects -----------------------------------------------------------------


def _annotations(obj: Any) -> dict[str, Any]:
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    return ann if isinstance(ann, dict) else {}


def _identity(obj: Any) -> tuple[Any, ...]:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return (obj.get("apiVersion"), obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _successor(item_plain: dict[str, Any], reps: list[dict[str, Any]]) -> int | None:
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


def next_indexes(infos: Iterable[dict[str, Any]]) -> dict[str, int]:
    """For each file path, the first index no item of that file uses."""
    out: dict[str, int] = {}
    for info in infos:
        if info:
            out[info["path"]] = max(out.get(info["path"], 0), info.get("index", -1) + 1)
    return out


def _place(item: Any, item_plain: dict[str, Any], reps: list[dict[str, Any]],
           next_index: dict[str, int]) -> list[Any]:
    """The objects replacing ``item``, with reserved annotations settled."""
    src_ann = _annotations(item_plain)
    path = _file_of(item_plain).get("path")
    succ = _successor(item_plain, reps)
    out: list[Any] = []
    for j, obj in enumerate(reps):
        if not isinstance(obj, dict):
            out.append(obj)
            continue
        if j == succ and _identity(obj) == _identity(item_plain):
            # The item itself (kept Ingress, possibly modified): update the round-trip
            # object in place so its comments survive; its annotations stay as they were.
            for key in SUCCESSOR_KEYS:
                if key in src_ann:
                    obj.setdefault("metadata", {}).setdefault("annotations", {})[key] = src_ann[key]
            out.append(_merge_into(item, obj))
            continue
        new = copy.deepcopy(obj)
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


def _settle_annotations(obj: dict[str, Any], src_ann: dict[str, Any], keys: Iterable[str]) -> None:
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


def _merge_into(target: Any, new: Any) -> Any:
    """Make round-trip ``target`` equal to plain ``new``, touching only what differs."""
    if isinstance(target, dict) and isinstance(new, dict):
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, value in new.items():
            if key in target:
                target[key] = _merge_into(target[key], value)
            else:
                target[key] = value
        return target
    if isinstance(target, list) and isinstance(new, list) and len(target) == len(new):
        for idx, value in enumerate(new):
            target[idx] = _merge_into(target[idx], value)
        return target
    if yamlio.rt_to_plain(target) == new:
        return target
    return new


# --- kustomize legacy exec plugin ---------------------------------------------------------------


def legacy_plugin_main(argv: list[str] | None = None) -> int:
    """Entry point of the kustomize legacy exec transformer plugin.

    ``argv[0]`` is the plugin config file kustomize writes (the IngressToGateway object);
    the rest are ``argsOneLiner`` / ``argsFromFile`` arguments, passed to the CLI after the
    flags derived from the config's ``spec`` (so they win). stdin/stdout are plain streams.
    """
    import os
    import sys

    from gwshift.cli import main

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or not os.path.isfile(args[0]):
        sys.stderr.write("gwshift: kustomize plugin: expected the plugin config file as the "
                         "first argument (run by kustomize --enable-alpha-plugins)\n")
        return 2
    config_path, rest = args[0], args[1:]
    from gwshift.config import function_config_argv

    try:
        with open(config_path, encoding="utf-8") as fh:
            fc = yamlio.load(fh.read())
        flags = function_config_argv(fc)
    except ConfigError as exc:
        sys.stderr.write(f"gwshift: kustomize plugin config {config_path}: {_strip_prog(str(exc))}\n")
        return 1
    except (OSError, yamlio.YAMLError) as exc:
        sys.stderr.write(f"gwshift: cannot read kustomize plugin config {config_path}: {exc}\n")
        return 1
    return main([*flags, *rest, "--mode=stream"])
