"""ALB path patterns -> Gateway API path matches.

ALB matches a path pattern case-sensitively with two wildcards: ``*`` (any run of
characters, slashes included) and ``?`` (one character). The controller turns an Ingress
``Prefix`` path ``/p`` into ``/p`` + ``/p/*`` (exactly Gateway's PathPrefix), ``Exact`` into
the literal pattern, and ``ImplementationSpecific`` (or no pathType) into the path as a
pattern; with ``use-regex-path-match: "true"`` such paths are regular expressions.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from gwshift.convert import path_problem

MAX_PATTERN = 1024


class PathMatch(NamedTuple):
    path_type: Literal["Exact", "PathPrefix", "RegularExpression"]
    value: str
    # Why the Gateway match differs from the ALB pattern (None: the same requests).
    approx: str | None = None


def from_pattern(pattern: str) -> PathMatch | None:
    """The match for one ALB path pattern (None: not a valid pattern)."""
    if not pattern.startswith("/") or len(pattern) > MAX_PATTERN:
        return None
    if "*" not in pattern and "?" not in pattern:
        if path_problem(pattern) is None:
            return PathMatch("Exact", pattern)
        return PathMatch("RegularExpression", "^" + re.escape(pattern) + "$",
                         "a literal path that is no valid Exact value is matched as a regular "
                         "expression (implementation-specific support)")
    if pattern == "/*":
        return PathMatch("PathPrefix", "/")
    head = pattern[:-2]
    if pattern.endswith("/*") and "*" not in head and "?" not in head and path_problem(head) is None:
        return PathMatch("PathPrefix", head,
                         f"ALB's {pattern} does not match {head} itself; the PathPrefix does")
    return PathMatch("RegularExpression", to_regex(pattern),
                     "wildcards become a regular expression (implementation-specific support)")


def to_regex(pattern: str) -> str:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return "^" + "".join(out) + "$"


def wildcard_match(pattern: str, text: str) -> bool:
    """ALB host-header / http-header value matching (case-insensitive, ``*`` and ``?``)."""
    return re.fullmatch(to_regex(pattern.lower())[1:-1], text.lower()) is not None
