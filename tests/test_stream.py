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


# --- issue 19: odd line breaks and `...` end markers are converted, never silently left ----

_ING = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"""
_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\ndata:\n  a: b\n"
_BREAKS = {"cr": "\r", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}


def _kinds(text: str) -> list[str]:
    import yaml

    return [d["kind"] for d in yaml.safe_load_all(text) if isinstance(d, dict)]


@pytest.mark.parametrize("brk", list(_BREAKS.values()), ids=list(_BREAKS))
def test_odd_line_breaks_split_and_convert(brk: str) -> None:
    from gwshift.core import transform
    from gwshift.settings import Settings

    cm = _CM.replace("\n", brk)
    text = cm + "---" + brk + _ING.replace("\n", brk)
    chunks = split(text)
    assert len(chunks) == 2 and "".join(c.text for c in chunks) == text
    assert [sniff(c).kind for c in chunks] == ["ConfigMap", "Ingress"]
    assert all(sniff(c).certain for c in chunks)
    out = transform(text, Settings())
    assert out.text.startswith(cm)  # the untouched document, byte for byte
    assert _kinds(out.text) == ["ConfigMap", "Gateway", "HTTPRoute"]
    assert transform(out.text, Settings()).text == out.text


@pytest.mark.parametrize("brk", list(_BREAKS.values()), ids=list(_BREAKS))
def test_odd_line_breaks_must_not_change_twin(brk: str) -> None:
    """No Ingress: the stream is returned as it is, whatever its line breaks."""
    from gwshift.core import transform
    from gwshift.settings import Settings

    text = (_CM + "---\n" + _CM.replace("name: c", "name: d")).replace("\n", brk)
    assert [sniff(c).kind for c in split(text)] == ["ConfigMap", "ConfigMap"]
    assert transform(text, Settings()).text == text


@pytest.mark.parametrize(("text", "kinds"), [
    (_CM + "...\n" + _ING, ["ConfigMap", "Gateway", "HTTPRoute"]),
    (_ING + "...\n" + _CM, ["Gateway", "HTTPRoute", "ConfigMap"]),
    (_ING + "... # end\n# Source: x\n" + _CM, ["Gateway", "HTTPRoute", "ConfigMap"]),
    (_CM + "...\n---\n" + _ING, ["ConfigMap", "Gateway", "HTTPRoute"]),
    (_CM + "...\n" + _ING + "...\n", ["ConfigMap", "Gateway", "HTTPRoute"]),
    (_CM.replace("\n", "\r\n") + "...\r\n" + _ING.replace("\n", "\r\n"),
     ["ConfigMap", "Gateway", "HTTPRoute"]),
])
def test_document_end_markers_start_a_new_document(text: str, kinds: list[str]) -> None:
    """YAML 1.2 (yaml.v3, kustomize, ruamel) starts a bare document after ``...``; YAML 1.1
    readers want a ``---`` there, so input like this is only valid for 1.2 readers, and so is
    the output. (Writing ``---`` before a replaced document whose header has no separator
    would make it valid for both: a change in core._write_chunk, handed to the lead.)"""
    from gwshift.core import transform
    from gwshift.settings import Settings
    from ruamel.yaml import YAML

    assert "".join(c.text for c in split(text)) == text
    out = transform(text, Settings())
    docs = list(YAML(typ="safe", pure=True).load_all(out.text))
    assert [d["kind"] for d in docs if isinstance(d, dict)] == kinds
    assert transform(out.text, Settings()).text == out.text


@pytest.mark.parametrize("text", [
    _CM + "...\n",                       # marker at the end: nothing follows
    _CM + "...\n# trailing comment\n",   # only a comment follows
    _CM + "...\n---\n" + _CM,            # a separator follows: no extra chunk
    "a: |\n  ...\n  indented, inside a block scalar\n",
])
def test_end_markers_without_a_following_document_add_no_chunk(text: str) -> None:
    before = len([c for c in split(text.replace("...", "#..")) if c.has_content])
    assert len([c for c in split(text) if c.has_content]) == before


_ODD_LINES = st.lists(st.sampled_from(["---", "...", "... # x", "kind: A", "a: 1", "# c", "",
                                       "  ---", "--- x"]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_ODD_LINES, st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]))
def test_split_is_lossless_with_any_line_break(lines: list[str], brk: str) -> None:
    text = brk.join(lines)
    chunks = split(text)
    assert "".join(c.text for c in chunks) == text
    found = scan(text, boundaries(text))
    assert [sniff_scanned(c, found) for c in chunks] == [sniff(c) for c in chunks]


# --- issue 19: bounded input reading (the CLI's read_inputs should call read_input) --------

def test_read_input_bounds_dev_zero() -> None:
    from gwshift.stream import InputError, read_input

    with pytest.raises(InputError, match="larger than 1 MiB; set GWSHIFT_MAX_INPUT_MB"):
        read_input("/dev/zero", 1 << 20)


def test_read_input_closed_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from gwshift.stream import InputError, read_input

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match="stdin is closed"):
        read_input("-")


def test_read_input_missing_file_and_exact_limit(tmp_path: Path) -> None:
    from gwshift.stream import InputError, read_input

    with pytest.raises(InputError, match="cannot read .*: No such file"):
        read_input(str(tmp_path / "nope.yaml"))
    f = tmp_path / "x.yaml"
    f.write_bytes(b"a" * 1000)
    assert read_input(str(f), 1000) == b"a" * 1000
    with pytest.raises(InputError):
        read_input(str(f), 999)


@pytest.mark.parametrize(("env", "want"), [
    ({}, 256), ({"GWSHIFT_MAX_INPUT_MB": "1024"}, 1024), ({"GWSHIFT_MAX_INPUT_MB": ""}, 256),
    ({"GWSHIFT_MAX_INPUT_MB": " 2 "}, 2),
])
def test_max_input_bytes(env: dict[str, str], want: int) -> None:
    from gwshift.stream import max_input_bytes

    assert max_input_bytes(env) == want << 20


@pytest.mark.parametrize("raw", ["0", "\u0668", "x", "abc", "-1", "1.5", "9999999", "1\nsecond"])
def test_max_input_bytes_set_wrong_is_one_line(raw: str) -> None:
    from gwshift.stream import InputError, max_input_bytes

    with pytest.raises(InputError, match="GWSHIFT_MAX_INPUT_MB=.* is not a positive whole "
                       "number of MiB") as exc:
        max_input_bytes({"GWSHIFT_MAX_INPUT_MB": raw})
    assert "\n" not in str(exc.value)


def test_max_input_bytes_set_wrong_is_a_usage_error() -> None:
    from gwshift.errors import UsageError
    from gwshift.settings import Args, settings_from

    with pytest.raises(UsageError, match="GWSHIFT_MAX_INPUT_MB"):
        settings_from(Args({}, (), False, False), {"GWSHIFT_MAX_INPUT_MB": "abc"})


def test_input_errors_escape_the_file_name(tmp_path: Path) -> None:
    from gwshift.stream import InputError, read_input

    with pytest.raises(InputError) as exc:
        read_input(str(tmp_path / "a\nb.yaml"))
    assert "\n" not in str(exc.value) and "a\\nb.yaml" in str(exc.value)
    big = tmp_path / "c\rd.yaml"
    big.write_bytes(b"a" * 10)
    with pytest.raises(InputError) as exc:
        read_input(str(big), 5)
    assert "\r" not in str(exc.value) and "c\\rd.yaml" in str(exc.value)
