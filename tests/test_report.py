"""report.py: every rendering of notes and of a run's Outcome (text, JSON, KRM, Markdown)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gwshift import report
from gwshift.notes import Note, ObjRef, Severity, error, info, warning
from gwshift.outcome import AnnotationSummary, Outcome, SourceSummary, Summary

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden_report"
EXAMPLE = ROOT / "examples" / "rendered" / "grafana.yaml"
SECURITY = ROOT / "tests" / "golden" / "nginx-security" / "input.yaml"

WEB = ObjRef("Ingress", "shop", "web")
ADMIN = ObjRef("Ingress", "shop", "admin")
CANARY = ObjRef("Ingress", "shop", "web-canary")
ANN = "metadata.annotations[nginx.ingress.kubernetes.io/{}]"

NOTES = (
    info("nginx/rewrite-target-prefix-idiom", "path '/a(/|$)(.*)' became PathPrefix '/a'", WEB,
         ANN.format("rewrite-target"))._replace(doc=0),
    warning("nginx/proxy-body-size-not-converted", "body size | limits need a policy", WEB,
            ANN.format("proxy-body-size"))._replace(doc=0),
    error("nginx/auth-basic", "auth-type cannot be converted; the Ingress is kept", ADMIN,
          ANN.format("auth-type"))._replace(doc=1),
    info("nginx/canary-merged", "merged into the routes of Ingress/shop/web", CANARY)._replace(doc=2),
)
SUMMARY = Summary(
    sources=(
        SourceSummary(WEB, 0, "converted", generated=(
            ObjRef("Gateway", "shop", "nginx"), ObjRef("HTTPRoute", "shop", "web"))),
        SourceSummary(ADMIN, 1, "kept", reason="nginx/auth-basic"),
        SourceSummary(CANARY, 2, "merged", merged_into=WEB),
    ),
    annotations=(
        AnnotationSummary(WEB, "nginx.ingress.kubernetes.io/rewrite-target", "converted",
                          "nginx/rewrite-target-prefix-idiom"),
        AnnotationSummary(WEB, "nginx.ingress.kubernetes.io/proxy-body-size", "reported",
                          "nginx/proxy-body-size-not-converted"),
        AnnotationSummary(WEB, "meta.helm.sh/release-name", "ignored"),
        AnnotationSummary(ADMIN, "nginx.ingress.kubernetes.io/auth-type", "blocked",
                          "nginx/auth-basic"),
    ),
)


def gwshift(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gwshift", *args], input=stdin,
                          capture_output=True, check=False, cwd=cwd,
                          env={**os.environ, **(env or {})})


def _golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name}: run pytest --update-goldens"


# --- text line -------------------------------------------------------------------------------


def test_control_characters_cannot_forge_note_lines() -> None:
    key = "nginx.ingress.kubernetes.io/x\nerror\tnginx/forged\tdoc 0\tIngress/a/b\t-\tgotcha"
    n = warning("nginx/unknown-annotation", f"{key} is unknown\r\x1b[31m\u2028",
                ObjRef("Ingress", "a\tb", "c\nd"), f"metadata.annotations[{key}]")
    line = report.note_line(n)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert line.count("\t") == 5
    assert "\\n" in line and "\\t" in line and "\\x1b" in line and "\\u2028" in line
    assert n.line() == line


def test_text_line_unchanged_for_ordinary_notes() -> None:
    n = NOTES[0]
    assert report.note_line(n) == ("info\tnginx/rewrite-target-prefix-idiom\tdoc 0\t"
                                   "Ingress/shop/web\t" + ANN.format("rewrite-target") +
                                   "\tpath '/a(/|$)(.*)' became PathPrefix '/a'")


# --- JSON and KRM -----------------------------------------------------------------------------


def test_json_shapes_stay_as_they_are() -> None:
    assert report.note_dict(NOTES[2]) == {
        "code": "nginx/auth-basic", "severity": "error", "field": ANN.format("auth-type"),
        "message": "auth-type cannot be converted; the Ingress is kept", "document": 1,
        "object": {"kind": "Ingress", "namespace": "shop", "name": "admin"}}
    data = json.loads(report.notes_json(NOTES))
    assert list(data) == ["notes"] and len(data["notes"]) == 4
    assert json.loads(report.stderr_text(NOTES, "json", quiet=True).splitlines()[0])["code"] == \
        "nginx/proxy-body-size-not-converted"


def test_krm_result_shape() -> None:
    assert report.krm_result(NOTES[2], {"path": "a.yaml", "index": 1}) == {
        "message": "auth-type cannot be converted; the Ingress is kept", "severity": "error",
        "resourceRef": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                        "name": "admin", "namespace": "shop"},
        "field": {"path": ANN.format("auth-type")}, "file": {"path": "a.yaml", "index": 1},
        "tags": {"code": "nginx/auth-basic"}}


def test_krm_result_escapes_control_characters() -> None:
    # issue 19: an annotation key or value with ESC / newline reached kpt's terminal raw.
    n = error("nginx/auth-basic", "value '\x1b[31mred\nforged line' refused",
              ObjRef("Ingress", "shop", "web\x1b"), field=ANN.format("a\nb"))
    got = report.krm_result(n, {"path": "a\rb.yaml", "index": 0})
    flat = json.dumps(got, ensure_ascii=False)
    assert not any(ord(c) < 32 or c in "\x7f\u2028\u2029" for c in flat), flat
    assert got["message"] == "value '\\x1b[31mred\\nforged line' refused"
    assert got["field"]["path"] == ANN.format("a\\nb")
    assert got["resourceRef"]["name"] == "web\\x1b" and got["file"] == {"path": "a\\rb.yaml",
                                                                     "index": 0}


def test_krm_result_leaves_plain_text_alone() -> None:  # the twin
    n = error("nginx/auth-basic", "tab-free message: 'x' é ✓", WEB, field=ANN.format("auth-type"))
    got = report.krm_result(n)
    assert got["message"] == "tab-free message: 'x' é ✓" and got["resourceRef"]["name"] == "web"


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_golden_from_a_summary(update_goldens: bool) -> None:
    text = report.markdown(Outcome("", NOTES, SUMMARY))
    _golden("summary.md", text, update_goldens)
    assert "1 converted, 1 kept, 1 merged; 2 object(s) generated" in text
    assert "body size \\| limits" in text  # cells escape pipes
    assert text == report.markdown(Outcome("", NOTES, SUMMARY))  # deterministic


def test_summary_from_notes_fallback() -> None:
    sources = [(0, WEB, {"nginx.ingress.kubernetes.io/rewrite-target": "/$2",
                         "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
                         "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                         "meta.helm.sh/release-name": "r"}),
               (1, ADMIN, {"nginx.ingress.kubernetes.io/auth-type": "basic"}),
               (2, CANARY, {})]
    got = report.summary_from_notes(NOTES, sources, owned=lambda k: k.startswith("nginx."))
    assert [(s.ref.name, s.disposition, s.reason) for s in got.sources] == [
        ("web", "converted", None), ("admin", "kept", "nginx/auth-basic"),
        ("web-canary", "merged", None)]
    status = {(a.source.name, a.key.rsplit("/", 1)[-1]): a.status for a in got.annotations}
    assert status == {("web", "rewrite-target"): "converted",
                      ("web", "proxy-body-size"): "reported",
                      ("web", "ssl-redirect"): "converted",
                      ("web", "release-name"): "ignored",
                      ("admin", "auth-type"): "blocked"}


def test_markdown_report_from_the_cli_on_todays_core(tmp_path: Path, update_goldens: bool) -> None:
    out = tmp_path / "r.md"
    proc = gwshift("--report", str(out), str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "| Ingress monitoring/grafana | converted |" in text
    assert "`nginx.ingress.kubernetes.io/affinity` | approximated |" in text
    _golden("grafana.md", text, update_goldens)


def test_report_from_env_and_json_otherwise(tmp_path: Path) -> None:
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    assert gwshift(str(EXAMPLE), env={"GWSHIFT_REPORT": str(md)}).returncode == 0
    assert md.read_text().startswith("# gwshift migration report\n")
    assert gwshift("--report", str(js), str(EXAMPLE)).returncode == 0
    assert list(json.loads(js.read_text())) == ["notes"]


def _resource_list(ingress_yaml: str, spec: dict[str, object]) -> bytes:
    rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
          "items": list(yaml.safe_load_all(ingress_yaml)),
          "functionConfig": {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway",
                             "metadata": {"name": "gw"}, "spec": spec}}
    return yaml.safe_dump(rl, sort_keys=False).encode()


def test_report_from_krm_function_config(tmp_path: Path) -> None:
    out = tmp_path / "krm.md"
    proc = gwshift(stdin=_resource_list(SECURITY.read_text(), {"report": str(out)}))
    assert proc.returncode == 1
    text = out.read_text()
    assert "| kept | - | `nginx/" in text


# --- --allow-kept -----------------------------------------------------------------------------


def test_allow_kept_exit_0_and_report_still_lists_the_kept_source(tmp_path: Path) -> None:
    data = SECURITY.read_bytes()
    assert gwshift(stdin=data).returncode == 1
    out = tmp_path / "r.md"
    proc = gwshift("--allow-kept", "--report", str(out), stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert b"error\tnginx/" in proc.stderr  # the notes still say it
    assert "| kept |" in out.read_text()
    assert gwshift(stdin=data, env={"GWSHIFT_ALLOW_KEPT": "true"}).returncode == 0
    assert gwshift(stdin=_resource_list(data.decode(), {"allowKept": True})).returncode == 0


def test_allow_kept_never_excuses_a_config_error() -> None:
    from gwshift.notes import exit_code

    bad = Note("config/invalid", Severity.ERROR, "x")
    assert exit_code([bad], allow_kept=True) == 1
    kept = NOTES[2]
    assert exit_code([kept]) == 1 and exit_code([kept], allow_kept=True) == 0
    assert exit_code([kept], allow_kept=True, strict=True) == 1  # strict: it is a warning
    # with a summary, only errors of kept sources are excused
    assert exit_code([kept], allow_kept=True, kept_docs={1}) == 0
    assert exit_code([kept], allow_kept=True, kept_docs={0}) == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_quiet_hides_info(fmt: str) -> None:
    text = report.stderr_text(NOTES, fmt, quiet=True)
    assert len(text.splitlines()) == 2


def test_cli_reads_the_pipelines_summary_when_there_is_one(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Once core.transform_pieces returns (pieces, notes, summary), the report and the
    --allow-kept exit code read that summary instead of the fallback."""
    from gwshift import cli, core

    monkeypatch.setattr(core, "transform_pieces",
                        lambda text, settings: (iter([text]), NOTES, SUMMARY))
    src = tmp_path / "in.yaml"
    src.write_text("kind: ConfigMap\napiVersion: v1\n")
    out = tmp_path / "r.md"
    assert cli.main(["--report", str(out), str(src)]) == 1
    assert out.read_text() == report.markdown(Outcome("", NOTES, SUMMARY))
    assert cli.main(["--allow-kept", str(src)]) == 0  # doc 1 is kept: its error is excused
    kept_elsewhere = SUMMARY._replace(sources=SUMMARY.sources[:1])
    monkeypatch.setattr(core, "transform_pieces",
                        lambda text, settings: (iter([text]), NOTES, kept_elsewhere))
    assert cli.main(["--allow-kept", str(src)]) == 1  # no kept source explains the error
