"""Access to the CRD schema bundles shipped in ``gwshift/data/gateway-api-v<version>/``.

A bundle holds, per channel, the openAPIV3Schema of every served (group, version, kind);
``scripts/build_validation_bundle.py`` writes them. Loading is cached: a process reads each
bundle file at most once.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, NamedTuple

CHANNELS = ("standard", "experimental")
_DIR_RE = re.compile(r"^gateway-api-v(\d+\.\d+\.\d+)$")


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
