"""gwshift as a KRM exec function under the REAL kpt binary (``kpt fn eval --exec``, ``fn render``).

kpt comes from Debian's ``google-cloud-cli-kpt`` package (``/usr/bin/kpt``), not from PyPI;
scripts/install-tools.sh links it when it is on the machine. Where it is missing these
tests skip, also under CI=true, because no registry the project may use carries it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ._util import REPO, by_kind, docs, names, run

SHOP = REPO / "examples" / "kpt" / "shop"


@pytest.fixture
def kpt(tools: dict[str, Path]) -> Path:
    path = tools.get("kpt") or (Path(shutil.which("kpt")) if shutil.which("kpt") else None)
    if path is None:
        pytest.skip("kpt is not installed (Debian package google-cloud-cli-kpt)")
    return path


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    dest = tmp_path / "shop"
    shutil.copytree(SHOP, dest)
    return dest


def _ok(proc: object) -> None:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr}\n{proc.stdout}"  # type: ignore[attr-defined]


def test_fn_eval_exec_converts_the_ingress_in_its_file(kpt: Path, pkg: Path,
                                                       base_env: dict) -> None:
    _ok(run([kpt, "fn", "eval", pkg, "--exec", "gwshift", "--fn-config", pkg / "gwshift.yaml"],
            base_env))
    objs = docs((pkg / "ingress.yaml").read_text())
    assert not by_kind(objs, "Ingress")
    assert names(objs, "HTTPRoute") == ["web", "web-redirect"]
    assert by_kind(objs, "Gateway")[0]["spec"]["gatewayClassName"] == "eg"
    # Untouched files (comments included) stay byte for byte.
    for name in ("Kptfile", "gwshift.yaml", "service.yaml"):
        assert (pkg / name).read_bytes() == (SHOP / name).read_bytes(), name


def test_fn_eval_keeps_comments_in_place(kpt: Path, pkg: Path, base_env: dict) -> None:
    _ok(run([kpt, "fn", "eval", pkg, "--exec", "gwshift", "--fn-config", pkg / "gwshift.yaml"],
            base_env))
    text = (pkg / "ingress.yaml").read_text()
    assert text.startswith("# Public entry point of the shop.\n")
    assert text.count("# Public entry point of the shop.") == 1
    assert (pkg / "Kptfile").read_text().count("# kpt package whose Ingress") == 1


def test_fn_render_with_allow_exec_is_idempotent(kpt: Path, pkg: Path, base_env: dict,
                                                 tmp_path: Path) -> None:
    _ok(run([kpt, "fn", "render", pkg, "--allow-exec"], base_env))
    first = {p.name: p.read_bytes() for p in sorted(pkg.iterdir())}
    _ok(run([kpt, "fn", "render", pkg, "--allow-exec"], base_env))
    second = {p.name: p.read_bytes() for p in sorted(pkg.iterdir())}
    assert first == second
    assert by_kind(docs(first["ingress.yaml"].decode()), "HTTPRoute")


def test_fn_eval_configmap_function_config_from_args(kpt: Path, pkg: Path,
                                                     base_env: dict) -> None:
    _ok(run([kpt, "fn", "eval", pkg, "--exec", "gwshift", "--",
             "gatewayClass=nginx=eg", "keepIngress=true"], base_env))
    objs = docs((pkg / "ingress.yaml").read_text())
    assert names(objs, "Ingress") == ["web"] and names(objs, "HTTPRoute") == ["web", "web-redirect"]


def test_fn_eval_invalid_config_fails_with_a_result(kpt: Path, pkg: Path,
                                                    base_env: dict) -> None:
    proc = run([kpt, "fn", "eval", pkg, "--exec", "gwshift", "--", "bogusKey=1"], base_env)
    assert proc.returncode != 0
    assert "functionConfig.data.bogusKey" in proc.stderr + proc.stdout
    assert (pkg / "ingress.yaml").read_bytes() == (SHOP / "ingress.yaml").read_bytes()


def test_fn_eval_security_error_keeps_the_ingress(kpt: Path, pkg: Path, base_env: dict) -> None:
    ing = pkg / "ingress.yaml"
    ing.write_text(ing.read_text().replace(
        "  namespace: shop\n",
        "  namespace: shop\n  annotations:\n"
        "    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n", 1))
    before = ing.read_bytes()
    proc = run([kpt, "fn", "eval", pkg, "--exec", "gwshift", "--fn-config",
                pkg / "gwshift.yaml"], base_env)
    assert proc.returncode != 0
    assert "nginx/ip-access-control" in proc.stderr + proc.stdout
    assert ing.read_bytes() == before
