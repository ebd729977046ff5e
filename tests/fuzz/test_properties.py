"""Property tests (issue 7): generated Ingresses and streams through core.transform.

Bounded for CI (~30 s total): max_examples per test is small and deadline=None.
Run longer with ``HYPOTHESIS_PROFILE=long pytest tests/fuzz``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import yaml
from gwshift import stream
from gwshift.core import transform
from gwshift.settings import Settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

label = st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
hosts = st.one_of(st.none(), st.sampled_from(["a.example.com", "b.example.com", "*.example.com",
                                              "api.test.io"]), st.builds(lambda a, b: f"{a}.{b}.com", label, label))
paths = st.sampled_from(["/", "/api", "/api/v1", "/static/", "/a-b_c", "/x/y/z"])
path_types = st.sampled_from(["Prefix", "Exact", "ImplementationSpecific"])
ports = st.one_of(st.integers(1, 65535).map(lambda n: {"number": n}),
                  st.sampled_from([{"name": "http"}, {"number": 80}, {"number": 8080}]))


@st.composite
def backend(draw: Any) -> dict:
    return {"service": {"name": draw(label), "port": draw(ports)}}


@st.composite
def ingress_obj(draw: Any) -> dict:
    rules = []
    for _ in range(draw(st.integers(1, 3))):
        rule: dict[str, Any] = {}
        host = draw(hosts)
        if host is not None:
            rule["host"] = host
        rule["http"] = {"paths": [
            {"path": draw(paths), "pathType": draw(path_types), "backend": draw(backend())}
            for _ in range(draw(st.integers(1, 3)))
        ]}
        rules.append(rule)
    meta: dict[str, Any] = {"name": draw(label)}
    ns = draw(st.sampled_from([None, "shop", "other"]))
    if ns:
        meta["namespace"] = ns
    ann = draw(st.dictionaries(
        st.sampled_from(["nginx.ingress.kubernetes.io/ssl-redirect",
                         "nginx.ingress.kubernetes.io/proxy-body-size",
                         "nginx.ingress.kubernetes.io/rewrite-target",
                         "nginx.ingress.kubernetes.io/backend-protocol",
                         "example.com/owner"]),
        st.sampled_from(["true", "false", "8m", "/", "/$1", "GRPC", "HTTPS", "team-a"]), max_size=3))
    if ann:
        meta["annotations"] = ann
    spec: dict[str, Any] = {"rules": rules}
    cls = draw(st.sampled_from([None, "nginx", "traefik"]))
    if cls:
        spec["ingressClassName"] = cls
    if draw(st.booleans()):
        tls_hosts = sorted({r["host"] for r in rules if "host" in r})
        if tls_hosts:
            spec["tls"] = [{"hosts": tls_hosts, "secretName": draw(label) + "-tls"}]
    if draw(st.booleans()):
        spec["defaultBackend"] = draw(backend())
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


other_docs = st.one_of(
    st.builds(lambda n, k, v: f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\ndata:\n"
              f"  {k}: |\n    {v}\n    kind: Ingress\n", label, label, st.text(
                  st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)),
    st.builds(lambda n, p: f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {n}\nspec:\n  ports:\n"
              f"  - name: http\n    port: {p}\n", label, st.integers(1, 65535)),
    st.builds(lambda n: f"# Source: x/templates/{n}.yaml\napiVersion: apps/v1\nkind: Deployment\n"
              f"metadata: {{name: {n}}}\nspec:\n  replicas: 1   # comment\n", label),
    st.sampled_from(["# only a comment\n", "- a\n- b\n", "plain scalar\n", "{kind: Secret, x: 1}\n",
                     "apiVersion: v1\nkind: Secret\nstringData:\n  k: \"\\t\"\n"]),
)


def dump(obj: dict) -> str:
    return yaml.safe_dump(obj, sort_keys=False)


@st.composite
def streams(draw: Any) -> tuple[list[str], list[bool]]:
    docs: list[str] = []
    is_ing: list[bool] = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            docs.append(dump(draw(ingress_obj())))
            is_ing.append(True)
        else:
            docs.append(draw(other_docs))
            is_ing.append(False)
    return docs, is_ing


def join(docs: list[str]) -> str:
    return "".join("---\n" + d for d in docs)


def generated(text: str) -> list[str]:
    """Canonical JSON of every non-Ingress object that carries gwshift's source annotation."""
    out = []
    for doc in yaml.safe_load_all(text):
        if isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("gateway.networking"):
            out.append(json.dumps(doc, sort_keys=True))
    return sorted(out)


@settings(settings.get_profile(PROFILE))
@given(streams())
def test_no_crash_and_passthrough(case: tuple[list[str], list[bool]]) -> None:
    docs, is_ing = case
    text = join(docs)
    out = transform(text, Settings())
    assert out.text.strip()
    pos = 0
    for d, ing in zip(docs, is_ing):
        if ing:
            continue
        found = out.text.find("---\n" + d, pos)
        assert found >= 0, d
        pos = found + len(d)


@settings(settings.get_profile(PROFILE))
@given(streams())
def test_deterministic_and_idempotent(case: tuple[list[str], list[bool]]) -> None:
    text = join(case[0])
    first = transform(text, Settings())
    assert transform(text, Settings()) == first
    again = transform(first.text, Settings())
    assert again.text == first.text


@settings(settings.get_profile(PROFILE))
@given(streams())
def test_keep_ingress_idempotent(case: tuple[list[str], list[bool]]) -> None:
    text = join(case[0])
    first = transform(text, Settings(keep_ingress=True)).text
    assert transform(first, Settings(keep_ingress=True)).text == first


@settings(settings.get_profile(PROFILE))
@given(st.lists(ingress_obj(), min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_reordering_ingresses_keeps_generated_objects(ings: list[dict], rnd: Any) -> None:
    docs = [dump(i) for i in ings]
    a = transform(join(docs), Settings())
    shuffled = docs[:]
    rnd.shuffle(shuffled)
    b = transform(join(shuffled), Settings())
    assert generated(a.text) == generated(b.text)


@settings(settings.get_profile(PROFILE))
@given(streams())
def test_split_is_lossless(case: tuple[list[str], list[bool]]) -> None:
    text = join(case[0])
    for variant in (text, text.replace("\n", "\r\n"), text.rstrip("\n"), "\ufeff" + text):
        assert "".join(c.text for c in stream.split(variant)) == variant
