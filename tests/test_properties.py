"""Property tests for issue 2's contract (bounded: the whole file runs in well under 30 s).

* a stream without Ingress comes back byte for byte (comments, ``--- # c``, CRLF, quoting,
  block scalars, ``...``);
* in a mixed stream every non-Ingress document is copied byte for byte, in order;
* the output is deterministic and idempotent, also with ``--keep-ingress``;
* reordering the Ingress documents does not change the set of generated objects;
* generated objects never share kind/namespace/name and are valid Gateway API objects.

Both YAML back ends (PyYAML's C loader and the pure-Python one) are exercised.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from gwshift import yamlio
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.validation import is_gateway_api, validate_objects
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

LOADERS = [pytest.param(yamlio.LOADER, id="c-loader"),
           pytest.param(yamlio.PURE_LOADER, id="pure-loader")]
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
PROFILE = settings(max_examples=40, deadline=None, phases=NO_SHRINK,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SMALL = settings(max_examples=25, deadline=None, phases=NO_SHRINK,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def use_loader(loader: type) -> Iterator[None]:
    old = yamlio.LOADER
    yamlio.LOADER = loader
    try:
        yield
    finally:
        yamlio.LOADER = old


# --- non-Ingress documents as text -------------------------------------------------------------

_WORD = st.builds(lambda a, b: a + b.rstrip(), st.sampled_from("abxyzé"),
                  st.text(alphabet="abcxyz019-_. ", max_size=7))
_NAME = st.builds(lambda a, b, c: a + b + c, st.sampled_from("abc"),
                  st.text(alphabet="abcdefgh0123456789-", max_size=8), st.sampled_from("xyz019"))
_KEY = st.sampled_from(["a", "b", "conf", "nginx.conf", "kind", "apiVersion-x", "x_y"])
_COMMENT = st.sampled_from(["# c", "#", "# Source: chart/templates/x.yaml", "# kind: Ingress",
                            "# --- not a separator", "# ünïcödé"])


@st.composite
def _value(draw: st.DrawFn) -> str:
    """A scalar value written in one of YAML's styles, as it follows ``key:``."""
    word = draw(_WORD)
    style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded", "strip",
                                  "flow", "number", "commented"]))
    if style == "plain":
        return f" {word}"
    if style == "single":
        return " '" + word.replace("'", "''") + "'"
    if style == "double":
        return f' "{word}\\t\\u00e9"'
    if style == "number":
        return f" {draw(st.integers(-5, 70000))}"
    if style == "flow":
        return f" {{x: '{word}', y: [1, \"two\"]}}"
    if style == "commented":
        return f" {word}   # trailing comment"
    indicator = {"literal": "|", "folded": ">", "strip": "|-"}[style]
    body = draw(st.lists(st.sampled_from([word, "kind: Ingress", "---", "  indented", "",
                                          "apiVersion: networking.k8s.io/v1"]),
                         min_size=1, max_size=4))
    body[0] = word  # the first line sets the block's indentation
    return f" {indicator}\n" + "".join(f"    {line}\n" if line else "\n" for line in body).rstrip("\n")


@st.composite
def other_doc(draw: st.DrawFn) -> str:
    """One non-Ingress document body (ends with a newline)."""
    kind = draw(st.sampled_from(["ConfigMap", "Secret", "Service", "Deployment", "IngressClass",
                                 "HTTPRouteish", "List"]))
    lines: list[str] = draw(st.lists(_COMMENT, max_size=2))
    quote = draw(st.sampled_from(["", "'", '"']))
    lines += ["apiVersion: v1", f"kind: {quote}{kind}{quote}", "metadata:",
              f"  name: {draw(_NAME)}"]
    if draw(st.booleans()):
        lines.append(f"  namespace: {draw(st.sampled_from(['web', 'ops']))}")
    if kind == "List":
        lines += ["items:", "- apiVersion: v1", "  kind: ConfigMap", "  metadata: {name: in-list}"]
    else:
        lines.append("data:")
        for key, value in draw(st.lists(st.tuples(_KEY, _value()), min_size=1, max_size=4,
                                        unique_by=lambda kv: kv[0])):
            if draw(st.booleans()):
                lines.append(f"  {draw(_COMMENT)}")
            lines.append(f"  {key}:{value}")
    if draw(st.booleans()):
        lines.append(draw(_COMMENT))
    return "\n".join(lines) + "\n"


_SEPARATOR = st.sampled_from(["---\n", "--- # c\n", "---\n# between\n\n", "---  \n"])


def _join(draw: st.DrawFn, docs: list[str]) -> tuple[str, list[str]]:
    """Join docs into a stream; return it and the exact piece (separator + doc) of each."""
    pieces = [draw(_SEPARATOR) + d for d in docs]
    if draw(st.booleans()) and pieces:
        pieces[0] = docs[0]  # no leading separator
    tail = draw(st.sampled_from(["", "...\n", "---\n", "--- # trailing\n# only a comment\n"]))
    return "".join(pieces) + tail, pieces


@st.composite
def plain_stream(draw: st.DrawFn) -> str:
    docs = draw(st.lists(other_doc(), max_size=5))
    text, _ = _join(draw, docs)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


# --- Ingress objects -------------------------------------------------------------------------

HOSTS = [None, "a.example.com", "example.com", "*.example.com", "b.example.com", "x.b.example.com",
         "wildcard.example.com", "a-b.example.com", "a.b-example.com", "any"]
PATHS = ["/", "/api", "/api/v1", "/x-y"]
PATH_TYPES = ["Exact", "Prefix", "ImplementationSpecific", None]


def _backend(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 9)) == 0:
        return {"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": "static"}}
    port: dict[str, Any] = ({"name": "http"} if draw(st.integers(0, 9)) == 0
                            else {"number": draw(st.sampled_from([80, 8080, 9000]))})
    return {"service": {"name": draw(st.sampled_from(["svc", "api", "named"])), "port": port}}


@st.composite
def ingress(draw: st.DrawFn) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": draw(st.sampled_from(["a", "b", "shop", "a-any", "web-app"]))}
    ns = draw(st.sampled_from([None, "web", "web", "ops"]))
    if ns:
        meta["namespace"] = ns
    if draw(st.booleans()):
        meta["labels"] = {"app": meta["name"], "helm.sh/chart": "c-1.0"}
    if draw(st.booleans()):
        meta["annotations"] = {"meta.helm.sh/release-name": "r", "example.com/other": "x"}
    spec: dict[str, Any] = {}
    cls = draw(st.sampled_from(["example", "example", "other", None]))
    if cls:
        spec["ingressClassName"] = cls
    if draw(st.integers(0, 3)) == 0:
        spec["defaultBackend"] = _backend(draw)
    rules = []
    for host in draw(st.lists(st.sampled_from(HOSTS), max_size=3)):
        paths = [{"path": p, **({"pathType": t} if t else {}), "backend": _backend(draw)}
                 for p, t in draw(st.lists(st.tuples(st.sampled_from(PATHS),
                                                     st.sampled_from(PATH_TYPES)),
                                           min_size=1, max_size=3))]
        rules.append({**({"host": host} if host else {}), "http": {"paths": paths}})
    if rules:
        spec["rules"] = rules
    if not rules and "defaultBackend" not in spec:
        spec["defaultBackend"] = _backend(draw)
    tls_hosts = [h for h in HOSTS if h and h != "any"]
    tls = [{"hosts": draw(st.lists(st.sampled_from(tls_hosts), max_size=2, unique=True)),
            "secretName": draw(st.sampled_from(["t1", "t2", "wild"]))}
           for _ in range(draw(st.integers(0, 2)))]
    if tls:
        spec["tls"] = tls
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def ingress_text(obj: dict[str, Any], flow: bool = False) -> str:
    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=None if flow else False)


SERVICE = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: named\n  namespace: web\n"
           "spec:\n  ports:\n  - name: http\n    port: 8081\n")


@st.composite
def mixed(draw: st.DrawFn) -> tuple[str, list[str], list[dict[str, Any]]]:
    """A stream of Ingresses (unique namespace/name) and other documents.

    Returns the text, the exact pieces of the non-Ingress documents, and the Ingresses.
    """
    ings = draw(st.lists(ingress(), min_size=1, max_size=4,
                         unique_by=lambda o: (o["metadata"].get("namespace"), o["metadata"]["name"])))
    others = draw(st.lists(other_doc(), max_size=3))
    if draw(st.booleans()):
        others.append(SERVICE)
    docs: list[tuple[bool, str]] = [(False, d) for d in others]
    for obj in ings:
        if draw(st.integers(0, 4)) == 0:  # inside a kind: List, generated objects join the List
            doc = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [obj]}, sort_keys=False)
        else:
            doc = ingress_text(obj, draw(st.booleans()))
        docs.insert(draw(st.integers(0, len(docs))), (True, doc))
    text, pieces = _join(draw, [d for _, d in docs])
    kept = [p for (is_ing, _), p in zip(docs, pieces) if not is_ing]
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
        kept = [p.replace("\n", "\r\n") for p in kept]
    return text, kept, ings


def generated(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for doc in yaml.safe_load_all(text):
        if not isinstance(doc, dict):
            continue
        for obj in doc.get("items") or [] if doc.get("kind") == "List" else [doc]:
            if isinstance(obj, dict) and is_gateway_api(obj):
                out.append(obj)
    return out


def canonical(objs: list[dict[str, Any]]) -> list[str]:
    return sorted(yaml.safe_dump(o, sort_keys=True) for o in objs)


BASE = Settings()
KEEP = Settings(keep_ingress=True)


# --- properties -------------------------------------------------------------------------------


@pytest.mark.parametrize("loader", LOADERS)
@PROFILE
@given(text=plain_stream())
def test_stream_without_ingress_is_identical(loader: type, text: str) -> None:
    with use_loader(loader):
        out = transform(text, BASE)
    assert out.text == text
    assert not [n for n in out.notes if n.severity >= 2]


@pytest.mark.parametrize("loader", LOADERS)
@PROFILE
@given(case=mixed())
def test_non_ingress_documents_are_byte_identical(loader: type, case: tuple[str, list[str],
                                                                           list[dict[str, Any]]]) -> None:
    text, kept, _ = case
    with use_loader(loader):
        out = transform(text, BASE).text
    pos = 0
    for piece in kept:
        found = out.find(piece, pos)
        assert found >= 0, f"untouched document changed or reordered:\n{piece!r}\nin\n{out!r}"
        pos = found + len(piece)


@pytest.mark.parametrize("keep", [BASE, KEEP], ids=["replace", "keep-ingress"])
@PROFILE
@given(case=mixed())
def test_deterministic_and_idempotent(keep: Settings, case: tuple[str, list[str],
                                                                  list[dict[str, Any]]]) -> None:
    text = case[0]
    once = transform(text, keep)
    assert transform(text, keep) == once
    twice = transform(once.text, keep)
    assert twice.text == once.text
    assert generated(twice.text) == generated(once.text)  # a second run adds nothing


@SMALL
@given(case=mixed(), data=st.data())
def test_ingress_order_does_not_change_generated_set(case: tuple[str, list[str],
                                                                 list[dict[str, Any]]],
                                                     data: st.DataObject) -> None:
    _, _, ings = case
    perm = data.draw(st.permutations(ings))
    a = "".join("---\n" + ingress_text(o) for o in [*ings, {"apiVersion": "v1", "kind": "List",
                                                            "items": []}])
    b = "".join("---\n" + ingress_text(o) for o in [*perm, {"apiVersion": "v1", "kind": "List",
                                                            "items": []}])
    svc = "---\n" + SERVICE
    assert canonical(generated(transform(a + svc, BASE).text)) == \
        canonical(generated(transform(svc + b, BASE).text))


@pytest.mark.parametrize("loader", LOADERS)
@SMALL
@given(case=mixed())
def test_generated_objects_are_unique_and_valid(loader: type, case: tuple[str, list[str],
                                                                          list[dict[str, Any]]]) -> None:
    with use_loader(loader):
        out = transform(case[0], BASE)
    objs = generated(out.text)
    keys = [(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]) for o in objs]
    assert len(keys) == len(set(keys)), sorted(keys)
    problems = validate_objects(objs, channel="standard")
    assert not problems, [(p.kind, p.name, p.field, p.message) for p in problems]
    for o in objs:
        if o["kind"] == "Gateway":
            assert len(o["metadata"]["name"]) <= 63
            assert len(o["spec"]["listeners"]) <= 64
        else:
            assert len(o["spec"].get("rules", [])) <= 16
            assert len(o["spec"].get("hostnames", [])) <= 16


@SMALL
@given(case=mixed())
def test_every_ingress_is_converted_or_noted(case: tuple[str, list[str], list[dict[str, Any]]]) -> None:
    text, _, ings = case
    assume("\r" not in text)  # CRLF: see test_core.py::test_crlf_stream_with_plain_separators...
    out = transform(text, BASE)
    sources = {(o["metadata"].get("namespace"), o["metadata"]["annotations"]["gwshift.dev/source"])
               for o in generated(out.text)}
    noted = {(n.obj.namespace, n.obj.name) for n in out.notes if n.obj is not None}
    for obj in ings:
        ns, name = obj["metadata"].get("namespace"), obj["metadata"]["name"]
        assert (ns, f"Ingress/{name}") in sources or (ns, name) in noted, (ns, name)
