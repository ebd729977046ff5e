"""Golden cases of the targets (tests/golden/target-*): every object in expected.yaml, the
implementation's own kinds included, passes its bundled CRD; tests/test_golden.py compares
the bytes and checks the Gateway API objects and idempotency."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import validate

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(p.name for p in GOLDEN.glob("target-*") if (p / "expected.yaml").exists())


def test_every_target_has_golden_cases() -> None:
    from gwshift.targets import TARGETS

    if not CASES:
        pytest.skip("target golden cases are added once the pipeline expresses intents")
    have = {c.removeprefix("target-").removesuffix("-noop") for c in CASES}
    missing = [t for t in TARGETS if t != "standard" and not any(h.startswith(t) for h in have)]
    assert not missing, missing


@pytest.mark.parametrize("name", CASES)
def test_golden_objects_are_valid(name: str) -> None:
    docs = [d for d in yaml.safe_load_all((GOLDEN / name / "expected.yaml").read_text())
            if isinstance(d, dict)]
    objs = [o for d in docs for o in (d.get("items") or [] if d.get("kind") == "List" else [d])]
    generated = [o for o in objs
                 if "gwshift.dev/source" in ((o.get("metadata") or {}).get("annotations") or {})]
    if generated:
        validate(generated)
