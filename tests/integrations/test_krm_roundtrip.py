"""The KRM round-trip path (krm/roundtrip.py) on ResourceLists it cannot read, and the quoting
of what it adds to a ruamel tree (issue 19).

* A ResourceList that cannot be read is written back byte for byte with one ``yaml/invalid``
  error result (never empty output, never a fatal one-liner with nothing on stdout).
* Generated objects and results inserted into a ruamel tree go through ``yamlio.rt_new``:
  strings that YAML 1.1/1.2 reads as other types are quoted; untouched items keep their style.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import yaml
from gwshift import yamlio
from gwshift.krm import roundtrip, transform_resource_list
from gwshift.notes import Severity
from gwshift.settings import Settings

HEAD = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"
INGRESS_FLOW = ("{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: w, namespace: s"
                "%s},\n spec: {ingressClassName: nginx, rules: [{host: a.example.com, http: {paths: "
                "[{path: /, pathType: Prefix,\n backend: {service: {name: w, port: {number: 80}}}}]}}]}}")
BOMB = ("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {l0: &l0 [lol, lol, lol],\n"
        + "".join(f" l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "],\n" for i in range(1, 10))
        + " end: x}}")
# Flow items and a comment: not the splice shape, so the round-trip path reads the list.
BOMB_LIST = HEAD + "items: [  # flow\n" + BOMB + ",\n" + INGRESS_FLOW % "" + "]\n"
GOOD_LIST = HEAD + "items: [  # flow\n" + INGRESS_FLOW % "" + "]\n"


def run(text: str, **kw: Any) -> tuple[str, list[Any]]:
    out = transform_resource_list(text, Settings(**kw))
    return out.text, list(out.notes)


def results_of(text: str) -> list[dict[str, Any]]:
    loaded = yamlio.load(text)
    assert isinstance(loaded, dict)
    return list(loaded.get("results") or [])


def written_back(text: str) -> None:
    """The input is a prefix of the output, followed only by one yaml/invalid error result."""
    out, notes = run(text)
    assert [(n.code, n.severity) for n in notes] == [("yaml/invalid", Severity.ERROR)]
    assert "\n" not in notes[0].message and "written back unchanged" in notes[0].message
    assert out.startswith(text), out[:400]
    tail = out[len(text):]
    assert tail.startswith("results:\n"), tail
    entries = yaml.safe_load(tail)["results"]
    assert [(e["severity"], e["tags"]["code"]) for e in entries] == [("error", "yaml/invalid")]


# --- written back, not lost -------------------------------------------------------------------


def test_an_alias_bomb_in_an_untouched_flow_item_writes_the_list_back() -> None:
    # Bounded: the bomb is refused by the C composer before ruamel sees it.
    out, _ = run(BOMB_LIST)
    written_back(BOMB_LIST)
    assert "kind: HTTPRoute" not in out


def test_the_same_list_without_the_bomb_converts() -> None:  # the must-not-change twin
    out, notes = run(GOOD_LIST)
    assert not [n for n in notes if n.severity >= Severity.ERROR], notes
    kinds = [i["kind"] for i in yamlio.load(out)["items"]]
    assert kinds == ["Gateway", "HTTPRoute"]


@pytest.mark.parametrize("text", [
    pytest.param(HEAD + "items: [  # not closed\n" + INGRESS_FLOW % "" + "\n", id="not-yaml"),
    pytest.param(HEAD + "# a comment\nitems: {a: 1}\n", id="items-a-mapping"),
    pytest.param(HEAD + "items: scalar  # a comment\n", id="items-a-scalar"),
    pytest.param(HEAD.replace("v1", "v9") + "items: [  # c\n" + INGRESS_FLOW % "" + "]\n",
                 id="unsupported-api-version"),
    pytest.param(HEAD + "functionConfig: {a: &a [x], b: *a}  # c\nitems: [\n" + INGRESS_FLOW % ""
                 + "]\n", id="alias-in-flow-function-config"),
    pytest.param("apiVersion: [a]\nkind: ResourceList\nitems: [  # c\n" + INGRESS_FLOW % "" + "]\n",
                 id="api-version-a-list"),
    pytest.param(HEAD + "items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {x: "
                 + "9" * 5000 + "}}]  # c\n", id="int-too-long-for-python"),
])
def test_unreadable_lists_are_written_back_with_one_error_result(text: str) -> None:
    written_back(text)


def test_no_final_newline_gets_one_before_the_results() -> None:
    text = HEAD + "items: {a: 1}  # c"
    out, _ = run(text)
    assert out.startswith(text + "\nresults:\n")


def test_existing_results_keep_theirs_and_get_the_error_first() -> None:
    text = (HEAD + "items: {a: 1}  # c\nresults:\n  - message: earlier\n    severity: info\n"
            "# trailing comment\n")
    out, _ = run(text)
    entries = results_of(out)
    assert [e["message"] for e in entries][1:] == ["earlier"]
    assert entries[0]["tags"]["code"] == "yaml/invalid"
    # only lines were added: every input line is still there, in order
    assert [ln for ln in out.splitlines() if ln in text.splitlines()] == text.splitlines()


def test_a_document_end_marker_keeps_the_results_inside_the_document() -> None:
    text = HEAD + "items: {a: 1}  # c\n...\n"
    out, _ = run(text)
    assert out.endswith("...\n") and out.startswith(HEAD + "items: {a: 1}  # c\nresults:\n")
    assert len(list(yaml.safe_load_all(out))) == 1


@pytest.mark.parametrize("nl", ["\r\n", "\r"])
def test_crlf_and_cr_lists_get_results_in_their_own_line_breaks(nl: str) -> None:
    text = (HEAD + "items: {a: 1}  # c\n").replace("\n", nl)
    out, notes = run(text)
    assert out.startswith(text) and notes[0].code == "yaml/invalid"
    assert "\n" not in out[len(text):].replace("\r\n", "") if nl == "\r\n" else (
        "\n" not in out)
    assert results_of(out)[0]["tags"]["code"] == "yaml/invalid"


@pytest.mark.parametrize("text", [
    pytest.param("{apiVersion: config.kubernetes.io/v1, kind: ResourceList, items: {a: 1}}\n",
                 id="flow-mapping"),
    pytest.param(HEAD + "items: {a: 1}  # c\nresults: []\n", id="flow-results"),
])
def test_shapes_results_cannot_be_added_to_are_written_back_as_they_are(text: str) -> None:
    out, notes = run(text)
    assert out == text
    assert [n.code for n in notes] == ["yaml/invalid"]


def test_cli_writes_the_list_back_and_exits_1_with_one_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "gwshift"], input=BOMB_LIST.encode(),
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(BOMB_LIST.encode())
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "yaml/invalid" in lines[0], lines


def test_with_result_appends_lexically() -> None:
    from gwshift.notes import error

    note = error("yaml/invalid", "x", None, "")
    assert roundtrip.with_result("a: 1\n", [note]).startswith("a: 1\nresults:\n- message: x\n")
    # an indented existing sequence: the new entry has the same indentation
    got = roundtrip.with_result("a: 1\nresults:\n  - message: y\n", [note])
    assert got.startswith("a: 1\nresults:\n  - message: x\n")
    assert [e["message"] for e in yaml.safe_load(got)["results"]] == ["x", "y"]
    assert roundtrip.with_result("# only a comment\n", [note]) == "# only a comment\n"
    assert roundtrip.with_result("- a\n", [note]) == "- a\n"


# --- rt_new: what gwshift adds to a ruamel tree is quoted ---------------------------------------

AMBIGUOUS = ", labels: {a: 'yes', b: 'on', c: '0o17', d: '1e3', e: 'y', f: 'off'}"


def test_generated_objects_in_a_ruamel_tree_quote_ambiguous_strings() -> None:
    text = HEAD + "items: [  # flow items: the round-trip path\n" + INGRESS_FLOW % AMBIGUOUS + "]\n"
    out, _ = run(text)
    route = next(i for i in yamlio.load(out)["items"] if i["kind"] == "HTTPRoute")
    labels = route["metadata"]["labels"]
    assert labels == {"a": "yes", "b": "on", "c": "0o17", "d": "1e3", "e": "y", "f": "off"}
    # YAML 1.1 (PyYAML) reads them back as strings too: they are quoted in the text
    for key in "abcdef":
        assert f"\n      {key}: '" in out, out


def test_untouched_items_in_a_ruamel_tree_keep_their_own_style() -> None:  # the twin
    cm = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {x: yes, y: 'on'}}"
    text = HEAD + "items: [  # flow\n" + cm + ",\n" + INGRESS_FLOW % "" + "]\n"
    out, _ = run(text)
    assert "x: yes" in out and "y: 'on'" in out, out


def test_merge_into_a_ruamel_tree_quotes_only_new_values() -> None:
    target = yamlio.rt_yaml().load("a: x  # c\nb: plain\n")
    merged = roundtrip._merge_into_tree(target, {"a": "x", "b": "plain", "c": "yes", "d": "no"})
    dumped = yamlio.rt_dump(merged)
    assert dumped == "a: x  # c\nb: plain\nc: 'yes'\nd: 'no'\n", dumped


@pytest.mark.parametrize("results", ["{a: 1}", "x"])
def test_results_of_the_wrong_type_are_never_overwritten(results: str) -> None:
    text = HEAD + "items: [  # c\n" + INGRESS_FLOW % "" + "]\nresults: " + results + "\n"
    out, notes = run(text)
    assert out == text  # no block sequence to add to: written back as it is
    assert [n.code for n in notes] == ["yaml/invalid"] and "results must be a list" in notes[0].message
