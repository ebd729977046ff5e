"""The text path writes generated objects with ``yamlio.dump(obj, unshare=True)`` instead of
``yamlio.dump(emit.unshared(obj))`` (no copy of every object): the bytes must be the same."""

from __future__ import annotations

from typing import Any

from gwshift import yamlio
from gwshift.emit import unshared
from hypothesis import given, settings
from hypothesis import strategies as st

_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5),
                  st.sampled_from(["a", "yes", "1.0", "", "x y", "/p", "a: b", "ü", "- x"]))
_key = st.sampled_from(["name", "kind", "spec", "rules", "on", "a b", "x"])


def _tree(leaves: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(leaves, lambda sub: st.one_of(
        st.lists(sub, max_size=3), st.dictionaries(_key, sub, max_size=3)), max_leaves=12)


@st.composite
def _shared(draw: st.DrawFn) -> Any:
    """A tree in which one container may appear several times (as targets share filters)."""
    part = draw(st.one_of(st.dictionaries(_key, _leaf, min_size=1, max_size=2),
                          st.lists(_leaf, min_size=1, max_size=2)))
    leaves = st.one_of(_leaf, st.just(part))
    return draw(st.dictionaries(_key, _tree(leaves), min_size=1, max_size=4))


@settings(max_examples=300, deadline=None)
@given(_shared())
def test_unshare_writes_what_a_copy_would(obj: Any) -> None:
    assert yamlio.dump(obj, unshare=True) == yamlio.dump(unshared(obj))


def test_shared_filter_is_written_in_full_not_as_an_alias() -> None:
    f = {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "a"}]}}
    obj = {"rules": [{"filters": [f]}, {"filters": [f]}]}
    text = yamlio.dump(obj, unshare=True)
    assert "&" not in text and "*" not in text and text.count("RequestHeaderModifier") == 2
    assert "&id001" in yamlio.dump(obj)  # without unshare: PyYAML's anchor, as before
