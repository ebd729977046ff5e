"""Unsafe YAML: python tags, alias bombs, pathological nesting (issue 7).

Bounds live in gwshift.yamlio (MAX_ALIASES, MAX_DEPTH, MAX_NODES). Subprocess runs use an
address-space limit (RLIMIT_AS) and a timeout so a regression fails instead of eating the
machine.
"""

from __future__ import annotations

import pytest
from gwshift import yamlio

from tests.hostile.helpers import CONFIGMAP, INGRESS, cli, core, ingress, stream

LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space for the child
HEAD = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n"


def laughs(levels: int = 12, indent: str = "  ") -> str:
    """Billion laughs: 9**levels strings from a few hundred bytes of anchors and aliases."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "".join(indent + ln + "\n" for ln in lines)


def bomb_ingress() -> str:
    return ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                      + laughs(indent="    ").replace(": &", "-x: &")})


def bomb_spec() -> str:
    return INGRESS.replace("spec:\n", "spec:\n" + laughs(), 1)


def test_python_tags_never_constructed_in_ingress(tmp_path) -> None:
    marker = tmp_path / "PWNED"
    text = ingress(**{"name: web\n": f"name: !!python/object/apply:os.system ['touch {marker}']\n"})
    out = core(text)
    assert not marker.exists()
    assert out.text == text  # kept as it is
    errs = [n for n in out.notes if n.severity >= 2]
    assert errs and errs[0].doc == 0 and "python/object/apply" in errs[0].message
    r = cli(text.encode(), cwd=tmp_path)
    assert not marker.exists()
    assert r.rc == 1 and r.stdout == text.encode()
    assert "python/object" in r.stderr


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/module:os"])
def test_python_tags_untouched_doc_pass_through(tag: str, tmp_path) -> None:
    marker = tmp_path / "PWNED"
    cm = CONFIGMAP + f"  evil: {tag} ['touch {marker}']\n"
    text = stream(cm, INGRESS)
    out = core(text)
    assert not marker.exists()
    assert out.text.startswith("---\n" + cm)
    assert "kind: HTTPRoute" in out.text


def test_python_tag_in_flow_document_without_sniffable_kind(tmp_path) -> None:
    """No column-0 kind: gwshift parses to find the kind; the tag must still not run."""
    marker = tmp_path / "PWNED"
    text = f"{{kind: ConfigMap, x: !!python/object/apply:os.system ['touch {marker}']}}\n"
    out = core(text)
    assert not marker.exists()
    assert out.text == text


def test_alias_bomb_in_ingress_is_rejected_quickly() -> None:
    text = stream(CONFIGMAP, bomb_ingress(), CONFIGMAP)
    out = core(text)
    assert out.text == text  # nothing expanded, everything kept
    errs = [n for n in out.notes if n.severity >= 2]
    assert len(errs) == 1
    assert errs[0].doc == 1 and "alias" in errs[0].message
    assert errs[0].obj is not None and errs[0].obj.kind == "Ingress"


def test_alias_bomb_cli_bounded_memory(tmp_path) -> None:
    text = stream(CONFIGMAP, bomb_spec(), INGRESS.replace("name: web", "name: other"))
    r = cli(text.encode(), cwd=tmp_path, timeout=30, limit_as=LIMIT)
    assert r.rc == 1, r.stderr
    assert "alias" in r.stderr and "doc 1" in r.stderr
    assert r.stdout.startswith(("---\n" + CONFIGMAP).encode())
    assert b"name: other" in r.stdout


def test_alias_bomb_in_untouched_documents_passes_through(tmp_path) -> None:
    cm = CONFIGMAP + laughs(levels=20)
    flow = "{" + laughs(levels=20, indent="").replace("\n", ", ").rstrip(", ") + "}\n"
    text = stream(cm, flow, "a: &a [1]\nb: [" + ",".join(["*a"] * 5000) + "]\n")
    r = cli(text.encode(), cwd=tmp_path, timeout=30, limit_as=LIMIT)
    assert r.rc == 0, r.stderr
    assert r.stdout == text.encode()


def test_any_alias_in_an_ingress_is_refused() -> None:
    """Aliases are refused outright (issue 19): a bound on their number still let 90 aliases
    of aliases expand 9**10-fold once the value was copied into a route or written out."""
    for alias_line in ("  x-list: [*h]\n", "  x-one: *h\n"):
        text = stream(CONFIGMAP, INGRESS.replace("spec:\n", "spec:\n  x-anchor: &h a.example.com\n"
                                                 + alias_line, 1))
        out = core(text)
        assert out.text == text
        errs = [n for n in out.notes if n.severity >= 2]
        assert len(errs) == 1 and errs[0].doc == 1 and "alias" in errs[0].message


def test_anchor_without_alias_in_an_ingress_converts() -> None:
    text = INGRESS.replace("spec:\n", "spec:\n  x-anchor: &h a.example.com\n", 1)
    out = core(text)
    assert "kind: HTTPRoute" in out.text


def test_scalar_alias_bomb_in_labels_is_refused_in_bounded_memory(tmp_path) -> None:
    """The 845-byte report case: aliases of a long scalar in metadata.labels."""
    big = "v" * 60
    labels = f"    a: &a {big}\n" + "".join(f"    l{i}: *a\n" for i in range(200))
    text = INGRESS.replace("  namespace: shop\n", "  namespace: shop\n  labels:\n" + labels, 1)
    r = cli(text.encode(), cwd=tmp_path, timeout=30, limit_as=LIMIT)
    assert r.rc == 1 and "alias" in r.stderr and r.stdout == text.encode()


@pytest.mark.parametrize("depth", [yamlio.MAX_DEPTH + 5, 1000, 10_000])
def test_deep_nesting_in_ingress_rejected(depth: int) -> None:
    for spec in ("[" * depth + "]" * depth, "{a: " * depth + "1" + "}" * depth):
        text = stream(CONFIGMAP, HEAD + "spec: " + spec + "\n")
        out = core(text)
        assert out.text == text
        errs = [n for n in out.notes if n.severity >= 2]
        assert len(errs) == 1 and errs[0].doc == 1 and "nesting" in errs[0].message


def test_deep_block_nesting_in_ingress_rejected() -> None:
    body = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(400))
    text = HEAD + "spec:\n" + body
    out = core(text)
    assert out.text == text
    assert any("nesting" in n.message for n in out.notes)




@pytest.mark.parametrize("kind_line", [
    pytest.param("", id="no-kind (sniff uncertain, parsed to find the kind)"),
    pytest.param(HEAD + "spec: ", id="inside-ingress"),
])
def test_very_deep_nesting_does_not_crash(kind_line: str, tmp_path) -> None:
    depth = 100_000
    text = stream(CONFIGMAP, kind_line + "[" * depth + "]" * depth + "\n")
    r = cli(text.encode(), cwd=tmp_path, timeout=60, limit_as=LIMIT)
    assert r.rc in (0, 1), (r.rc, r.stderr[-300:])
    assert r.stdout == text.encode()




def test_too_many_nodes_rejected_with_bounded_memory(tmp_path) -> None:
    text = HEAD + "spec:\n  x: [" + ",".join(["0"] * (yamlio.MAX_NODES + 100_000)) + "]\n"
    r = cli(text.encode(), cwd=tmp_path, timeout=60, limit_as=256 * 1024 * 1024)
    assert r.rc == 1, (r.rc, r.stderr[-300:])
    assert "nodes" in r.stderr or "larger than" in r.stderr
    assert r.stdout == text.encode()


def test_too_many_nodes_rejected() -> None:
    text = HEAD + "spec:\n  x: [" + ",".join(["0"] * (yamlio.MAX_NODES + 10)) + "]\n"
    out = core(text)
    assert out.text == text
    assert any(("nodes" in n.message or "larger than" in n.message) for n in out.notes if n.severity >= 2)
