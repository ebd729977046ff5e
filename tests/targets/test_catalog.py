"""Every note code a target module can emit has an explain entry in catalog/targets.py."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from gwshift.catalog.targets import ENTRIES
from gwshift.targets import TARGETS

IMPLEMENTATIONS = [name for name in TARGETS if name != "standard"]


def emitted_codes(name: str) -> set[str]:
    module = importlib.import_module(TARGETS[name])
    return {module.P + suffix for suffix in re.findall(r'P \+ "([a-z0-9-]+)"',
                                                       inspect.getsource(module))}


@pytest.mark.parametrize("name", IMPLEMENTATIONS)
def test_every_code_is_explained(name: str) -> None:
    codes = emitted_codes(name)
    assert codes, name
    assert not sorted(codes - set(ENTRIES))


def test_no_entry_without_an_emitter() -> None:
    emitted = set().union(*(emitted_codes(n) for n in IMPLEMENTATIONS))
    assert not sorted(set(ENTRIES) - emitted)


def test_entries_have_meaning_why_and_fix() -> None:
    for code, entry in ENTRIES.items():
        assert entry["meaning"] and entry["why"] and entry["fix"], code
