"""Traefik router rule expressions (``Host(`a`) && PathPrefix(`/p`) || ...``) as HTTPRoute
matches: parsed, then expanded into a disjunction of conjunctions, one match each.

Traefik v3 syntax (``Header``, ``Query(`k`, `v`)``) and the v2 forms still common in charts
(``Headers``, several values per matcher, ``Query(`k=v`)``) are read. Negation, ``ClientIP``
(an access control), ``HostRegexp`` and contradictory conjunctions are not expressible:
:class:`Unsupported` says why, and the source is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from gwshift.convert import host_problem, path_problem

MAX_ALTERNATIVES = 64
MAX_LENGTH = 4096  # hostile input stays bounded: longer rules are refused, not parsed
MAX_DEPTH = 16  # nested parentheses
_TOKEN = re.compile(r"\s*(?:(&&)|(\|\|)|(!)|(\()|(\))|(,)|`([^`]*)`|\"((?:[^\"\\]|\\.)*)\"|"
                    r"([A-Za-z]+))")
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")


class Unsupported(Exception):
    pass


@dataclass
class Conj:
    """One alternative: a host (None: any), at most one path, headers, queries, a method."""

    host: str | None = None
    path: tuple[str, str] | None = None  # (PathPrefix|Exact|RegularExpression, value)
    headers: list[dict[str, str]] = field(default_factory=list)
    queries: list[dict[str, str]] = field(default_factory=list)
    method: str | None = None

    def merge(self, other: Conj) -> Conj:
        out = Conj(self.host, self.path, self.headers + other.headers,
                   self.queries + other.queries, self.method)
        for name in ("host", "path", "method"):
            mine, theirs = getattr(out, name), getattr(other, name)
            if theirs is None:
                continue
            if mine is not None and mine != theirs:
                raise Unsupported(f"two different {name} conditions joined by &&")
            setattr(out, name, theirs)
        return out


class _Tok(NamedTuple):
    kind: str  # and or not ( ) , str name
    text: str


def _tokens(expr: str) -> list[_Tok]:
    out, pos = [], 0
    kinds = ("and", "or", "not", "(", ")", ",", "str", "str", "name")
    while pos < len(expr):
        if expr[pos:].strip() == "":
            break
        m = _TOKEN.match(expr, pos)
        if m is None:
            raise Unsupported(f"unexpected text at {expr[pos:pos + 20]!r}")
        for i, kind in enumerate(kinds):
            if m.group(i + 1) is not None:
                out.append(_Tok(kind, m.group(i + 1)))
                break
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.t = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.t[self.i].kind if self.i < len(self.t) else None

    def take(self, kind: str) -> _Tok:
        if self.peek() != kind:
            raise Unsupported(f"expected {kind!r}")
        self.i += 1
        return self.t[self.i - 1]

    def expr(self) -> list[Conj]:
        alts = self.term()
        while self.peek() == "or":
            self.i += 1
            alts = alts + self.term()
            _bound(alts)
        return alts

    def term(self) -> list[Conj]:
        alts = self.factor()
        while self.peek() == "and":
            self.i += 1
            right = self.factor()
            alts = [a.merge(b) for a in alts for b in right]
            _bound(alts)
        return alts

    def factor(self) -> list[Conj]:
        kind = self.peek()
        if kind == "not":
            raise Unsupported("negation (!) has no Gateway API match")
        if kind == "(":
            self.i += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise Unsupported(f"parentheses nest deeper than {MAX_DEPTH}")
            alts = self.expr()
            self.take(")")
            self.depth -= 1
            return alts
        name = self.take("name").text
        self.take("(")
        args = []
        while self.peek() != ")":
            args.append(self.take("str").text)
            if self.peek() == ",":
                self.i += 1
        self.take(")")
        return matcher(name, args)


def _bound(alts: list[Conj]) -> None:
    if len(alts) > MAX_ALTERNATIVES:
        raise Unsupported(f"more than {MAX_ALTERNATIVES} alternatives")


def _path(kind: str, value: str) -> tuple[str, str]:
    problem = path_problem(value)
    if problem:
        raise Unsupported(f"path {value!r} {problem}")
    return (kind, value)


def matcher(name: str, args: list[str]) -> list[Conj]:
    if not args:
        raise Unsupported(f"{name}() has no argument")
    if name == "Host":
        hosts = [a.lower() for a in args]
        bad = [h for h in hosts if host_problem(h)]
        if bad:
            raise Unsupported(f"host {bad[0]!r} {host_problem(bad[0])}")
        return [Conj(host=h) for h in hosts]
    if name in ("Path", "PathPrefix"):
        kind = "Exact" if name == "Path" else "PathPrefix"
        return [Conj(path=_path(kind, a)) for a in args]
    if name == "PathRegexp":
        from gwshift.handlers.traefik.routing import go_regexp

        return [Conj(path=("RegularExpression", go_regexp(a))) for a in args]
    if name in ("Method", "Methods"):
        methods = [a.upper() for a in args]
        if any(m not in METHODS for m in methods):
            raise Unsupported(f"method {methods} is not a Gateway API method")
        return [Conj(method=m) for m in methods]
    if name in ("Header", "Headers", "HeaderRegexp", "HeadersRegexp"):
        if len(args) != 2:
            raise Unsupported(f"{name}() needs a name and a value")
        h = {"name": args[0], "value": args[1]}
        if name.endswith("Regexp"):
            h = {"type": "RegularExpression", **h}
        return [Conj(headers=[h])]
    if name in ("Query", "QueryRegexp"):
        if len(args) == 1 and "=" in args[0]:
            args = args[0].split("=", 1)  # v2: Query(`k=v`)
        if len(args) != 2:
            raise Unsupported(f"{name}() without a value has no Gateway API match")
        q = {"name": args[0], "value": args[1]}
        if name == "QueryRegexp":
            q = {"type": "RegularExpression", **q}
        return [Conj(queries=[q])]
    raise Unsupported(f"{name}() has no Gateway API match")


def v2_queries(expr: str) -> list[str]:
    """The one-argument ``Query(`k=v`)`` calls of ``expr``: v2 syntax. Traefik v3 reads the
    argument as a parameter NAME (pkg/muxer/http/matcher.go query: key, optional value), so
    ``?k=v`` does not match it under the default v3 rule syntax."""
    if len(expr) > MAX_LENGTH:
        return []
    try:
        t = _tokens(expr)
    except Unsupported:
        return []
    return [t[i + 2].text for i in range(len(t) - 3)
            if t[i].kind == "name" and t[i].text in ("Query", "QueryRegexp")
            and t[i + 1].kind == "(" and t[i + 2].kind == "str" and "=" in t[i + 2].text
            and t[i + 3].kind == ")"]


def parse(expr: str) -> list[Conj]:
    """The alternatives of ``expr``; Unsupported when it has no faithful form."""
    if len(expr) > MAX_LENGTH:
        raise Unsupported(f"the rule is longer than {MAX_LENGTH} characters")
    p = _Parser(_tokens(expr))
    alts = p.expr()
    if p.peek() is not None:
        raise Unsupported(f"unexpected {p.t[p.i].text!r}")
    return alts
