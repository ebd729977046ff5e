"""Odd but harmless streams without an Ingress pass through byte for byte (issue 7)."""

from __future__ import annotations

import pytest

from tests.hostile.helpers import CONFIGMAP, DEPLOYMENT, INGRESS, cli, core, stream

BOM = "\ufeff"

CASES: dict[str, str] = {
    "not-yaml": "{{ .Values.oops }: [unclosed\n  - : : :\n\t\x7f\n",
    "bom": BOM + CONFIGMAP,
    "bom-multi": BOM + stream(CONFIGMAP, DEPLOYMENT),
    "nul-byte": CONFIGMAP + "  bad: \"a\x00b\"\n",
    "nul-raw": "kind: ConfigMap\n\x00\x00\x00\n",
    "tabs": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\ndata:\n  a:\tb\n",
    "crlf": stream(CONFIGMAP, DEPLOYMENT).replace("\n", "\r\n"),
    "mixed-crlf-lf": CONFIGMAP.replace("\n", "\r\n") + "---\n" + DEPLOYMENT,
    "cr-only": CONFIGMAP.replace("\n", "\r"),
    "no-final-newline": stream(CONFIGMAP, DEPLOYMENT).rstrip("\n"),
    "document-end-markers": CONFIGMAP + "...\n---\n" + DEPLOYMENT + "...\n",
    "end-marker-only": "...\n",
    "list-document": "- a\n- b\n- {c: d}\n",
    "scalar-documents": "hello\n---\n42\n---\n\"quoted\"\n---\n|\n  block\n",
    "comment-only": "# just a comment\n# another\n",
    "comment-only-docs": "# a\n---\n# b\n---\n---\n",
    "empty-docs": "---\n---\n---\n",
    "separator-with-content": "--- !!str hello\n--- 42\n",
    "directive": "%YAML 1.1\n---\n" + CONFIGMAP,
    "flow-json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}\n',
    "anchors-untouched": CONFIGMAP + "  a: &x [1, 2]\n  b: *x\n",
    "duplicate-keys-untouched": CONFIGMAP + "  plain: again\n",
    "kind-twice": "kind: ConfigMap\nkind: Secret\napiVersion: v1\n",
    "weird-unicode": CONFIGMAP + "  u: \"\u2028\u2029\U0001F600 \u200b\"\n",
    "lone-separator-spaces": "---   \n" + CONFIGMAP,
    "very-long-line": CONFIGMAP + "  long: " + "x" * 2_000_000 + "\n",
    "many-tiny-docs": "---\na: 1\n" * 20000,
    "whitespace-only": "   \n\n\t\n",
    "python-tag-untouched": CONFIGMAP + "  x: !!python/object/apply:os.system ['echo PWNED']\n",
    "unknown-tag-untouched": CONFIGMAP + "  x: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n",
    "ingress-word-in-block": "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: |\n" + "".join(
        "    " + ln + "\n" for ln in INGRESS.splitlines()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_core_passthrough(name: str) -> None:
    text = CASES[name]
    out = core(text)
    assert out.text == text
    assert out.exit_code() == 0, [n.line() for n in out.notes]


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_passthrough(name: str, tmp_path) -> None:
    data = CASES[name].encode("utf-8")
    r = cli(data, cwd=tmp_path)
    assert r.rc == 0, r.stderr
    assert r.stdout == data
    assert list(tmp_path.iterdir()) == []  # no stray files written


def test_cli_twenty_megabyte_document(tmp_path) -> None:
    body = "".join(f"  key{i}: \"{'v' * 190}\"\n" for i in range(100_000))
    data = (CONFIGMAP + body).encode()
    assert len(data) > 20_000_000
    src = tmp_path / "big.yaml"
    src.write_bytes(data)
    out_dir = tmp_path / "run"
    out_dir.mkdir()
    r = cli(b"", str(src), cwd=out_dir, timeout=120)
    assert r.rc == 0, r.stderr
    assert r.stdout == data
    assert list(out_dir.iterdir()) == []


def test_twenty_megabyte_document_next_to_ingress() -> None:
    body = "".join(f"  key{i}: \"{'v' * 190}\"\n" for i in range(100_000))
    big = CONFIGMAP + body
    out = core(stream(big, INGRESS))
    assert big in out.text
    assert "kind: HTTPRoute" in out.text


def test_cli_invalid_utf8_is_one_line_error(tmp_path) -> None:
    for data in (b"kind: ConfigMap\nx: \xff\xfe\n", b"\xc3\x28", INGRESS.encode() + b"\x80"):
        r = cli(data, cwd=tmp_path)
        assert r.rc == 1
        assert r.stdout == b""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "UTF-8" in lines[0], r.stderr
        assert "Traceback" not in r.stderr


def test_cli_invalid_utf8_in_file_names_the_file(tmp_path) -> None:
    src = tmp_path / "bad.yaml"
    src.write_bytes(b"a: \xff\n")
    r = cli(b"", str(src), cwd=tmp_path)
    assert r.rc == 1 and r.stdout == b""
    assert "bad.yaml" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_ingress_keeps_siblings_byte_identical_with_odd_formatting() -> None:
    odd = [CASES[k] for k in ("tabs", "list-document", "scalar-documents", "comment-only",
                              "flow-json", "anchors-untouched")]
    text = stream(*odd, INGRESS, *odd)
    out = core(text).text
    for piece in odd:
        assert out.count(piece) >= 2
    assert "kind: HTTPRoute" in out




@pytest.mark.parametrize("variant", ["bom", "crlf",
                                     "no-final-newline", "dots", "mixed"])
def test_ingress_in_odd_stream_is_converted(variant: str) -> None:
    text = {
        "bom": BOM + stream(CONFIGMAP, INGRESS),
        "crlf": stream(CONFIGMAP, INGRESS).replace("\n", "\r\n"),
        "no-final-newline": stream(CONFIGMAP, INGRESS).rstrip("\n"),
        "dots": CONFIGMAP + "...\n---\n" + INGRESS + "...\n",
        "mixed": CONFIGMAP.replace("\n", "\r\n") + "---\n" + INGRESS,
    }[variant]
    out = core(text)
    assert "kind: HTTPRoute" in out.text
    assert "kind: Ingress\n" not in out.text.replace("\r\n", "\n")
    assert out.text.startswith(text[:20])  # the ConfigMap (or BOM) part is untouched
    assert out.exit_code() == 0, [n.line() for n in out.notes]
