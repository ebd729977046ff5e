"""Helm 3 (--post-renderer PATH|NAME) and Helm 4 (postrenderer/v1 plugin) with real binaries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from ._util import REPO, backend_names, by_kind, docs, need, ok, run

PLUGIN_DIR = REPO / "helm-postrenderer"
ARGS = ["--post-renderer-args=--namespace=shop", "--post-renderer-args=--gateway-class=nginx=eg"]


def _assert_converted(objs: list[dict], hook_converted: bool = False) -> None:
    assert not [o for o in by_kind(objs, "Ingress")
                if "helm.sh/hook" not in (o["metadata"].get("annotations") or {})]
    routes = {o["metadata"]["name"]: o for o in by_kind(objs, "HTTPRoute")}
    assert {"shop-storefront", "shop-api"} <= set(routes)
    assert backend_names(routes["shop-storefront"]) == ["shop-storefront"]
    assert backend_names(routes["shop-api"]) == ["shop-api"]
    assert sorted(o["metadata"]["name"] for o in by_kind(objs, "Service")) == [
        "shop-api", "shop-storefront"]
    assert len(by_kind(objs, "Deployment")) == 2
    if hook_converted:
        assert "shop-smoke" in routes


# --- Helm 3 ---------------------------------------------------------------------------------


@pytest.fixture
def helm3(tools: dict[str, Path]) -> Path:
    return need(tools, "helm3")


def test_helm3_post_renderer_by_name(helm3: Path, base_env: dict, chart: Path) -> None:
    out = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                  "--post-renderer", "gwshift", *ARGS], base_env))
    objs = docs(out)
    _assert_converted(objs)
    # Helm 3 applies in output order: nothing reordered apart from the replaced slots.
    kinds = [o["kind"] for o in objs]
    assert kinds.index("Service") < kinds.index("HTTPRoute")


def test_helm3_post_renderer_by_path_dual_use_script(helm3: Path, base_env: dict,
                                                     chart: Path) -> None:
    out = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                  "--post-renderer", PLUGIN_DIR / "postrender.sh", *ARGS], base_env))
    _assert_converted(docs(out))


def test_helm3_show_only_still_finds_converted_template(helm3: Path, base_env: dict,
                                                       chart: Path) -> None:
    out = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                  "--post-renderer", "gwshift", *ARGS, "--show-only", "templates/ingress.yaml"],
                 base_env))
    kinds = sorted(o["kind"] for o in docs(out))
    assert "HTTPRoute" in kinds and "Ingress" not in kinds


def test_helm3_every_document_keeps_its_source_line(helm3: Path, base_env: dict,
                                                    chart: Path) -> None:
    out = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                  "--post-renderer", "gwshift", *ARGS], base_env))
    assert out.count("# Source: shop/templates/") == out.count("\nkind: ")
    shown = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                    "--post-renderer", "gwshift", *ARGS,
                    "--show-only", "templates/ingress-api.yaml"], base_env))
    assert "shop-api" in [o["metadata"]["name"] for o in by_kind(docs(shown), "HTTPRoute")]


def test_helm3_never_post_renders_hooks(helm3: Path, base_env: dict, chart: Path) -> None:
    out = ok(run([helm3, "template", "shop", chart, "--namespace", "shop",
                  "--set", "hookIngress.enabled=true", "--post-renderer", "gwshift", *ARGS],
                 base_env))
    objs = docs(out)
    hooks = [o for o in by_kind(objs, "Ingress") if o["metadata"]["name"] == "shop-smoke"]
    assert hooks, "Helm 3 prints hooks un-post-rendered: the hook Ingress stays an Ingress"
    assert "shop-smoke" not in [o["metadata"]["name"] for o in by_kind(objs, "HTTPRoute")]


def test_helm3_failure_shows_gwshift_stderr(helm3: Path, base_env: dict, chart: Path) -> None:
    proc = run([helm3, "template", "shop", chart, "--post-renderer", "gwshift",
                "--post-renderer-args=--dialect=bogus"], base_env)
    assert proc.returncode != 0
    assert "error while running post render" in proc.stderr
    assert "gwshift" in proc.stderr and "--dialect" in proc.stderr


def test_helm3_empty_stream_gives_empty_output(helm3: Path, base_env: dict,
                                              tmp_path: Path) -> None:
    """--output-dir sends an empty stream; gwshift must accept it (exit 0, nothing written)."""
    proc = run([helm3, "template", "shop", REPO / "examples" / "chart", "--post-renderer",
                "gwshift", "--output-dir", tmp_path / "out"], base_env)
    ok(proc)
    assert (tmp_path / "out" / "shop" / "templates" / "ingress.yaml").is_file()


# --- Helm 4 ---------------------------------------------------------------------------------


@pytest.fixture
def helm4_env(tools: dict[str, Path], base_env: dict, tmp_path: Path) -> dict[str, str]:
    env = dict(base_env)
    for name in ("HELM_DATA_HOME", "HELM_CONFIG_HOME", "HELM_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env["HELM_PLUGINS"] = str(tmp_path / "helm_data_home" / "plugins")
    return env


@pytest.fixture
def helm4(tools: dict[str, Path], helm4_env: dict) -> Path:
    helm = need(tools, "helm4")
    out = ok(run([helm, "plugin", "install", PLUGIN_DIR], helm4_env))
    assert "Installed plugin: gwshift" in out
    listing = ok(run([helm, "plugin", "list"], helm4_env))
    assert "gwshift" in listing and "postrenderer/v1" in listing
    return helm


def test_plugin_yaml_is_strict_v1() -> None:
    """Helm 4.1 rejects unknown top-level keys and anything under config:."""
    meta = yaml.safe_load((PLUGIN_DIR / "plugin.yaml").read_text())
    assert set(meta) <= {"apiVersion", "name", "type", "runtime", "version", "sourceURL",
                         "runtimeConfig"}
    assert meta["apiVersion"] == "v1" and meta["name"] == "gwshift"
    assert meta["type"] == "postrenderer/v1" and meta["runtime"] == "subprocess"
    assert set(meta["runtimeConfig"]) == {"platformCommand"}


def test_helm4_plugin_post_renderer(helm4: Path, helm4_env: dict, chart: Path) -> None:
    out = ok(run([helm4, "template", "shop", chart, "--namespace", "shop",
                  "--post-renderer", "gwshift", *ARGS], helm4_env))
    objs = docs(out)
    _assert_converted(objs)
    # Helm 4 regroups documents by postrenderer.helm.sh/postrender-filename (then strips it):
    # converted objects stay attributed to their template, not generated-by-postrender-N.
    assert "generated-by-postrender" not in out
    assert "postrenderer.helm.sh/postrender-filename" not in out


def test_helm4_post_renders_hooks(helm4: Path, helm4_env: dict, chart: Path) -> None:
    out = ok(run([helm4, "template", "shop", chart, "--namespace", "shop",
                  "--set", "hookIngress.enabled=true", "--post-renderer", "gwshift", *ARGS],
                 helm4_env))
    objs = docs(out)
    _assert_converted(objs, hook_converted=True)
    smoke = next(o for o in by_kind(objs, "HTTPRoute") if o["metadata"]["name"] == "shop-smoke")
    assert smoke["metadata"]["annotations"]["helm.sh/hook"] == "post-install,post-upgrade"
    # A shared Gateway must never become a hook (hooks are not tracked in the release).
    for gw in by_kind(objs, "Gateway"):
        assert "helm.sh/hook" not in (gw["metadata"].get("annotations") or {})


def test_helm4_show_only(helm4: Path, helm4_env: dict, chart: Path) -> None:
    out = ok(run([helm4, "template", "shop", chart, "--post-renderer", "gwshift", *ARGS,
                  "--show-only", "templates/ingress.yaml"], helm4_env))
    assert "HTTPRoute" in [o["kind"] for o in docs(out)]


def test_helm4_report_file_replaces_lost_stderr(helm4: Path, helm4_env: dict, chart: Path,
                                                tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    env = dict(helm4_env, GWSHIFT_REPORT=str(report))
    ok(run([helm4, "template", "shop", chart, "--post-renderer", "gwshift", *ARGS], env))
    data = json.loads(report.read_text())
    assert isinstance(data["notes"], list)
    # --post-renderer-args=--report works too
    report2 = tmp_path / "report2.json"
    ok(run([helm4, "template", "shop", chart, "--post-renderer", "gwshift", *ARGS,
            f"--post-renderer-args=--report={report2}"], helm4_env))
    assert json.loads(report2.read_text())["notes"] == data["notes"]


def test_helm4_failure_exit_code(helm4: Path, helm4_env: dict, chart: Path) -> None:
    proc = run([helm4, "template", "shop", chart, "--post-renderer", "gwshift",
                "--post-renderer-args=--dialect=bogus"], helm4_env)
    assert proc.returncode != 0
    assert 'plugin "gwshift" exited with error' in proc.stderr


def test_helm4_packaged_plugin(tools: dict[str, Path], helm4_env: dict, chart: Path,
                               tmp_path: Path) -> None:
    helm = need(tools, "helm4")
    ok(run([helm, "plugin", "package", PLUGIN_DIR, "-d", tmp_path / "dist", "--sign=false"],
           helm4_env))
    tgz = tmp_path / "dist" / "gwshift-0.1.0.tgz"
    assert tgz.is_file()
    ok(run([helm, "plugin", "install", tgz, "--verify=false"], helm4_env))
    out = ok(run([helm, "template", "shop", chart, "--post-renderer", "gwshift", *ARGS],
                 helm4_env))
    _assert_converted(docs(out))


def test_helm4_path_is_not_a_plugin(tools: dict[str, Path], helm4_env: dict,
                                    chart: Path) -> None:
    """Documented pitfall: Helm 4 --post-renderer takes a plugin name, not a path."""
    helm = need(tools, "helm4")
    proc = run([helm, "template", "shop", chart, "--post-renderer",
                PLUGIN_DIR / "postrender.sh"], helm4_env)
    assert proc.returncode != 0 and "not found" in proc.stderr
    assert shutil.which("gwshift", path=helm4_env["PATH"])


HOOK_FIRST = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: smoke
  annotations:
    helm.sh/hook: post-install
    helm.sh/hook-delete-policy: before-hook-creation
    postrenderer.helm.sh/postrender-filename: shop/templates/hook.yaml
spec:
  ingressClassName: nginx
  rules:
  - host: smoke.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    postrenderer.helm.sh/postrender-filename: shop/templates/ingress.yaml
spec:
  ingressClassName: nginx
  rules:
  - host: www.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
"""


def test_shared_gateway_never_inherits_hook_annotations() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "gwshift", "--mode=stream"], input=HOOK_FIRST,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    for gw in by_kind(docs(proc.stdout), "Gateway"):
        assert not [k for k in (gw["metadata"].get("annotations") or {})
                    if k.startswith("helm.sh/hook")]
