"""KRM mode (ResourceList in/out) through the real gwshift CLI, checked against the spec."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ._util import REPO, by_kind, docs

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
RESERVED = ("internal.config.kubernetes.io/", "config.kubernetes.io/path",
            "config.kubernetes.io/index", "config.k8s.io/id", "kustomize.config.k8s.io/id")


def gwshift(args: list[str], stdin: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GWSHIFT_", "ARGOCD_ENV_"))}
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "gwshift", *args], input=stdin, env=e,
                          capture_output=True, text=True, timeout=120, check=False)


def krm(text: str, *args: str, env: dict[str, str] | None = None, code: int = 0
        ) -> dict[str, Any]:
    proc = gwshift(list(args), text, env)
    assert proc.returncode == code, proc.stderr
    out = yaml.safe_load(proc.stdout)
    assert out["kind"] == "ResourceList"
    return out


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def ann(obj: dict[str, Any]) -> dict[str, str]:
    return obj.get("metadata", {}).get("annotations") or {}


def strip_reserved(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    a = {k: v for k, v in ann(obj).items() if not k.startswith(RESERVED)}
    if a:
        obj["metadata"]["annotations"] = a
    else:
        obj.get("metadata", {}).pop("annotations", None)
    return obj


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((HERE / "data" / "functions-spec-resourcelist.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


# --- envelope and results ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kustomize-exec-fn.yaml", "kpt-configmap.yaml"])
def test_output_is_a_valid_resource_list(name: str, validator: Any) -> None:
    text = fixture(name)
    validator.validate(yaml.safe_load(text))
    out = krm(text)
    errors = [e.message for e in validator.iter_errors(out)]
    assert not errors
    assert out["functionConfig"] == yaml.safe_load(text)["functionConfig"]


def test_auto_detect_and_explicit_krm_mode_agree() -> None:
    text = fixture("kustomize-exec-fn.yaml")
    assert gwshift([], text).stdout == gwshift(["--mode=krm"], text).stdout


def test_deterministic() -> None:
    text = fixture("kustomize-exec-fn.yaml")
    assert gwshift([], text).stdout == gwshift([], text).stdout


def test_comments_of_untouched_items_survive() -> None:
    out = gwshift([], fixture("kustomize-exec-fn.yaml")).stdout
    assert "name: prod-web # renamed by namePrefix" in out
    assert "- port: 80 # plain HTTP inside the cluster" in out
    kpt = gwshift([], fixture("kpt-configmap.yaml")).stdout
    assert "level: info # keep this comment" in kpt
    assert "name: api # public API" in kpt, "a kept Ingress keeps its comments"


def test_results_carry_resource_ref_field_and_file() -> None:
    rl = yaml.safe_load(fixture("kpt-configmap.yaml"))
    rl["items"][0]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/made-up"] = "x"
    out = krm(yaml.safe_dump(rl))
    assert out.get("results"), "an unknown nginx annotation gives at least one note"
    for r in out["results"]:
        assert r["message"] and r["severity"] in {"error", "warning", "info"}
        assert r["tags"]["code"]
    with_file = [r for r in out["results"] if "file" in r]
    for r in with_file:
        assert r["file"] == {"path": "ingress.yaml", "index": 0}


def test_existing_results_are_kept_first() -> None:
    rl = yaml.safe_load(fixture("kpt-configmap.yaml"))
    rl["results"] = [{"message": "from an earlier function", "severity": "info"}]
    out = krm(yaml.safe_dump(rl))
    assert out["results"][0] == {"message": "from an earlier function", "severity": "info"}


def test_empty_items() -> None:
    out = krm("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n")
    assert out["items"] == []


def test_json_resource_list_is_accepted() -> None:
    rl = yaml.safe_load(fixture("kustomize-exec-fn.yaml"))
    out = krm(json.dumps(rl), "--mode=krm")
    assert by_kind(out["items"], "HTTPRoute")


def test_krm_mode_refuses_a_plain_stream() -> None:
    proc = gwshift(["--mode=krm"], "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")
    assert proc.returncode == 1 and "ResourceList" in proc.stderr


# --- reserved annotations ------------------------------------------------------------------


def test_kustomize_annotations_settled() -> None:
    out = krm(fixture("kustomize-exec-fn.yaml"))
    items = out["items"]
    assert not by_kind(items, "Ingress")
    service = by_kind(items, "Service")[0]
    assert ann(service) == ann(yaml.safe_load(fixture("kustomize-exec-fn.yaml"))["items"][0])
    route = next(r for r in by_kind(items, "HTTPRoute") if r["metadata"]["name"] == "prod-web")
    # the route takes the Ingress's place: its id and index, not kustomize's bookkeeping
    assert ann(route)["internal.config.kubernetes.io/id"] == "2"
    assert ann(route)["config.k8s.io/id"] == "2"
    assert ann(route)["internal.config.kubernetes.io/index"] == "1"
    for obj in items:
        if obj is service:
            continue
        for key in ann(obj):
            assert not key.startswith(("internal.config.kubernetes.io/previous",
                                       "internal.config.kubernetes.io/prefixes",
                                       "kustomize.config.k8s.io/"))
            assert key != "config.kubernetes.io/local-config"


@pytest.mark.parametrize("name", ["kustomize-exec-fn.yaml", "kpt-configmap.yaml",
                                  "../../../examples/kpt/resourcelist.yaml"])
def test_ids_and_indexes_are_never_duplicated(name: str) -> None:
    out = krm(fixture(name))
    ids = [ann(o)["internal.config.kubernetes.io/id"] for o in out["items"]
           if "internal.config.kubernetes.io/id" in ann(o)]
    assert len(ids) == len(set(ids))
    slots = [(ann(o).get("internal.config.kubernetes.io/path"),
              ann(o)["internal.config.kubernetes.io/index"]) for o in out["items"]
             if "internal.config.kubernetes.io/index" in ann(o)]
    assert len(slots) == len(set(slots))
    for o in out["items"]:  # the legacy forms agree with the internal ones
        a = ann(o)
        for new, old in (("internal.config.kubernetes.io/path", "config.kubernetes.io/path"),
                         ("internal.config.kubernetes.io/index", "config.kubernetes.io/index"),
                         ("internal.config.kubernetes.io/id", "config.k8s.io/id")):
            if new in a and old in a:
                assert a[new] == a[old]


def test_kpt_generated_objects_stay_in_the_ingress_file() -> None:
    out = krm((REPO / "examples" / "kpt" / "resourcelist.yaml").read_text())
    for o in out["items"]:
        if o["kind"] in ("Gateway", "HTTPRoute"):
            assert ann(o)["internal.config.kubernetes.io/path"] == "ingress.yaml"
            assert ann(o)["config.kubernetes.io/path"] == "ingress.yaml"


def test_keep_ingress_keeps_the_item_and_appends_routes() -> None:
    out = krm(fixture("kpt-configmap.yaml"))
    kinds = [o["kind"] for o in out["items"]]
    assert kinds[0] == "Ingress" and "HTTPRoute" in kinds
    assert kinds.index("HTTPRoute") < kinds.index("ConfigMap"), "generated after the Ingress"
    ingress = out["items"][0]
    assert ann(ingress) == ann(yaml.safe_load(fixture("kpt-configmap.yaml"))["items"][0])
    route = by_kind(out["items"], "HTTPRoute")[0]
    assert "internal.config.kubernetes.io/id" not in ann(route)
    assert {(p.get("namespace"), p["name"]) for p in route["spec"]["parentRefs"]} == {
        ("infra", "shared")}


# --- stream mode and KRM mode give the same objects ----------------------------------------

STREAMS = {
    "kustomize-base": "\n---\n".join(
        (REPO / "examples" / "kustomize" / "base" / f).read_text()
        for f in ("deployment.yaml", "service.yaml", "ingress.yaml", "tls-secret.yaml")),
    "kpt-package": "\n---\n".join(
        (REPO / "examples" / "kpt" / "shop" / f).read_text()
        for f in ("service.yaml", "ingress.yaml")),
}


@pytest.mark.parametrize("name", sorted(STREAMS))
@pytest.mark.parametrize("args", [[], ["--keep-ingress"], ["--gateway=infra/shared"],
                                  ["--gateway-class=nginx=eg", "--namespace=shop"]])
def test_stream_and_krm_modes_give_the_same_objects(name: str, args: list[str]) -> None:
    stream = STREAMS[name]
    s = gwshift(["--mode=stream", *args], stream)
    assert s.returncode in (0, 1), s.stderr
    items = docs(stream)
    for i, item in enumerate(items):  # what kpt adds when reading a package
        item.setdefault("metadata", {}).setdefault("annotations", {}).update({
            "internal.config.kubernetes.io/path": "all.yaml",
            "internal.config.kubernetes.io/index": str(i),
            "internal.config.kubernetes.io/id": str(i + 1)})
    rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items}
    k = gwshift(["--mode=krm", *args], yaml.safe_dump(rl, sort_keys=False))
    assert k.returncode == s.returncode, k.stderr
    if s.returncode == 0:
        assert [strip_reserved(o) for o in docs(s.stdout)] == [
            strip_reserved(o) for o in yaml.safe_load(k.stdout)["items"]]


def test_function_config_equals_cli_flags() -> None:
    stream = STREAMS["kustomize-base"]
    cli = docs(gwshift(["--gateway-class=nginx=eg", "--keep-ingress"], stream).stdout)
    rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": docs(stream),
          "functionConfig": {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway",
                             "metadata": {"name": "x"},
                             "spec": {"gatewayClass": {"nginx": "eg"}, "keepIngress": True}}}
    out = krm(yaml.safe_dump(rl))
    assert [strip_reserved(o) for o in out["items"]] == [strip_reserved(o) for o in cli]


# --- configuration -------------------------------------------------------------------------


def _with_fc(fc: dict[str, Any]) -> str:
    rl = yaml.safe_load(fixture("kustomize-exec-fn.yaml"))
    rl["functionConfig"] = fc
    return yaml.safe_dump(rl, sort_keys=False)


def test_invalid_function_config_is_an_error_result_and_output_is_still_written() -> None:
    fc = {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway",
          "metadata": {"name": "x"}, "spec": {"dialect": "bogus"}}
    out = krm(_with_fc(fc), code=1)
    assert by_kind(out["items"], "Ingress"), "items are written back unchanged"
    errors = [r for r in out["results"] if r["severity"] == "error"]
    assert errors and "spec.dialect" in errors[0]["message"]
    assert errors[0]["field"]["path"] == "functionConfig.spec.dialect"
    assert errors[0]["resourceRef"]["kind"] == "IngressToGateway"


@pytest.mark.parametrize("fc", [
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}},
    {"apiVersion": "gwshift.dev/v9", "kind": "IngressToGateway", "metadata": {"name": "x"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"typo": "1"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
     "data": {"keepIngress": "maybe"}},
    {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway", "metadata": {"name": "x"},
     "spec": {"gateway": "no-namespace"}},
])
def test_rejected_function_configs(fc: dict[str, Any]) -> None:
    out = krm(_with_fc(fc), code=1)
    assert [r for r in out["results"] if r["severity"] == "error"]


def test_cli_flag_beats_function_config() -> None:
    out = krm(fixture("kustomize-exec-fn.yaml"), "--gateway-class=nginx=cli-class")
    assert {g["spec"]["gatewayClassName"] for g in by_kind(out["items"], "Gateway")} == {
        "cli-class"}


def test_argocd_env_beats_function_config() -> None:
    out = krm(fixture("kustomize-exec-fn.yaml"),
              env={"ARGOCD_ENV_GWSHIFT_GATEWAY_CLASS": "nginx=from-env"})
    assert {g["spec"]["gatewayClassName"] for g in by_kind(out["items"], "Gateway")} == {
        "from-env"}


def test_strict_in_function_config_fails_on_warnings() -> None:
    rl = yaml.safe_load(fixture("kustomize-exec-fn.yaml"))
    rl["items"][1]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/made-up"] = "x"
    rl["functionConfig"]["spec"]["strict"] = True
    proc = gwshift([], yaml.safe_dump(rl))
    out = yaml.safe_load(proc.stdout)
    warnings = [r for r in out.get("results", []) if r["severity"] == "warning"]
    if not warnings:
        pytest.skip("the core reports no warning for this input")
    assert proc.returncode == 1
    assert any(r["tags"]["code"] == "config/strict" for r in out["results"])
