"""yamlio.dump's direct writer is byte-identical to PyYAML's dump, or defers to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from gwshift import yamlio
from gwshift.core import transform
from gwshift.settings import Settings
from hypothesis import given, settings
from hypothesis import strategies as st

GOLDEN = Path(__file__).resolve().parent / "golden"

_text = st.one_of(
    st.sampled_from(["", "yes", "No", "null", "~", "0", "0x1F", "1e3", ".inf", "-", "- a", "a: b",
                     "#x", "x #y", "*.example.com", "&a", "!t", "@x", "`x", "|", ">", "%x",
                     "/api/v1", "a b", " lead", "trail ", "10.0.0.0/8", "1m", "2001-12-14",
                     "é", "\t", "a\nb", "x" * 1200, "'q'", '"d"', "=", "<<", "?", "[", "{"]),
    st.text(max_size=30),
)
_leaf = st.one_of(_text, st.integers(-10**12, 10**12), st.booleans(), st.none())
_tree = st.recursive(
    _leaf,
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(_text, kids, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_text, _tree, max_size=6))
def test_dump_matches_pyyaml_on_random_objects(obj: dict[str, Any]) -> None:
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj)


@settings(max_examples=100, deadline=None)
@given(st.lists(_tree, max_size=5))
def test_dump_matches_pyyaml_on_random_lists(obj: list[Any]) -> None:
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj)


def test_shared_containers_defer_to_pyyaml() -> None:
    shared = {"a": 1}
    obj = {"x": shared, "y": shared}
    assert yamlio.dump(obj) == yamlio._pyyaml_dump(obj) and "&id001" in yamlio.dump(obj)


def test_generated_objects_of_the_corpus_and_goldens_dump_identically(
        corpus_files: list[Path]) -> None:
    texts = [p.read_text() for p in corpus_files[::3]]
    texts += [p.read_text() for p in sorted(GOLDEN.glob("*/input.yaml"))]
    checked = 0
    for text in texts:
        out = transform(text, Settings()).text
        for doc in yaml.safe_load_all(out):
            if isinstance(doc, dict) and "gateway.networking.k8s.io" in str(doc.get("apiVersion")):
                assert yamlio.dump(doc) == yamlio._pyyaml_dump(doc)
                checked += 1
    assert checked > (100 if len(corpus_files) > 100 else 20)


# --- issue 19: every string reads back as a string under YAML 1.1 and YAML 1.2 ------------

class _Yaml11Loader(yaml.SafeLoader):
    """PyYAML plus the y/Y/n/N booleans of the YAML 1.1 spec (Go yaml.v2 reads them)."""


_Yaml11Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile("^(?:y|Y|n|N)$"),
                                    list("yYnN"))

# Plain scalars that some YAML version reads as a bool, null, int, float or timestamp.
AMBIGUOUS = [
    "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "",
    "0", "-0", "+1", "09", "007", "0o17", "0O17", "0x1F", "0xff", "-0x1", "0b101", "+0b1", "1_000",
    "1:20", "190:20:30", "1e3", "1E3", "1e+3", "-1e-3", "1.", ".5", "1.5", "-.5e2", "6.8523015e+5",
    ".inf", "-.inf", "+.INF", ".Inf", ".nan", ".NaN", ".NAN", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2002-12-14 21:59:43.10 -5", "=", "<<",
]


def _read_12(text: str) -> object:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)  # ruamel's default: YAML 1.2 core schema


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_ambiguous_strings_are_quoted(value: str) -> None:
    assert yamlio.needs_quotes(value)
    for obj in ({"k": value}, {"k": [value]}, {value: "v"}, {"metadata": {"labels": {"a": value}}}):
        text = yamlio.dump(obj)
        assert yaml.load(text, Loader=_Yaml11Loader) == obj, text
        assert _read_12(text) == obj, text
        assert yamlio.dump(yaml.safe_load(text)) == text  # idempotent


@pytest.mark.parametrize("value", ["abc", "v1", "1.0.0", "nginx", "/api", "a.example.com",
                                   "NaN", "inf", "yes-please", "0.0.0.0/0", "80/TCP", "1m", "x1"])
def test_ordinary_strings_stay_plain(value: str) -> None:
    assert not yamlio.needs_quotes(value)
    assert yamlio.dump({"k": value}) in (f"k: {value}\n", f"k: '{value}'\n")


_scalar_text = st.one_of(
    st.sampled_from(AMBIGUOUS),
    st.from_regex(r"[-+]?(0[box]?)?[0-9a-fA-F_.:eE+-]{0,8}", fullmatch=True),
    st.text(alphabet="0123456789.eE+-_:oxbyYnN~", max_size=10),
    st.text(max_size=12),
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_scalar_text, st.one_of(_scalar_text, st.lists(_scalar_text, max_size=3)),
                       max_size=5))
def test_strings_read_back_as_strings_under_yaml_11_and_12(obj: dict[str, Any]) -> None:
    text = yamlio.dump(obj)
    assert yaml.load(text, Loader=_Yaml11Loader) == obj
    assert _read_12(text) == obj


def test_rt_new_quotes_generated_strings_for_the_ruamel_writer() -> None:
    import io

    from ruamel.yaml import YAML

    new = yamlio.rt_new({"metadata": {"labels": {"a": "yes", "b": "on", "c": "0o17", "d": "ok"}},
                         "spec": {"x": ["y", "1e3", 80, True, None]}})
    buf = io.StringIO()
    YAML(typ="rt").dump(new, buf)
    out = buf.getvalue()
    assert "a: 'yes'" in out and "b: 'on'" in out and "c: '0o17'" in out and "d: ok" in out
    assert yaml.load(out, Loader=_Yaml11Loader)["spec"]["x"] == ["y", "1e3", 80, True, None]
    assert _read_12(out)["metadata"]["labels"]["c"] == "0o17"  # type: ignore[index]


# --- issue 19: aliases are refused in every document gwshift reads -------------------------

@pytest.mark.parametrize("text", [
    "a: &a x\nb: *a\n",                      # scalar alias
    "a: &a [1]\nb: *a\n",                    # sequence alias
    "a: &a {k: v}\nb: *a\n",                 # mapping alias
    "a: &a {k: v}\nb:\n  <<: *a\n",          # merge key through an alias
    "a: &a x\nb: [*a, *a]\n",
    'a: &a "' + "x" * 10_000 + '"\nb: [' + ",".join(["*a"] * 3) + "]\n",
])
def test_aliases_are_refused(text: str) -> None:
    for run in (yamlio.load, yamlio.check, lambda t: list(yamlio.load_all(t)),
                lambda t: yamlio.rt_load(t + "# comment: takes the ruamel path\n")):
        with pytest.raises(yamlio.UnsafeYAML, match="alias"):
            run(text)


def test_anchor_without_alias_is_fine() -> None:
    assert yamlio.load("a: &a x\nb: y\n") == {"a": "x", "b": "y"}
    assert yamlio.load("a: '&a'\nb: 'x & y'\n") == {"a": "&a", "b": "x & y"}
    yamlio.check("a: &a x\n---\nb: 1\n")


def test_alias_message_names_no_input_text() -> None:
    with pytest.raises(yamlio.UnsafeYAML) as exc:
        yamlio.load("secret-anchor-name: &SECRETNAME 'SECRETVALUE'\nb: *SECRETNAME\n")
    assert "SECRET" not in str(exc.value) and "line 1" in str(exc.value)


def test_rt_load_refuses_an_alias_bomb_before_ruamel_sees_it() -> None:
    lines = ["# a comment, so the ruamel path is taken", "apiVersion: config.kubernetes.io/v1",
             "kind: ResourceList", "x:", '  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"  l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    with pytest.raises(yamlio.UnsafeYAML, match="alias"):
        yamlio.rt_load("\n".join(lines) + "\nitems: []\n")


def test_duplicate_key_message_escapes_the_key() -> None:
    with pytest.raises(yamlio.UnsafeYAML) as exc:
        yamlio.load('"a\\nforged: line": 1\n"a\\nforged: line": 2\n')
    assert "\n" not in str(exc.value) and "\\n" in str(exc.value)


def test_error_line_is_one_bounded_line() -> None:
    tag = "!" + "x" * 500 + "\x1b[2J"
    try:
        yamlio.load(f"a: !!python/object/apply:os.system{tag} [1]\n")
    except (yamlio.YAMLError, yamlio.UnsafeYAML) as exc:
        line = yamlio.error_line(exc)
    assert "\n" not in line and "\x1b" not in line and len(line) < 240


@pytest.mark.parametrize(("value", "want"), [
    ({}, "a mapping"), ([], "a list"), ("secret", "a string of 6 characters"),
    (True, "a boolean"), (3, "an integer"), (1.5, "a number"), (None, "null"),
])
def test_describe_reports_the_type_never_the_value(value: object, want: str) -> None:
    assert yamlio.describe(value) == want


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_safe_text_is_one_printable_line(text: str) -> None:
    out = yamlio.safe_text(text, 50)
    assert "\n" not in out and "\r" not in out and "\u2028" not in out
    assert len(out) <= 50 * 6 + 1  # every kept character escapes to at most \uXXXX
