"""Value parsers shared by dialect handlers. Each returns ``None`` for an invalid value.

They follow ingress-nginx's annotation parsers: booleans are Go ``strconv.ParseBool``,
durations are whole seconds, sizes are nginx sizes (``8k``, ``1m``, ``1g``).
"""

from __future__ import annotations

import re

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
_SIZE = re.compile(r"^\s*([0-9]+)\s*([kKmMgG]?)\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_bool(value: str | None) -> bool | None:
    """Go ``strconv.ParseBool`` (what ingress-nginx uses); anything else is invalid."""
    if value is None:
        return None
    v = value.strip()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


def parse_int(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", v):
        return None
    return int(v)


def parse_seconds(value: str | None) -> int | None:
    """Whole, non-negative seconds (nginx timeouts are integers); ``60s`` is accepted too."""
    if value is None:
        return None
    v = value.strip()
    v = v.removesuffix("s")
    n = parse_int(v)
    return n if n is not None and n >= 0 else None


def parse_size(value: str | None) -> int | None:
    """nginx size (``0``, ``512``, ``8k``, ``1m``, ``2g``) in bytes."""
    if value is None:
        return None
    m = _SIZE.match(value)
    if not m:
        return None
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def parse_csv(value: str | None) -> list[str]:
    """Comma separated list, items stripped, empty items dropped, order kept."""
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


def duration(seconds: int) -> str:
    """GEP-2257 duration for whole seconds (``90`` -> ``1m30s``; each unit at most 5 digits)."""
    if seconds <= 0:
        return "0s"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out
