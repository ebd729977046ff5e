from __future__ import annotations

import pytest

from gwshift.stream import sniff, split

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
