"""The container image files, read statically (building them needs a registry and the release
downloads, which tests do not have; docs/integrations.md says how to build them).

* The Argo CD sidecar image builds for amd64 and arm64 from official releases and checks
  every download with SHA-256 before use.
* No example refers to an image under an address that does not exist (none is published).
* The Helm plugin metadata names no address that points nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ._util import REPO

IMAGES = [REPO / "examples" / "argocd" / "Dockerfile", REPO / "kustomize-plugin" / "Dockerfile"]


def _from_lines(path: Path) -> list[str]:
    text = path.read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", text, re.MULTILINE))
    out = []
    for m in re.finditer(r"^FROM (\S+)", text, re.MULTILINE):
        ref = m.group(1)
        out.append(re.sub(r"\$\{(\w+)\}", lambda a: args.get(a.group(1), a.group(0)), ref))
    return out


@pytest.mark.parametrize("path", IMAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_images_start_from_the_official_python_image(path: Path) -> None:
    assert _from_lines(path), path
    assert set(_from_lines(path)) == {"python:3.12-slim"}, _from_lines(path)


def test_argocd_image_checks_every_download_for_both_architectures() -> None:
    text = (REPO / "examples" / "argocd" / "Dockerfile").read_text()
    assert re.search(r"^\s*amd64\)", text, re.MULTILINE) and re.search(r"^\s*arm64\)", text,
                                                                         re.MULTILINE)
    downloads = re.findall(r"https://(get\.helm\.sh|dl\.k8s\.io)/", text)
    assert set(downloads) == {"get.helm.sh", "dl.k8s.io"}
    # each artifact is verified (sha256sum -c) against the published digest and, when given,
    # the pinned one; a download is never installed before its check
    assert text.count('verify "$helm_tgz"') == 1 and text.count("verify kubectl") == 1
    assert text.index('verify "$helm_tgz"') < text.index("tar -xzf")
    assert text.index("verify kubectl") < text.index("install -m 0755 kubectl")
    assert "sha256sum -c" in text
    for arch in ("AMD64", "ARM64"):
        assert f"ARG HELM_SHA256_{arch}" in text and f"ARG KUBECTL_SHA256_{arch}" in text
    assert "-euo" in text and "pipefail" in text


def test_no_example_names_an_unpublished_image_address() -> None:
    bad = []
    for path in [*REPO.joinpath("examples").rglob("*"), *REPO.joinpath("kustomize-plugin").rglob("*"),
                 REPO / "docs" / "integrations.md"]:
        if path.is_file() and "ghcr.io/gwshift" in path.read_text(errors="replace"):
            bad.append(str(path.relative_to(REPO)))
    assert not bad, bad


def test_helm_plugin_names_no_placeholder_address() -> None:
    meta = yaml.safe_load((REPO / "helm-postrenderer" / "plugin.yaml").read_text())
    assert "github.com/gwshift" not in str(meta)


def test_package_metadata_names_no_placeholder_address() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "github.com/gwshift" not in str(project.get("urls", {}))
    assert project["requires-python"] == ">=3.11"
    assert project["dynamic"] == ["version"] and "version" not in project
    versions = sorted(c.rsplit(":: ", 1)[1] for c in project["classifiers"]
                      if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert versions and versions[0] == "3.11", versions
