"""TABLE covers every Traefik annotation of the reference mapping table (§3.1), each handler
runs on odd values, consumes its key, and every note code has an ``explain`` entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gwshift.catalog.traefik import ENTRIES as CODES
from gwshift.handlers.traefik import TABLE, supported

from .test_traefik import P, codes, one

# implementations-and-dialects.md §3.1 (Traefik v3.7), vendored so the test runs without
# ../shared; test_reference_table_is_vendored checks it against the reference when present.
REFERENCE = (
    "router.entrypoints", "router.tls", "router.middlewares", "router.tls.certresolver",
    "router.priority", "router.tls.options", "router.pathmatcher", "router.tls.domains.n.main",
    "router.tls.domains.n.sans", "router.rulesyntax", "router.observability.accesslogs",
    "router.observability.metrics", "router.observability.tracing",
    "service.serversscheme", "service.serverstransport", "service.sticky.cookie",
    "service.sticky.cookie.name", "service.sticky.cookie.secure", "service.sticky.cookie.httponly",
    "service.sticky.cookie.samesite", "service.sticky.cookie.maxage", "service.passhostheader",
    "service.nativelb",
)
SOURCES = Path(__file__).resolve().parents[2] / "transformer" / "gwshift" / "handlers" / "traefik"


def test_table_covers_reference() -> None:
    assert set(REFERENCE) <= set(TABLE)


def test_reference_table_is_vendored(shared: Path) -> None:
    text = (shared / "reference" / "implementations-and-dialects.md").read_text()
    section = text.split("### 3.1 Traefik")[1].split("### 3.2")[0]
    found = set(re.findall(r"`((?:router|service)\.[a-z.]+)", section))
    expanded = set()
    for name in found:
        name = name.rstrip(".")
        if name.endswith("observability"):
            expanded |= {f"{name}.{k}" for k in ("accesslogs", "metrics", "tracing")}
        elif name == "router.tls.domains.n":
            expanded |= {"router.tls.domains.n.main", "router.tls.domains.n.sans"}
        else:
            expanded.add(name)
    assert expanded <= set(REFERENCE) | {"service.sticky.cookie"}, expanded - set(REFERENCE)


def test_supported_is_derived() -> None:
    sup = supported()
    assert "router.middlewares" in sup and "router.priority" not in sup
    assert "router.tls.options" not in sup


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("value", ["true", "", "web", "garbage value", "ns-x@kubernetescrd"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    key = name.replace(".n.", ".0.")
    conv = one({key: value})
    assert P + key in conv.consumed_annotations
    assert "traefik/unknown-annotation" not in codes(conv)
    h = TABLE[name]
    if h.disposition == "reported" and value == "garbage value":
        assert any(n.field == f"metadata.annotations[{P}{key}]" for n in conv.notes)
    if h.disposition == "blocked" and value == "garbage value":
        assert conv.blocked and set(h.codes) <= codes(conv)
    assert codes(conv) <= set(CODES) | {"ingress/unresolved-port-name"}


def test_every_code_has_an_explain_entry() -> None:
    written = set()
    for path in SOURCES.glob("*.py"):
        written |= set(re.findall(r'"(traefik/[a-z0-9-]+)"', path.read_text()))
    declared = {c for h in TABLE.values() for c in h.codes}
    missing = (written | declared) - set(CODES)
    assert not missing
    for entry in CODES.values():
        assert set(entry) == {"meaning", "why", "fix"} and all(entry.values())
