"""Access to the CRD schema bundles shipped in ``gwshift/data/``.

* ``gateway-api-v<version>/<channel>.json``: per Gateway API release and channel, the
  openAPIV3Schema of every served (group, version, kind).
* ``<project>-v<version>/crds.json``: the implementations' own CRDs (Envoy Gateway, NGINX
  Gateway Fabric, Traefik, Kong, Istio, GKE, AWS), one bundle per project release; an API
  group belongs to exactly one of them.

``scripts/build_validation_bundle.py`` writes both. Loading is cached: a process reads each
bundle file at most once, and the implementation bundles only when an object of a
non-Gateway-API group is looked at.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, NamedTuple

CHANNELS = ("standard", "experimental")
_DIR_RE = re.compile(r"^gateway-api-v(\d+\.\d+\.\d+)$")
TARGET_FILE = "crds.json"


class Served(NamedTuple):
    """One served version of one kind."""

    group: str
    version: str
    kind: str
    scope: str  # "Namespaced" | "Cluster"
    schema: dict[str, Any]


def _data_root() -> Any:
    return resources.files("gwshift") / "data"


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


@functools.cache
def available_versions() -> list[str]:
    """Gateway API releases with a bundle, oldest first."""
    found = [m.group(1) for entry in _data_root().iterdir() if (m := _DIR_RE.match(entry.name))]
    return sorted(found, key=_version_key)


@functools.cache
def load(version: str, channel: str) -> dict[tuple[str, str], dict[str, Any]]:
    """{(group, kind): crd entry} of one channel of one release."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (expected one of {', '.join(CHANNELS)})")
    if version not in available_versions():
        raise ValueError(
            f"no bundle for Gateway API v{version} (available: {', '.join(available_versions())})"
        )
    path = _data_root() / f"gateway-api-v{version}" / f"{channel}.json"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    return {(c["group"], c["kind"]): c for c in bundle["crds"]}


def groups(version: str, channel: str) -> frozenset[str]:
    return frozenset(group for group, _ in load(version, channel))


def lookup(version: str, channel: str, group: str, api_version: str, kind: str) -> Served | str:
    """The served schema, or the reason why (group, api_version, kind) is not served."""
    where = f"the {channel} channel of Gateway API v{version}"
    crd = load(version, channel).get((group, kind))
    if crd is None:
        return f"kind {kind} of group {group} is not served by {where}"
    for v in crd["versions"]:
        if v["name"] == api_version:
            return Served(group, api_version, kind, crd["scope"], v["schema"])
    served = ", ".join(v["name"] for v in crd["versions"])
    return f"{group}/{api_version} {kind} is not served by {where} (served versions: {served})"


# --- implementation CRDs ------------------------------------------------------------------------


class TargetCRD(NamedTuple):
    project: str  # bundle directory, e.g. "envoy-gateway-v1.9.0"
    crd: dict[str, Any]


@functools.cache
def target_crds() -> dict[tuple[str, str], TargetCRD]:
    """{(group, kind): CRD} of every implementation bundle."""
    out: dict[tuple[str, str], TargetCRD] = {}
    for entry in sorted(_data_root().iterdir(), key=lambda e: e.name):
        path = entry / TARGET_FILE
        if not path.is_file():
            continue
        bundle = json.loads(path.read_text(encoding="utf-8"))
        for crd in bundle["crds"]:
            key = (crd["group"], crd["kind"])
            if key in out:  # two projects defining one kind: the bundles are inconsistent
                raise RuntimeError(f"{key} is in both {out[key].project} and {entry.name}")
            out[key] = TargetCRD(entry.name, crd)
    return out


@functools.cache
def target_groups() -> dict[str, str]:
    """{API group: bundle directory} of the implementation bundles."""
    return {group: t.project for (group, _), t in target_crds().items()}


def lookup_target(group: str, api_version: str, kind: str) -> Served | str:
    """The served schema of an implementation kind, or why it is not served."""
    project = target_groups().get(group)
    where = f"the bundled CRDs of {project}"
    found = target_crds().get((group, kind))
    if found is None:
        kinds = sorted(k for (g, k) in target_crds() if g == group)
        return f"kind {kind} of group {group} is not in {where} (kinds: {', '.join(kinds)})"
    versions = {v["name"]: v for v in found.crd["versions"]}
    v = versions.get(api_version)
    if v is None:
        served = ", ".join(versions)
        return f"{group}/{api_version} {kind} is not served by {where} (served versions: {served})"
    schema = versions[v["sameAs"]]["schema"] if "sameAs" in v else v["schema"]
    return Served(group, api_version, kind, found.crd["scope"], schema)
