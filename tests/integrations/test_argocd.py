"""Argo CD CMP generate scripts, run locally the way argocd-cmp-server runs them.

The sidecar runs `generate` in a copy of the Application's source directory with its own
environment plus the build environment (ARGOCD_APP_*, KUBE_*), Application plugin.env entries as
ARGOCD_ENV_<NAME>, and parameters as ARGOCD_APP_PARAMETERS (JSON) and PARAM_<NAME>[_<i>].
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ._util import REPO, backend_names, by_kind, docs, need, ok, run

ARGO = REPO / "examples" / "argocd"
SCRIPTS = {"/usr/local/bin/gwshift-generate-helm.sh": ARGO / "generate-helm.sh",
           "/usr/local/bin/gwshift-generate-kustomize.sh": ARGO / "generate-kustomize.sh"}


def _esc(name: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", name.upper())


def cmp_env(base: dict[str, str], app: str, env: dict[str, str] | None = None,
            params: list[dict[str, Any]] | None = None) -> dict[str, str]:
    e = dict(base)
    e.update({
        "ARGOCD_APP_NAME": app, "ARGOCD_APP_NAMESPACE": "shop",
        "ARGOCD_APP_PROJECT_NAME": "default", "ARGOCD_APP_REVISION": "0" * 40,
        "ARGOCD_APP_REVISION_SHORT": "0000000", "ARGOCD_APP_REVISION_SHORT_8": "00000000",
        "ARGOCD_APP_SOURCE_PATH": "examples/chart",
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/gwshift.git",
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.31.0",
        "KUBE_API_VERSIONS": "v1,apps/v1,networking.k8s.io/v1,gateway.networking.k8s.io/v1",
    })
    for k, v in (env or {}).items():
        e["ARGOCD_ENV_" + k] = v
    if params:
        e["ARGOCD_APP_PARAMETERS"] = json.dumps(params)
        for p in params:
            b = "PARAM_" + _esc(p["name"])
            if "string" in p:
                e[b] = p["string"]
            for i, v in enumerate(p.get("array") or []):
                e[f"{b}_{i}"] = v
            for k, v in (p.get("map") or {}).items():
                e[f"{b}_{_esc(k)}"] = v
    return e


def generate(plugin: str, src: Path, tmp: Path, env: dict[str, str]) -> Any:
    spec = yaml.safe_load((ARGO / plugin).read_text())["spec"]
    cmd = [str(SCRIPTS.get(c, c)) for c in spec["generate"]["command"]
           + spec["generate"].get("args", [])]
    work = tmp / "app"
    shutil.copytree(src, work)  # the sidecar works on a copy of the source directory
    return run(cmd, env, cwd=work)


@pytest.fixture(params=["helm3", "helm4"])
def helm_env(request: pytest.FixtureRequest, tools: dict[str, Path],
             base_env: dict[str, str]) -> dict[str, str]:
    return dict(base_env, HELM=str(need(tools, request.param)))


@pytest.fixture
def kustomize_env(tools: dict[str, Path], base_env: dict[str, str]) -> dict[str, str]:
    return dict(base_env, KUSTOMIZE=f"{need(tools, 'kubectl')} kustomize")


def test_plugins_are_config_management_plugins() -> None:
    for name in ("plugin-helm.yaml", "plugin-kustomize.yaml"):
        p = yaml.safe_load((ARGO / name).read_text())
        assert p["apiVersion"] == "argoproj.io/v1alpha1"
        assert p["kind"] == "ConfigManagementPlugin"
        assert p["spec"]["version"] == "v1"
        assert set(p["spec"]["generate"]["command"]) <= set(SCRIPTS)


def test_install_kustomization_builds(tools: dict[str, Path], base_env: dict) -> None:
    objs = docs(ok(run([need(tools, "kubectl"), "kustomize", ARGO], base_env)))
    cm = by_kind(objs, "ConfigMap")[0]
    assert set(cm["data"]) == {"plugin-helm.yaml", "plugin-kustomize.yaml"}
    # No stand-in Deployment: a partial argocd-repo-server, merged into the real one by
    # server-side apply (containers and volumes by name), so it holds only the sidecars.
    [repo] = by_kind(objs, "Deployment")
    assert repo["metadata"]["name"] == "argocd-repo-server"
    assert repo["metadata"].get("namespace") == "argocd"
    containers = {c["name"] for c in repo["spec"]["template"]["spec"]["containers"]}
    assert {"gwshift-helm", "gwshift-kustomize"} == containers
    assert set(repo["spec"]) == {"template"}  # no selector/replicas: partial, SSA only
    assert "initContainers" not in repo["spec"]["template"]["spec"]


def test_helm_generate(helm_env: dict, tmp_path: Path) -> None:
    env = cmp_env(helm_env, "shop", params=[{"name": "gateway-class", "string": "nginx=eg"}])
    proc = generate("plugin-helm.yaml", REPO / "examples" / "chart", tmp_path, env)
    objs = docs(ok(proc))
    assert not by_kind(objs, "Ingress")
    routes = {r["metadata"]["name"]: r for r in by_kind(objs, "HTTPRoute")}
    assert backend_names(routes["shop-storefront"]) == ["shop-storefront"]
    assert {g["spec"]["gatewayClassName"] for g in by_kind(objs, "Gateway")} == {"eg"}
    assert "gwshift-helm:" in proc.stderr  # logs go to stderr, never stdout


def test_helm_generate_converts_hooks_values_and_env(helm_env: dict, tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(REPO / "examples" / "chart", chart)
    (chart / "values-prod.yaml").write_text("host: prod.example.com\n")
    env = cmp_env(helm_env, "shop",
                  env={"HELM_ARGS": "--set hookIngress.enabled=true",
                       "GWSHIFT_KEEP_INGRESS": "true", "GWSHIFT_GATEWAY": "infra/shared"},
                  params=[{"name": "values-files", "array": ["values.yaml", "values-prod.yaml"]}])
    objs = docs(ok(generate("plugin-helm.yaml", chart, tmp_path, env)))
    ingresses = {i["metadata"]["name"] for i in by_kind(objs, "Ingress")}
    assert {"shop-storefront", "shop-api", "shop-smoke"} <= ingresses  # --keep-ingress via env
    routes = {r["metadata"]["name"]: r for r in by_kind(objs, "HTTPRoute")}
    assert "shop-smoke" in routes, "helm template | gwshift converts hook Ingresses too"
    assert routes["shop-storefront"]["spec"]["hostnames"] == ["prod.example.com"]
    assert not by_kind(objs, "Gateway")
    for r in routes.values():
        assert {(p.get("namespace"), p["name"]) for p in r["spec"]["parentRefs"]} == {
            ("infra", "shared")}


def test_kustomize_generate(kustomize_env: dict, tmp_path: Path) -> None:
    env = cmp_env(kustomize_env, "shop-kustomize", env={"GWSHIFT_GATEWAY": "infra/shared"})
    objs = docs(ok(generate("plugin-kustomize.yaml", REPO / "examples" / "kustomize" / "base",
                            tmp_path, env)))
    assert not by_kind(objs, "Ingress")
    assert [r for r in by_kind(objs, "HTTPRoute") if backend_names(r) == ["web"]]
    assert by_kind(objs, "Service") and by_kind(objs, "Deployment")


# --- never print an empty or partial manifest ----------------------------------------------


def _refused(proc: Any) -> None:
    assert proc.returncode != 0, proc.stdout
    assert proc.stdout == "", "nothing on stdout: Argo CD must not see a partial manifest"


def test_missing_app_name_is_refused(helm_env: dict, tmp_path: Path) -> None:
    env = cmp_env(helm_env, "shop")
    del env["ARGOCD_APP_NAME"]
    _refused(generate("plugin-helm.yaml", REPO / "examples" / "chart", tmp_path, env))


def test_gwshift_failure_prints_nothing(helm_env: dict, tmp_path: Path) -> None:
    env = cmp_env(helm_env, "shop", env={"GWSHIFT_DIALECT": "bogus"})
    proc = generate("plugin-helm.yaml", REPO / "examples" / "chart", tmp_path, env)
    _refused(proc)
    assert "GWSHIFT_DIALECT" in proc.stderr


def test_helm_failure_prints_nothing(helm_env: dict, tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(REPO / "examples" / "chart", chart)
    (chart / "templates" / "broken.yaml").write_text("{{ .Values.nope.deeper }}\n")
    _refused(generate("plugin-helm.yaml", chart, tmp_path, cmp_env(helm_env, "shop")))


def test_empty_render_is_refused(helm_env: dict, tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    shutil.copytree(REPO / "examples" / "chart", chart)
    for f in (chart / "templates").glob("*.yaml"):
        f.unlink()
    proc = generate("plugin-helm.yaml", chart, tmp_path, cmp_env(helm_env, "shop"))
    _refused(proc)
    assert "refusing" in proc.stderr


def test_empty_kustomize_build_is_refused(kustomize_env: dict, tmp_path: Path) -> None:
    app = tmp_path / "empty"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: []\n")
    _refused(generate("plugin-kustomize.yaml", app, tmp_path, cmp_env(kustomize_env, "x")))


def test_kustomize_failure_prints_nothing(kustomize_env: dict, tmp_path: Path) -> None:
    app = tmp_path / "broken"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    _refused(generate("plugin-kustomize.yaml", app, tmp_path, cmp_env(kustomize_env, "x")))
