"""The implementation bundles: rebuilt byte for byte from ../shared, with provenance and
licence, compact, and loaded only when an object of their group is validated."""

from __future__ import annotations

import filecmp
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from gwshift.validation import bundled_crds

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "transformer" / "gwshift" / "data"
SCRIPT = REPO / "scripts" / "build_validation_bundle.py"
TARGET_DIRS = sorted(p for p in DATA.iterdir() if (p / "crds.json").is_file())

# What issue 18 asks the targets to emit: each must be bundled.
REQUIRED = {
    "gateway.envoyproxy.io": {
        "SecurityPolicy", "BackendTrafficPolicy", "ClientTrafficPolicy", "HTTPRouteFilter",
        "Backend", "EnvoyExtensionPolicy",
    },
    "gateway.nginx.org": {
        "AuthenticationFilter", "RateLimitPolicy", "ClientSettingsPolicy",
        "ProxySettingsPolicy", "UpstreamSettingsPolicy", "SnippetsFilter",
    },
    "traefik.io": {"Middleware"},
    "configuration.konghq.com": {
        "KongPlugin", "KongClusterPlugin", "KongIngress", "TCPIngress", "UDPIngress",
    },
    "security.istio.io": {"AuthorizationPolicy"},
    "networking.istio.io": {"DestinationRule"},
    "networking.gke.io": {
        "GCPBackendPolicy", "GCPGatewayPolicy", "HealthCheckPolicy", "GCPSessionAffinityPolicy",
    },
    "gateway.k8s.aws": {
        "LoadBalancerConfiguration", "TargetGroupConfiguration", "ListenerRuleConfiguration",
    },
}


def test_committed_target_bundles_are_current(target_crds_dir: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--targets", "--source", str(target_crds_dir),
         "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert fresh == [p.name for p in TARGET_DIRS]
    for name in fresh:
        files = sorted(p.name for p in (tmp_path / name).iterdir())
        assert files == sorted(p.name for p in (DATA / name).iterdir()) == [
            "LICENSE", "NOTICE", "crds.json"
        ]
        _, mismatch, errors = filecmp.cmpfiles(tmp_path / name, DATA / name, files, shallow=False)
        assert not mismatch and not errors, (
            f"{name}: rebuild with scripts/build_validation_bundle.py --targets: {mismatch}"
        )


def test_required_kinds_are_bundled() -> None:
    bundled: dict[str, set[str]] = {}
    for b in bundled_crds():
        bundled.setdefault(b.group, set()).add(b.kind)
    for group, kinds in REQUIRED.items():
        assert kinds <= bundled.get(group, set()), group


def test_each_group_belongs_to_one_project() -> None:
    owner: dict[str, str] = {}
    for b in bundled_crds():
        assert owner.setdefault(b.group, b.project) == b.project


def test_provenance_and_licence_next_to_every_bundle() -> None:
    assert len(TARGET_DIRS) == 7
    for d in TARGET_DIRS:
        notice = (d / "NOTICE").read_text(encoding="utf-8")
        licence = (d / "LICENSE").read_text(encoding="utf-8")
        crds = json.loads((d / "crds.json").read_text(encoding="utf-8"))["crds"]
        assert "https://github.com/" in notice and "sha256 " in notice, d.name
        # one source line per upstream file, and a licence the NOTICE names
        assert notice.count("\n  sha256 ") >= len({c["kind"] for c in crds}) - 1, d.name
        if "Licensed under MIT" in notice:
            assert licence.lstrip().startswith(("MIT License", "The MIT License"))
            assert "Copyright (c)" in licence
        else:
            assert "Licensed under Apache-2.0" in notice
            assert "Apache License" in licence and "Version 2.0, January 2004" in licence


def test_kong_and_traefik_keep_their_copyright() -> None:
    assert "Copyright (c) 2024 Kong" in (DATA / "kong-configuration-v1.5.3" / "LICENSE").read_text()
    assert "Traefik Labs" in (DATA / "traefik-v3.7.9" / "LICENSE").read_text()


def test_bundles_are_compact() -> None:
    # Descriptions stripped, identical versions shared: a few hundred KB for all seven.
    total = sum(p.stat().st_size for d in TARGET_DIRS for p in d.iterdir())
    assert total < 600_000, total
    everything = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert everything < 2_000_000, everything
    for d in TARGET_DIRS:
        assert '"description"' not in (d / "crds.json").read_text(encoding="utf-8").replace(
            '"description":{', ""  # a property named description (Envoy) is kept
        )


def test_core_objects_do_not_load_the_implementation_bundles() -> None:
    # A core object (no group) is skipped before any bundle is read; a named group loads
    # the implementation index, which never imports the validation backends.
    code = (
        "import sys\n"
        "from gwshift.validation import bundle, is_checked\n"
        "assert not is_checked({'apiVersion': 'v1', 'kind': 'Service'})\n"
        "assert bundle.target_crds.cache_info().currsize == 0\n"
        "assert is_checked({'apiVersion': 'traefik.io/v1alpha1', 'kind': 'Middleware'})\n"
        "print(sorted(m for m in ('jsonschema', 'cel_expr_python') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_validation_bundle", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_table_is_generated() -> None:
    docs = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    assert _script().with_docs_table(docs) == docs, (
        "regenerate: python scripts/build_validation_bundle.py --docs"
    )


def test_docs_name_every_rule_not_evaluated() -> None:
    from test_cel_coverage import NOT_EVALUATED

    docs = (REPO / "docs" / "validation.md").read_text(encoding="utf-8")
    for kind, rule in NOT_EVALUATED:
        assert f"`{rule}`" in docs and kind in docs
