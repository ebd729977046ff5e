from __future__ import annotations

from pathlib import Path

import pytest
from gwshift.stream import Chunk, Sniff, boundaries, scan, sniff, sniff_scanned, split
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = [
    "",
    "a: 1\n",
    "---\na: 1\n---\nb: 2\n",
    "# lead\n---\n# Source: x\nkind: A\n--- # comment\nkind: B\n...\n---\n",
    "---\r\nkind: A\r\n---\r\nkind: B",
    "kind: A\n---\n---\n# only a comment\n",
    "--- |\n  scalar\n---\n- a\n- b\n",
    "a: |\n  ---\n  not a separator (indented)\n",
]


@pytest.mark.parametrize("text", CASES)
def test_split_is_lossless(text: str) -> None:
    assert "".join(c.text for c in split(text)) == text


def test_header_keeps_source_comments() -> None:
    chunks = split("---\n# Source: chart/templates/x.yaml\napiVersion: v1\nkind: Service\n")
    assert chunks[0].header == "---\n# Source: chart/templates/x.yaml\n"
    assert chunks[0].body.startswith("apiVersion")


@pytest.mark.parametrize(
    ("text", "kind", "certain"),
    [
        ("apiVersion: v1\nkind: Service\n", "Service", True),
        ("kind: 'Ingress'  # quoted\napiVersion: networking.k8s.io/v1\n", "Ingress", True),
        ('{"kind": "Ingress"}\n', None, False),
        ("items:\n- kind: Ingress\nkind: List\napiVersion: v1\n", "List", True),
        ("# only comments\n", None, True),
    ],
)
def test_sniff(text: str, kind: str | None, certain: bool) -> None:
    s = sniff(split(text)[0])
    assert (s.kind, s.certain) == (kind, certain)


_LINES = st.sampled_from(["---", "--- # c", "...", "kind: A", "kind: 'B'", "apiVersion: v1",
                          "apiVersion: x/y # c", "kind: a/b", "  kind: C", "# kind: D", "",
                          "a: |", "  kind: E", "- kind: F", "--- kind: G", "kind: H\r"])


def sniff_all(text: str, chunks: list[Chunk]) -> list[Sniff]:
    found = scan(text, boundaries(text))
    return [sniff_scanned(c, found) for c in chunks]


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=25))
def test_sniff_all_equals_sniff_per_chunk(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = split(text)
    assert sniff_all(text, chunks) == [sniff(c) for c in chunks]


def test_sniff_all_on_the_corpus(corpus_files: list[Path]) -> None:
    for path in corpus_files[::4]:
        text = path.read_text()
        chunks = split(text)
        assert sniff_all(text, chunks) == [sniff(c) for c in chunks], path.name
