"""Every real chart render passes with the invariants intact: the full ../shared/corpus/rendered
when it is beside the repository, else the curated subset vendored in tests/data/corpus."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml
from gwshift import stream
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.validation import validate_objects

GW_GROUP = "gateway.networking.k8s.io/"


def _touched(chunk: stream.Chunk) -> bool:
    kind = stream.sniff(chunk).kind
    return kind is not None and (kind == "Ingress" or kind.endswith("List"))


def test_corpus_present(corpus_files: list[Path]) -> None:
    full = "shared" in corpus_files[0].parts
    assert len(corpus_files) >= (170 if full else 28), "the corpus shrank"


def test_corpus_file(corpus_file: Path) -> None:
    text = corpus_file.read_bytes().decode("utf-8")
    out = transform(text, Settings())
    cursor = 0
    for chunk in stream.split(text):
        if _touched(chunk):
            continue
        found = out.text.find(chunk.text, cursor)
        assert found >= 0, f"untouched document {chunk.index} changed or moved"
        cursor = found + len(chunk.text)
    docs = [d for d in yaml.load_all(out.text, Loader=yaml.CSafeLoader) if d is not None]
    keys = [(d.get("kind"), (d.get("metadata") or {}).get("namespace"),
             (d.get("metadata") or {}).get("name")) for d in docs
            if isinstance(d, dict) and str(d.get("apiVersion", "")).startswith(GW_GROUP)]
    assert len(keys) == len(set(keys)), "two generated objects share kind/namespace/name"
    generated = [d for d in docs if isinstance(d, dict)
                 and str(d.get("apiVersion", "")).startswith(GW_GROUP)]
    problems = validate_objects(generated, channel="standard")
    assert not problems, "\n".join(f"{p.kind}/{p.name} {p.field}: {p.message}" for p in problems)
    assert transform(text, Settings()).text == out.text, "not deterministic"
    assert transform(out.text, Settings()).text == out.text, "not idempotent"


def test_corpus_figures(capsys: pytest.CaptureFixture[str], corpus_files: list[Path]) -> None:
    """Prints the corpus figures quoted in the closing notes (not an assertion of quality)."""
    converted = kept = 0
    codes: collections.Counter[str] = collections.Counter()
    for path in corpus_files:
        text = path.read_text()
        out = transform(text, Settings())
        before = sum(1 for c in stream.split(text) if stream.sniff(c).kind == "Ingress")
        after = sum(1 for c in stream.split(out.text) if stream.sniff(c).kind == "Ingress")
        converted += before - after
        kept += after
        codes.update(f"{n.severity.label}:{n.code}" for n in out.notes)
    with capsys.disabled():
        print(f"\ncorpus: {len(corpus_files)} files, Ingresses converted {converted}, kept {kept}")
        for code, n in sorted(codes.items()):
            print(f"  {n:5d} {code}")
    assert converted > 0
