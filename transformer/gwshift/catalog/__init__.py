"""Explanations of every note code (``gwshift explain CODE``, ``docs/note-codes.md``).

One module per area (``catalog/core.py``, ``catalog/nginx.py``, ``catalog/<dialect>.py``,
``catalog/targets.py`` ...), each with ``ENTRIES: dict[code, Entry]``. :data:`AREAS` is the
explicit list of those modules: no discovery, and a module that fails to import is an error
(a missing explanation must never go unnoticed). ``tests/test_explain.py`` collects every
code the package can emit and fails when one has no entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, NamedTuple

# Relative to the source tree (the docs ship with the sources, not at a web address).
DOCS = "docs/"


class Entry(NamedTuple):
    meaning: str  # what the note says happened
    why: str  # why gwshift does it
    fix: str  # what the user can do
    flags: tuple[str, ...] = ()  # options that change the outcome
    doc: str = ""  # docs page (relative to docs/), e.g. "annotations/nginx.md"


# The area modules, in documentation order. Add one line per area (explicit on purpose).
AREAS: tuple[str, ...] = (
    "gwshift.catalog.core",
    "gwshift.catalog.nginx",
    "gwshift.catalog.traefik",
    "gwshift.catalog.kong",
    "gwshift.catalog.targets",
    "gwshift.catalog.alb",
    "gwshift.catalog.gce",
    "gwshift.catalog.nginx_inc",
    "gwshift.catalog.haproxy",
    "gwshift.catalog.migration",
)


def _entry(code: str, value: Any) -> Entry:
    """An area may write an Entry, a (meaning, why, fix) tuple or a dict with those keys."""
    if isinstance(value, Entry):
        return value
    if isinstance(value, tuple) and len(value) >= 3:
        return Entry(*value)
    if isinstance(value, Mapping):
        return Entry(str(value["meaning"]), str(value["why"]),
                     str(value.get("fix") or value.get("what_to_do") or value["do"]),
                     tuple(value.get("flags", ())), str(value.get("doc", "")))
    raise TypeError(f"catalog entry {code!r}: expected an Entry, got {type(value).__name__}")


def _collect() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for name in AREAS:
        module = importlib.import_module(name)
        for code, value in module.ENTRIES.items():
            if code in out:
                raise ValueError(f"note code {code!r} is explained twice ({name})")
            out[code] = _entry(code, value)
    return out


ENTRIES: dict[str, Entry] = _collect()


def get(code: str) -> Entry | None:
    return ENTRIES.get(code)
