"""Design guard (issue 6): untouched documents are never parsed nor re-dumped.

gwshift's speed comes from copying chunks it does not convert verbatim. These tests fail
if a change starts loading every document, re-dumping untouched ones, or importing heavy
optional dependencies at CLI start-up. No timing assertions: only counts and bytes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gwshift import core, stream, yamlio
from gwshift.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import gen

# Kinds the core may legitimately load: Ingresses and what conversion needs to look up.
LOADABLE = {"Ingress", "IngressClass", "Service", "ConfigMap", "List"}


def _kind_of(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("kind:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return None


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    calls: dict[str, list] = {"load": [], "dump": [], "loader": []}
    real_load, real_dump, real_loader = yamlio.load, yamlio.dump, yamlio.LOADER

    def load(text: str):
        calls["load"].append(_kind_of(text))
        return real_load(text)

    def dump(obj, unshare=False):
        calls["dump"].append(obj.get("kind") if isinstance(obj, dict) else type(obj).__name__)
        return real_dump(obj, unshare)

    class CountingLoader(real_loader):  # type: ignore[misc, valid-type]
        def __init__(self, stream_text):
            calls["loader"].append(_kind_of(stream_text) if isinstance(stream_text, str) else None)
            super().__init__(stream_text)

    monkeypatch.setattr(yamlio, "load", load)
    monkeypatch.setattr(yamlio, "dump", dump)
    monkeypatch.setattr(yamlio, "LOADER", CountingLoader)
    return calls


def _stream() -> str:
    # 1 000 documents, ~10 % Ingresses, every Ingress backend by port number.
    return gen.stream(1000, seed=7, plain=True)


def test_only_ingress_like_documents_are_loaded(counted: dict[str, list]) -> None:
    text = _stream()
    kinds = [_kind_of(c.body) for c in stream.split(text) if c.has_content]
    n_ing = kinds.count("Ingress")
    assert 50 < n_ing < 200 and len(kinds) == 1000
    out = core.transform(text, Settings())
    assert out.text
    loaded = counted["load"]
    # Every YAML loader constructed anywhere is for an Ingress-like document.
    assert set(loaded) <= LOADABLE, f"unexpected kinds loaded: {set(loaded) - LOADABLE}"
    assert set(counted["loader"]) <= LOADABLE
    assert "Deployment" not in loaded
    # Each document is loaded at most once (lazy + cached).
    assert loaded.count("Ingress") == n_ing
    assert len(loaded) <= n_ing + kinds.count("IngressClass") + kinds.count("Service") + kinds.count(
        "ConfigMap"
    )
    # Nothing that passes through is re-dumped: only generated Gateway API objects.
    assert counted["dump"], "no Gateway API objects were generated"
    assert {k for k in counted["dump"]} <= {"Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute",
                                             "ReferenceGrant", "BackendTLSPolicy"}


def test_stream_without_ingress_loads_nothing(counted: dict[str, list]) -> None:
    text = gen.stream(1000, seed=3, ingress_ratio=0.0, plain=True)
    out = core.transform(text, Settings())
    assert out.text == text
    assert not counted["dump"]
    # Only the IngressClass (looked up eagerly for class → controller mapping) may be read.
    assert set(counted["load"]) <= {"IngressClass"}, counted["load"]


def test_untouched_chunks_are_byte_identical() -> None:
    text = _stream()
    # Add some pass-through oddities the naive round-trip would normalise.
    text += "---\n# odd\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\ndata:\n  a: 'x'   # c\n  b: !!str 012\n"
    out = core.transform(text, Settings()).text
    pos = 0
    for chunk in stream.split(text):
        if stream.sniff(chunk).kind == "Ingress":
            continue
        found = out.find(chunk.text, pos)
        assert found >= 0, f"chunk {chunk.index} is not copied verbatim (in order)"
        pos = found + len(chunk.text)


def test_cli_import_is_light() -> None:
    code = (
        "import sys, json, gwshift.cli, gwshift.core\n"
        "print(json.dumps(sorted(m for m in sys.modules)))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    mods = set(json.loads(res.stdout))
    heavy = {m for m in mods if m.split(".")[0] in {"jinja2", "ruamel", "jsonschema", "cel",
                                                    "cel_expr_python", "celpy"}}
    assert not heavy, f"gwshift.cli imports heavy modules at start-up: {sorted(heavy)}"


def test_cli_run_on_plain_stream_is_light(tmp_path: Path) -> None:
    """A whole CLI run over a normal stream (not KRM, no --validate) stays light too."""
    src = tmp_path / "in.yaml"
    src.write_text(gen.stream(50, seed=5, plain=True))
    code = (
        "import sys, json, io, contextlib\n"
        "from gwshift import cli\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    rc = cli.main([{str(src)!r}])\n"
        "print(json.dumps([rc, sorted(sys.modules)]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rc, mods = json.loads(res.stdout.strip().splitlines()[-1])
    assert rc in (0, 1)
    heavy = {m for m in mods if m.split(".")[0] in {"jinja2", "ruamel", "jsonschema", "cel",
                                                    "cel_expr_python"}}
    assert not heavy, sorted(heavy)


@pytest.mark.skipif(importlib.util.find_spec("yaml") is None, reason="PyYAML missing")
def test_yamlio_uses_c_loader_when_available() -> None:
    import yaml

    if hasattr(yaml, "CSafeLoader"):
        assert yamlio.HAS_C


def test_krm_untouched_items_are_neither_loaded_nor_redumped(counted: dict[str, list]) -> None:
    """KRM mode splices item text too: no ruamel, no load of pass-through items."""
    from gwshift import envelope  # KRM goes through the envelope, not core.transform

    text = gen.resource_list(1000, seed=7, plain=True)
    run = envelope.run(text, Settings())
    out = core.Outcome("".join(run.pieces), run.outcome.notes)
    assert "kind: HTTPRoute" in out.text, "the ResourceList was not converted"
    loaded = counted["load"]
    assert "Deployment" not in loaded and set(loaded) <= LOADABLE | {None}, set(loaded)
    assert {k for k in counted["dump"]} <= {"Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute",
                                             "ReferenceGrant", "BackendTLSPolicy", "list"}
    # Every Deployment item of the input is in the output, byte for byte.
    items = text.partition("\nitems:\n")[2]
    checked = 0
    for piece in ("\n" + items).split("\n- ")[1:]:
        if "\n  kind: Deployment\n" in piece:
            assert "\n- " + piece.rstrip("\n") + "\n" in out.text
            checked += 1
    assert checked > 100


def test_chunks_point_into_the_input_and_output_is_streamed() -> None:
    """Peak memory stays near one copy of the input: chunks are views (offsets into the
    input, sliced when written) and the CLI writes pieces as a generator yields them."""
    text = _stream()
    chunks = stream.split(text)
    assert all(c.source is text for c in chunks)
    pieces, _notes, _summary = core.transform_pieces(text, Settings())
    assert iter(pieces) is pieces, "output pieces must be produced lazily"
    assert "".join(pieces) == core.transform(text, Settings()).text
