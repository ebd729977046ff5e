"""The real chart renders with ``--target envoy-gateway``: nothing lost, nothing invalid, and
the share of Ingresses converted printed next to the standard target's.

Uses ../shared/corpus/rendered when it is beside the repository, else the vendored subset
in tests/data/corpus (skipped when neither is there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from gwshift import stream
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.validation import validate_objects

REPO = Path(__file__).resolve().parents[2]
ROOTS = (REPO.parent / "shared" / "corpus" / "rendered", REPO / "tests" / "data" / "corpus")
FILES = next((sorted(r.glob("*.yaml")) for r in ROOTS if r.is_dir()), [])
TARGET = Settings(target="envoy-gateway")


def _ingresses(text: str) -> list[str]:
    return [c.text for c in stream.split(text) if stream.sniff(c).kind == "Ingress"]


def _check(text: str) -> tuple[int, int]:
    """(Ingresses in, Ingresses converted) after checking the invariants on one render."""
    out = transform(text, TARGET)
    cursor = 0
    for chunk in stream.split(text):
        kind = stream.sniff(chunk).kind
        if kind is not None and (kind == "Ingress" or kind.endswith("List")):
            continue
        found = out.text.find(chunk.text, cursor)
        assert found >= 0, f"untouched document {chunk.index} was lost, changed or moved"
        cursor = found + len(chunk.text)
    docs = [d for d in yaml.load_all(out.text, Loader=yaml.CSafeLoader) if isinstance(d, dict)]
    generated = [d for d in docs if "gwshift.dev/source" in
                 ((d.get("metadata") or {}).get("annotations") or {})]
    keys = [(d.get("apiVersion"), d.get("kind"), d["metadata"].get("namespace"),
             d["metadata"].get("name")) for d in generated]
    assert len(keys) == len(set(keys)), "two generated objects share kind/namespace/name"
    problems = validate_objects(generated, channel="standard")
    assert not problems, "\n".join(f"{p.kind}/{p.name} {p.field}: {p.message}" for p in problems)
    kept = _ingresses(out.text)
    for ingress in kept:  # a kept Ingress is byte-for-byte the input one
        assert ingress in text
    assert transform(out.text, TARGET).text == out.text, "not idempotent"
    before = len(_ingresses(text))
    return before, before - len(kept)


@pytest.mark.skipif(not FILES, reason="no corpus (../shared/corpus/rendered or tests/data/corpus)")
def test_corpus_envoy_gateway(capsys: pytest.CaptureFixture[str]) -> None:
    total = converted = standard = 0
    for path in FILES:
        text = path.read_bytes().decode("utf-8")
        n, done = _check(text)
        total += n
        converted += done
        standard += n - len(_ingresses(transform(text, Settings()).text))
    with capsys.disabled():
        print(f"\ncorpus ({len(FILES)} files, {total} Ingresses): converted with "
              f"--target envoy-gateway {converted} ({converted / max(total, 1):.0%}), with the "
              f"standard target {standard} ({standard / max(total, 1):.0%})")
    assert converted >= standard  # a target never converts less than portable output
