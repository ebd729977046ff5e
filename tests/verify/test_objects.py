"""Reading objects, host patterns and the regex guard (gwshift.verify.objects)."""

from __future__ import annotations

from gwshift.verify import objects as o


def test_load_flattens_lists_and_skips_unread_kinds() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, "
            "metadata: {name: a}}\n---\napiVersion: apps/v1\nkind: Deployment\n"
            "metadata: {name: d}\nspec: {bad: [\n")  # never parsed: not a kind verify reads
    assert [o.name(x) for x in o.load(text, "BEFORE")] == ["a"]


def test_host_patterns() -> None:
    """Ingress/ingress-nginx: one label; Gateway API: one or more."""
    assert o.host_matches("*.a.com", "x.a.com", one_label=True)
    assert not o.host_matches("*.a.com", "y.x.a.com", one_label=True)
    assert o.host_matches("*.a.com", "y.x.a.com", one_label=False)
    assert not o.host_matches("*.a.com", "a.com", one_label=False)
    idx: o.HostIndex[str] = o.HostIndex(one_label=True)
    idx.add("*.a.com", "wild")
    idx.add("x.a.com", "exact")
    idx.add(None, "any")
    assert idx.lookup("x.a.com") == ["exact", "wild", "any"]
    assert idx.lookup("y.x.a.com") == ["any"]


def test_regex_guard() -> None:
    assert o.safe_regex("(?i)^/api(/|$)(.*)") is not None
    assert o.safe_regex("(a+)+$") is None  # nested quantifier: exponential backtracking
    assert o.safe_regex("([") is None
    assert o.safe_regex("a" * 2000) is None


def test_cidrs() -> None:
    assert o.in_cidrs("10.1.2.3", ["192.168.0.0/16", " 10.0.0.0/8"])
    assert not o.in_cidrs("203.0.113.7", ["10.0.0.0/8", "not-a-cidr"])
    assert o.first_address("10.0.0.0/8") == "10.0.0.1"
