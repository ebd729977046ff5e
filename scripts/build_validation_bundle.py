#!/usr/bin/env python3
"""Build the offline validation bundles: a Gateway API release, or the implementations' CRDs.

    python scripts/build_validation_bundle.py                      # v1.6.1 from ../shared
    python scripts/build_validation_bundle.py --version 1.5.1 --source DIR --source-md FILE
    python scripts/build_validation_bundle.py --targets            # ../shared/target-crds
    python scripts/build_validation_bundle.py --docs               # table in docs/validation.md

Reads ``<source>/{standard,experimental}/*.yaml`` (the release's ``config/crd`` tree) and
writes ``transformer/gwshift/data/gateway-api-v<version>/``:

* ``<channel>.json`` - for every CRD of the channel: group, kind, scope and, per *served*
  version, the ``openAPIV3Schema`` with descriptions removed (they are 90 % of the bytes and
  never affect validation). Unserved versions are left out: the apiserver refuses them.
* ``NOTICE`` - provenance: upstream repository, tag commit, license, sha256 of every source file.

With ``--targets``, every project directory of ``<source>`` (``../shared/target-crds``, one
per implementation release, listed in its ``SOURCE.md``) becomes
``transformer/gwshift/data/<project dir>/``:

* ``crds.json`` - the same entries as above for every CRD of the project (any API group);
  a served version whose schema equals an earlier one of the same CRD is written as
  ``{"name": ..., "sameAs": <earlier version>}`` (Istio and AWS serve 2-3 identical versions).
* ``NOTICE`` - per source file: repository, tag (commit), upstream path and sha256 (the
  first 16 hex digits are checked against ``SOURCE.md``); licence and modifications.
* ``LICENSE`` - the project's licence text (MIT projects carry their own copyright line;
  Apache-2.0 projects get the standard text from ``data/LICENSE-Apache-2.0``).

The output is deterministic, so ``tests/validation`` can rebuild it and compare byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "transformer"))

from gwshift import yamlio

CHANNELS = ("standard", "experimental")
BUNDLE_FORMAT = 1
UPSTREAM = "https://github.com/kubernetes-sigs/gateway-api"
DEFAULT_SHARED = REPO.parent / "shared" / "gateway-api"
DEFAULT_TARGETS = REPO.parent / "shared" / "target-crds"
DATA = REPO / "transformer" / "gwshift" / "data"

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
    listed = re.findall(r"^([0-9a-f]{64})\s+(\S+)$", text, re.MULTILINE)
    sums = {path: digest for digest, path in listed}
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


# --- docs/validation.md: the table of bundled implementation kinds -----------------------------

DOCS = REPO / "docs" / "validation.md"
_BEGIN = "<!-- bundled-crds: generated by scripts/build_validation_bundle.py --docs -->"
_END = "<!-- /bundled-crds -->"


def docs_table() -> str:
    """The Markdown table of every bundled implementation kind, from the package data."""
    from gwshift.validation import bundled_crds

    lines = [
        "| bundle | API group | kind | served versions | CEL rules |",
        "|---|---|---|---|---|",
    ]
    for b in bundled_crds():
        lines.append(
            f"| {b.project} | `{b.group}` | {b.kind} | {', '.join(b.versions)} | {b.cel_rules} |"
        )
    return "\n".join(lines)


def with_docs_table(text: str) -> str:
    """``text`` with the generated table between its markers."""
    head, found, rest = text.partition(_BEGIN)
    _, found_end, tail = rest.partition(_END)
    if not (found and found_end):
        raise SystemExit(f"{DOCS}: markers {_BEGIN!r} ... {_END!r} not found")
    return f"{head}{_BEGIN}\n{docs_table()}\n{_END}{tail}"


# --- implementation CRDs (--targets) -----------------------------------------------------------

TARGET_FORMAT = 1

# Licence texts of the MIT projects, verbatim from each repository's LICENSE file (MIT asks
# that the copyright line and permission notice travel with every copy).
_MIT_TRAEFIK = """The MIT License (MIT)

Copyright (c) 2016-2020 Containous SAS; 2020-2025 Traefik Labs

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""

_MIT_KONG = """MIT License

Copyright (c) 2024 Kong

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

APACHE_TEXT = DATA / "LICENSE-Apache-2.0"


class Project(NamedTuple):
    """One directory of ``target-crds``: what it is and under which licence it is copied."""

    title: str
    licence: str  # SPDX identifier
    licence_text: str | None  # None: the standard Apache-2.0 text


# Every project directory the bundle is built from; a directory missing here is an error,
# so no CRD enters the package without a known licence.
PROJECTS: dict[str, Project] = {
    "aws-load-balancer-controller-v3.5.0": Project(
        "AWS Load Balancer Controller v3.5.0", "Apache-2.0", None
    ),
    "envoy-gateway-v1.9.0": Project("Envoy Gateway v1.9.0", "Apache-2.0", None),
    "gke-gateway-api-v1.4.0": Project("GKE Gateway API v1.4.0", "Apache-2.0", None),
    "istio-api-1.30.3": Project("Istio API 1.30.3", "Apache-2.0", None),
    "kong-configuration-v1.5.3": Project(
        "Kong kubernetes-configuration v1.5.3", "MIT", _MIT_KONG
    ),
    "nginx-gateway-fabric-v2.6.7": Project("NGINX Gateway Fabric v2.6.7", "Apache-2.0", None),
    "traefik-v3.7.9": Project("Traefik v3.7.9", "MIT", _MIT_TRAEFIK),
}


class SourceRow(NamedTuple):
    """One row of ``target-crds/SOURCE.md``."""

    file: str  # <project dir>/<file name>
    repository: str
    tag: str  # "v1.9.0 (39763b1c07)"
    path: str
    sha256_prefix: str


_ROW_RE = re.compile(
    r"^\|\s*([^|`\s]+\.yaml)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|"
    r"\s*([0-9a-f]{16})\s*\|$",
    re.MULTILINE,
)


def parse_target_source_md(text: str) -> dict[str, SourceRow]:
    return {m.group(1): SourceRow(*m.groups()) for m in _ROW_RE.finditer(text)}


def dedupe_versions(entry: dict[str, Any]) -> dict[str, Any]:
    """Write a served version whose schema repeats an earlier one as ``sameAs`` it."""
    kept: list[dict[str, Any]] = []
    for v in entry["versions"]:
        same = next((k["name"] for k in kept if "schema" in k and k["schema"] == v["schema"]), None)
        kept.append(
            {key: val for key, val in v.items() if key != "schema"} | {"sameAs": same}
            if same
            else v
        )
    return entry | {"versions": kept}


def target_bundle(project_dir: str, crds: list[dict[str, Any]]) -> str:
    bundle = {"format": TARGET_FORMAT, "project": project_dir, "crds": crds}
    # Compact separators: these schemas are only read by code, and indentation would
    # double the size of the Envoy Gateway bundle.
    return json.dumps(bundle, separators=(",", ":"), ensure_ascii=False, sort_keys=False) + "\n"


def target_notice(project_dir: str, project: Project, rows: list[SourceRow],
                  sums: dict[str, str]) -> str:
    licence_file = "LICENSE (the project's licence, as in its repository)"
    if project.licence_text is None:
        licence_file = "LICENSE (the standard text of the licence)"
    lines = [
        f"{project.title} CustomResourceDefinition schemas (validation bundle for gwshift)",
        "",
        f"Licensed under {project.licence}; see {licence_file}.",
        "Copyright the authors of the repository named below.",
        "",
        "Modifications: of each CRD only the group, kind, plural, scope and the",
        "openAPIV3Schema of every served version are kept, with all `description` fields",
        "removed; a version whose schema equals an earlier version's is stored as `sameAs`;",
        "re-serialised as JSON by scripts/build_validation_bundle.py --targets.",
        "",
        "Sources (repository, tag (commit), path in the repository, sha256 of the file):",
    ]
    for row in rows:
        lines += [
            f"- {row.file.split('/', 1)[1]}",
            f"  https://github.com/{row.repository} {row.tag} {row.path}",
            f"  sha256 {sums[row.file]}",
        ]
    return "\n".join(lines) + "\n"


def build_targets(source: Path, out_root: Path) -> list[Path]:
    """Build one bundle per project directory of ``source``; returns the directories written."""
    rows = parse_target_source_md((source / "SOURCE.md").read_text(encoding="utf-8"))
    written = []
    for project_path in sorted(p for p in source.iterdir() if p.is_dir()):
        name = project_path.name
        project = PROJECTS.get(name)
        if project is None:
            raise SystemExit(f"{project_path}: unknown project; add it with its licence to PROJECTS")
        files = sorted(project_path.glob("*.yaml"))
        sums = {f"{name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
        used = []
        for key, digest in sums.items():
            row = rows.get(key)
            if row is None:
                raise SystemExit(f"{key}: not listed in {source / 'SOURCE.md'} (no provenance)")
            if not digest.startswith(row.sha256_prefix):
                raise SystemExit(f"{key}: sha256 {digest[:16]} differs from SOURCE.md")
            used.append(row)
        crds = []
        for path in files:
            for doc in yamlio.load_all(path.read_text(encoding="utf-8")):
                if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                    crds.append(dedupe_versions(crd_entry(doc)))
        if not crds:
            raise SystemExit(f"no CRDs found in {project_path}")
        crds.sort(key=lambda c: (c["group"], c["kind"]))
        out = out_root / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "crds.json").write_text(target_bundle(name, crds), encoding="utf-8")
        (out / "NOTICE").write_text(target_notice(name, project, used, sums), encoding="utf-8")
        licence = project.licence_text
        if licence is None:
            licence = APACHE_TEXT.read_text(encoding="utf-8")
        (out / "LICENSE").write_text(licence, encoding="utf-8")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="1.6.1", help="Gateway API release, e.g. 1.6.1")
    ap.add_argument("--source", type=Path, help="CRD tree with standard/ and experimental/")
    ap.add_argument("--source-md", type=Path, help="SOURCE.md with tag commit and sha256 list")
    ap.add_argument("--out", type=Path, default=DATA)
    ap.add_argument(
        "--targets",
        action="store_true",
        help="build the implementation bundles from --source (default ../shared/target-crds)",
    )
    ap.add_argument(
        "--docs", action="store_true", help=f"regenerate the bundled-CRD table in {DOCS.name}"
    )
    args = ap.parse_args(argv)
    if args.docs:
        DOCS.write_text(with_docs_table(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"wrote {DOCS}")
        return 0
    if args.targets:
        for out in build_targets(args.source or DEFAULT_TARGETS, args.out):
            print(f"wrote {out}")
        return 0
    source = args.source or DEFAULT_SHARED / f"crds-v{args.version}"
    source_md = args.source_md or (DEFAULT_SHARED / "SOURCE.md")
    out = build(source, args.version, args.out, source_md)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
