"""Invariants of the router-rule parser: any text either parses into valid alternatives or
raises Unsupported (never another exception), in bounded output."""

from __future__ import annotations

from gwshift.convert import host_problem, path_problem
from gwshift.handlers.traefik import matchexpr
from hypothesis import given, settings
from hypothesis import strategies as st

_ATOMS = st.sampled_from([
    "Host(`a.example.com`)", "Host(`B.example.com`, `c.example.com`)", "PathPrefix(`/api`)",
    "Path(`/x`)", "PathRegexp(`^/v[0-9]+`)", "Method(`GET`)", "Header(`X-A`, `1`)",
    "Query(`q`, `v`)", "ClientIP(`10.0.0.0/8`)", "Path(`/a b`)", "Host(`*`)", "Bogus(`x`)",
])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_ATOMS)
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    op = draw(st.sampled_from([" && ", " || "]))
    neg = draw(st.sampled_from(["", "", "!"]))
    return f"{neg}({left}{op}{right})"


def _check(expr: str) -> None:
    try:
        alts = matchexpr.parse(expr)
    except matchexpr.Unsupported:
        return
    assert 1 <= len(alts) <= matchexpr.MAX_ALTERNATIVES
    for a in alts:
        assert a.host is None or host_problem(a.host) is None
        if a.path is not None and a.path[0] != "RegularExpression":
            assert path_problem(a.path[1]) is None
        assert a.method is None or a.method in matchexpr.METHODS


@settings(max_examples=300)
@given(expressions())
def test_structured_expressions(expr: str) -> None:
    _check(expr)


@settings(max_examples=300)
@given(st.text(alphabet="HostPa()`&|!,\" /x-", max_size=60))
def test_arbitrary_text(expr: str) -> None:
    _check(expr)


def test_alternatives_are_bounded() -> None:
    expr = " && ".join(["(Header(`a`, `1`) || Header(`a`, `2`))"] * 8)
    try:
        matchexpr.parse(expr)
    except matchexpr.Unsupported as exc:
        assert "alternatives" in str(exc)
    else:
        raise AssertionError("2**8 alternatives must be refused")


def test_hostile_nesting_and_length_are_refused() -> None:
    for expr in ("(" * 5000 + "Path(`/`)" + ")" * 5000, "Path(`/`) || " * 2000 + "Path(`/`)"):
        try:
            matchexpr.parse(expr)
        except matchexpr.Unsupported:
            continue
        raise AssertionError(expr[:40])
