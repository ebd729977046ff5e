"""Invariants of verify over random Ingress streams (hypothesis)."""

from __future__ import annotations

from typing import Any

from gwshift import yamlio
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify import explain, verify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import ingress, path

HOSTS = st.sampled_from(["a.example.com", "b.example.com", "*.example.com", None])
PATHS = st.sampled_from(["/", "/api", "/api/", "/api/v1", "/static", "/a"])
TYPES = st.sampled_from(["Prefix", "Exact", "ImplementationSpecific"])
SERVICES = st.sampled_from(["one", "two", "three"])
ANNOTATIONS = st.dictionaries(
    st.sampled_from(["ssl-redirect", "use-regex", "rewrite-target", "app-root"]),
    st.sampled_from(["true", "false", "/", "/x"]), max_size=2)


@st.composite
def streams(draw: Any, cls: str) -> str:
    docs = []
    for i in range(draw(st.integers(1, 4))):
        paths = [path(p, s, t) for p, s, t in draw(st.lists(st.tuples(PATHS, SERVICES, TYPES),
                                                            min_size=1, max_size=3))]
        host = draw(HOSTS)
        tls = [host] if host and draw(st.booleans()) else None
        ann = draw(ANNOTATIONS) if cls == "nginx" else None
        docs.append(yamlio.dump(ingress(f"i{i}", host, *paths, cls=cls, ann=ann, tls=tls)))
    return "---\n".join(docs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams("nginx"))
def test_verify_is_total_and_deterministic(before: str) -> None:
    after = transform(before, Settings()).text
    first = verify(before, after, Settings())
    second = verify(before, after, Settings())
    assert [d.as_dict() for d in first.differences] == [d.as_dict() for d in second.differences]
    assert {d.kind for d in first.differences} <= set(explain.EXPLAINS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams("nginx"))
def test_an_ingress_stream_verifies_against_itself_as_unmigrated(before: str) -> None:
    """AFTER = BEFORE: nothing was migrated; every difference is a kept Ingress's, and the
    conversion's notes on it (if any) are the only explanations."""
    report = verify(before, before, Settings())
    assert all(d.gateway.result.kind in ("status", "split") for d in report.differences)
