"""TABLE covers every Kong annotation of the reference mapping table (§3.2), each handler
runs on odd values, consumes its key, and every note code has an ``explain`` entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gwshift.catalog.kong import ENTRIES as CODES
from gwshift.handlers.kong import HEADERS, SERVICE_KEYS, TABLE, supported

from .test_kong import P, codes, one

# implementations-and-dialects.md §3.2 (KIC 3.x), vendored so the test runs without
# ../shared; test_reference_table_is_vendored checks it against the reference when present.
INGRESS = (
    "plugins", "strip-path", "protocols", "https-redirect-status-code", "methods", HEADERS,
    "preserve-host", "host-header", "regex-priority", "regex-prefix", "path-handling",
    "request-buffering", "response-buffering", "snis", "host-aliases", "rewrite", "override",
)
SERVICE = ("protocol", "path", "connect-timeout", "read-timeout", "write-timeout", "retries")
SOURCES = Path(__file__).resolve().parents[2] / "transformer" / "gwshift" / "handlers" / "kong"


def test_table_covers_reference() -> None:
    assert set(INGRESS) | set(SERVICE) <= set(TABLE)
    assert set(SERVICE) <= SERVICE_KEYS


def test_reference_table_is_vendored(shared: Path) -> None:
    text = (shared / "reference" / "implementations-and-dialects.md").read_text()
    section = text.split("### 3.2 Kong")[1].split("**TCPIngress")[0]
    found = {n.rstrip(".") for n in re.findall(r"`konghq\.com/([a-z.<>-]+)`", section)}
    found |= {n for n in re.findall(r"`([a-z]+-timeout)`", section)}
    found = {HEADERS if n.startswith("headers.") else n for n in found}
    assert found <= set(INGRESS) | set(SERVICE), found - set(INGRESS) - set(SERVICE)


def test_supported_is_derived() -> None:
    sup = supported()
    assert "methods" in sup and "plugins" in sup and "snis" not in sup


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("value", ["true", "", "https", "garbage value", "GET"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    key = "headers.x-a" if name == HEADERS else name
    conv = one({key: value})
    assert P + key in conv.consumed_annotations
    assert "kong/unknown-annotation" not in codes(conv)
    h = TABLE[name]
    if h.disposition == "reported" and value == "garbage value":
        assert any(n.field == f"metadata.annotations[{P}{key}]" for n in conv.notes)
    assert codes(conv) <= set(CODES)


def test_every_code_has_an_explain_entry() -> None:
    written = set()
    for path in SOURCES.glob("*.py"):
        written |= set(re.findall(r'"(kong/[a-z0-9-]+)"', path.read_text()))
    declared = {c for h in TABLE.values() for c in h.codes}
    missing = (written | declared) - set(CODES)
    assert not missing
    for entry in CODES.values():
        assert set(entry) == {"meaning", "why", "fix"} and all(entry.values())
