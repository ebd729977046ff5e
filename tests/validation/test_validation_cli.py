"""``gwshift validate`` as the lead wires it: ``main(argv_after_validate)``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from gwshift.validation.cli import main

needs_cel = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="cel-expr-python needs Python >= 3.11"
)

VALID = """\
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: ns}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ok, namespace: ns}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: svc, port: 80}]
---
"""

INVALID = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad, namespace: ns}
spec:
  rules:
  - backendRefs: [{name: svc}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/gateway, retry: 1}
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@needs_cel
def test_valid_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([_write(tmp_path, "ok.yaml", VALID)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "1 object(s) checked" in err and "1 other document(s) skipped" in err


@needs_cel
def test_violations_printed_tab_separated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([_write(tmp_path, "ok.yaml", VALID), _write(tmp_path, "bad.yaml", INVALID)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert (
        "HTTPRoute/ns/bad\tspec.rules[0]\t"
        "RequestRedirect filter must not be used together with backendRefs" in lines
    )
    assert (
        "HTTPRoute/ns/bad\tspec.rules[0].backendRefs[0]\tMust have port for Service reference"
        in lines
    )
    assert "GatewayClass/-/gc\tspec.retry\tunknown field" in lines
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert "3 object(s) checked" in err and "2 invalid" in err


@needs_cel
def test_stdin_and_channel(capsys: pytest.CaptureFixture[str]) -> None:
    text = VALID.replace("- backendRefs:", "- retry: {attempts: 2}\n    backendRefs:")
    assert main(["-"], stdin=io.StringIO(text)) == 1
    assert "spec.rules[0].retry\tunknown field" in capsys.readouterr().out
    assert main(["--channel", "experimental"], stdin=io.StringIO(text)) == 0
    assert main(["--gateway-api-version", "v1.6.1", "-"], stdin=io.StringIO(VALID)) == 0


@needs_cel
def test_list_items_are_validated(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: gateway.networking.k8s.io/v1\n"
        "  kind: Gateway\n  metadata: {name: g}\n  spec: {}\n"
    )
    assert main([], stdin=io.StringIO(text)) == 1
    out = capsys.readouterr().out
    assert "Gateway/-/g\tspec.gatewayClassName\tRequired value" in out


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.yaml")]) == 1
    err = capsys.readouterr().err
    assert "missing.yaml: cannot read: No such file or directory" in err
    assert "Traceback" not in err


def test_yaml_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([_write(tmp_path, "broken.yaml", "a: [\n")]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml: YAML error:" in err and "line 2" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv", [["--channel", "beta"], ["--gateway-api-version", "0.1.0"], ["--bogus"]]
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv, stdin=io.StringIO("")) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--gateway-api-version" in capsys.readouterr().out


def test_unavailable_backend_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On Python 3.10 (no cel-expr-python) validate must explain, not crash."""
    from gwshift.validation import cel

    cel._backend.cache_clear()
    monkeypatch.setitem(sys.modules, "cel_expr_python", None)  # makes the import fail
    try:
        assert main([], stdin=io.StringIO(INVALID)) == 1
    finally:
        cel._backend.cache_clear()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "needs Python >= 3.11 with jsonschema and cel-expr-python" in err


@needs_cel
def test_module_entry_point(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gwshift.validation.cli", _write(tmp_path, "bad.yaml", INVALID)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stdout.count("\n") == 3
    assert "Traceback" not in proc.stderr


TARGETS = """\
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: {name: allow-office, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: web}]
  authorization:
    defaultAction: Deny
    rules:
    - action: Allow
      principal: {clientCIDRs: [10.0.0.0/8]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: prefix, namespace: shop}
spec:
  addPrefix: {prefix: api}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
"""


@needs_cel
def test_implementation_crds_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-"], stdin=io.StringIO(TARGETS)) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == ["Middleware/shop/prefix\tspec.addPrefix.prefix\tmust start with a '/'"]
    assert "2 object(s) checked" in err and "1 invalid" in err
    assert "1 other document(s) skipped" in err
    fixed = TARGETS.replace("prefix: api", "prefix: /api")
    assert main(["-"], stdin=io.StringIO(fixed)) == 0


# --- bounded input (issue 19): read through stream.read_input like the conversion -----------


def _shell(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os
    import shlex

    script = script.replace("$GW", f"{shlex.quote(sys.executable)} -m gwshift")
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, **env})


def test_dev_zero_is_one_line_exit_1() -> None:
    proc = _shell("exec $GW validate /dev/zero", GWSHIFT_MAX_INPUT_MB="2")
    want = ("gwshift validate: /dev/zero: input larger than 2 MiB; set GWSHIFT_MAX_INPUT_MB to "
            "allow more")
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [want]


def test_closed_stdin_is_one_line_exit_1() -> None:
    proc = _shell("exec $GW validate <&-")
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "stdin is closed" in proc.stderr and "Traceback" not in proc.stderr


def test_not_utf8_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\n")
    assert main([str(bad)]) == 1
    assert capsys.readouterr().err.strip().endswith("bad.yaml: cannot read: not UTF-8 text (byte 0)")


def test_a_file_within_the_bound_is_read(tmp_path: Path) -> None:  # the twin
    proc = _shell(f"exec $GW validate '{_write(tmp_path, 'ok.yaml', VALID)}'",
                  GWSHIFT_MAX_INPUT_MB="2")
    assert proc.returncode == 0, proc.stderr


def test_violations_on_a_full_stdout_are_one_line(tmp_path: Path) -> None:
    bad = _write(tmp_path, "g.yaml", "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                 "metadata: {name: g}\nspec: {}\n")
    proc = _shell(f"exec $GW validate '{bad}' >/dev/full")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == \
        "gwshift: cannot write to stdout: No space left on device"
