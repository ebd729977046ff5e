#!/usr/bin/env python3
"""Build the offline validation bundle of one Gateway API release from its CRD YAML.

    python scripts/build_validation_bundle.py                      # v1.6.1 from ../shared
    python scripts/build_validation_bundle.py --version 1.5.1 --source DIR --source-md FILE

Reads ``<source>/{standard,experimental}/*.yaml`` (the release's ``config/crd`` tree) and
writes ``transformer/gwshift/data/gateway-api-v<version>/``:

* ``<channel>.json`` - for every CRD of the channel: group, kind, scope and, per *served*
  version, the ``openAPIV3Schema`` with descriptions removed (they are 90 % of the bytes and
  never affect validation). Unserved versions are left out: the apiserver refuses them.
* ``NOTICE`` - provenance: upstream repository, tag commit, license, sha256 of every source file.

The output is deterministic, so ``tests/validation`` can rebuild it and compare byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "transformer"))

from gwshift import yamlio

CHANNELS = ("standard", "experimental")
BUNDLE_FORMAT = 1
UPSTREAM = "https://github.com/kubernetes-sigs/gateway-api"
DEFAULT_SHARED = REPO.parent / "shared" / "gateway-api"

# Schema keywords whose value is a single sub-schema / a list of sub-schemas / a name->schema map.
_ONE = ("items", "additionalProperties", "not")
_MANY = ("anyOf", "oneOf", "allOf")


def strip_schema(node: Any) -> Any:
    """Copy a structural schema without ``description``; walks schema positions only, so a
    property *named* ``description`` survives."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "description":
            continue
        if key == "properties":
            out[key] = {name: strip_schema(sub) for name, sub in value.items()}
        elif key in _ONE and isinstance(value, dict):
            out[key] = strip_schema(value)
        elif key in _MANY:
            out[key] = [strip_schema(sub) for sub in value]
        else:
            out[key] = value
    return out


def crd_entry(crd: dict[str, Any]) -> dict[str, Any]:
    spec = crd["spec"]
    versions = [
        {
            "name": v["name"],
            "storage": bool(v.get("storage", False)),
            "deprecated": bool(v.get("deprecated", False)),
            "schema": strip_schema(v["schema"]["openAPIV3Schema"]),
        }
        for v in spec["versions"]
        if v.get("served", False)
    ]
    return {
        "group": spec["group"],
        "kind": spec["names"]["kind"],
        "plural": spec["names"]["plural"],
        "scope": spec["scope"],
        "versions": versions,
    }


def load_crds(channel_dir: Path) -> list[dict[str, Any]]:
    crds = []
    for path in sorted(channel_dir.glob("*.yaml")):
        for doc in yamlio.load_all(path.read_text(encoding="utf-8")):
            # The directory also holds a ValidatingAdmissionPolicy and a kustomization:
            # neither describes objects, so only CRDs are taken.
            if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                crds.append(crd_entry(doc))
    return sorted(crds, key=lambda c: (c["group"], c["kind"]))


def channel_bundle(version: str, channel: str, crds: list[dict[str, Any]]) -> str:
    bundle = {
        "format": BUNDLE_FORMAT,
        "gatewayAPIVersion": version,
        "channel": channel,
        "crds": crds,
    }
    return json.dumps(bundle, indent=1, ensure_ascii=False) + "\n"


def sha256_files(source: Path) -> dict[str, str]:
    return {
        f"{p.parent.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for channel in CHANNELS
        for p in sorted((source / channel).glob("*.yaml"))
    }


def parse_source_md(text: str, version: str) -> tuple[str | None, dict[str, str]]:
    """The tag commit and the recorded sha256 list of a SOURCE.md describing ``version``
    (nothing when it describes another release)."""
    m = re.search(r"\*\*v(\d+\.\d+\.\d+)\*\*[^`]*tag commit\s*`([0-9a-f]{40})`", text, re.DOTALL)
    if not m or m.group(1) != version:
        return None, {}
    commit = m.group(2)
    sums = dict(
        (path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})\s+(\S+)$", text, re.MULTILINE)
    )
    return commit, sums


def notice_text(version: str, commit: str | None, sums: dict[str, str]) -> str:
    lines = [
        f"Gateway API v{version} CRD schemas (validation bundle for gwshift)",
        "",
        f"Source: {UPSTREAM}, tag v{version}"
        + (f" (commit {commit})" if commit else "")
        + ", paths config/crd/standard/* and config/crd/experimental/*.",
        "Copyright The Kubernetes Authors.",
        "Licensed under the Apache License, Version 2.0",
        "(https://www.apache.org/licenses/LICENSE-2.0).",
        "",
        "Modifications: only CustomResourceDefinitions are kept; of each CRD the group, kind,",
        "plural, scope and the openAPIV3Schema of every served version, with all `description`",
        "fields removed, re-serialised as JSON by scripts/build_validation_bundle.py.",
        "",
        "sha256 of the source files:",
    ]
    lines += [f"{digest}  {path}" for path, digest in sums.items()]
    return "\n".join(lines) + "\n"


def build(source: Path, version: str, out_root: Path, source_md: Path | None) -> Path:
    commit: str | None = None
    recorded: dict[str, str] = {}
    if source_md is not None and source_md.is_file():
        commit, recorded = parse_source_md(source_md.read_text(encoding="utf-8"), version)
    sums = sha256_files(source)
    # Provenance is only worth something if the bytes are the recorded ones.
    mismatched = [p for p, d in sums.items() if p in recorded and recorded[p] != d]
    if mismatched:
        raise SystemExit(f"sha256 differs from {source_md} for: {', '.join(mismatched)}")
    out = out_root / f"gateway-api-v{version}"
    out.mkdir(parents=True, exist_ok=True)
    for channel in CHANNELS:
        crds = load_crds(source / channel)
        if not crds:
            raise SystemExit(f"no CRDs found in {source / channel}")
        (out / f"{channel}.json").write_text(channel_bundle(version, channel, crds), "utf-8")
    (out / "NOTICE").write_text(notice_text(version, commit, sums), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="1.6.1", help="Gateway API release, e.g. 1.6.1")
    ap.add_argument("--source", type=Path, help="CRD tree with standard/ and experimental/")
    ap.add_argument("--source-md", type=Path, help="SOURCE.md with tag commit and sha256 list")
    ap.add_argument("--out", type=Path, default=REPO / "transformer" / "gwshift" / "data")
    args = ap.parse_args(argv)
    source = args.source or DEFAULT_SHARED / f"crds-v{args.version}"
    source_md = args.source_md or (DEFAULT_SHARED / "SOURCE.md")
    out = build(source, args.version, args.out, source_md)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
