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

from tests.conftest import corpus_paths

DIALECT_KEYS = re.compile(r"traefik\.ingress\.kubernetes\.io/|konghq\.com/")
# Why a Traefik/Kong Ingress of a render may be kept: a reference gwshift cannot resolve.
ALLOWED_KEPT = {"traefik/middleware", "kong/plugin"}
_REF = re.compile(r"router\.middlewares:\s*\"?([^\"\n]+)\"?")


def _dialect_ingresses(text: str) -> bool:
    return bool(DIALECT_KEYS.search(text)) and "kind: Ingress" in text


# Only the renders with Traefik/Kong annotations (full ../shared corpus, else the vendored
# subset): chosen at collection, so the other ~170 files are not reported as skipped.
RENDERS = [p for p in corpus_paths() if _dialect_ingresses(p.read_text())]
WITH_MIDDLEWARES = [p for p in RENDERS if _REF.search(p.read_text())]


@pytest.mark.parametrize("render", RENDERS, ids=[p.name for p in RENDERS])
def test_corpus_render(render: Path) -> None:
    text = render.read_text()
    out = core.transform(text, Settings())
    errors = {n.code for n in out.notes if n.severity is Severity.ERROR}
    dialect_errors = {c for c in errors if c.startswith(("traefik/", "kong/"))}
    assert dialect_errors <= ALLOWED_KEPT, dialect_errors
    objs = [o for o in load_all(out.text) if isinstance(o, dict) and is_gateway_api(o)]
    assert not validate_objects(objs)


@pytest.mark.parametrize("render", WITH_MIDDLEWARES, ids=[p.name for p in WITH_MIDDLEWARES])
def test_corpus_traefik_converts_with_its_middlewares(render: Path) -> None:
    text = render.read_text()
    refs = sorted({r.strip() for line in _REF.findall(text) for r in line.split(",")})
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
