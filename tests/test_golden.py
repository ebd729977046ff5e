"""Golden cases: tests/golden/<case>/{input.yaml, expected.yaml, notes.txt[, args]}.

Compared byte-exact; regenerate only with ``pytest --update-goldens``. A case whose
expected.yaml equals its input.yaml is a "must not change" case.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gwshift.cli import build_parser, settings_from_args
from gwshift.core import transform
from gwshift.validation import is_gateway_api, validate_objects

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").exists())


def _args(case: Path) -> list[str]:
    f = case / "args"
    return [a for a in f.read_text().splitlines() if a.strip()] if f.exists() else []


def _run(case: Path) -> tuple[str, str]:
    ns = build_parser().parse_args(_args(case))
    settings = settings_from_args(ns, {})
    text = (case / "input.yaml").read_bytes().decode("utf-8")
    out = transform(text, settings)
    notes = "".join(n.line() + "\n" for n in out.notes)
    return out.text, notes


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, update_goldens: bool) -> None:
    case = GOLDEN / name
    text, notes = _run(case)
    if update_goldens:
        (case / "expected.yaml").write_bytes(text.encode("utf-8"))
        (case / "notes.txt").write_text(notes)
    assert text == (case / "expected.yaml").read_bytes().decode("utf-8")
    assert notes == (case / "notes.txt").read_text()


@pytest.mark.parametrize("name", CASES)
def test_golden_output_is_valid(name: str) -> None:
    case = GOLDEN / name
    docs = [d for d in yaml.safe_load_all((case / "expected.yaml").read_text()) if isinstance(d, dict)]
    objs = []
    for d in docs:
        objs.extend(d.get("items") or [] if d.get("kind") == "List" else [d])
    channel = "experimental" if "experimental" in _args(case) else "standard"
    problems = validate_objects([o for o in objs if is_gateway_api(o)], channel=channel)
    assert not problems, "\n".join(f"{p.kind}/{p.name} {p.field}: {p.message}" for p in problems)


@pytest.mark.parametrize("name", CASES)
def test_golden_idempotent(name: str) -> None:
    case = GOLDEN / name
    if "--keep-ingress" in _args(case):
        pytest.skip("a kept Ingress is recognised as converted; covered by test_keep_ingress")
    ns = build_parser().parse_args(_args(case))
    settings = settings_from_args(ns, {})
    once = transform((case / "input.yaml").read_text(), settings).text
    assert transform(once, settings).text == once


# Feature cases whose near miss another twin already is.
NO_TWIN = {
    "nginx-security-allowed": "nginx-security-noop (the controls switched off)",
    "nginx-affinity-standard": "nginx-affinity-noop (no affinity)",
}


def test_every_feature_case_has_a_real_twin() -> None:
    """Each dialect feature case has a ``-noop`` twin: a near-miss input the feature must
    leave alone (switched off, default value, nothing to apply it to)."""
    features = [c for c in CASES if c.startswith("nginx-") and not c.endswith("-noop")]
    twins = {c[: -len("-noop")] for c in CASES if c.endswith("-noop")}
    assert not [c for c in features if c not in twins and c not in NO_TWIN]


@pytest.mark.parametrize("name", [c for c in CASES if c.endswith("-noop")])
def test_a_twin_is_its_own_input_not_a_class_filter_rerun(name: str) -> None:
    case = GOLDEN / name
    assert "--ingress-class" not in _args(case)
    twin_of = GOLDEN / name[: -len("-noop")]
    if twin_of.exists():
        assert (case / "input.yaml").read_bytes() != (twin_of / "input.yaml").read_bytes()


@pytest.mark.parametrize("name", ["nginx-canary-noop", "list-kind-noop", "legacy-v1beta1-noop",
                                  "release-gateway-name-noop", "nginx-tcp-services-noop",
                                  "nginx-udp-services-noop",
                                  *(f"target-{t}-noop" for t in ("envoy-gateway", "kong",
                                                                 "nginx-gateway-fabric", "traefik"))])
def test_must_not_change_twins_leave_the_input_byte_identical(name: str) -> None:
    case = GOLDEN / name
    assert (case / "expected.yaml").read_bytes() == (case / "input.yaml").read_bytes()


@pytest.mark.parametrize("name", ["nginx-ssl-redirect", "nginx-security"])
def test_cli_subprocess_matches_core(name: str) -> None:
    case = GOLDEN / name
    proc = subprocess.run([sys.executable, "-m", "gwshift", *_args(case), str(case / "input.yaml")],
                          capture_output=True, text=True, check=False)
    notes = (case / "notes.txt").read_text()
    assert proc.returncode == (1 if "\nerror\t" in "\n" + notes else 0), proc.stderr
    assert proc.stdout == (case / "expected.yaml").read_text()


def _anchors(text: str) -> list[str]:
    """Anchors and aliases in a YAML stream (gwshift's reader refuses them, as do many tools)."""
    return [f"{type(e).__name__} {e.anchor}" for e in yaml.parse(text)
            if getattr(e, "anchor", None) is not None]


@pytest.mark.parametrize("name", CASES)
def test_no_golden_output_has_a_yaml_anchor_or_alias(name: str) -> None:
    """Filters shared by several rules are one dict in memory; emitted, each is its own."""
    case = GOLDEN / name
    text, _ = _run(case)
    assert _anchors(text) == []
    assert _anchors((case / "expected.yaml").read_text()) == []
