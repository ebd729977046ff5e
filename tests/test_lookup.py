"""gwshift.lookup: lexical (namespace, name) index, documents loaded only when named.

The reference is the full index the core used before (load every document of the kind,
first one per key wins): every output must stay byte-identical to it, and the lexical key
must never differ from the loaded one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from gwshift import core, inventory, lookup, stream, yamlio
from gwshift.settings import Settings
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import gen

GOLDEN = sorted((ROOT / "tests" / "golden").glob("*/input.yaml"))


def _reference_lookup(items: list[inventory.Item], kind: str, settings: Settings) -> Any:
    """The core's finder before issue 12, verbatim in behaviour."""
    index: dict[tuple[str | None, str], Any] | None = None

    def find(ns: str | None, name: str) -> Any:
        nonlocal index
        if index is None:
            index = {}
            for obj in inventory.objects(items, lambda item: item.kind == kind,
                                         lambda o: o.get("kind") == kind):
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                oname, ons = meta.get("name"), meta.get("namespace")
                if isinstance(oname, str) and (ons is None or isinstance(ons, str)):
                    index.setdefault((ons or settings.namespace, oname), obj)
        return index.get((ns or settings.namespace, name))

    return find


def _planner() -> Any:
    """The module whose ``_lookup`` builds the finders (plan.py once the core is split)."""
    import importlib

    for name in ("gwshift.plan", "gwshift.core"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(mod, "_lookup"):
            return mod
    raise AssertionError("no planner module defines _lookup")


class _Out(NamedTuple):
    text: str
    notes: tuple[Any, ...]


def _transform(text: str, settings_: Settings) -> _Out:
    """Stream or KRM, as the CLI dispatches (``gwshift.envelope`` when it exists)."""
    try:
        from gwshift import envelope
    except ImportError:
        out = core.transform(text, settings_)
        return _Out(out.text, out.notes)
    run = envelope.run(text, settings_)
    return _Out("".join(run.pieces), run.outcome.notes)


def _both(text: str, settings_: Settings, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    new = _transform(text, settings_)
    with monkeypatch.context() as m:
        m.setattr(_planner(), "_lookup", _reference_lookup)
        old = _transform(text, settings_)
    return new, old


def test_the_planner_uses_the_lazy_finder() -> None:
    from gwshift.settings import Settings as S

    found = _planner()._lookup([], "Service", S())
    assert isinstance(found, lookup._Lazy)


def _args(case: Path) -> Settings:
    args = case.parent / "args"
    if not args.exists():
        return Settings()
    from gwshift import cli

    ns = cli.build_parser().parse_args([a for a in args.read_text().splitlines() if a.strip()])
    return cli.settings_from_args(ns, {})


@pytest.mark.parametrize("case", GOLDEN, ids=[p.parent.name for p in GOLDEN])
def test_golden_inputs_identical_to_full_index(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = _both(case.read_text(), _args(case), monkeypatch)
    assert new.text == old.text
    assert new.notes == old.notes


def test_corpus_identical_to_full_index(corpus_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = corpus_file.read_text(encoding="utf-8")
    new, old = _both(text, Settings(), monkeypatch)
    assert new.text == old.text
    assert new.notes == old.notes


@pytest.mark.parametrize("krm", [False, True], ids=["stream", "krm"])
def test_generated_named_ports_identical_to_full_index(krm: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = gen.resource_list(600, seed=11) if krm else gen.stream(600, seed=11)
    new, old = _both(text, Settings(), monkeypatch)
    assert new.text == old.text and new.notes == old.notes
    assert "kind: HTTPRoute" in new.text
    assert "name: http" in text  # the generator names ports: lookups happen


# --- only named documents are loaded -------------------------------------------------------


def _named_backends(text: str) -> set[str]:
    """Services an Ingress of ``text`` names together with a port *name*."""
    out = set()
    for chunk in stream.split(text):
        if stream.sniff(chunk).kind != "Ingress":
            continue
        ing = yamlio.load(chunk.body)
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                svc = path["backend"]["service"]
                if "name" in svc["port"]:
                    out.add(svc["name"])
    return out


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str | None]]:
    loads: list[tuple[str | None, str | None]] = []
    real = yamlio.load

    def counting(text: str) -> Any:
        obj = real(text)
        if isinstance(obj, dict):
            meta = obj.get("metadata") or {}
            loads.append((obj.get("kind"), meta.get("name")))
        return obj

    monkeypatch.setattr(yamlio, "load", counting)
    return loads


@pytest.mark.parametrize("krm", [False, True], ids=["stream", "krm"])
def test_no_service_is_parsed_that_no_backend_names(krm: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    text = gen.stream(1000, seed=7)
    named = _named_backends(text)
    services = text.count("\nkind: Service\n")
    assert 30 < len(named) < services / 2  # most Services are never named by a port name
    loads = _count_loads(monkeypatch)
    out = _transform(gen.resource_list(1000, seed=7) if krm else text, Settings())
    assert "kind: HTTPRoute" in out.text
    loaded = [name for kind, name in loads if kind == "Service"]
    assert loaded, "named ports must load their Services"
    assert set(loaded) <= named, sorted(set(loaded) - named)[:5]
    assert len(loaded) == len(set(loaded)), "a Service was loaded twice"


def test_stream_without_named_ports_loads_no_service(monkeypatch: pytest.MonkeyPatch) -> None:
    # plain: every backend by port number, so no lookup needs a Service at all.
    loads = _count_loads(monkeypatch)
    _transform(gen.stream(1000, seed=3, plain=True), Settings())
    assert not [n for kind, n in loads if kind == "Service"]


# --- the lexical key ------------------------------------------------------------------------


def _sniff(text: str) -> tuple[str | None, str] | None:
    try:
        name, ns = lookup.sniff_key(text, 0, len(text))
    except lookup._Irregular:
        return None
    return ns, name


_UNREADABLE = ("unreadable", "")


def _loaded_key(text: str) -> tuple[str | None, str] | None:
    try:
        obj = yamlio.load(text)
    except Exception:  # noqa: BLE001 - any failure: the full index skips the document too
        return _UNREADABLE
    return lookup.key_of(obj, None)


@pytest.mark.parametrize("text, key", [
    ("kind: Service\nmetadata:\n  name: web\n  namespace: team\n", ("team", "web")),
    ("kind: Service\nmetadata:\n  name: web # c\nspec: {}\n", (None, "web")),
    ("kind: Service\nmetadata:\n  labels:\n    a: \"b\"\n  name: 'web'\n", (None, "web")),
    ("kind: Service\nmetadata:\n  finalizers:\n  - x\n  name: web\n", (None, "web")),
    ("kind: Service\r\nmetadata:\r\n  name: web\r\n", (None, "web")),
    ("metadata:\n    annotations:\n      a: |\n        name: evil\n    name: web\n", (None, "web")),
])
def test_sniff_reads_block_metadata(text: str, key: tuple[str | None, str]) -> None:
    assert _sniff(text) == key == _loaded_key(text)


@pytest.mark.parametrize("text", [
    "metadata: {name: web}\n",  # flow style
    "metadata: &m\n  name: web\n",  # anchor
    "metadata:\n  <<: *m\n  name: web\n",  # merge key
    "metadata:\n  \"name\": web\n",  # quoted key
    "metadata:\n  name: web\n  name: api\n",  # duplicate
    "metadata:\n  name: web\nmetadata:\n  name: api\n",  # duplicate top-level key
    "metadata:\n  name: web\n    more\n",  # multi-line plain scalar
    "metadata:\n  name: 123\n",  # an int
    "metadata:\n  name: yes\n",  # a bool
    "metadata:\n  name: null\n",  # null
    "metadata:\n  name: \"a\\x41\"\n",  # escapes
    "metadata:\n  labels: {a: \"\n  name: fake\n  \"}\n  name: web\n",  # multi-line flow
    "metadata:\n  labels:\n    a: \"foo\n  name: fake\n    bar\"\n",  # multi-line quoted
    "metadata:\n  labels:\n    a:b: \"x\n  name: fake\n  \"\n",  # a plain key with a colon
    "metadata:\n  generateName: web-\n",  # no name
    "metadata:\n\tname: web\n",  # a tab
    "metadata:\n  - name: web\n",  # a sequence
    "metadata:\n  name: !!str web\n",  # a tag
])
def test_sniff_refuses_what_it_cannot_vouch_for(text: str) -> None:
    assert _sniff(text) is None


def test_sniff_krm_item_columns() -> None:
    text = ("items:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n"
            "    namespace: a\n- metadata:\n    name: api\n")
    first, second = text.index("- apiVersion"), text.index("- metadata")
    assert lookup.sniff_key(text, first, second, 2) == ("web", "a")
    assert lookup.sniff_key(text, second, len(text), 2) == ("api", None)


_piece = st.sampled_from([
    "  name: web\n", "  name: 'web'\n", "  name: \"web\"\n", "  name: web # c\n",
    "  namespace: team\n", "  namespace: \"\"\n", "  name: 12\n", "  name: on\n",
    "  labels:\n    a: b\n", "  labels: {a: b}\n", "  labels: {a: \"\n", "  \"\n",
    "  annotations:\n    x: |\n      name: evil\n", "    continued\n", "  # comment\n",
    "\n", "  finalizers:\n  - f\n", "  - g\n", "  a:b: \"q\n", "  name:\n", "    web\n",
    "  <<: {name: m}\n", "  x: &a y\n", "  y: *a\n", "  name: web\n  name: web\n",
    "kind: Service\n", "spec:\n  name: spec\n", "metadata:\n", "   name: odd\n",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_piece, max_size=10))
def test_sniff_never_disagrees_with_a_load(pieces: list[str]) -> None:
    text = "kind: Service\nmetadata:\n" + "".join(pieces)
    got = _sniff(text)
    truth = _loaded_key(text)
    # An unreadable document may be indexed lexically: loading it on lookup skips it, as
    # the full index does. A readable one must get exactly its key.
    if got is not None and truth != _UNREADABLE:
        assert got == truth, text
