"""Value parsers shared by dialect handlers. Each returns ``None`` for an invalid value.

They follow ingress-nginx's annotation parsers: booleans are Go ``strconv.ParseBool``,
durations are whole seconds, sizes are nginx sizes (``8k``, ``1m``, ``1g``).

Numbers are ASCII only and bounded before ``int()``: Python's ``int()`` and ``str.isdigit()``
accept other scripts' digits (``int("٨٠") == 80``) and superscripts pass ``isdigit()`` but
crash ``int()`` (``"²"``); a 5 000-digit string makes ``int()`` raise. Every regex here is
linear in its input (no two adjacent unbounded repeats that can match the same text).
"""

from __future__ import annotations

import re
from typing import Any

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
# After strip(): digits, optional spaces, optional unit. Only one unbounded run can match a
# space, so a near-miss like "1" + " " * 10**6 + "x" fails in linear time.
_SIZE = re.compile(r"([0-9]+) *([kKmMgG]?)")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_ASCII_DIGITS = frozenset("0123456789")
# Longer than anything an annotation, port, weight or index legitimately holds (int64 has 19
# digits), short enough that int() is trivially cheap.
MAX_DIGITS = 20
# The longest Gateway API Duration (GEP-2257, v1.6.1 CRD pattern ^([0-9]{1,5}(h|m|s|ms)){1,4}$)
# that duration() writes: 99999h59m59s.
MAX_DURATION_SECONDS = 99999 * 3600 + 59 * 60 + 59
# One parsed value: small enough that the sum of nginx's three proxy timeouts (connect + send
# + read, one Gateway timeout) still fits MAX_DURATION_SECONDS; over 3 years as a timeout.
MAX_SECONDS = 99_999_999


def is_ascii_digits(text: str, max_digits: int = MAX_DIGITS) -> bool:
    """``text`` is 1..max_digits ASCII digits (``str.isdigit`` accepts ``²`` and ``٨``)."""
    return 0 < len(text) <= max_digits and _ASCII_DIGITS.issuperset(text)


def parse_int(value: str | None, max_digits: int = MAX_DIGITS, *,
              signed: bool = True) -> int | None:
    """A decimal integer: optional sign (when ``signed``), then 1..max_digits ASCII digits,
    surrounding whitespace ignored. Anything else (other scripts' digits, superscripts,
    ``1.5``, ``0x10``, ``1_000``, a 5 000-digit string, a non-string) is ``None``."""
    if type(value) is not str:
        return None
    v = value.strip()
    sign = 1
    if signed and v[:1] in ("+", "-"):
        sign = -1 if v[0] == "-" else 1
        v = v[1:]
    if not is_ascii_digits(v, max_digits):
        return None
    return sign * int(v)


def parse_port(value: object) -> int | None:
    """A TCP port 1..65535 from an int or a string of ASCII digits (no sign), else ``None``."""
    if type(value) is int:
        return value if 0 < value < 65536 else None
    if type(value) is str:
        n = parse_int(value, 5, signed=False)
        return n if n is not None and 0 < n < 65536 else None
    return None


def parse_bool(value: str | None) -> bool | None:
    """Go ``strconv.ParseBool`` (what ingress-nginx uses); anything else is invalid."""
    if type(value) is not str:
        return None
    v = value.strip()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


def parse_seconds(value: str | None, max_seconds: int = MAX_SECONDS) -> int | None:
    """Whole, non-negative seconds (nginx timeouts are integers); ``60s`` is accepted too.
    Above ``max_seconds`` is invalid: no Gateway API Duration could hold it (see MAX_SECONDS)."""
    if type(value) is not str:
        return None
    v = value.strip()
    v = v.removesuffix("s")
    n = parse_int(v)
    return n if n is not None and 0 <= n <= max_seconds else None


def parse_size(value: str | None) -> int | None:
    """nginx size (``0``, ``512``, ``8k``, ``1m``, ``2g``) in bytes."""
    if type(value) is not str:
        return None
    m = _SIZE.fullmatch(value.strip())
    if not m or len(m.group(1)) > MAX_DIGITS:
        return None
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def parse_csv(value: str | None) -> list[str]:
    """Comma separated list, items stripped, empty items dropped, order kept."""
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


def duration(seconds: int) -> str:
    """GEP-2257 duration for whole seconds (``90`` -> ``1m30s``; each unit at most 5 digits).

    Callers bound their values when parsing (``parse_seconds``), where an invalid value gets
    its note; above MAX_DURATION_SECONDS this clamps to ``99999h59m59s`` (over 11 years, no
    timeout or cookie lifetime differs in practice) so the output never breaks the CRD
    pattern ``^([0-9]{1,5}(h|m|s|ms)){1,4}$``."""
    if seconds <= 0:
        return "0s"
    seconds = min(seconds, MAX_DURATION_SECONDS)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out


def show(value: Any) -> str:
    """An untrusted value for a one-line message: a short escaped quote of a string or an
    integer, the type of anything else (never its whole text: it may be 5 000 digits)."""
    from gwshift.yamlio import describe, safe_text

    if isinstance(value, str):
        return repr(safe_text(value, 40))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**20:
        return str(value)
    return describe(value)


def seq(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one (rendered YAML can hold anything)."""
    return value if isinstance(value, list) else []
