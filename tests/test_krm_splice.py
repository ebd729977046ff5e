"""krm_splice: the lexical ResourceList path gives the round-trip path's objects, and keeps
every untouched item (comments included) byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from gwshift import krm
from gwshift.krm import splice as krm_splice
from gwshift.outcome import Outcome
from gwshift.settings import Settings

RL = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # head comment of the Kptfile item
  apiVersion: kpt.dev/v1
  kind: Kptfile
  metadata:
    name: shop
# between items, at column 0
- apiVersion: v1
  kind: Service
  metadata:
    name: web # trailing comment
    namespace: shop
  spec:
    ports:
    - name: http
      port: 80
- # the ingress
  apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
    namespace: shop
  spec:
    ingressClassName: nginx
    rules:
    - host: shop.example.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: web
              port:
                name: http
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: conf
  data:
    nginx.conf: |
      # not a comment: block scalar content
      - not an item
functionConfig:
  apiVersion: gwshift.dev/v1alpha1
  kind: IngressToGateway
  metadata:
    name: gwshift
  spec:
    gatewayClass: eg
"""


def _spliced(text: str, settings: Settings) -> Outcome | None:
    got = krm_splice.splice(text, settings)
    return None if got is None else Outcome("".join(got[0]), got[1])


def _roundtrip(text: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(krm_splice, "splice", lambda t, s: None)
    return krm.transform_resource_list(text, settings)


def _objects(text: str) -> Any:
    return yaml.safe_load(text)


def test_splice_keeps_untouched_items_and_comments_byte_for_byte() -> None:
    out = _spliced(RL, Settings())
    assert out is not None
    for piece in (RL[RL.index("- # head"):RL.index("- # the ingress")],
                  RL[RL.index("- apiVersion: v1\n  kind: ConfigMap"):]):
        assert piece in out.text
    assert "kind: Ingress\n" not in out.text and "kind: HTTPRoute" in out.text


def test_splice_equals_roundtrip_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    spliced = _spliced(RL, Settings())
    assert spliced is not None
    rt = _roundtrip(RL, Settings(), monkeypatch)
    assert _objects(spliced.text) == _objects(rt.text)
    assert spliced.notes == rt.notes


def test_splice_is_idempotent() -> None:
    once = _spliced(RL, Settings())
    assert once is not None
    body = once.text.split("\nresults:\n")[0] + "\n"
    twice = _spliced(body, Settings())
    assert twice is not None and twice.text.startswith(body)
    assert twice.text[len(body):] in ("", once.text[len(body):])


def test_without_ingress_the_text_is_unchanged() -> None:
    text = RL.replace("kind: Ingress\n", "kind: NotAnIngress\n")
    out = _spliced(text, Settings())
    assert out is not None and out.text == text and out.notes == ()


@pytest.mark.parametrize("text", [
    RL.replace("items:\n", "items: # c\n", 1).replace("- # head", "-   # head", 1),
], ids=["odd-but-regular"])
def test_regular_variants_are_spliced(text: str) -> None:
    assert _spliced(text, Settings()) is not None


@pytest.mark.parametrize("text", [
    RL.replace("\n", "\r\n"),
    RL + "results:\n- message: earlier\n  severity: info\n",
    RL + "---\napiVersion: v1\nkind: ConfigMap\n",
    RL.replace("items:\n", "items: []\nother:\n", 1),
    "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [{kind: Ingress}]\n",
    RL.replace("kind: ResourceList", "kind: ResourceList # c"),
    RL.replace("functionConfig:\n", "functionConfig: {}\nx:\n"),
], ids=["crlf", "results-present", "two-documents", "flow-items", "flow-only",
        "kind-comment", "flow-fc"])
def test_irregular_shapes_fall_back(text: str) -> None:
    assert _spliced(text, Settings()) is None


def test_invalid_function_config_keeps_items_and_reports() -> None:
    text = RL.replace("gatewayClass: eg", "bogus: 1")
    out = _spliced(text, Settings())
    assert out is not None and out.text.startswith(text)
    assert [n.code for n in out.notes] == ["config/invalid"]


def _resource_list(path: Path) -> str:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict)]
    return yaml.safe_dump({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
                           "items": docs}, sort_keys=False)


@pytest.mark.corpus_step(6)
def test_corpus_as_resource_list_splice_equals_roundtrip(corpus_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    text = _resource_list(corpus_file)
    spliced = _spliced(text, Settings())
    if spliced is None:  # Ingresses inside a List item are left to the round-trip path
        assert "\n  kind: List\n" in text
        return
    rt = _roundtrip(text, Settings(), monkeypatch)
    assert _objects(spliced.text) == _objects(rt.text)
    assert spliced.notes == rt.notes


# --- the round-trip path (krm/roundtrip.py) ------------------------------------------------

def _helm_rl(n: int) -> str:
    """A ResourceList as kpt writes a Helm render: ``# Source:`` heads, ``results`` present
    (which sends it down the round-trip path)."""
    parts = ["apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"]
    for i in range(n):
        parts.append(f"# Source: chart/templates/ingress-{i}.yaml\n"
                     f"- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n"
                     f"    name: web-{i}\n    namespace: shop\n  spec:\n"
                     f"    ingressClassName: nginx\n    rules:\n    - host: h{i}.example.com\n"
                     f"      http:\n        paths:\n        - path: /\n          pathType: Prefix\n"
                     f"          backend:\n            service:\n              name: web\n"
                     f"              port:\n                number: 80\n"
                     f"# Source: chart/templates/cm-{i}.yaml\n"
                     f"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-{i}\n")
    parts.append("results: []\n")
    return "".join(parts)


def _heads(text: str) -> list[tuple[str, str]]:
    """(# Source: line, the kind of the item right after it)."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("# Source: "):
            nxt = next(x for x in lines[i + 1:] if "kind:" in x)
            out.append((line, nxt.split("kind:")[1].strip()))
    return out


def test_roundtrip_never_moves_or_drops_source_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _helm_rl(3)
    assert krm_splice.splice(text, Settings()) is None  # results present: round trip
    out = _roundtrip(text, Settings(), monkeypatch).text
    heads = _heads(out)
    assert [h for h, _ in heads] == [h for h, _ in _heads(text)]
    # the replaced Ingress's successor (its Gateway, or its route when the Gateway is shared)
    assert all(kind in (("ConfigMap",) if "cm-" in h else ("Gateway", "HTTPRoute"))
               for h, kind in heads)


BAD_ITEMS = """\
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- {apiVersion: v1, kind: Secret, metadata: {name: flow}}
# Source: chart/templates/odd.yaml
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: dup
  data:
    k: "1"
    k: "2"
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: tagged}
  data: {a: !custom x}
- null
"""


def test_roundtrip_keeps_odd_items_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _roundtrip(BAD_ITEMS, Settings(), monkeypatch)
    assert out.text == BAD_ITEMS and out.notes == ()
    ing = BAD_ITEMS.replace("kind: ConfigMap", "kind: Ingress")
    out = _roundtrip(ing, Settings(), monkeypatch)
    assert out.text.startswith(ing)
    assert [(n.code, n.doc) for n in out.notes] == [("yaml/invalid", 1), ("yaml/invalid", 2)]


def test_roundtrip_keeps_an_alias_bomb_item_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bounded loader sees it first; ruamel never expands it; the item leaves as text."""
    bomb = ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"
            "- a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"  b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}"
                      f"{f', *b{i - 1}' * 8 if i else ', *a' * 8}]\n" for i in range(12)))
    out = _roundtrip(bomb + "- {apiVersion: v1, kind: Secret, metadata: {name: flow}}\n",
                     Settings(), monkeypatch)
    assert out.text.startswith(bomb) and out.notes == ()
    assert len(out.text) < 2 * len(bomb) + 200  # nothing expanded
