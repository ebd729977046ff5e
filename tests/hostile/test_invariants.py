"""Stream-wide invariants under hostile input: exit codes, no empty output, no duplicates,
no stray files (issue 7)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from tests.hostile.helpers import (
    CONFIGMAP,
    DEPLOYMENT,
    INGRESS,
    cli,
    core,
    ingress,
    kinds_names,
    stream,
)

CRASH = (
    "import sys, gwshift.core\n"
    "def boom(*a, **k):\n"
    "    raise KeyError('synthetic internal bug')\n"
    "gwshift.core.transform = gwshift.core.transform_pieces = boom\n"
    "from gwshift.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _crash(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CRASH, *args], input=INGRESS.encode(),
                          capture_output=True, timeout=60, check=False)


def test_internal_bug_exit_3_one_line() -> None:
    r = _crash()
    assert r.returncode == 3
    assert r.stdout == b""
    err = r.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "internal error" in err[0] and "synthetic internal bug" in err[0]
    assert "Traceback" not in r.stderr.decode()


def test_internal_bug_traceback_with_debug() -> None:
    r = _crash("--debug")
    assert r.returncode == 3
    assert "Traceback" in r.stderr.decode() and "boom" in r.stderr.decode()


def test_usage_error_exit_2(tmp_path) -> None:
    r = cli(b"", "--no-such-flag", cwd=tmp_path)
    assert r.rc == 2 and r.stdout == b"" and len(r.stderr.strip().splitlines()) == 1


def test_missing_file_one_line(tmp_path) -> None:
    r = cli(b"", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert r.rc == 1 and r.stdout == b""
    assert len(r.stderr.strip().splitlines()) == 1 and "nope.yaml" in r.stderr


@pytest.mark.parametrize("text", [
    pytest.param(ingress(**{"  ingressClassName: nginx\n  rules:\n": "  xrules:\n"}), id="no-rules"),
    pytest.param(INGRESS.split("spec:")[0] + "spec: {}\n", id="empty-spec"),
    pytest.param(INGRESS.split("spec:")[0] + "spec:\n  rules: []\n", id="empty-rules"),
    pytest.param(INGRESS.split("      paths:")[0] + "      paths:\n", id="paths-null"),
    pytest.param(INGRESS.split("spec:")[0], id="no-spec"),
])
def test_never_empty_output_and_ingress_not_lost(text: str, tmp_path) -> None:
    r = cli(text.encode(), cwd=tmp_path)
    assert r.rc in (0, 1), r.stderr
    assert r.stdout.strip()
    out = core(stream(CONFIGMAP, text)).text
    # Either converted into something, or the Ingress is kept: never silently dropped.
    assert "kind: Ingress" in out or "kind: HTTPRoute" in out
    notes = core(text).notes
    assert any(n.doc == 0 and n.obj is not None and n.obj.name == "web" for n in notes)


def test_no_duplicate_objects_when_names_collide() -> None:
    a = INGRESS
    b = ingress(**{"host: a.example.com": "host: b.example.com"})  # same name, same namespace
    c = ingress(**{"namespace: shop": "namespace: other"})
    for text in (stream(a, b), stream(a, a), stream(a, c, b)):
        out = core(text).text
        objs = [o for o in kinds_names(out) if o[0] != "Ingress"]
        assert not [k for k, v in Counter(objs).items() if v > 1], objs


def test_no_duplicates_with_existing_gateway_api_objects() -> None:
    first = core(stream(CONFIGMAP, INGRESS), keep_ingress=True).text
    again = core(first, keep_ingress=True).text
    assert again == first
    objs = kinds_names(again)
    assert not [k for k, v in Counter(objs).items() if v > 1], objs


def test_generated_objects_do_not_collide_with_foreign_route() -> None:
    foreign = ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n"
               "  name: web\n  namespace: shop\nspec: {}\n")
    out = core(stream(foreign, INGRESS))
    objs = [o for o in kinds_names(out.text)]
    assert Counter(objs)[("HTTPRoute", "shop", "web")] == 1
    assert any(n.severity >= 2 and n.doc == 1 for n in out.notes)


def test_cli_writes_no_files_except_report(tmp_path) -> None:
    data = stream(CONFIGMAP, INGRESS, DEPLOYMENT).encode()
    r = cli(data, cwd=tmp_path, env={"HOME": str(tmp_path), "TMPDIR": str(tmp_path)})
    assert r.rc == 0, r.stderr
    assert list(tmp_path.iterdir()) == []
    r = cli(data, "--report", "r.json", cwd=tmp_path, env={"HOME": str(tmp_path), "TMPDIR": str(tmp_path)})
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_closed_stdout_does_not_traceback(tmp_path) -> None:
    data = stream(*([CONFIGMAP] * 2000 + [INGRESS])).encode()
    proc = subprocess.Popen([sys.executable, "-m", "gwshift"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdout.close()  # type: ignore[union-attr]
    _, err = proc.communicate(data, timeout=60)
    assert proc.returncode in (0, 1, 120, -13)
    assert b"Traceback" not in err




@pytest.mark.parametrize("text", ["--- !!str\na:\nkind: Ingress\n=:", "--- !!str\na:\nkind: Ingress\n=:\n---\nb: 1\n"])
def test_ingress_sniff_but_not_a_mapping(text: str, tmp_path) -> None:
    r = cli(text.encode(), cwd=tmp_path)
    assert r.rc in (0, 1), r.stderr
    assert r.stdout == text.encode()


@pytest.mark.parametrize("namespace", ["\n  - name: http", " {a: 1}", " 7"],
                         ids=["list", "mapping", "int"])
def test_looked_up_service_with_non_string_namespace(namespace: str) -> None:
    """Found by the CI fuzz run: a Service whose metadata.namespace is a list crashed the
    port-name lookup (unhashable key). Such a Service is ignored; the port stays unresolved."""
    svc = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace:" + namespace
           + "\nspec:\n  ports:\n  - name: http\n    port: 80\n")
    out = core(svc + "---\n" + ingress(**{"number: 80": "name: http"}))
    assert out.text.startswith(svc)
    assert "ingress/unresolved-port-name" in {n.code for n in out.notes}
