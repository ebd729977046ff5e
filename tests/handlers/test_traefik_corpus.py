"""The corpus's Traefik and Kong renders: what each of their Ingresses became.

Every Traefik/Kong Ingress either converts, or is kept for a documented reason (a
Middleware or KongPlugin that is not in the render fails closed). Once the Middlewares
they name are in the stream (here: a portable headers Middleware per reference), every
Traefik Ingress converts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gwshift import core
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.validation import is_gateway_api, validate_objects
from gwshift.yamlio import load_all

DIALECT_KEYS = re.compile(r"traefik\.ingress\.kubernetes\.io/|konghq\.com/")
# Why a Traefik/Kong Ingress of a render may be kept: a reference gwshift cannot resolve.
ALLOWED_KEPT = {"traefik/middleware", "kong/plugin"}
_REF = re.compile(r"router\.middlewares:\s*\"?([^\"\n]+)\"?")


def _dialect_ingresses(text: str) -> bool:
    return bool(DIALECT_KEYS.search(text)) and "kind: Ingress" in text


def test_corpus_render(corpus_file: Path) -> None:
    text = corpus_file.read_text()
    if not _dialect_ingresses(text):
        pytest.skip("no Traefik/Kong annotations")
    out = core.transform(text, Settings())
    errors = {n.code for n in out.notes if n.severity is Severity.ERROR}
    dialect_errors = {c for c in errors if c.startswith(("traefik/", "kong/"))}
    assert dialect_errors <= ALLOWED_KEPT, dialect_errors
    objs = [o for o in load_all(out.text) if isinstance(o, dict) and is_gateway_api(o)]
    assert not validate_objects(objs)


def test_corpus_traefik_converts_with_its_middlewares(corpus_file: Path) -> None:
    text = corpus_file.read_text()
    refs = sorted({r.strip() for line in _REF.findall(text) for r in line.split(",")})
    if not refs:
        pytest.skip("no router.middlewares")
    extra = []
    for ref in refs:
        base = ref.split("@")[0]
        ns, _, name = base.partition("-")
        extra.append(f"---\napiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n"
                     f"  name: {name}\n  namespace: {ns}\nspec:\n  headers:\n"
                     "    customRequestHeaders:\n      X-Migrated: gwshift\n")
    out = core.transform(text.rstrip("\n") + "\n" + "".join(extra), Settings())
    kept = {n.code for n in out.notes if n.severity is Severity.ERROR}
    assert not {c for c in kept if c.startswith("traefik/")}, kept
    assert "X-Migrated" in out.text
