"""yamlio.dump's direct writer is byte-identical to PyYAML's dump, or defers to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from gwshift import yamlio
from gwshift.core import transform
from gwshift.settings import Settings
from hypothesis import given, settings
from hypothesis import strategies as st

GOLDEN = Path(__file__).resolve().parent / "golden"

_text = st.one_of(
    st.sampled_from(["", "yes", "No", "null", "~", "0", "0x1F", "1e3", ".inf", "-", "- a", "a: b",
                     "#x", "x #y", "*.example.com", "&a", "!t", "@x", "`x", "|", ">", "%x",
                     "/api/v1", "a b", " lead", "trail ", "10.0.0.0/8", "1m", "2001-12-14",
                     "é", "\t", "a\nb", "x" * 1200, "'q'", '"d"', "=", "<<", "?", "[", "{"]),
    st.text(max_size=30),
)
_leaf = st.one_of(_text, st.integers(-10**12, 10**12), st.booleans(), st.none())
_tree = st.recursive(
    _leaf,
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(_text, kids, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_text, _tree, max_size=6))
def test_dump_matches_pyyaml_on_random_objects(obj: dict[str, Any]) -> None:
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj)


@settings(max_examples=100, deadline=None)
@given(st.lists(_tree, max_size=5))
def test_dump_matches_pyyaml_on_random_lists(obj: list[Any]) -> None:
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj)


def test_shared_containers_defer_to_pyyaml() -> None:
    shared = {"a": 1}
    obj = {"x": shared, "y": shared}
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj) and "&id001" in yamlio.dump(obj)


def test_generated_objects_of_the_corpus_and_goldens_dump_identically(
        corpus_files: list[Path]) -> None:
    texts = [p.read_text() for p in corpus_files[::3]]
    texts += [p.read_text() for p in sorted(GOLDEN.glob("*/input.yaml"))]
    checked = 0
    for text in texts:
        out = transform(text, Settings()).text
        for doc in yaml.safe_load_all(out):
            if isinstance(doc, dict) and "gateway.networking.k8s.io" in str(doc.get("apiVersion")):
                assert yamlio.dump(doc) == yamlio._pyyaml_dump(doc)
                checked += 1
    assert checked > (100 if len(corpus_files) > 100 else 20)
