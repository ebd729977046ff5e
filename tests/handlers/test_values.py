from __future__ import annotations

import pytest
from gwshift.handlers._values import (
    duration,
    parse_bool,
    parse_csv,
    parse_int,
    parse_seconds,
    parse_size,
)


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
