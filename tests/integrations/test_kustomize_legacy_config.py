"""The kustomize legacy exec plugin's own shell (krm/kustomize_legacy.py) on a hostile or broken
plugin config file: one line on stderr naming the file, exit 1 (2 without a config), never a
traceback; reading is bounded like every input (GWSHIFT_MAX_INPUT_MB)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gwshift.krm import legacy_plugin_main

GOOD = ("apiVersion: gwshift.dev/v1alpha1\nkind: IngressToGateway\nmetadata:\n  name: x\n"
        "spec:\n  gatewayClass: eg\n")


@pytest.mark.parametrize(("content", "says"), [
    pytest.param(b"\xff\xfe\x00", "not UTF-8 text (byte 0)", id="not-utf8"),
    pytest.param(b"a: &a [x]\nb: *a\n", "alias", id="alias"),
    pytest.param(b"a: [\x1b[31m\n", "control characters", id="control-character"),
    pytest.param(b"a: [\n", "cannot read kustomize plugin config", id="not-yaml"),
    pytest.param(b"- a\n- b\n", "expected an object", id="a-list"),
    pytest.param(GOOD.replace("gatewayClass: eg", "gateway: a/b/c").encode(),
                 "spec.gateway", id="invalid-option"),
    pytest.param(b"x" * (3 << 20), "larger than 2 MiB", id="over-the-input-bound"),
])
def test_bad_configs_are_one_line(content: bytes, says: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GWSHIFT_MAX_INPUT_MB", "2")
    config = tmp_path / "config\nname.yaml"  # a newline in the path must not split the line
    config.write_bytes(content)
    assert legacy_plugin_main([str(config)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err
    assert "Traceback" not in err


def test_missing_config_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert legacy_plugin_main([]) == 2
    assert "plugin config file" in capsys.readouterr().err


def test_a_good_config_converts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:  # the twin
    import io
    import sys

    from tests.hostile.helpers import INGRESS

    config = tmp_path / "config.yaml"
    config.write_text(GOOD)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(INGRESS.encode())))
    assert legacy_plugin_main([str(config)]) == 0
    out = capsys.readouterr().out
    assert "kind: HTTPRoute" in out and "gatewayClassName: eg" in out
