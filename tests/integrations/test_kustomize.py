"""kubectl kustomize --enable-alpha-plugins with the gwshift legacy exec plugin (real binaries)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from ._util import REPO, backend_names, by_kind, docs, need, ok, run

PLUGIN_ROOT = REPO / "kustomize-plugin" / "plugin"
PLUGIN_REL = Path("gwshift.dev/v1alpha1/ingresstogateway/IngressToGateway")
EXAMPLES = REPO / "examples" / "kustomize"


@pytest.fixture(params=["kubectl", "kubectl-1.30"])
def kubectl(request: pytest.FixtureRequest, tools: dict[str, Path]) -> Path:
    return need(tools, request.param)


@pytest.fixture
def kenv(base_env: dict[str, str]) -> dict[str, str]:
    """XDG_CONFIG_HOME with the plugin tree copied where kustomize looks for it."""
    dest = Path(base_env["XDG_CONFIG_HOME"]) / "kustomize" / "plugin"
    shutil.copytree(PLUGIN_ROOT, dest, dirs_exist_ok=True)
    assert (dest / PLUGIN_REL).stat().st_mode & 0o111
    return base_env


def route_named(objs: list[dict], name: str) -> dict:
    found = [r for r in by_kind(objs, "HTTPRoute") if r["metadata"]["name"] == name]
    assert found, f"no HTTPRoute {name} in {[r['metadata']['name'] for r in by_kind(objs, 'HTTPRoute')]}"
    return found[0]


def build(kubectl: Path, env: dict[str, str], path: Path) -> list[dict]:
    return docs(ok(run([kubectl, "kustomize", "--enable-alpha-plugins", path], env)))


def test_plugin_executable_has_shebang_on_line_one() -> None:
    text = (PLUGIN_ROOT / PLUGIN_REL).read_text()
    assert text.startswith("#!/bin/sh\n")


def test_namereference_copy_matches_the_shipped_file() -> None:
    assert filecmp.cmp(REPO / "kustomize-plugin" / "gateway-api-namereference.yaml",
                       EXAMPLES / "overlays" / "prod" / "gateway-api-namereference.yaml",
                       shallow=False)


def test_base_builds_without_plugins(kubectl: Path, base_env: dict) -> None:
    objs = docs(ok(run([kubectl, "kustomize", EXAMPLES / "base"], base_env)))
    assert [o["metadata"]["name"] for o in by_kind(objs, "Ingress")] == ["web"]


def test_legacy_plugin_converts(kubectl: Path, kenv: dict) -> None:
    objs = build(kubectl, kenv, EXAMPLES / "overlays" / "convert")
    assert not by_kind(objs, "Ingress")
    routes = {r["metadata"]["name"]: r for r in by_kind(objs, "HTTPRoute")}
    assert "web" in routes
    assert backend_names(routes["web"]) == ["web"]
    gateways = by_kind(objs, "Gateway")
    assert gateways and gateways[0]["spec"]["gatewayClassName"] == "eg"
    # kustomize's own bookkeeping never leaks into the output
    for o in objs:
        for key in (o["metadata"].get("annotations") or {}):
            assert not key.startswith(("internal.config.kubernetes.io/", "kustomize.config.k8s.io/"))
            assert key != "config.kubernetes.io/local-config"


def test_overlay_name_prefix_follows_references(kubectl: Path, kenv: dict) -> None:
    objs = build(kubectl, kenv, EXAMPLES / "overlays" / "prod")
    assert not by_kind(objs, "Ingress")
    route = route_named(objs, "prod-web")
    assert route["metadata"]["namespace"] == "shop"
    assert backend_names(route) == ["prod-web"], "backendRefs follow the renamed Service"
    services = [s["metadata"]["name"] for s in by_kind(objs, "Service")]
    assert services == ["prod-web"]
    gw = by_kind(objs, "Gateway")[0]
    refs = [c["name"] for listener in gw["spec"]["listeners"]
            for c in (listener.get("tls") or {}).get("certificateRefs", [])]
    assert refs and set(refs) == {"prod-web-tls"}, "certificateRefs follow the renamed Secret"
    for r in by_kind(objs, "HTTPRoute"):
        parents = {p["name"] for p in r["spec"]["parentRefs"]}
        assert parents == {gw["metadata"]["name"]}, "parentRefs follow the Gateway"


def test_without_namereference_config_backend_ref_is_stale(kubectl: Path, kenv: dict,
                                                           tmp_path: Path) -> None:
    """Negative control: the configurations file is what fixes the references."""
    tree = tmp_path / "kustomize"
    shutil.copytree(EXAMPLES, tree)
    k = tree / "overlays" / "prod" / "kustomization.yaml"
    k.write_text(k.read_text().replace("configurations:\n- gateway-api-namereference.yaml\n", ""))
    objs = build(kubectl, kenv, tree / "overlays" / "prod")
    assert backend_names(route_named(objs, "prod-web")) == ["web"]


def test_alpha_plugins_flag_required(kubectl: Path, kenv: dict) -> None:
    proc = run([kubectl, "kustomize", EXAMPLES / "overlays" / "convert"], kenv)
    assert proc.returncode != 0
    assert "IngressToGateway" in proc.stderr


def test_invalid_plugin_config_fails_the_build(kubectl: Path, kenv: dict,
                                               tmp_path: Path) -> None:
    tree = tmp_path / "kustomize"
    shutil.copytree(EXAMPLES, tree)
    cfg = tree / "overlays" / "convert" / "gwshift.yaml"
    cfg.write_text(cfg.read_text() + "  dialect: bogus\n")
    proc = run([kubectl, "kustomize", "--enable-alpha-plugins", tree / "overlays" / "convert"],
               kenv)
    assert proc.returncode != 0
    assert "spec.dialect" in proc.stderr and "bogus" in proc.stderr


def test_args_one_liner_reaches_the_cli(kubectl: Path, kenv: dict, tmp_path: Path) -> None:
    tree = tmp_path / "kustomize"
    shutil.copytree(EXAMPLES, tree)
    cfg = tree / "overlays" / "convert" / "gwshift.yaml"
    cfg.write_text(cfg.read_text() + "argsOneLiner: --keep-ingress --gateway infra/shared\n")
    objs = build(kubectl, kenv, tree / "overlays" / "convert")
    assert [o["metadata"]["name"] for o in by_kind(objs, "Ingress")] == ["web"]
    for route in by_kind(objs, "HTTPRoute"):
        assert {(p.get("namespace"), p["name"]) for p in route["spec"]["parentRefs"]} == {
            ("infra", "shared")}
    assert not by_kind(objs, "Gateway")


def test_plugin_uses_the_interpreter_of_the_gwshift_console_script(
        tools: dict[str, Path], base_env: dict, tmp_path: Path) -> None:
    """With no python3 on PATH, the plugin finds gwshift's Python from the console script."""
    import sys

    kubectl = need(tools, "kubectl")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "gwshift"  # what pip writes for a console script
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom gwshift.cli import main\n"
                      "sys.exit(main())\n")
    script.chmod(0o755)
    for tool in ("sh", "head", "cat"):
        found = shutil.which(tool)
        assert found
        (bindir / tool).symlink_to(found)
    env = dict(base_env, PATH=str(bindir))
    dest = Path(env["XDG_CONFIG_HOME"]) / "kustomize" / "plugin"
    shutil.copytree(PLUGIN_ROOT, dest, dirs_exist_ok=True)
    objs = build(kubectl, env, EXAMPLES / "overlays" / "convert")
    assert by_kind(objs, "HTTPRoute") and not by_kind(objs, "Ingress")
