from __future__ import annotations

import pytest
from gwshift.handlers._values import (
    MAX_DIGITS,
    MAX_DURATION_SECONDS,
    MAX_SECONDS,
    duration,
    is_ascii_digits,
    parse_bool,
    parse_csv,
    parse_int,
    parse_port,
    parse_seconds,
    parse_size,
)
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(("raw", "want"), [
    ("true", True), ("True", True), ("1", True), ("t", True), ("false", False), ("0", False),
    ("F", False), ("yes", None), ("", None), (None, None), (" true ", True),
])
def test_parse_bool(raw: str | None, want: bool | None) -> None:
    assert parse_bool(raw) == want


@pytest.mark.parametrize(("raw", "want"), [
    ("60", 60), ("60s", 60), ("0", 0), ("-1", None), ("1.5", None), ("abc", None), (None, None),
])
def test_parse_seconds(raw: str | None, want: int | None) -> None:
    assert parse_seconds(raw) == want


@pytest.mark.parametrize(("raw", "want"), [
    ("0", 0), ("512", 512), ("8k", 8192), ("1m", 1048576), ("2G", 2 * 1024**3), ("1x", None),
    ("", None),
])
def test_parse_size(raw: str, want: int | None) -> None:
    assert parse_size(raw) == want


def test_parse_csv_and_int() -> None:
    assert parse_csv(" a, b ,,c ") == ["a", "b", "c"]
    assert parse_csv("") == [] and parse_csv(None) == []
    assert parse_int("+3") == 3 and parse_int("3a") is None


@pytest.mark.parametrize(("secs", "want"), [
    (0, "0s"), (5, "5s"), (60, "1m"), (125, "2m5s"), (3600, "1h"), (3661, "1h1m1s"),
    (172800, "48h"),
])
def test_duration(secs: int, want: str) -> None:
    assert duration(secs) == want


_GW_DURATION = r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"  # Gateway API v1.6.1 Duration pattern


def test_parse_seconds_refuses_what_no_duration_holds() -> None:
    # issue 19: proxy-read-timeout 99999999999 became 27777777h47m44s, invalid output.
    assert parse_seconds("99999999999") is None
    assert parse_seconds(str(MAX_SECONDS + 1)) is None
    assert parse_seconds(str(MAX_SECONDS)) == MAX_SECONDS  # the twin: the bound itself holds
    assert parse_seconds("120") == 120
    assert 3 * MAX_SECONDS <= MAX_DURATION_SECONDS  # connect + send + read still fits


@given(st.integers(min_value=0, max_value=10**30))
def test_duration_always_matches_the_crd_pattern(secs: int) -> None:
    import re

    assert re.fullmatch(_GW_DURATION, duration(secs))


def test_duration_clamps_only_beyond_the_largest_duration() -> None:
    assert duration(MAX_DURATION_SECONDS) == "99999h59m59s"
    assert duration(MAX_DURATION_SECONDS + 1) == "99999h59m59s"
    assert duration(10**20) == "99999h59m59s"


# --- hostile numbers (issue 19): ASCII digits only, bounded length, linear regexes ---------


@pytest.mark.parametrize("raw", ["²", "٨٠", "８０", "1²", "⁸", "१०", "0x10", "1_000", "1e3", "1.0",
                                 " ", "+", "-", "++1", "1 2", "9" * (MAX_DIGITS + 1), "9" * 5000])
def test_parse_int_refuses_non_ascii_and_long_digits(raw: str) -> None:
    assert parse_int(raw) is None
    assert parse_seconds(raw) is None
    assert parse_size(raw) is None
    assert parse_port(raw) is None


def test_parse_int_bounds_and_signs() -> None:
    assert parse_int("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    assert parse_int("123", max_digits=2) is None and parse_int("12", max_digits=2) == 12
    assert parse_int("-7") == -7 and parse_int("-7", signed=False) is None
    assert parse_int(" 42\n") == 42
    assert parse_int(42) is None  # type: ignore[arg-type]  # a YAML int is not text


@pytest.mark.parametrize(("raw", "want"), [
    ("80", 80), (80, 80), ("65535", 65535), ("0", None), ("65536", None), (0, None),
    ("-1", None), ("+80", None), ("٨٠", None), (True, None), (80.0, None), (None, None),
])
def test_parse_port(raw: object, want: int | None) -> None:
    assert parse_port(raw) == want


@given(st.text(max_size=40))
def test_number_parsers_never_raise_and_only_read_ascii(text: str) -> None:
    for parse in (parse_int, parse_seconds, parse_size, parse_port):
        got = parse(text)
        assert got is None or isinstance(got, int)
    if parse_int(text) is not None:
        assert is_ascii_digits(text.strip().lstrip("+-"))


def test_size_near_misses_are_refused() -> None:
    # Linear-time behaviour on these is checked under a timeout in tests/hostile/test_bounds.py.
    for text in ("1" + " " * 2_000 + "x", " " * 2_000 + "1x", "1" * 2_000 + " x"):
        assert parse_size(text) is None
