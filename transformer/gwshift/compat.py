"""``--gateway-api-version``: emit only what the chosen Gateway API release serves.

Generated objects are checked against :mod:`gwshift.gwapi_versions` (the feature matrix of
releases 1.2 ... 1.6, per channel). For each part a release/channel does not serve, the
:data:`FEATURES` table decides what stays faithful:

* ``downgrade``: the kind is served at an older apiVersion whose schema accepts every valid
  object of the newer one (TLSRoute/TCPRoute/UDPRoute v1alpha2, BackendTLSPolicy v1alpha3,
  ReferenceGrant v1beta1): the apiVersion changes, an info note says so.
* ``rename``: the field moved between releases without changing meaning (Gateway
  ``spec.tls.backend`` was ``spec.backendTLS`` in 1.2/1.3 experimental).
* ``drop``: an optional field whose absence keeps the behaviour (a rule ``name`` nothing
  targets: info) or approximates it (a mirror fraction: warning) is removed.
* ``block``: the field or kind carries routing or security meaning the release cannot
  express (CORS before it was standard, ExternalAuth, ListenerSet before 1.5...): the source
  is kept with an error note (fail closed), through the planner's re-plan path.

Anything the table does not know blocks: a new matrix row never slips through unreviewed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from gwshift import gwapi_versions as gv
from gwshift.notes import Note, ObjRef, error, info, warning

if TYPE_CHECKING:
    from gwshift.model import Conversion
    from gwshift.settings import Settings

Obj = dict[str, Any]
Action = Literal["drop", "warn-drop", "rename", "block"]

# Older apiVersions to fall back to, newest first. Each accepts every valid object of the
# newer version (the v1.6.1 bundle: BackendTLSPolicy v1alpha3, TLSRoute v1alpha3 and
# ReferenceGrant/Gateway/HTTPRoute v1beta1 have the same spec schema as v1; TLSRoute,
# TCPRoute and UDPRoute v1alpha2 only lack v1's extra limits - tests/test_compat.py checks).
DOWNGRADES: dict[str, tuple[str, ...]] = {
    "TLSRoute": ("v1", "v1alpha3", "v1alpha2"),
    "TCPRoute": ("v1", "v1alpha2"),
    "UDPRoute": ("v1", "v1alpha2"),
    "BackendTLSPolicy": ("v1", "v1alpha3"),
    "ReferenceGrant": ("v1", "v1beta1"),
    "GRPCRoute": ("v1",),
    "Gateway": ("v1", "v1beta1"),
    "HTTPRoute": ("v1", "v1beta1"),
}


class Treatment(NamedTuple):
    action: Action
    why: str  # what differs (drop) or what would be lost (block)
    rename_to: str = ""  # rename: the old field path, relative to the object


# Matrix row (gwapi_versions.Feature.name) -> what to do when a release lacks it.
FEATURES: dict[str, Treatment] = {
    "HTTPRoute .spec.rules[].name": Treatment(
        "drop", "rule names only identify rules; nothing targets this one"),
    "HTTPRoute requestMirror.percent": Treatment(
        "warn-drop", "every request is mirrored instead of a share of them"),
    "HTTPRoute requestMirror.fraction": Treatment(
        "warn-drop", "every request is mirrored instead of a share of them"),
    "HTTPRoute retry": Treatment("warn-drop", "failed requests are not retried"),
    "HTTPRoute sessionPersistence": Treatment(
        "warn-drop", "requests of one client are no longer pinned to one backend"),
    "HTTPRoute .spec.rules[].timeouts": Treatment(
        "warn-drop", "the implementation's default timeouts apply"),
    "HTTPRoute cors filter": Treatment(
        "block", "the CORS filter answers preflight requests and sets the CORS headers"),
    "HTTPRoute externalAuth filter": Treatment(
        "block", "the ExternalAuth filter is an access control"),
    "Gateway spec.tls.backend.clientCertificateRef": Treatment(
        "rename", "the client certificate presented to backends", "spec.backendTLS"),
}

_RULE_NAME = "HTTPRoute .spec.rules[].name"
_ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")


class Finding(NamedTuple):
    """One adaptation of one generated object."""

    obj: ObjRef  # the generated object
    field: str
    code: str
    severity: Literal["info", "warning", "error"]
    message: str


def _ref(obj: Obj) -> ObjRef:
    meta = obj.get("metadata") or {}
    return ObjRef(str(obj.get("kind", "")), meta.get("namespace"), str(meta.get("name", "")),
                  str(obj.get("apiVersion", "")))


def _label(settings: Settings) -> str:
    return f"Gateway API {settings.gateway_api_version} ({settings.channel} channel)"


def _since(since: str | None, channel: str) -> str:
    return (f"served from {since} on the {channel} channel" if since
            else f"not served by any release on the {channel} channel")


@lru_cache(maxsize=256)
def _served(kind: str, api_version: str, version: str, channel: str) -> bool:
    return gv.served(kind, api_version, version, channel)


@lru_cache(maxsize=16)
def _rule_names_served(version: str, channel: str) -> bool:
    return gv.feature_served(_RULE_NAME, version, channel)


def _rule_names_since(version: str, channel: str) -> str | None:
    later = gv.VERSIONS[gv.VERSIONS.index(version) + 1:] if version in gv.VERSIONS else ()
    return next((v for v in later if gv.feature_served(_RULE_NAME, v, channel)), None)


def _group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def needed(settings: Settings) -> bool:
    """Whether adapting can change anything (the newest release is what emit writes)."""
    return settings.gateway_api_version != gv.VERSIONS[-1]


# --- one object ---------------------------------------------------------------------------


_INDEX = re.compile(r"\[(\d+)\]")


def _split(path: str) -> list[str | int]:
    """``spec.rules[0].name`` -> ["spec", "rules", 0, "name"]."""
    out: list[str | int] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name:
            out.append(name)
        out.extend(int(i) for i in _INDEX.findall("[" + rest if rest else ""))
    return out


def _pop(obj: Any, path: str) -> Any:
    steps = _split(path)
    parent = obj
    for step in steps[:-1]:
        parent = parent[step]
    last = steps[-1]
    if isinstance(parent, list):
        assert isinstance(last, int)
        return parent.pop(last)
    return parent.pop(last)


def _targeted_sections(others: list[Obj]) -> set[tuple[str, str, str]]:
    """(kind, name, sectionName) that other objects' targetRefs/parentRefs point at."""
    out: set[tuple[str, str, str]] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("sectionName"), str) and isinstance(value.get("name"), str):
                out.add((str(value.get("kind", "")), value["name"], value["sectionName"]))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for obj in others:
        walk(obj.get("spec"))
    return out


def adapt_object(obj: Obj, settings: Settings,
                 targeted: set[tuple[str, str, str]] = frozenset()  # type: ignore[assignment]
                 ) -> tuple[Obj | None, list[Finding]]:
    """``obj`` as the chosen release serves it (a copy when changed), or None when it cannot
    be served faithfully; the findings say what changed or why not."""
    version, channel = settings.gateway_api_version, settings.channel
    api, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
    if _group_of(api) not in (gv.GROUP, gv.X_GROUP):
        return obj, []
    findings: list[Finding] = []
    ref = _ref(obj)
    label = _label(settings)
    if not _served(kind, api, version, channel):
        older = next((f"{gv.GROUP}/{v}" for v in DOWNGRADES.get(kind, ())
                      if _group_of(api) == gv.GROUP
                      and _served(kind, f"{gv.GROUP}/{v}", version, channel)), None)
        if older is None:
            since = next((u.since for u in gv.unserved(obj, version, channel)), None)
            return None, [Finding(ref, "apiVersion", "compat/unserved-kind", "error",
                                  f"{label} does not serve {kind} {api} ({_since(since, channel)})")]
        obj = {**obj, "apiVersion": older}
        findings.append(Finding(ref, "apiVersion", "compat/api-version-downgraded", "info",
                                f"{kind} written as {older}: {label} does not serve {api}; "
                                "the older version has the same fields"))
    problems = gv.unserved(obj, version, channel)
    if kind in _ROUTE_KINDS and kind != "HTTPRoute" and not _rule_names_served(version, channel):
        # The matrix has an HTTPRoute row only; GEP-995 named the rules of every route kind
        # in the same release.
        problems += [gv.Unserved(p, _RULE_NAME, _rule_names_since(version, channel))
                     for p in gv.find(obj, "spec.rules[*].name")]
    if not problems:
        return obj, findings
    import copy  # only when a field must change

    obj = copy.deepcopy(obj)
    # Remove from the deepest / last path first so list indexes stay valid.
    for u in sorted(problems, key=lambda u: [str(s).zfill(8) for s in _split(u.field)], reverse=True):
        treat = FEATURES.get(u.feature, Treatment("block", "it changes routing"))
        where = _since(u.since, channel)
        if u.feature == _RULE_NAME:
            rule = _get(obj, u.field)
            if (kind, ref.name, str(rule)) in targeted:
                return None, [Finding(ref, u.field, "compat/unserved-field", "error",
                                      f"rule name {rule!r} is targeted by a policy, but {label} "
                                      f"has no rule names ({where})")]
        if treat.action == "block":
            return None, [Finding(ref, u.field, "compat/unserved-field", "error",
                                  f"{u.field} ({u.feature}) cannot be written: {label} does not "
                                  f"serve it ({where}); {treat.why}")]
        if treat.action == "rename":
            value = _pop(obj, u.field)
            # Only the version that still has the old name gets it; else fail closed.
            old = {"spec": {"backendTLS": {"clientCertificateRef": value}}}
            spec = obj.setdefault("spec", {})
            spec.setdefault("backendTLS", {}).update(old["spec"]["backendTLS"])
            tls = spec.get("tls")
            if isinstance(tls, dict) and tls.get("backend") == {}:
                tls.pop("backend")
                if not tls:
                    spec.pop("tls")
            if gv.unserved(obj, version, channel):
                return None, [Finding(ref, u.field, "compat/unserved-field", "error",
                                      f"{u.field} cannot be written: {label} serves neither it "
                                      f"nor its older name {treat.rename_to}; {treat.why}")]
            findings.append(Finding(ref, u.field, "compat/field-renamed", "info",
                                    f"{u.field} written as {treat.rename_to}.clientCertificateRef, "
                                    f"its name in {label}"))
            continue
        _pop(obj, u.field)
        if treat.action == "drop":
            findings.append(Finding(ref, u.field, "compat/rule-name-dropped", "info",
                                    f"{u.field} left out: {label} does not serve it ({where}); "
                                    f"{treat.why}"))
        else:
            findings.append(Finding(ref, u.field, "compat/field-dropped", "warning",
                                    f"{u.field} ({u.feature}) left out: {label} does not serve "
                                    f"it ({where}); {treat.why}"))
    return obj, findings


def _get(obj: Any, path: str) -> Any:
    value = obj
    for step in _split(path):
        value = value[step]
    return value


# --- many objects -----------------------------------------------------------------------------


def adapt(objs: list[Obj], settings: Settings) -> tuple[list[Obj], list[Finding]]:
    """Every object the release can serve (adapted), and the findings of all. Objects that
    cannot be served are left out: their error findings say why (callers that can keep a
    source use :func:`for_conversion`)."""
    targeted = _targeted_sections(objs)
    out, findings = [], []
    for obj in objs:
        new, found = adapt_object(obj, settings, targeted)
        findings.extend(found)
        if new is not None:
            out.append(new)
    return out, findings


def _note(f: Finding) -> Note:
    make = {"info": info, "warning": warning, "error": error}[f.severity]
    return make(f.code, f"{f.obj.kind}/{f.obj.name}: {f.message}")


# Notes written while emitting that only hold for a converted source: a kept source drops
# them (the planner re-plans without it, and its Gateway notes go to the next source).
EMIT_PHASE_PREFIXES = ("cert-manager/", "external-dns/", "gateway/new-address",
                       "gateway/name-template-shared", "gateway/allowed-listeners-required",
                       "compat/")


def _blocker(conv: Conversion) -> Any:
    def block(found: list[Finding]) -> None:
        conv.notes[:] = [n for n in conv.notes if not n.code.startswith(EMIT_PHASE_PREFIXES)]
        for f in found:
            conv.block(_note(f))
    return block


def for_conversion(conv: Conversion, objs: list[Obj], gateways: list[Obj],
                   settings: Settings) -> list[Obj] | None:
    """The planner's hook: ``objs`` (one source's generated objects) adapted to the release,
    or None when one of them - or a Gateway/ListenerSet serving the source - cannot be served
    faithfully: then the source is blocked (error note) and the planner re-plans."""
    if not needed(settings):
        return objs
    everything = [*gateways, *objs]
    blocked = _blocker(conv)
    targeted = _targeted_sections(everything)
    for gw in gateways:
        new, found = adapt_object(gw, settings, targeted)
        if new is None:
            blocked(found)
            return None
        if new is not gw:  # shared object: adapt in place (idempotent)
            gw.clear()
            gw.update(new)
        for f in found:
            conv.note(_note(f))
    out: list[Obj] = []
    notes: list[Note] = []
    for obj in objs:
        new, found = adapt_object(obj, settings, targeted)
        if new is None:
            blocked(found)
            return None
        notes.extend(_note(f) for f in found)
        out.append(new)
    for n in notes:
        conv.note(n)
    return out
